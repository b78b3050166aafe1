import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { Filter } from '../ast.js';
import { isFilterSyntaxError } from '../errors.js';
import { compileFilter } from '../evaluator.js';
import type { ParseOptions } from '../options.js';
import { parseAttributeList, parseFilter, parsePath, parseSortBy } from '../parser.js';
import { formatFilter, formatPath } from '../printer.js';
import { users } from './resources.js';
import { schemas } from './schemas.js';
import { strip } from './strip.js';

const fragments = [
  ' ',
  '  ',
  '\t',
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
  ':',
  'and',
  'AND',
  'or',
  'not',
  'not(',
  'eq',
  'Ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
  'pr',
  'true',
  'false',
  'null',
  'True',
  '"x"',
  '"a\\"b"',
  '"\\u00e9"',
  '"',
  '\\',
  '0',
  '-1.5e3',
  '01',
  'userName',
  'emails',
  'value',
  'type',
  'name.givenName',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
  'urn:',
  '$ref',
  'toString',
  '__proto__',
  'constructor',
  '😀',
  '\u0000',
];

/** Text assembled from filter-like fragments: mostly near-misses of valid filters. */
export const filterish: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...fragments), { maxLength: 40 })
  .map((parts) => parts.join(''));

/** Text assembled from fragments joined by single spaces, so more of it parses. */
export const spaced: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...fragments.filter((part) => part.trim() !== '')), { maxLength: 30 })
  .map((parts) => parts.join(' '));

/** Any string, filter-like or not. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  filterish,
  spaced,
);

/** Rethrows anything that is not a FilterSyntaxError. */
function onlySyntaxErrors<T>(text: string, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!isFilterSyntaxError(error)) throw error;
    if (!(error.position >= 0 && error.position <= Math.max(text.length, 1))) {
      throw new Error(`position ${error.position} outside the text of length ${text.length}`);
    }
    if (error.status !== 400 || (error.scimType !== 'invalidFilter' && error.scimType !== 'invalidPath')) {
      throw new Error(`bad status or scimType: ${error.status} ${error.scimType}`);
    }
    return undefined;
  }
}

function sameAst(a: unknown, b: unknown, text: string): void {
  if (!isDeepStrictEqual(strip(a), strip(b))) {
    throw new Error(`round trip changed the AST of ${JSON.stringify(text)}`);
  }
}

/**
 * The property: for any text, the parsers return or throw a FilterSyntaxError (with a
 * position inside the text), printing what parsed round-trips, and compiled filters run on
 * sample resources without throwing.
 */
export function checkText(text: string): void {
  for (const options of [{}, { lenient: true }] as ParseOptions[]) {
    const filter: Filter | undefined = onlySyntaxErrors(text, () => parseFilter(text, options));
    if (filter !== undefined) {
      const printed = formatFilter(filter);
      sameAst(parseFilter(printed), filter, text);
      if (formatFilter(parseFilter(printed)) !== printed)
        throw new Error(`printing is not idempotent: ${printed}`);
      for (const compileOptions of [{ schemas }, {}]) {
        const predicate = onlySyntaxErrors(text, () => compileFilter(filter, compileOptions));
        if (predicate !== undefined) for (const user of Object.values(users)) predicate(user);
      }
    }
    const path = onlySyntaxErrors(text, () => parsePath(text, options));
    if (path !== undefined) sameAst(parsePath(formatPath(path)), path, text);
  }
  onlySyntaxErrors(text, () => parseAttributeList(text));
  onlySyntaxErrors(text, () => parseSortBy(text));
}
