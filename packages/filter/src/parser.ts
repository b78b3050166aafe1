/**
 * The public parse functions: filters, PATCH paths, attribute lists and `sortBy`, each in a
 * throwing form and (for filters and paths) a `safe*` form. The grammar is in grammar.ts.
 */
import type { AttributePath, Filter, PatchPath } from './ast.js';
import type { FilterSyntaxError } from './errors.js';
import { Parser } from './grammar.js';
import type { ParseOptions } from './options.js';

/**
 * Parses a SCIM filter (RFC 7644 3.4.2.2 with errata 4690 and 7319) into an AST whose nodes
 * carry their positions in `loc`. Keywords and operators are case-insensitive; `and` binds
 * tighter than `or`.
 *
 * @throws {@link FilterSyntaxError} (`scimType` `invalidFilter`) with the position of the problem.
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 *
 * const filter = parseFilter('emails[type eq "work" and value co "@example.com"] or userName sw "j"');
 * filter.kind; // 'Or'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function parseFilter(text: string, options?: ParseOptions): Filter {
  return new Parser(text, options, 'invalidFilter').filter();
}

/**
 * Parses a PATCH operation path: `attrPath` or `valuePath["." subAttribute]`, such as
 * `members[value eq "2819c223"]` or `emails[type eq "work"].value`.
 *
 * @throws {@link FilterSyntaxError} (`scimType` `invalidPath`), also for problems inside the brackets.
 * @example
 * ```ts
 * import { parsePath } from '@scimkit/filter';
 *
 * const path = parsePath('emails[type eq "work"].value');
 * path.subAttribute; // 'value'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function parsePath(text: string, options?: ParseOptions): PatchPath {
  return new Parser(text, options, 'invalidPath').path();
}

/**
 * Parses the comma-separated attribute paths of the `attributes` and `excludedAttributes`
 * query parameters. An empty text gives an empty list.
 *
 * @throws {@link FilterSyntaxError} (`scimType` `invalidPath`).
 * @example
 * ```ts
 * import { parseAttributeList } from '@scimkit/filter';
 *
 * parseAttributeList('userName,name.givenName').map((path) => path.attribute); // ['userName', 'name']
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.5
 */
export function parseAttributeList(text: string, options?: ParseOptions): AttributePath[] {
  return new Parser(text, options, 'invalidPath').attributeList();
}

/**
 * Parses the `sortBy` query parameter: one attribute path.
 *
 * @throws {@link FilterSyntaxError} (`scimType` `invalidPath`).
 * @example
 * ```ts
 * import { parseSortBy } from '@scimkit/filter';
 *
 * parseSortBy('name.familyName').subAttribute; // 'familyName'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.3
 */
export function parseSortBy(text: string, options?: ParseOptions): AttributePath {
  return new Parser(text, options, 'invalidPath').sortBy();
}

/** The result of a `safe*` parse: the value, or the error instead of a throw. */
export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: FilterSyntaxError };

/**
 * {@link parseFilter} without throwing: `{ success: true, data }` or `{ success: false, error }`.
 *
 * @example
 * ```ts
 * import { safeParseFilter } from '@scimkit/filter';
 *
 * function checkFilter(url: URL): Response | undefined {
 *   const result = safeParseFilter(url.searchParams.get('filter') ?? '');
 *   if (!result.success) return Response.json(result.error.toJSON(), { status: 400 });
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function safeParseFilter(text: string, options?: ParseOptions): SafeParseResult<Filter> {
  try {
    return { success: true, data: parseFilter(text, options) };
  } catch (error) {
    return { success: false, error: error as FilterSyntaxError };
  }
}

/**
 * {@link parsePath} without throwing: `{ success: true, data }` or `{ success: false, error }`.
 *
 * @example
 * ```ts
 * import { safeParsePath } from '@scimkit/filter';
 *
 * const result = safeParsePath('emails[type eq "work"].value');
 * if (result.success) console.log(result.data.subAttribute);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function safeParsePath(text: string, options?: ParseOptions): SafeParseResult<PatchPath> {
  try {
    return { success: true, data: parsePath(text, options) };
  } catch (error) {
    return { success: false, error: error as FilterSyntaxError };
  }
}
