import type { ScimResource } from '@scimkit/schema';
import type {
  ScimStore,
  StoreCreateOptions,
  StoreGetOptions,
  StoreGroupRef,
  StoreGroupsOptions,
  StoreMemberSlice,
  StoreMemberSliceOptions,
  StoreMemberSliceReplaceOptions,
  StoreResourceType,
} from '@scimkit/server';
import { postgresDialect, renderSql, sql } from '@scimkit/sql';
import {
  groupRef,
  groupsByMember,
  projectionShowsChild,
  queryTimeoutOf,
  tenantOf,
} from '@scimkit/sql/internal';
import { Pool, type PoolConfig } from 'pg';
import { PostgresAccess } from './connection.js';
import type { PostgresContext } from './context.js';
import { hasUnstorable, UNSTORABLE, unstorable } from './documents.js';
import { groupsFromColumn, groupsOfRow } from './groups.js';
import { importResources } from './import.js';
import { checkRecorded, LayoutCache, withRecordedLayout } from './layouts.js';
import { readMemberSlice } from './member-slice.js';
import { prepareSchema } from './migrations.js';
import { answerQuery } from './query.js';
import {
  deleteResource,
  getRow,
  hydrate,
  insertResource,
  type ResourceRow,
  replaceResource,
} from './rows.js';
import { named } from './statements.js';

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /**
   * A `pg` Pool to use. The store borrows it: `close()` leaves it open (end it yourself).
   * Give either `pool` or `connection`.
   */
  pool?: Pool;
  /**
   * A connection string (`postgres://user:password@host:5432/db`) or a `pg` PoolConfig: the
   * store creates its own Pool and ends it on `close()`. Give either `pool` or `connection`.
   * @example 'postgres://scim:secret@localhost:5432/scim'
   */
  connection?: string | PoolConfig;
  /**
   * The PostgreSQL schema holding the store's tables, created if missing. Several stores (or
   * test runs) can share a database with a schema each. A plain identifier:
   * `[A-Za-z_][A-Za-z0-9_]*`, folded to lower case as PostgreSQL does, and not a word PostgreSQL
   * reserves (`user`, `order`: `ready()` fails with a message naming it).
   * @defaultValue 'scim'
   */
  schema?: string;
  /**
   * Extra attributes to index for `eq` lookups, per resource type name, as attribute paths
   * (`{ User: ['name.familyName'] }`). Always indexed when the type has them: attributes with
   * `uniqueness` server/global, `userName`, `externalId`, `emails.value`, `displayName`.
   * The database records the indexed set: a process that configures another set rebuilds the
   * index when it first uses the type, and the processes already running (the old release,
   * in a rolling deploy) then follow the recorded set, so index rows stay complete.
   */
  indexedAttributes?: Readonly<Record<string, readonly string[]>>;
  /**
   * Case-insensitive comparisons lower-case with the ICU root collation (`und-x-icu`), which
   * folds as JavaScript does. By default the store checks at start-up that the server has it;
   * without ICU, case-insensitive comparisons of non-ASCII text are evaluated in memory.
   * `true` requires ICU (queries fail without it); `false` never uses it.
   * @defaultValue 'auto'
   */
  icu?: 'auto' | boolean;
  /**
   * Longest time, in milliseconds, that one query (a list or `.search` request) may take: each
   * of its SQL statements (PostgreSQL's `statement_timeout`, set for the query only) and the
   * in-memory evaluation of a filter part SQL cannot answer. A query that runs longer is a 400
   * `tooMany`: a hostile filter of a few kilobytes (hundreds of value paths) otherwise keeps
   * PostgreSQL busy for seconds per thousand resources. `0` sets no bound. A lookup of one
   * unique value (`userName eq "…"`) or of one member (`members[value eq "…"]`) is one statement
   * outside any transaction, run without `statement_timeout` (it reads the few rows of that
   * value only).
   * @defaultValue 10000
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
   */
  queryTimeout?: number;
  /**
   * Runs the store's statements as named (prepared) statements, so PostgreSQL plans each once
   * per connection instead of at every call (planning a lookup by key costs about as much as
   * running it). Set `false` behind a pooler that cannot keep prepared statements across
   * transactions (PgBouncer in transaction mode before 1.21).
   * @defaultValue true
   */
  preparedStatements?: boolean;
  /**
   * Called with every query statement the store builds from a SCIM query (SQL text and
   * parameters), for logging or `EXPLAIN`.
   */
  onQuery?: (statement: { sql: string; params: unknown[] }) => void;
}

