import { createHash } from 'node:crypto';
import type { Filter, SortSpec } from '@scimkit/filter';
import { ScimError } from '@scimkit/schema';
import { identifier, type SqlFragment, sql } from './fragment.js';
import { type TranslatedSort, translateSort } from './sort.js';
import { translateFilter } from './translate.js';
import type { TranslateOptions } from './translation.js';

/**
 * One page request: index paging (RFC 7644 section 3.4.2.4) or cursor paging (RFC 9865).
 * Structurally the same as `PageRequest` of `@scimkit/server`.
 */
export type SqlPageRequest =
  | { kind: 'index' /** 1-based. */; startIndex: number; count: number }
  | { kind: 'cursor' /** Absent or empty for the first page. */; cursor?: string; count: number };

/** What {@link translateQuery} takes: structurally the same as `StoreQuery` of `@scimkit/server`. */
export interface SqlQuery {
  /** The filter, if any. */
  filter?: Filter;
  /** The sort, if any. */
  sort?: SortSpec;
  /** The page. */
  page: SqlPageRequest;
}

/** Where a keyset page starts: the sort key and id of the last row of the previous page. */
export interface CursorPosition {
  /** The sort key value of that row (null when it had none). */
  key: string | number | null;
  /** Its tiebreak value (id or insertion sequence). */
  id: string | number;
  /**
   * The `totalResults` counted for the first page of the walk, carried from page to page so
   * that the next pages need not count again (see {@link TranslatedQuery.knownTotal}).
   */
  total?: number;
  /** A digest of the filter `total` was counted for ({@link TranslatedQuery.filterDigest}). */
  counted?: string;
}

/** The pieces of a paged query, for a store to assemble into SELECT and COUNT statements. */
export interface TranslatedQuery {
  /** The filter predicate (the pushed-down part when `residual` is set). */
  where: SqlFragment;
  /** The part of the filter to evaluate in memory, see {@link TranslatedFilter.residual}. */
  residual?: Filter;
  /** The sort, with its key expression (select it to build the next cursor). */
  sort: TranslatedSort;
  /** For a cursor page after the first: rows strictly after the cursor's position. */
  after?: SqlFragment;
  /** Rows to skip (index paging: `startIndex - 1`, at least 0; cursor paging: 0). */
  offset: number;
  /** Rows to return (`count`, at least 0). */
  limit: number;
  /**
   * For a cursor page after the first: the `totalResults` the cursor carries (counted for the
   * first page of the walk with the same filter), so the store answers it without counting
   * every match again. Undefined when the store must count (index paging, a first cursor page,
   * a cursor without a total or made for another filter).
   * @see https://www.rfc-editor.org/rfc/rfc9865#section-2
   */
  knownTotal?: number;
  /** A digest of the query's filter, stored in the cursors of its pages beside their total. */
  filterDigest: string;
}

interface CursorPayload {
  v: 1;
  s: string;
  k: string | number | null;
  i: string | number;
  t?: number;
  c?: string;
}

/**
 * Encodes a keyset position as an opaque cursor (base64url JSON bound to the sort).
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export function encodeCursor(sort: TranslatedSort, position: CursorPosition): string {
  const payload: CursorPayload = { v: 1, s: sort.signature, k: position.key, i: position.id };
  if (position.total !== undefined && position.counted !== undefined) {
    payload.t = position.total;
    payload.c = position.counted;
  }
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the same sort.
 * @throws ScimError 400 `invalidCursor` when it is malformed or belongs to another sort.
 */
export function decodeCursor(sort: TranslatedSort, cursor: string): CursorPosition {
  const invalid = () =>
    new ScimError('The cursor is not valid for this query: start again without a cursor.', {
      status: 400,
      scimType: 'invalidCursor',
    });
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw Object.assign(invalid(), { cause: error });
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw invalid();
  const { v, s, k, i, t, c } = payload as Partial<CursorPayload>;
  if (
    v !== 1 ||
    s !== sort.signature ||
    (typeof i !== 'string' && !(typeof i === 'number' && Number.isSafeInteger(i)))
  )
    throw invalid();
  if (k !== null && typeof k !== 'string' && !(typeof k === 'number' && Number.isFinite(k))) throw invalid();
  // A total is optional (cursors of earlier versions have none), but well formed when present.
  if (t === undefined && c === undefined) return { key: k, id: i };
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0 || typeof c !== 'string') throw invalid();
  return { key: k, id: i, total: t, counted: c };
}

/** A short digest of a filter (its parsed form), binding a cursor's total to the filter it counted. */
function filterDigestOf(filter: Filter | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify(filter ?? null))
    .digest('base64url')
    .slice(0, 16);
}

/**
 * The keyset condition "strictly after `position`" in the order of `sort`: (key is missing)
 * ascending, then the key in the sort's direction, then the tiebreak ascending.
 */
export function keysetAfter(sort: TranslatedSort, position: CursorPosition, tiebreak: string): SqlFragment {
  const column = identifier(tiebreak);
  const { key: k, id: t } = position;
  if (sort.signature === '') return sql`${column} > ${t}`;
  const key = sort.key;
  if (k === null) return sql`(${key} IS NULL AND ${column} > ${t})`;
  const beyond = sort.order === 'ascending' ? sql`${key} > ${k}` : sql`${key} < ${k}`;
  return sql`(${key} IS NULL OR ${beyond} OR (${key} = ${k} AND ${column} > ${t}))`;
}

/**
 * Translates a whole query (filter, sort, index or cursor page) into the pieces of a paged
 * SELECT: `WHERE where [AND after] ORDER BY sort.orderBy LIMIT limit OFFSET offset`, and
 * `SELECT count(*) … WHERE where` for `totalResults`. A page then costs O(page size) on top of
 * the filter's own cost. A cursor page after the first skips the count: its cursor carries the
 * total the first page counted (`knownTotal`), so walking N rows costs one count, not one per page.
 *
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 * import { userResourceType } from '@scimkit/schema';
 * import { postgresDialect, translateQuery } from '@scimkit/sql';
 *
 * const query = { filter: parseFilter('active eq true'), page: { kind: 'cursor' as const, count: 100 } };
 * const dialect = postgresDialect();
 * const q = translateQuery(query, { dialect, resourceType: userResourceType, document: 'r.data', tiebreak: 'r.seq' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export function translateQuery(query: SqlQuery, options: TranslateOptions): TranslatedQuery {
  const filter = query.filter ? translateFilter(query.filter, options) : undefined;
  const sort = translateSort(query.sort, options);
  const whole = (value: number) => (Number.isFinite(value) ? Math.floor(value) : 0);
  const limit = Math.max(0, whole(query.page.count));
  const where = filter ? filter.where : options.dialect.true;
  const filterDigest = filterDigestOf(query.filter);
  const base = filter?.residual
    ? { where, residual: filter.residual, sort, filterDigest }
    : { where, sort, filterDigest };
  if (query.page.kind === 'index') {
    return { ...base, offset: Math.max(0, whole(query.page.startIndex) - 1), limit };
  }
  const cursor = query.page.cursor;
  if (cursor === undefined || cursor === '') return { ...base, offset: 0, limit };
  const position = decodeCursor(sort, cursor);
  const after = keysetAfter(sort, position, options.tiebreak ?? 'id');
  // The total the first page counted, when the cursor carries one for this same filter.
  if (position.total !== undefined && position.counted === filterDigest)
    return { ...base, after, offset: 0, limit, knownTotal: position.total };
  return { ...base, after, offset: 0, limit };
}
