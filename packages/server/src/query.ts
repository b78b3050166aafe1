/**
 * List-query parsing: the parameters of a list or search (RFC 7644 section 3.4.2), from the URL
 * or a SearchRequest body, into the {@link StoreQuery} a store answers. Pure: no store, no
 * request, every rule a 400 with the SCIM `scimType` the RFCs name.
 */
import {
  type AttributePath,
  parseAttributeList,
  parseFilter,
  parseSortBy,
  type SortSpec,
} from '@scimkit/filter';
import { SEARCH_REQUEST_SCHEMA } from '@scimkit/schema';
import {
  checkFilterAttributes,
  checkFilterReadable,
  isComputedGroups,
  isHidden,
} from './internal/filter-check.js';
import { scimError } from './internal/http.js';
import { compiledFilter, resolvePath, type TypeInfo } from './internal/type-info.js';
import type { ResolvedLimits } from './options.js';
import type { PageRequest, StoreProjection, StoreQuery } from './store.js';
import {
  parseValueSelection,
  relocated,
  selectionMatcher,
  splitAttributeList,
  type ValueSelection,
} from './value-selection.js';

/** Query parameters of a list or search, from the URL or a SearchRequest body, as sent. */
export interface ListParameters {
  filter?: unknown;
  sortBy?: unknown;
  sortOrder?: unknown;
  startIndex?: unknown;
  count?: unknown;
  cursor?: unknown;
  attributes?: unknown;
  excludedAttributes?: unknown;
}

/** A parsed `attributes` / `excludedAttributes` pair (RFC 7644 section 3.4.2.5). */
export interface Projection {
  attributes?: AttributePath[];
  excludedAttributes?: AttributePath[];
  /** The value filters of `attributes=emails[type eq "work"]` (lenient dialect only). */
  valueSelections?: ValueSelection[];
}

/** A parsed list query: what the store is asked, and the projection the response applies. */
export type ListQuery = StoreQuery & { projection: Projection };

/** What parsing needs of the server's configuration (a `ServerContext` has it). */
export interface QueryRules {
  compat: { lenientFilters: boolean };
  limits: Pick<ResolvedLimits, 'maxFilterLength' | 'maxFilterDepth' | 'defaultPageSize' | 'maxResults'>;
  /** Every resource type served: a search across all of them checks a filter against each. */
  types: readonly TypeInfo[];
}

/** The names of {@link ListParameters}, by their lower-case spelling. */
const PARAMETER_NAMES: Readonly<Record<string, keyof ListParameters>> = {
  filter: 'filter',
  sortby: 'sortBy',
  sortorder: 'sortOrder',
  startindex: 'startIndex',
  count: 'count',
  cursor: 'cursor',
  attributes: 'attributes',
  excludedattributes: 'excludedAttributes',
};

/**
 * A query parameter by name, case-insensitively (the first one of any spelling wins): SCIM
 * attribute names and SearchRequest keys are case-insensitive, and an ignored `?Filter=` would
 * silently answer the whole collection to an IdP's matching lookup.
 */
export function queryParameter(url: URL, name: string): string | null {
  // Without a query string, skip building the URL's URLSearchParams.
  if (url.search === '') return null;
  const exact = url.searchParams.get(name);
  if (exact !== null) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === lower) return value;
  return null;
}

/**
 * The list parameters of a URL's query string (GET on a collection), read in one pass: of each
 * parameter, the first value under its exact name, else the first under any spelling (as
 * {@link queryParameter} reads one).
 */
export function listParametersOfUrl(url: URL): ListParameters {
  const parameters: Record<string, string> = {};
  if (url.search === '') return parameters;
  let otherSpellings: Record<string, string> | undefined;
  for (const [key, value] of queryPairs(url)) {
    const lower = key.toLowerCase();
    if (!Object.hasOwn(PARAMETER_NAMES, lower)) continue;
    const name = PARAMETER_NAMES[lower]!;
    if (key === name) {
      if (!Object.hasOwn(parameters, name)) parameters[name] = value;
    } else {
      otherSpellings ??= {};
      if (!Object.hasOwn(otherSpellings, name)) otherSpellings[name] = value;
    }
  }
  if (otherSpellings) {
    for (const name of Object.keys(otherSpellings))
      if (!Object.hasOwn(parameters, name)) parameters[name] = otherSpellings[name]!;
  }
  return parameters;
}

/**
 * The name-value pairs of a URL's query string, as `url.searchParams` lists them
 * (application/x-www-form-urlencoded: `+` is a space, escapes decoded). Split here because
 * building URLSearchParams cost about 0.7 µs of a list request; a malformed escape (`%zz`, which
 * URLSearchParams keeps literally) or bytes that are not UTF-8 fall back to URLSearchParams.
 * @see https://url.spec.whatwg.org/#concept-urlencoded-parser
 */