/** A `ScimStore` of `@scimkit/server` on PostgreSQL, with `transaction`, `groupsOfMany` and `close` always present. */
export interface PostgresStore extends ScimStore {
  /**
   * Runs `work` in one PostgreSQL transaction on one pooled connection (BEGIN … COMMIT,
   * ROLLBACK if it throws). Every store call made from inside `work` runs on that connection;
   * each write is a savepoint, so one failed operation (a 409) does not undo the others. A
   * `transaction()` inside `work` is a savepoint too; nested ones started side by side run one
   * after the other. When PostgreSQL aborts one of its statements for a deadlock or a
   * serialization failure, the transaction is rolled back and `work` runs again from the start
   * (up to 4 attempts), so `work` must have no effect outside the store before it resolves.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** The groups of every one of `memberIds` in one SQL statement (a page of Users' `groups`). */
  groupsOfMany(
    memberIds: readonly string[],
    options: StoreGroupsOptions,
  ): Promise<Map<string, StoreGroupRef[]>>;
  /**
   * A resource and its `User.groups` in one statement (one round trip, one snapshot): what
   * `get` and then `groupsOf` answer (see `ScimStore.getWithGroups`).
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.1
   */
  getWithGroups(
    type: StoreResourceType,
    id: string,
    options: StoreGetOptions,
  ): Promise<{ resource: ScimResource; groups: StoreGroupRef[] } | undefined>;
  /** The group with only the members a PATCH names: index searches (see `ScimStore.getMemberSlice`). */
  getMemberSlice(
    type: StoreResourceType,
    id: string,
    options: StoreMemberSliceOptions,
  ): Promise<StoreMemberSlice | undefined>;
  /** Writes a member slice's PATCH: the group's row and the member rows its deltas name. */
  replaceMemberSlice(
    type: StoreResourceType,
    resource: ScimResource,
    options: StoreMemberSliceReplaceOptions,
  ): Promise<ScimResource>;
  /**
   * Stores many new resources of one type at once (importing an existing directory): the same
   * rows, index rows and member rows as `create` of each in turn, written with one statement
   * per table, all or none. Each resource is complete as `create` receives it from the server
   * (`id` and `meta` with `resourceType`, `created`, `lastModified`, `version`); like `create`,
   * it is stored as given, not validated against the schema. When one cannot be stored (its id
   * or a unique value taken, also by another resource of the list), nothing is, and the error
   * is the one `create` gives for the first such resource (409 `uniqueness`). Inside
   * `transaction`, it is one of its writes. Batches of a few thousand resources suit it.
   */
  importResources(
    type: StoreResourceType,
    resources: readonly ScimResource[],
    options: StoreCreateOptions,
  ): Promise<void>;
  /**
   * Resolves once the schema is migrated and the server's capabilities checked (every other
   * call waits for it anyway): call it at start-up to fail fast on a wrong connection.
   */
  ready(): Promise<void>;
  /** Waits for calls in progress, then ends the Pool if the store created it. */
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Creates a `ScimStore` of `@scimkit/server` on PostgreSQL (node-postgres `pg`): resources as
 * `jsonb`, SCIM filters, `sortBy` and paging (index and RFC 9865 cursor) translated to SQL by
 * `@scimkit/sql` (what cannot be pushed down is evaluated in memory over the pushed-down
 * candidates, so answers never differ), uniqueness enforced by a partial unique index on
 * normalised values (409 `uniqueness`, case-insensitive unless `caseExact`, also between
 * concurrent connections), optimistic concurrency on `meta.version` checked under `SELECT … FOR
 * UPDATE` (412), `transaction()` for atomic bulk requests (server option `bulk: { atomic: true }`),
 * versioned migrations, tenants and any resource type.
 *
 * Group members live in their own table, one row per member: a PATCH that adds or removes one
 * member of a 100k-member group reads and writes a few rows (`getMemberSlice` and
 * `replaceMemberSlice`, found by an index on the lower-cased member value).
 *
 * @example
 * ```ts
 * import { createScimServer } from '@scimkit/server';
 * import { createPostgresStore } from '@scimkit/store-postgres';
 *
 * const store = createPostgresStore({ connection: process.env.DATABASE_URL! });
 * await store.ready(); // migrates; fails fast on a wrong connection
 * const server = createScimServer({ store, auth: { tokens: [process.env.SCIM_TOKEN!] }, bulk: { atomic: true } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  if ((options.pool === undefined) === (options.connection === undefined)) {
    throw new TypeError('createPostgresStore needs exactly one of `pool` and `connection`.');
  }
  const schema = (options.schema ?? 'scim').toLowerCase();
  if (!SCHEMA_NAME.test(schema)) {
    throw new TypeError(
      `schema must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*), not ${JSON.stringify(schema)}.`,
    );
  }
  const queryTimeout = queryTimeoutOf(options.queryTimeout, 10_000);
  const ownsPool = options.pool === undefined;
  const pool =
    options.pool ??
    new Pool(
      typeof options.connection === 'string' ? { connectionString: options.connection } : options.connection,
    );
  if (ownsPool) {
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
  }
  const context: PostgresContext = {
    pool,
    schema,
    tables: {
      resources: `${schema}.resources`,
      values: `${schema}.attribute_values`,
      members: `${schema}.members`,
      indexConfig: `${schema}.index_config`,
    },
    indexedAttributes: options.indexedAttributes,
    queryTimeout,
    statementNames: options.preparedStatements === false ? undefined : new Map(),
    onQuery: options.onQuery,
    dialect: postgresDialect(),
    layout: (type, pinned) => layouts.layout(type, pinned),
    follow: (type, recorded, pinned) => layouts.follow(type, recorded, pinned),
  };
  const layouts = new LayoutCache(context);
  const access = new PostgresAccess(context, {
    ownsPool,
    // Migrates and checks the server: started by the first call (or ready()), retried after a failure.
    prepare: async () => {
      context.dialect = await prepareSchema(pool, schema, options.icu ?? 'auto');
    },
  });

  return {
    create(type, resource, { context: call }) {
      const tenant = tenantOf(call);
      if (hasUnstorable(resource)) return Promise.reject(unstorable(type, resource.id));
      return withRecordedLayout(context, type, access.currentTransaction(), () =>
        access.write(type, async (run, layout) => {
          await checkRecorded(context, run, layout, true);
          return insertResource(context, run, layout, tenant, resource);
        }),
      );
    },

    get(type, id, { context: call, projection }) {
      const tenant = tenantOf(call);
      // Never stored, so never found (and never bound: PostgreSQL would refuse the text).
      if (UNSTORABLE.test(id)) return access.tracked(async () => undefined);
      return access.readType(type, async (run, layout) => {
        const row = await getRow(context, run, tenant, type.name, id, false);
        if (!row) return undefined;
        // Without a projection the caller is about to write: it needs every member.
        const withChild = projection === undefined || projectionShowsChild(layout, projection);
        const [resource] = await hydrate(context, run, layout, tenant, [row], withChild);
        return resource;
      });
    },

    getWithGroups(type, id, { context: call, projection }) {
      const tenant = tenantOf(call);
      if (UNSTORABLE.test(id)) return access.tracked(async () => undefined);
      return access.readType(type, async (run, layout) => {
        // The row and its groups in one statement: one round trip, one snapshot.
        const groups = renderSql(
          groupsOfRow(context, sql`r.tenant`, sql`r.id`),
          context.dialect.placeholder,
        ).sql;
        const { rows } = await run<ResourceRow & { groups: unknown }>(
          named(
            context,
            `SELECT r.seq, r.id, r.data, r.version, (${groups}) AS groups
               FROM ${context.tables.resources} AS r WHERE r.tenant = $1 AND r.type = $2 AND r.id = $3`,
          ),
          [tenant, type.name, id],
        );
        const row = rows[0];
        if (!row) return undefined;
        const withChild = projection === undefined || projectionShowsChild(layout, projection);
        const [resource] = await hydrate(context, run, layout, tenant, [row], withChild);
        return resource && { resource, groups: groupsFromColumn(row.groups) };
      });
    },

    replace(type, resource, { context: call, expectedVersion, deltas }) {
      const tenant = tenantOf(call);
      if (hasUnstorable(resource)) return Promise.reject(unstorable(type, resource.id));
      return withRecordedLayout(context, type, access.currentTransaction(), () =>
        access.write(type, (run, layout) =>
          replaceResource(context, run, layout, tenant, resource, { expectedVersion, deltas }),
        ),
      );
    },

    getMemberSlice(type, id, { context: call, values }) {
      const tenant = tenantOf(call);
      if (UNSTORABLE.test(id)) return access.tracked(async () => undefined);
      return access.readType(type, (run, layout) =>
        readMemberSlice(context, run, layout, tenant, id, values),
      );
    },

    replaceMemberSlice(type, resource, options) {
      // `replace` with deltas already writes only the member rows they name.
      return this.replace(type, resource, options);
    },

    delete(type, id, { context: call, expectedVersion }) {
      const tenant = tenantOf(call);
      if (UNSTORABLE.test(id)) return access.tracked(async () => false);
      return access.write(type, (run) => deleteResource(context, run, type, tenant, id, expectedVersion));
    },

    query(type, query, { context: call, withGroups }) {
      const tenant = tenantOf(call);
      return withRecordedLayout(context, type, access.currentTransaction(), () =>
        answerQuery(context, access, type, query, tenant, withGroups === true),
      );
    },

    groupsOf(memberId, { context: call }) {
      const tenant = tenantOf(call);
      if (UNSTORABLE.test(memberId)) return access.tracked(async () => []);
      return access.read(async (run) => {
        const { rows } = await run<{ id: string; display_name: unknown }>(
          named(
            context,
            `SELECT r.id AS id, r.data -> 'displayName' AS display_name
             FROM ${context.tables.resources} AS r
            WHERE r.seq IN (SELECT g.seq FROM ${context.tables.members} AS m JOIN ${context.tables.resources} AS g
                              ON g.tenant = m.tenant AND g.type = m.group_type AND g.id = m.group_id
                             WHERE m.tenant = $1 AND m.value = $2)
            ORDER BY r.seq`,
          ),
          [tenant, memberId],
        );
        return rows.map((row) => groupRef(row.id, row.display_name));
      });
    },

    importResources(type, resources, { context: call }) {
      const tenant = tenantOf(call);
      return withRecordedLayout(context, type, access.currentTransaction(), () =>
        access.write(type, async (run, layout) => {
          await checkRecorded(context, run, layout, true);
          await importResources(context, run, layout, tenant, resources);
        }),
      );
    },

    groupsOfMany(memberIds, { context: call }) {
      const tenant = tenantOf(call);
      return access.read(async (run) => {
        const ids = [...new Set(memberIds)];
        const wanted = ids.filter((memberId) => !UNSTORABLE.test(memberId));
        if (wanted.length === 0) return groupsByMember(ids);
        // Each group row looked up by key (a LATERAL that cannot be flattened): joined as
        // a whole, the planner merged with an ordered scan of every Group row of the tenant.
        const { rows } = await run<{ member: string; id: string; displayName: unknown }>(
          named(
            context,
            `SELECT m.member AS member, r.seq AS seq, r.id AS id, r.data -> 'displayName' AS "displayName"
             FROM (SELECT DISTINCT value AS member, group_type, group_id FROM ${context.tables.members}
                    WHERE tenant = $1 AND value = ANY($2::text[])) AS m
            CROSS JOIN LATERAL (SELECT g.seq, g.id, g.data FROM ${context.tables.resources} AS g
                                 WHERE g.tenant = $1 AND g.type = m.group_type AND g.id = m.group_id OFFSET 0) AS r
            ORDER BY r.seq`,
          ),
          [tenant, wanted],
        );
        return groupsByMember(ids, rows);
      });
    },

    transaction: (work) => access.transaction(work),

    ready() {
      return access.tracked(async () => undefined);
    },

    close: () => access.close(),
  };
}
