/**
 * @packageDocumentation
 * Translate SCIM filters, `sortBy` and paging into parameterised SQL, with dialects for SQLite
 * (used by `@scimkit/store-sqlite`) and PostgreSQL. Values and attribute names never reach
 * SQL text: values are bound parameters, attribute names are resolved against the schema and
 * become bound JSON paths. What cannot be pushed down exactly is handed back as a `residual`
 * filter for in-memory evaluation, so a store never answers wrongly.
 *
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 * import { userResourceType } from '@scimkit/schema';
 * import { sqliteDialect, translateFilter } from '@scimkit/sql';
 * import Database from 'better-sqlite3';
 *
 * const db = new Database('scim.db');
 * const { sql, params } = translateFilter(parseFilter('emails[type eq "work" and value co "@example.com"]'), {
 *   dialect: sqliteDialect(),
 *   resourceType: userResourceType,
 *   document: 'data',
 * });
 * db.prepare(`SELECT data FROM users WHERE ${sql}`).all(...params);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export { dateTimeKey } from './date-time.js';
export type {
  ColumnRef,
  JsonRef,
  PostgresDialectOptions,
  SqlDialect,
  SqliteDialectOptions,
  ValueRef,
} from './dialect.js';
export { escapeLike, postgresDialect, sqliteDialect } from './dialect.js';
export type { RenderedSql, SqlFragment } from './fragment.js';
export { identifier, isSqlFragment, joinSql, renderSql, sql } from './fragment.js';
export type { CursorPosition, SqlPageRequest, SqlQuery, TranslatedQuery } from './paging.js';
export { decodeCursor, encodeCursor, keysetAfter, translateQuery } from './paging.js';
export type { TranslatedSort } from './sort.js';
export { translateSort } from './sort.js';
export type { TranslatedFilter } from './translate.js';
export { translateFilter } from './translate.js';
export type { ChildTable, ChildValueLookup, EqualityLookup, TranslateOptions } from './translation.js';
export { canonicalAttributePath } from './translation.js';
