import { compileFilter, parseFilter } from '@scimkit/filter';
import { applyPatch } from '@scimkit/patch';
import { coreSchemas, groupResourceType, userResourceType, validateResource } from '@scimkit/schema';
import type { Json } from '../corpus/users.js';
import type { FilterEvaluator, FilterParser, Patcher, Validator } from './peers.js';

/** scimkit's side of each suite. */
export interface ScimkitAdapters {
  parser?: FilterParser;
  evaluator?: FilterEvaluator;
  patcher?: Patcher;
  validator?: Validator;
}

/** Library name of scimkit in every table. */
export const SCIMKIT = 'scimkit';

/** What a server that accepts Entra ID uses: an attribute after a value path is outside the ABNF. */
const LENIENT = { lenient: true } as const;

/** scimkit's filter parser (lenient, as a server facing Entra ID runs it). */
export const scimkitParser: FilterParser = {
  name: SCIMKIT,
  parse: (text) => parseFilter(text, LENIENT),
  note: 'lenient mode (accepts Entra ID filters)',
};

/** scimkit's compiled filter, given the core schemas (caseExact, types) as a server does. */
export const scimkitEvaluator: FilterEvaluator = {
  name: SCIMKIT,
  compile: (text) => {
    const predicate = compileFilter(text, { schemas: coreSchemas, ...LENIENT });
    return (users) => {
      let n = 0;
      for (let i = 0; i < users.length; i++) if (predicate(users[i])) n++;
      return n;
    };
  },
};

/** scimkit's PATCH engine (default options: Entra/Okta compatibility on, clone-on-write). */
export const scimkitPatcher: Patcher = {
  name: SCIMKIT,
  mutates: false,
  apply: (resource, operations, resourceType) =>
    applyPatch(resource, operations, {
      resourceType: resourceType === 'Group' ? groupResourceType : userResourceType,
    }).resource,
  toJson: (result) => JSON.parse(JSON.stringify(result)) as Json,
};

/** scimkit's validation of a POST body. */
export const scimkitValidator: Validator = {
  name: SCIMKIT,
  validate: (resource) => validateResource(resource, { resourceType: userResourceType, context: 'create' }),
};

/** scimkit's adapters for every in-process suite. */
export async function loadScimkit(): Promise<ScimkitAdapters> {
  return {
    parser: scimkitParser,
    evaluator: scimkitEvaluator,
    patcher: scimkitPatcher,
    validator: scimkitValidator,
  };
}
