/**
 * A typed builder for filter ASTs. Paths may be given as text (parsed, URNs included) or as
 * {@link AttributePath} nodes; values are kept as JSON values and escaped when printed.
 * Built nodes carry no `loc`.
 */
import type {
  AndFilter,
  AttributePath,
  ComparisonFilter,
  ComparisonOperator,
  Filter,
  FilterValue,
  NotFilter,
  OrFilter,
  PresentFilter,
  ValuePathFilter,
} from './ast.js';
import { parseSortBy } from './parser.js';

/** A path as text (`'emails.value'`, `'urn:…:User:manager.value'`) or as an AST node. */
export type PathInput = string | AttributePath;

/**
 * Parses an attribute path such as `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`
 * into an {@link AttributePath} without `loc`.
 *
 * @throws {@link FilterSyntaxError} (`invalidPath`) for a malformed path.
 * @example
 * ```ts
 * import { attributePath } from '@scimkit/filter';
 *
 * attributePath('name.givenName'); // { kind: 'AttributePath', attribute: 'name', subAttribute: 'givenName' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.10
 */
export function attributePath(text: string): AttributePath {
  const { loc: _loc, ...path } = parseSortBy(text);
  return path;
}

function toPath(path: PathInput): AttributePath {
  return typeof path === 'string' ? attributePath(path) : path;
}

function checkValue(value: FilterValue): FilterValue {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`A filter value must be a finite number, got ${value}`);
    return value;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  throw new TypeError(`A filter value must be a string, number, boolean or null, got ${typeof value}`);
}

function comparison(operator: ComparisonOperator, path: PathInput, value: FilterValue): ComparisonFilter {
  return { kind: 'Comparison', path: toPath(path), operator, value: checkValue(value) };
}

/** `path eq value`. @example `eq('userName', 'bjensen')` */
export function eq(path: PathInput, value: FilterValue): ComparisonFilter {
  return comparison('eq', path, value);
}
/** `path ne value`. @example `ne('userType', 'Employee')` */
export function ne(path: PathInput, value: FilterValue): ComparisonFilter {
  return comparison('ne', path, value);
}
/** `path co value` (contains). @example `co('emails.value', '@example.com')` */
export function co(path: PathInput, value: string): ComparisonFilter {
  return comparison('co', path, value);
}
/** `path sw value` (starts with). @example `sw('userName', 'J')` */
export function sw(path: PathInput, value: string): ComparisonFilter {
  return comparison('sw', path, value);
}
/** `path ew value` (ends with). @example `ew('emails.value', '.org')` */
export function ew(path: PathInput, value: string): ComparisonFilter {
  return comparison('ew', path, value);
}
/** `path gt value`. @example `gt('meta.lastModified', '2011-05-13T04:42:34Z')` */
export function gt(path: PathInput, value: string | number): ComparisonFilter {
  return comparison('gt', path, value);
}
/** `path ge value`. @example `ge('meta.lastModified', '2011-05-13T04:42:34Z')` */
export function ge(path: PathInput, value: string | number): ComparisonFilter {
  return comparison('ge', path, value);
}
/** `path lt value`. @example `lt('meta.lastModified', '2011-05-13T04:42:34Z')` */
export function lt(path: PathInput, value: string | number): ComparisonFilter {
  return comparison('lt', path, value);
}
/** `path le value`. @example `le('meta.lastModified', '2011-05-13T04:42:34Z')` */
export function le(path: PathInput, value: string | number): ComparisonFilter {
  return comparison('le', path, value);
}
/** `path pr` (present). @example `pr('title')` */
export function pr(path: PathInput): PresentFilter {
  return { kind: 'Present', path: toPath(path) };
}

function chain<K extends 'And' | 'Or'>(kind: K, filters: readonly Filter[]): Filter {
  if (filters.length === 0) throw new TypeError(`${kind.toLowerCase()}() needs at least one filter`);
  let result = filters[0]!;
  for (let i = 1; i < filters.length; i++) {
    result = { kind, left: result, right: filters[i]! } as AndFilter | OrFilter;
  }
  return result;
}

/**
 * All filters must hold: `a and b and c` (left-leaning). One filter is returned as is.
 *
 * @throws TypeError when called without filters.
 * @example
 * ```ts
 * import { and, eq, formatFilter, pr } from '@scimkit/filter';
 *
 * formatFilter(and(eq('userType', 'Employee'), pr('title'))); // 'userType eq "Employee" and title pr'
 * ```
 */
export function and(...filters: Filter[]): Filter {
  return chain('And', filters);
}

/**
 * Any filter may hold: `a or b or c` (left-leaning). One filter is returned as is.
 *
 * @throws TypeError when called without filters.
 * @example
 * ```ts
 * import { eq, formatFilter, or } from '@scimkit/filter';
 *
 * formatFilter(or(eq('userName', 'a'), eq('userName', 'b'))); // 'userName eq "a" or userName eq "b"'
 * ```
 */
export function or(...filters: Filter[]): Filter {
  return chain('Or', filters);
}

/** `not (filter)`. @example `not(pr('title'))` */
export function not(filter: Filter): NotFilter {
  return { kind: 'Not', filter };
}

/**
 * `attribute[filter]`: the filter must hold within one value of a multi-valued attribute.
 * Paths inside `filter` are relative (`type`, not `emails.type`).
 *
 * @throws TypeError when `path` has a sub-attribute.
 * @example
 * ```ts
 * import { and, co, eq, formatFilter, valuePath } from '@scimkit/filter';
 *
 * formatFilter(valuePath('emails', and(eq('type', 'work'), co('value', '@example.com'))));
 * // 'emails[type eq "work" and value co "@example.com"]'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function valuePath(path: PathInput, filter: Filter): ValuePathFilter {
  const target = toPath(path);
  if (target.subAttribute !== undefined) {
    throw new TypeError(
      `A value path applies to an attribute, not to a sub-attribute (${target.subAttribute})`,
    );
  }
  return { kind: 'ValuePath', path: target, filter };
}
