import type { ScimResource } from '@scimkit/schema';
import type {
  ScimStore,
  StoreCreateOptions,
  StoreGroupRef,
  StoreGroupsOptions,
  StoreMemberSlice,
  StoreMemberSliceOptions,
  StoreMemberSliceReplaceOptions,
  StoreResourceType,
} from '@scimkit/server';
import {
  groupRef,
  groupsByMember,
  projectionShowsChild,
  queryTimeoutOf,
  tenantOf,
} from '@scimkit/sql/internal';
import { openDatabase, QueryClock, SqliteAccess } from './connection.js';
import type { SqliteContext } from './context.js';
import { LayoutCache } from './layouts.js';
import { MemberSliceStatements, readMemberSlice } from './member-slice.js';
import { runQuery } from './query.js';
import { deleteResource, hydrate, insertResource, replaceResource } from './rows.js';
import { prepareStatements, QueryStatements } from './statements.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * The database file (created if missing), or `:memory:` for a throwaway database.
   * @example 'scim.db'
   */
  filename: string;
  /**
   * Extra attributes to index for `eq` lookups, per resource type name, as attribute paths
   * (`{ User: ['name.familyName'] }`). Always indexed when the type has them: attributes with
   * `uniqueness` server/global, `userName`, `externalId`, `emails.value`, `displayName`.
   */
  indexedAttributes?: Readonly<Record<string, readonly string[]>>;
  /**
   * How long a write waits for another process's lock before failing, in milliseconds.
   * @defaultValue 5000
   */
  busyTimeout?: number;
  /**
   * Called with every query statement the store builds from a SCIM query (SQL text and
   * parameters), for logging or `EXPLAIN QUERY PLAN`. The statements call the store's SQL
   * functions (`scim_guard()`, which returns 1, `scim_lower`, `scim_datetime`): register them
   * on another connection that runs them.
   */
  onQuery?: (statement: { sql: string; params: unknown[] }) => void;
  /**
   * Longest time, in milliseconds, that one query (a list or `.search` request) may take, SQL
   * and the in-memory part of the filter together; a query that runs longer is a 400
   * `tooMany`. SQLite runs on Node's main thread, so without a bound a hostile filter of a few
   * kilobytes (a hundred value paths over `emails`, or over the `members` of a few large
   * groups) would stall every other request for seconds. The check runs for every row a query
   * reads, inside the subqueries over multi-valued attributes too, so this is also the longest
   * time one query keeps other requests waiting. Unindexed scans take about 5 ms per thousand users: raise it
   * for very large tables, or index what clients filter on (`indexedAttributes`). `0` sets no
   * bound.
   * @defaultValue 2000
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
   */
  queryTimeout?: number;
}

/** A `ScimStore` of `@scimkit/server` on SQLite, with `transaction` and `close` always present. */
export interface SqliteStore extends ScimStore {
  /** Runs `work` in one SQLite transaction (BEGIN IMMEDIATE … COMMIT, ROLLBACK if it throws). */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Closes the database (after any transaction in progress). */
  close(): Promise<void>;
  /** The groups of every one of `memberIds` in one SQL statement (a page of Users' `groups`). */
  groupsOfMany(
    memberIds: readonly string[],
    options: StoreGroupsOptions,
  ): Promise<Map<string, StoreGroupRef[]>>;
  /**
   * Stores many new resources of one type at once (importing an existing directory): exactly
   * the rows `create` of each in turn writes (the same code), in one SQLite transaction instead
   * of one per resource, all or none. Each resource is complete as `create` receives it from the
   * server (`id` and `meta` with `resourceType`, `created`, `lastModified`, `version`); like
   * `create`, it is stored as given, not validated against the schema. When one cannot be stored
   * (its id or a unique value taken, also by another resource of the list), nothing is, and the
   * error is the one `create` gives for it (409 `uniqueness`). Inside `transaction`, it is one of
   * its writes.
   */
  importResources(
    type: StoreResourceType,
    resources: readonly ScimResource[],
    options: StoreCreateOptions,
  ): Promise<void>;
  /** The group with only the members a PATCH names: two index searches (see `ScimStore.getMemberSlice`). */
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
}