export function queryPairs(url: URL): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of url.search.slice(1).split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = formDecoded(equals < 0 ? part : part.slice(0, equals));
    const value = equals < 0 ? '' : formDecoded(part.slice(equals + 1));
    if (name === undefined || value === undefined) return [...url.searchParams];
    pairs.push([name, value]);
  }
  return pairs;
}

/** One urlencoded name or value, or undefined where decodeURIComponent and the form parser differ. */
function formDecoded(text: string): string | undefined {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The list parameters of a SearchRequest body (POST `.search`): keys case-insensitively, own
 * keys only. Without `compat.missingMessageSchemas`, the body must list the SearchRequest URN.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.3
 */
export function listParametersOfBody(
  body: Record<string, unknown>,
  options: { requireSchema: boolean },
): ListParameters {
  if (options.requireSchema) {
    const schemas = body.schemas;
    if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST_SCHEMA)) {
      throw scimError(
        400,
        `A search body must list "${SEARCH_REQUEST_SCHEMA}" in "schemas".`,
        'invalidSyntax',
      );
    }
  }
  const parameters: ListParameters = {};
  for (const key of Object.keys(body)) {
    const lower = key.toLowerCase();
    if (Object.hasOwn(PARAMETER_NAMES, lower)) parameters[PARAMETER_NAMES[lower]!] = body[key];
  }
  return parameters;
}

function parsePaths(
  value: unknown,
  name: string,
  rules: QueryRules,
  selections?: ValueSelection[],
): AttributePath[] | undefined {
  if (value === undefined || value === null) return undefined;
  let text: string;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) text = value.join(',');
  else if (typeof value === 'string') text = value;
  else throw scimError(400, `"${name}" must be a comma-separated list of attribute paths.`, 'invalidValue');
  if (text.trim() === '') return undefined;
  const options = { lenient: rules.compat.lenientFilters, maxLength: rules.limits.maxFilterLength };
  if (!selections || !options.lenient || !text.includes('[')) return parseAttributeList(text, options);
  // The lenient dialect: `emails[type eq "work"]` selects values (see value-selection.ts).
  return splitAttributeList(text).flatMap((item) => {
    if (!item.text.includes('[')) {
      try {
        return parseAttributeList(item.text, options);
      } catch (error) {
        throw relocated(error, text, item.start);
      }
    }
    const selection = parseValueSelection(item, text, { ...options, maxDepth: rules.limits.maxFilterDepth });
    selections.push(selection);
    return [selection.path];
  });
}

/**
 * The projection of `attributes` / `excludedAttributes` (a string, or an array of strings in
 * a SearchRequest); blank ones are absent.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.5
 */
export function parseProjection(
  parameters: { attributes?: unknown; excludedAttributes?: unknown },
  rules: QueryRules,
  info?: TypeInfo,
): Projection {
  const valueSelections: ValueSelection[] = [];
  const attributes = parsePaths(parameters.attributes, 'attributes', rules, valueSelections);
  const excludedAttributes = parsePaths(parameters.excludedAttributes, 'excludedAttributes', rules);
  // Against the type's schemas now, before any write: a POST must not answer 400 after creating.
  if (info) for (const selection of valueSelections) selectionMatcher(selection, info);
  // Written out: a spread of conditional objects runs in V8's runtime.
  const projection: Projection = {};
  if (attributes) projection.attributes = attributes;
  if (excludedAttributes) projection.excludedAttributes = excludedAttributes;
  if (valueSelections.length > 0) projection.valueSelections = valueSelections;
  return projection;
}

/** The projection a URL asks for (GET, and the response of POST, PUT and PATCH of `info`). */
export function projectionOfUrl(url: URL, rules: QueryRules, info: TypeInfo): Projection {
  const attributes = queryParameter(url, 'attributes');
  const excludedAttributes = queryParameter(url, 'excludedAttributes');
  if (attributes === null && excludedAttributes === null) return {};
  const parameters: { attributes?: string; excludedAttributes?: string } = {};
  if (attributes !== null) parameters.attributes = attributes;
  if (excludedAttributes !== null) parameters.excludedAttributes = excludedAttributes;
  return parseProjection(parameters, rules, info);
}

/** The projection as a store hint. */
export function storeProjection(projection: Projection): StoreProjection {
  const hint: StoreProjection = {};
  if (projection.attributes) hint.attributes = projection.attributes;
  if (projection.excludedAttributes) hint.excludedAttributes = projection.excludedAttributes;
  return hint;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  // Decimal digits only: Number() would also read "0x10", "1e3" and "0b1".
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(number) || !Number.isInteger(number)) {
    throw scimError(400, `"${name}" must be an integer, not ${JSON.stringify(value)}.`, 'invalidValue');
  }
  return number;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * The filter, checked against `info` (unknown attributes, impossible comparisons) or, for a
 * search across every type, checked not to read a hidden attribute of any.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
