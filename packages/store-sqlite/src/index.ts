/**
 * @packageDocumentation
 * The embedded default store of scimkit: a durable `ScimStore` on SQLite
 * (better-sqlite3) with SCIM filters, sorting and paging pushed down to SQL by `@scimkit/sql`,
 * uniqueness enforced by unique indexes, optimistic concurrency on `meta.version`, bulk
 * requests in one transaction, and Group members in their own table.
 *
 * @example
 * ```ts
 * import { createScimServer } from '@scimkit/server';
 * import { createSqliteStore } from '@scimkit/store-sqlite';
 *
 * const store = createSqliteStore({ filename: 'scim.db' });
 * const scim = createScimServer({ store, auth: { tokens: [process.env.SCIM_TOKEN!] } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 */
export type { SqliteStore, SqliteStoreOptions } from './store.js';
export { createSqliteStore } from './store.js';
