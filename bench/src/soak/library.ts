/**
 * The in-process half of the soak: mutated inputs through parseFilter, parsePath, applyPatch and
 * validateResource of the built packages. Every failure must be a ScimError with a `scimType`
 * (a typed error); anything else is counted as untyped and kept as an example.
 */
import { parseFilter, parsePath } from '@scimkit/filter';
import { applyPatch } from '@scimkit/patch';
import { groupResourceType, isScimError, userResourceType, validateResource } from '@scimkit/schema';
import { filterCorpus } from '../corpus/filters.js';
import { PATCH_CASES } from '../corpus/patches.js';
import type { Random } from '../corpus/prng.js';
import { generateGroup, generateUser, type Json } from '../corpus/users.js';
import { isPolluted, mutateJson, mutateText } from './mutate.js';

/** What one target saw. */
export interface TargetTally {
  target: string;
  cases: number;
  accepted: number;
  typed: number;
  untyped: number;
  /** The slowest call in milliseconds, and its input (shortened). */
  slowest: { ms: number; input: string };
  /** Up to five untyped errors, with their inputs. */
  examples: { input: string; error: string }[];
}

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Shortened, printable text of an input (control characters and lone surrogates escaped). */
export function shown(value: unknown, length = 160): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const escaped = JSON.stringify(text ?? String(value)).slice(1, -1);
  return escaped.length > length ? `${escaped.slice(0, length)}… (${escaped.length} chars)` : escaped;
}

/** Whether a thrown value is a typed SCIM error: a ScimError with a 4xx status and a scimType. */
export function isTyped(error: unknown): boolean {
  return (
    isScimError(error) && typeof error.scimType === 'string' && error.status >= 400 && error.status < 500
  );
}

type Case = { input: unknown; run: () => unknown };

function tally(target: string): TargetTally {
  return { target, cases: 0, accepted: 0, typed: 0, untyped: 0, slowest: { ms: 0, input: '' }, examples: [] };
}

/** Runs `count` cases made by `make`, checking for prototype pollution every 10,000. */
function runTarget(target: string, count: number, make: (i: number) => Case, snapshot: string): TargetTally {
  const result = tally(target);
  for (let i = 0; i < count; i++) {
    const { input, run } = make(i);
    const started = performance.now();
    try {
      run();
      result.accepted++;
    } catch (error) {
      if (isTyped(error)) result.typed++;
      else {
        result.untyped++;
        if (result.examples.length < 5)
          result.examples.push({ input: shown(input), error: shown(String(error), 200) });
      }
    }
    const ms = performance.now() - started;
    if (ms > result.slowest.ms) result.slowest = { ms, input: shown(input) };
    result.cases++;
    if (i % 10_000 === 9_999 && isPolluted(snapshot))
      throw new Error(`prototype pollution after ${target} case ${i}`);
  }
  return result;
}

/** Filter options as servers and library users pass them, the unbounded ones included (capped by the parser). */
const FILTER_OPTIONS = [
  {},
  { lenient: true },
  { maxLength: Number.POSITIVE_INFINITY, maxDepth: Number.POSITIVE_INFINITY },
];

/** Mutation rates: mostly light, so that much input gets deep before it fails. */
const RATES = [0.005, 0.02, 0.05, 0.15];

/** Runs the four in-process targets, `total` cases split evenly between them. */
export function soakLibraries(random: Random, total: number, snapshot: string): TargetTally[] {
  const each = Math.ceil(total / 4);
  const filters = filterCorpus().map((entry) => entry.text);
  const paths = [
    // RFC 7644 section 3.5.2's example paths, then the corpus's.
    'members',
    'name.familyName',
    'addresses[type eq "work"]',
    'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
    'members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
    'emails[type eq "work" and value co "@example.com"].primary',
    ...PATCH_CASES.flatMap((patchCase) => patchCase.operations.flatMap((op) => (op.path ? [op.path] : []))),
  ];
  const users: Json[] = Array.from({ length: 200 }, (_, i) => generateUser(i));
  const groups: Json[] = Array.from({ length: 20 }, (_, i) => generateGroup(i, 50));
  const junk = (): string => mutateText(random, mutateText(random, ''));

  const filterCase = (): Case => {
    const text = random.bool(0.9) ? mutateText(random, random.pick(filters)) : junk();
    const options = random.pick(FILTER_OPTIONS);
    return { input: text, run: () => parseFilter(text, options) };
  };
  const pathCase = (): Case => {
    const text = random.bool(0.9) ? mutateText(random, random.pick(paths)) : junk();
    const options = random.pick(FILTER_OPTIONS);
    return { input: text, run: () => parsePath(text, options) };
  };
  const patchCase = (): Case => {
    const chosen = random.pick(PATCH_CASES);
    const isGroup = chosen.resourceType === 'Group';
    const resource = isGroup ? random.pick(groups) : random.pick(users);
    const body = mutateJson(
      random,
      { schemas: [PATCH_OP], Operations: chosen.operations },
      random.pick(RATES),
    );
    const options = {
      resourceType: isGroup ? groupResourceType : userResourceType,
      strict: random.bool(0.2),
    };
    return { input: body, run: () => applyPatch(resource, body as never, options) };
  };
  const validateCase = (): Case => {
    const existing = random.pick(users);
    const input = mutateJson(random, existing, random.pick(RATES));
    const context = random.pick(['create', 'replace', 'patch'] as const);
    const options = {
      resourceType: userResourceType,
      context,
      strict: random.bool(0.2),
      coerceBooleans: random.bool(),
      unknownAttributes: random.bool(0.7) ? ('drop' as const) : ('reject' as const),
      ...(context === 'create' ? {} : { existing }),
    };
    return { input, run: () => validateResource(input, options) };
  };

  return [
    runTarget('parseFilter', each, filterCase, snapshot),
    runTarget('parsePath', each, pathCase, snapshot),
    runTarget('applyPatch', each, patchCase, snapshot),
    runTarget('validateResource', each, validateCase, snapshot),
  ];
}