function parseQueryFilter(
  value: unknown,
  info: TypeInfo | undefined,
  rules: QueryRules,
): StoreQuery['filter'] {
  if (!present(value)) return undefined;
  if (typeof value !== 'string') throw scimError(400, '"filter" must be a string.', 'invalidFilter');
  const filter = parseFilter(value, {
    lenient: rules.compat.lenientFilters,
    maxLength: rules.limits.maxFilterLength,
    maxDepth: rules.limits.maxFilterDepth,
  });
  // Reject unknown attributes and impossible comparisons the same way for every store.
  if (info) {
    checkFilterAttributes(filter, info);
    compiledFilter(filter, info);
  } else {
    for (const type of rules.types) checkFilterReadable(filter, type);
  }
  return filter;
}

/** @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.3 */
function parseSort(
  parameters: ListParameters,
  info: TypeInfo | undefined,
  rules: QueryRules,
): SortSpec | undefined {
  if (!present(parameters.sortBy)) return undefined;
  if (typeof parameters.sortBy !== 'string')
    throw scimError(400, '"sortBy" must be a string.', 'invalidValue');
  const path = parseSortBy(parameters.sortBy, {
    lenient: rules.compat.lenientFilters,
    maxLength: rules.limits.maxFilterLength,
  });
  const resolved = info ? resolvePath(info, path) : undefined;
  if (info && !resolved) {
    throw scimError(
      400,
      `sortBy "${parameters.sortBy}" is not an attribute of ${info.name} resources.`,
      'invalidValue',
    );
  }
  // Sorting on a value that is never returned would disclose it (order, cursor keys), and
  // User.groups is computed, not stored.
  const unsortable = (type: TypeInfo, candidate: ReturnType<typeof resolvePath>) =>
    candidate !== undefined &&
    (isHidden(candidate.attribute) || isHidden(candidate.subAttribute) || isComputedGroups(type, candidate));
  const hidden = info
    ? unsortable(info, resolved)
    : rules.types.some((type) => unsortable(type, resolvePath(type, path)));
  if (hidden) {
    throw scimError(
      400,
      `sortBy "${parameters.sortBy}" names an attribute that is never returned or is computed (User.groups), so results cannot be sorted by it.`,
      'invalidValue',
    );
  }
  let order: SortSpec['order'] = 'ascending';
  if (present(parameters.sortOrder)) {
    const text = String(parameters.sortOrder).toLowerCase();
    if (text !== 'ascending' && text !== 'descending') {
      throw scimError(400, `sortOrder must be "ascending" or "descending".`, 'invalidValue');
    }
    order = text;
  }
  return { path, order };
}

/**
 * Index paging (RFC 7644 section 3.4.2.4) or, given a `cursor`, cursor paging (RFC 9865): the
 * page size capped at `maxResults`, a negative `count` read as 0 (index) or refused (cursor).
 */
function parsePage(parameters: ListParameters, rules: QueryRules): PageRequest {
  const count = integer(parameters.count, 'count');
  const pageSize = Math.min(
    count === undefined ? rules.limits.defaultPageSize : Math.max(0, count),
    rules.limits.maxResults,
  );
  if (parameters.cursor !== undefined && parameters.cursor !== null) {
    if (typeof parameters.cursor !== 'string')
      throw scimError(400, '"cursor" must be a string.', 'invalidCursor');
    if (parameters.startIndex !== undefined && parameters.startIndex !== null) {
      throw scimError(400, 'Use either "cursor" or "startIndex" paging, not both.', 'invalidValue');
    }
    if (count !== undefined && count < 0)
      throw scimError(400, '"count" must not be negative.', 'invalidCount');
    return {
      kind: 'cursor',
      count: pageSize,
      ...(parameters.cursor !== '' ? { cursor: parameters.cursor } : {}),
    };
  }
  const startIndex = integer(parameters.startIndex, 'startIndex');
  // Beyond 2^53 no page exists; clamping keeps the offset an exact integer for every store.
  return {
    kind: 'index',
    startIndex: Math.min(Math.max(1, startIndex ?? 1), Number.MAX_SAFE_INTEGER),
    count: pageSize,
  };
}

/**
 * Parses the parameters of a list or search of one resource type (`info`) or of every type
 * (`undefined`, POST `/.search`): filter, sort, page and projection, each checked; `filter=
 * userName eq "bjensen"&count=10` gives the filter's AST, the page `{ kind: 'index',
 * startIndex: 1, count: 10 }` and an empty projection.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export function parseQuery(
  info: TypeInfo | undefined,
  parameters: ListParameters,
  rules: QueryRules,
): ListQuery {
  const filter = parseQueryFilter(parameters.filter, info, rules);
  const sort = parseSort(parameters, info, rules);
  const page = parsePage(parameters, rules);
  const projection = parseProjection(parameters, rules, info);
  // Written out: a spread of conditional objects runs in V8's runtime.
  const query: ListQuery = { page, projection };
  if (filter) query.filter = filter;
  if (sort) query.sort = sort;
  return query;
}