/**
 * Creates a durable `ScimStore` of `@scimkit/server` on a SQLite file (better-sqlite3): WAL journal, every
 * write in a transaction, `transaction()` for atomic bulk requests (server option `bulk: { atomic: true }`), optimistic
 * concurrency on `meta.version` (412), uniqueness enforced by unique indexes on normalised
 * values (409 `uniqueness`, case-insensitive unless `caseExact`), versioned migrations, any
 * resource type. Filters, sorting and paging are translated to SQL by `@scimkit/sql`; what
 * cannot be pushed down is evaluated in memory over the pushed-down candidates.
 *
 * Group members live in their own table, one row per member: a PATCH that adds or removes one
 * member of a 100k-member group reads and writes a few rows (`getMemberSlice` and
 * `replaceMemberSlice`, found by an index on the lower-cased member value).
 *
 * @example
 * ```ts
 * import { createScimServer } from '@scimkit/server';
 * import { createSqliteStore } from '@scimkit/store-sqlite';
 *
 * const store = createSqliteStore({ filename: 'scim.db' });
 * const server = createScimServer({ store, auth: { tokens: [process.env.SCIM_TOKEN!] } });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const clock = new QueryClock(queryTimeoutOf(options.queryTimeout, 2000));
  const db = openDatabase(options.filename, { busyTimeout: options.busyTimeout ?? 5000, clock });
  const statements = prepareStatements(db);
  const layouts = new LayoutCache({ db, statements }, options.indexedAttributes);
  const access = new SqliteAccess(db);
  const sliceStatements = new MemberSliceStatements(db);
  const context: SqliteContext = {
    db,
    statements,
    queries: new QueryStatements(db, options.onQuery),
    clock,
    layout: (type) => layouts.layout(type),
  };

  return {
    create(type, resource, { context: call }) {
      const tenant = tenantOf(call);
      return access.write(() => insertResource(context, type, tenant, resource));
    },

    get(type, id, { context: call, projection }) {
      const tenant = tenantOf(call);
      return access.guarded(() => {
        const row = statements.get.get(tenant, type.name, id);
        if (!row) return undefined;
        const layout = context.layout(type);
        // Without a projection the caller is about to write: it needs every member.
        return hydrate(
          context,
          layout,
          tenant,
          row,
          projection === undefined || projectionShowsChild(layout, projection),
        );
      });
    },

    replace(type, resource, { context: call, expectedVersion, deltas }) {
      const tenant = tenantOf(call);
      return access.write(() =>
        replaceResource(context, type, tenant, resource, { expectedVersion, deltas }),
      );
    },

    getMemberSlice(type, id, { context: call, values }) {
      const tenant = tenantOf(call);
      return access.guarded(() => readMemberSlice(context, sliceStatements, type, tenant, id, values));
    },

    replaceMemberSlice(type, resource, options) {
      // `replace` with deltas already writes only the member rows they name.
      return this.replace(type, resource, options);
    },

    delete(type, id, { context: call, expectedVersion }) {
      const tenant = tenantOf(call);
      return access.write(() => deleteResource(context, type, tenant, id, expectedVersion));
    },

    query(type, query, { context: call, withTexts }) {
      const tenant = tenantOf(call);
      return access.guarded(() =>
        clock.time(() => runQuery(context, type, query, tenant, withTexts === true)),
      );
    },

    groupsOf(memberId, { context: call }) {
      const tenant = tenantOf(call);
      return access.guarded(() =>
        statements.groupsOf.all(tenant, memberId).map((row) => groupRef(row.id, row.displayName)),
      );
    },

    importResources(type, resources, { context: call }) {
      const tenant = tenantOf(call);
      return access.write(() => {
        for (const resource of resources) insertResource(context, type, tenant, resource);
      });
    },

    groupsOfMany(memberIds, { context: call }) {
      const tenant = tenantOf(call);
      return access.guarded(() => {
        const wanted = [...new Set(memberIds)];
        const groups = groupsByMember(wanted);
        if (wanted.length === 0) return groups;
        // One statement for the whole page: the ids as one JSON array parameter (no limit on
        // bound variables, one prepared statement for any page size). Its rows come in group
        // order, so each member's list does too.
        const rows = statements.groupsOfMany.all(JSON.stringify(wanted), tenant);
        for (const [id, displayName, members] of rows) {
          for (const member of JSON.parse(members) as string[])
            groups.get(member)?.push(groupRef(id, displayName));
        }
        return groups;
      });
    },

    transaction: (work) => access.transaction(work),

    close: () => access.close(),
  };
}
