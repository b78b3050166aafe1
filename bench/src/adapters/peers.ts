import { scimPatch } from 'scim-patch';
import { compileFilter as qfpCompileFilter } from 'scim-query-filter-parser';
import { filter as s2Filter, parse as s2Parse } from 'scim2-parse-filter';
import SCIMMY from 'scimmy';
import type { PatchOperation } from '../corpus/patches.js';
import type { Json } from '../corpus/users.js';

/** A filter parser under test. */
export interface FilterParser {
  name: string;
  parse(text: string): unknown;
  /** What the timing includes beyond parsing, if anything. */
  note?: string;
}

/** A filter evaluator under test: compiles once, then counts the matching users. */
export interface FilterEvaluator {
  name: string;
  compile(text: string): (users: readonly Json[]) => number;
}

/** A PATCH engine under test. */
export interface Patcher {
  name: string;
  /** True when `apply` changes `resource` in place (the bench then hands it a fresh copy each time). */
  mutates: boolean;
  apply(resource: Json, operations: PatchOperation[], resourceType: 'User' | 'Group'): Json | Promise<Json>;
  /** Converts the result to plain JSON for comparisons (untimed). */
  toJson(result: unknown): Json;
}

/** A schema validator under test. */
export interface Validator {
  name: string;
  validate(resource: Json): unknown;
}

let scimmyReady = false;
/** SCIMMY's User schema knows the enterprise extension only once extended (global, once). */
export function scimmyWithEnterprise(): typeof SCIMMY {
  if (!scimmyReady) {
    // The class is what SCIMMY's docs pass (its .d.ts wants a Schema instance or attributes).
    SCIMMY.Schemas.User.extend(SCIMMY.Schemas.EnterpriseUser as never, false);
    scimmyReady = true;
  }
  return SCIMMY;
}

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp' as const;

const countWith =
  (predicate: (user: Json) => boolean) =>
  (users: readonly Json[]): number => {
    let n = 0;
    for (let i = 0; i < users.length; i++) if (predicate(users[i]!)) n++;
    return n;
  };

/** The peers' filter parsers. */
export const PEER_PARSERS: readonly FilterParser[] = [
  { name: 'scim2-parse-filter', parse: (text) => s2Parse(text) },
  {
    name: 'scim-query-filter-parser',
    parse: (text) => qfpCompileFilter(text),
    note: 'no parse-only API: compileFilter parses and builds the predicate',
  },
  {
    name: 'scimmy Filter',
    parse: (text) => new (scimmyWithEnterprise().Types.Filter)(text),
  },
];

/** The peers' filter evaluators. */
export const PEER_EVALUATORS: readonly FilterEvaluator[] = [
  {
    name: 'scim2-parse-filter',
    compile: (text) => countWith(s2Filter(s2Parse(text))),
  },
  {
    name: 'scim-query-filter-parser',
    compile: (text) => countWith(qfpCompileFilter(text)),
  },
  {
    name: 'scimmy Filter',
    compile: (text) => {
      const f = new (scimmyWithEnterprise().Types.Filter)(text);
      return (users) => f.match(users as Json[]).length;
    },
  },
];

const toPlainJson = (result: unknown): Json => JSON.parse(JSON.stringify(result)) as Json;

/** scim-patch in one of its two modes. */
function scimPatchAdapter(name: string, mutateDocument: boolean): Patcher {
  return {
    name,
    mutates: mutateDocument,
    apply: (resource, operations) =>
      scimPatch(resource as never, operations as never, { mutateDocument, treatMissingAsAdd: true }) as Json,
    toJson: toPlainJson,
  };
}

/** The peers' PATCH engines. */
export const PEER_PATCHERS: readonly Patcher[] = [
  // Its default and fastest mode: mutate in place (the bench clones untimed before each iteration).
  scimPatchAdapter('scim-patch', true),
  // Leaves the input untouched (it deep-copies through JSON first), as scimkit does.
  scimPatchAdapter('scim-patch (mutateDocument: false)', false),
  {
    name: 'scimmy PatchOp',
    mutates: false,
    apply: async (resource, operations, resourceType) => {
      const S = scimmyWithEnterprise();
      const instance = resourceType === 'User' ? new S.Schemas.User(resource) : new S.Schemas.Group(resource);
      const message = new S.Messages.PatchOp({ schemas: [PATCH_OP], Operations: operations as never });
      // apply() resolves to undefined when nothing changed: the input is then the result.
      return ((await message.apply(instance)) ?? instance) as unknown as Json;
    },
    toJson: toPlainJson,
  },
];

/** The peers' schema validators. */
export const PEER_VALIDATORS: readonly Validator[] = [
  {
    name: 'scimmy Schemas.User',
    validate: (resource) => new (scimmyWithEnterprise().Schemas.User)(resource, 'in'),
  },
];

/** Plain JS: what a developer would write by hand (the floor of filter evaluation). */
export function handWritten(predicate: (user: Json) => boolean): (users: readonly Json[]) => number {
  return countWith(predicate);
}
