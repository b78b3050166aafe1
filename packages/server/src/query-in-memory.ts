import type { Filter, SortSpec } from '@scimkit/filter';
import type { ScimResource } from '@scimkit/schema';
import { scimError } from './internal/http.js';
import { compiledFilter, resolvePath, type TypeInfo, typeInfo } from './internal/type-info.js';
import type { StoreQuery, StoreQueryResult, StoreResourceType } from './store.js';

/** Options of {@link queryInMemory}. */
export interface QueryInMemoryOptions {
  /** The resource type the resources belong to: attribute characteristics drive comparisons. */
  resourceType: StoreResourceType;
}

/**
 * Filters, sorts and pages resources in memory, with a `totalResults` that counts every
 * match. The memory store uses it, and so can any store that cannot push a query down: load
 * the candidates, hand them over with the parsed query.
 *
 * Index paging is 1-based (`startIndex` below 1 counts as 1); cursor paging (RFC 9865) uses
 * opaque base64url cursors bound to the query's filter and sort, so a cursor from another
 * query is rejected with 400 `invalidCursor`.
 *
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 * import { type User, userResourceType } from '@scimkit/schema';
 * import { queryInMemory } from '@scimkit/server';
 *
 * declare const allUsers: User[];
 * const filter = parseFilter('active eq true');
 * const page = queryInMemory(allUsers, { filter, page: { kind: 'index', startIndex: 1, count: 10 } }, { resourceType: userResourceType });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export function queryInMemory(
  resources: Iterable<ScimResource>,
  query: StoreQuery,
  options: QueryInMemoryOptions,
): StoreQueryResult {
  const info = typeInfo(options.resourceType);
  let matches: ScimResource[];
  if (query.filter) {
    const matcher = compiledFilter(query.filter, info);
    matches = [];
    for (const resource of resources) if (matcher(resource)) matches.push(resource);
  } else {
    matches = Array.isArray(resources) ? resources.slice() : [...resources];
  }
  if (query.sort) sortResources(matches, query.sort, info);
  const total = matches.length;
  const page = query.page;
  if (page.kind === 'index') {
    const start = Math.max(1, Math.floor(page.startIndex)) - 1;
    const count = Math.max(0, Math.floor(page.count));
    return { resources: matches.slice(start, start + count), totalResults: total };
  }
  const fingerprint = queryFingerprint(query.filter, query.sort);
  const offset = page.cursor ? decodeCursor(page.cursor, fingerprint) : 0;
  const count = Math.max(0, Math.floor(page.count));
  const end = offset + count;
  return {
    resources: matches.slice(offset, end),
    totalResults: total,
    ...(end < total && count > 0 ? { nextCursor: encodeCursor(end, fingerprint) } : {}),
    ...(offset > 0 ? { previousCursor: encodeCursor(Math.max(0, offset - count), fingerprint) } : {}),
  };
}

function sortResources(resources: ScimResource[], sort: SortSpec, info: TypeInfo): void {
  const resolved = resolvePath(info, sort.path);
  if (!resolved) {
    throw scimError(400, `sortBy names an attribute ${info.name} resources do not have.`, 'invalidValue');
  }
  const definition =
    resolved.subAttribute ??
    (resolved.attribute.type === 'complex'
      ? (resolved.attribute.subAttributes?.find((s) => s.name === 'value') ?? resolved.attribute)
      : resolved.attribute);
  const exact = definition.caseExact === true;
  const key = (resource: ScimResource): string | number | undefined => {
    const holder = resolved.extension
      ? (resource[resolved.extension] as Record<string, unknown> | undefined)
      : resource;
    if (!holder || !Object.hasOwn(holder, resolved.attribute.name)) return undefined;
    let value: unknown = holder[resolved.attribute.name];
    if (Array.isArray(value)) {
      // Multi-valued: the primary value, else the first (RFC 7644 section 3.4.2.3).
      value =
        value.find(
          (v) => typeof v === 'object' && v !== null && (v as { primary?: unknown }).primary === true,
        ) ?? value[0];
    }
    if (typeof value === 'object' && value !== null) {
      const name = resolved.subAttribute?.name ?? 'value';
      value = Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
    }
    if (typeof value === 'number') return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value !== 'string') return undefined;
    if (definition.type === 'dateTime') {
      const time = Date.parse(value);
      return Number.isNaN(time) ? value : time;
    }
    return exact ? value : value.toLowerCase();
  };
  const direction = sort.order === 'descending' ? -1 : 1;
  const keyed = resources.map((resource, index) => ({ resource, index, key: key(resource) }));
  keyed.sort((a, b) => {
    // Unassigned values sort last in either order.
    if (a.key === undefined || b.key === undefined) {
      if (a.key === b.key) return a.index - b.index;
      return a.key === undefined ? 1 : -1;
    }
    if (a.key < b.key) return -direction;
    if (a.key > b.key) return direction;
    return a.index - b.index;
  });
  for (let i = 0; i < keyed.length; i++) resources[i] = keyed[i]!.resource;
}

/** FNV-1a over the query's filter and sort, so a cursor only works with the query it came from. */
function queryFingerprint(filter: Filter | undefined, sort: SortSpec | undefined): string {
  const text = JSON.stringify([filter ?? null, sort ?? null], (key, value) =>
    key === 'loc' ? undefined : value,
  );
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

function encodeCursor(offset: number, fingerprint: string): string {
  return btoa(`${offset}.${fingerprint}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeCursor(cursor: string, fingerprint: string): number {
  let text: string;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw invalidCursor();
  }
  const match = /^(\d{1,15})\.([0-9a-z]+)$/.exec(text);
  if (!match || match[2] !== fingerprint) throw invalidCursor();
  return Number(match[1]);
}

function invalidCursor() {
  return scimError(
    400,
    'The cursor is not one this service provider issued for this query; start again without a cursor.',
    'invalidCursor',
  );
}
