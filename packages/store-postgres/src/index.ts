/**
 * @packageDocumentation
 * A durable `ScimStore` on PostgreSQL (node-postgres `pg`): resources as `jsonb`, SCIM filters,
 * sorting and paging (index and RFC 9865 cursor) pushed down to SQL by `@scimkit/sql`,
 * uniqueness enforced by a partial unique index (also between concurrent connections),
 * optimistic concurrency on `meta.version` under `SELECT … FOR UPDATE`, bulk requests in one
 * transaction with a savepoint per operation, Group members in their own table, versioned
 * migrations, tenants and custom resource types.
 *
 * @example
 * ```ts
 * import { createScimServer } from '@scimkit/server';
 * import { createPostgresStore } from '@scimkit/store-postgres';
 *
 * const store = createPostgresStore({ connection: process.env.DATABASE_URL! });
 * await store.ready();
 * const scim = createScimServer({ store, auth: { tokens: [process.env.SCIM_TOKEN!] }, bulk: { atomic: true } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 */
export type { PostgresStore, PostgresStoreOptions } from './store.js';
export { createPostgresStore } from './store.js';
