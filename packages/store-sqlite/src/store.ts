import { AsyncLocalStorage } from 'node:async_hooks';
import { compileFilter } from '@scimkit/filter';
import type { AttributeDelta } from '@scimkit/patch';
import { ScimError, type ScimResource } from '@scimkit/schema';
import { nextVersion } from '@scimkit/schema/internal';
import type {
  ScimStore,
  StoreContext,
  StoreGroupRef,
  StoreGroupsOptions,
  StoreQuery,
  StoreQueryResult,
  StoreResourceType,
} from '@scimkit/server';
import {
  type ChildTable,
  dateTimeKey,
  encodeCursor,
  filterReadsChild,
  identifier,
  indexedValues,
  memberColumns,
  membersChangedInPlace,
  projectionShowsChild,
  queryTimedOut,
  renderSql,
  resourceNotFound,
  type SqlFragment,
  type StorageLayout,
  sql,
  sqliteDialect,
  storageLayout,
  translateQuery,
  versionMismatch,
} from '@scimkit/sql';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';
import { Mutex } from './mutex.js';

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
   * @default 5000
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
   * kilobytes (a hundred value paths over `emails`) would stall every other request for
   * seconds per thousand users. Unindexed scans take about 5 ms per thousand users: raise it
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
}

interface ResourceRow {
  seq: number;
  id: string;
  data: string;
  version: string;
  sort_key?: string | number | null;
}

/** A `members` row as `[value, type, display, ref]` (raw rows: no intermediate objects). */
type MemberRow = [value: string, type: string | null, display: string | null, ref: string | null];

const DIALECT = sqliteDialect({ lowerFunction: 'scim_lower', dateTimeFunction: 'scim_datetime' });

function tenantOf(context: StoreContext | undefined): string {
  return context?.tenant ?? '';
}

function short(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
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
 * member of a 100k-member group writes one row (the server passes `deltas`).
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
  const db = new Database(options.filename, { timeout: options.busyTimeout ?? 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Unicode lower-casing and nanosecond dateTime keys, exactly as the in-memory evaluator
  // (compileFilter of @scimkit/filter) compares, so SQL and memory agree.
  db.function('scim_lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
  db.function('scim_datetime', { deterministic: true }, (value: unknown) => dateTimeKey(value));
  const queryTimeout = options.queryTimeout ?? 2000;
  if (!Number.isSafeInteger(queryTimeout) || queryTimeout < 0) {
    throw new TypeError(
      `queryTimeout must be a whole number of milliseconds (0: none), not ${queryTimeout}.`,
    );
  }
  /** When the running query must stop (Infinity between queries). */
  let deadline = Number.POSITIVE_INFINITY;
  let ticks = 0;
  /** Throws once the running query is past its deadline; the clock is read every 16 calls. */
  const checkDeadline = () => {
    if ((++ticks & 15) === 0 && performance.now() > deadline) throw queryTimedOut(queryTimeout);
  };
  // Called for every row a query's WHERE clause looks at (not deterministic, so never folded):
  // SQLite has no statement timeout that better-sqlite3 exposes, but an error thrown here ends
  // the statement.
  db.function('scim_guard', { deterministic: false }, () => {
    checkDeadline();
    return 1;
  });
  migrate(db);

  const mutex = new Mutex();
  const transactionScope = new AsyncLocalStorage<symbol>();
  let openTransaction: symbol | undefined;
  let savepoints = 0;
  let closed = false;

  /** Serialises store access; calls from inside the open transaction's work run directly. */
  function guarded<T>(work: () => T | Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error('The SQLite store is closed.'));
    if (openTransaction !== undefined && transactionScope.getStore() === openTransaction) {
      return Promise.resolve().then(work);
    }
    return mutex.run(work);
  }

  /** A write: guarded, and atomic (a savepoint when inside `transaction`). */
  function write<T>(work: () => T): Promise<T> {
    return guarded(() => db.transaction(work).immediate());
  }

  const statements = {
    get: db.prepare<[string, string, string], ResourceRow>(
      'SELECT seq, id, data, version FROM resources WHERE tenant = ? AND type = ? AND id = ?',
    ),
    insert: db.prepare(
      'INSERT INTO resources (tenant, type, id, version, data, created, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    update: db.prepare(
      'UPDATE resources SET version = ?, data = ?, last_modified = ? WHERE tenant = ? AND type = ? AND id = ?',
    ),
    deleteResource: db.prepare('DELETE FROM resources WHERE tenant = ? AND type = ? AND id = ?'),
    deleteValues: db.prepare('DELETE FROM attribute_values WHERE tenant = ? AND type = ? AND id = ?'),
    insertValue: db.prepare(
      'INSERT INTO attribute_values (tenant, type, id, seq, path, value, unique_scope) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    findUnique: db.prepare<[string, string, string, string, string, string], { id: string }>(
      'SELECT id FROM attribute_values WHERE tenant = ? AND unique_scope = ? AND path = ? AND value = ? AND NOT (type = ? AND id = ?) LIMIT 1',
    ),
    members: db
      .prepare<[string, string, string, string], MemberRow>(
        'SELECT value, type, display, ref FROM members WHERE tenant = ? AND group_type = ? AND group_id = ? AND attribute = ? ORDER BY seq',
      )
      .raw(),
    insertMember: db.prepare(
      'INSERT OR IGNORE INTO members (tenant, group_type, group_id, attribute, value, type, display, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    updateMember: db.prepare(
      'UPDATE members SET type = ?, display = ?, ref = ? WHERE tenant = ? AND group_type = ? AND group_id = ? AND attribute = ? AND value = ?',
    ),
    deleteMember: db.prepare(
      'DELETE FROM members WHERE tenant = ? AND group_type = ? AND group_id = ? AND attribute = ? AND value = ?',
    ),
    memberValues: db
      .prepare<[string, string, string, string], string>(
        'SELECT value FROM members WHERE tenant = ? AND group_type = ? AND group_id = ? AND attribute = ? ORDER BY seq',
      )
      .pluck(),
    deleteMembersOf: db.prepare('DELETE FROM members WHERE tenant = ? AND group_type = ? AND group_id = ?'),
    deleteMemberships: db.prepare(
      'DELETE FROM members INDEXED BY members_by_member WHERE tenant = ? AND value = ?',
    ),
    groupsHolding: db.prepare<[string, string], { group_type: string; group_id: string; attribute: string }>(
      'SELECT DISTINCT group_type, group_id, attribute FROM members INDEXED BY members_by_member WHERE tenant = ? AND value = ?',
    ),
    hasMembers: db.prepare<[string, string, string, string], { found: number }>(
      'SELECT 1 AS found FROM members WHERE tenant = ? AND group_type = ? AND group_id = ? AND attribute = ? LIMIT 1',
    ),
    groupsOf: db.prepare<[string, string], { id: string; displayName: unknown }>(
      `SELECT DISTINCT r.id AS id, json_extract(r.data, '$.displayName') AS displayName
         FROM members AS m INDEXED BY members_by_member JOIN resources AS r
           ON r.tenant = m.tenant AND r.type = m.group_type AND r.id = m.group_id
        WHERE m.tenant = ? AND m.value = ? ORDER BY r.seq`,
    ),
    groupsOfMany: db.prepare<[string, string], { member: string; id: string; displayName: unknown }>(
      `SELECT DISTINCT m.value AS member, r.id AS id, json_extract(r.data, '$.displayName') AS displayName, r.seq AS seq
         FROM json_each(?) AS wanted
         JOIN members AS m INDEXED BY members_by_member ON m.tenant = ? AND m.value = wanted.value
         JOIN resources AS r ON r.tenant = m.tenant AND r.type = m.group_type AND r.id = m.group_id
        ORDER BY r.seq`,
    ),
    indexConfig: db.prepare<[string], { config: string }>('SELECT config FROM index_config WHERE type = ?'),
    saveIndexConfig: db.prepare('INSERT OR REPLACE INTO index_config (type, config) VALUES (?, ?)'),
    resourcesOfType: db.prepare<[string, number], { seq: number; tenant: string; data: string }>(
      'SELECT seq, tenant, data FROM resources WHERE type = ? AND seq > ? ORDER BY seq LIMIT 500',
    ),
    deleteValuesOfType: db.prepare('DELETE FROM attribute_values WHERE type = ?'),
  };

  const layouts = new Map<string, StorageLayout>();

  /** The layout of a type; (re)builds its attribute index when the indexed set changed. */
  function layout(type: StoreResourceType): StorageLayout {
    const cached = layouts.get(type.name);
    if (cached && cached.resourceType === type) return cached;
    const extra = options.indexedAttributes?.[type.name];
    const fresh = storageLayout(type, extra ? { indexedAttributes: extra } : {});
    const stored = statements.indexConfig.get(type.name)?.config;
    if (stored !== fresh.signature) {
      db.transaction(() => {
        statements.deleteValuesOfType.run(type.name);
        // In batches: no write while a read statement is open.
        let after = 0;
        for (;;) {
          const rows = statements.resourcesOfType.all(type.name, after);
          for (const row of rows)
            writeValues(fresh, row.tenant, JSON.parse(row.data) as ScimResource, row.seq);
          const last = rows[rows.length - 1];
          if (!last) break;
          after = last.seq;
        }
        statements.saveIndexConfig.run(type.name, fresh.signature);
      }).immediate();
    }
    layouts.set(type.name, fresh);
    return fresh;
  }

  function writeValues(typeLayout: StorageLayout, tenant: string, resource: ScimResource, seq: number): void {
    const typeName = typeLayout.resourceType.name;
    for (const entry of typeLayout.indexed.values()) {
      const scope = entry.uniqueScope ?? null;
      for (const value of indexedValues(resource, entry)) {
        if (scope !== null) {
          const clash = statements.findUnique.get(tenant, scope, entry.path, value, typeName, resource.id);
          if (clash) {
            throw new ScimError(`${entry.path} "${short(value)}" is already in use by another resource.`, {
              status: 409,
              scimType: 'uniqueness',
            });
          }
        }
        statements.insertValue.run(tenant, typeName, resource.id, seq, entry.path, value, scope);
      }
    }
  }

  /** The JSON document stored: the resource with the child attribute emptied (its rows hold it). */
  function documentOf(typeLayout: StorageLayout, resource: ScimResource): string {
    const child = typeLayout.childAttribute;
    if (child === undefined || !Object.hasOwn(resource, child)) return JSON.stringify(resource);
    return JSON.stringify({ ...resource, [child]: [] });
  }

  function insertMember(typeLayout: StorageLayout, tenant: string, groupId: string, member: unknown): void {
    const columns = memberColumns(member);
    if (columns === undefined) return;
    statements.insertMember.run(
      tenant,
      typeLayout.resourceType.name,
      groupId,
      typeLayout.childAttribute,
      columns.value,
      columns.type,
      columns.display,
      columns.$ref,
    );
  }

  function writeAllMembers(typeLayout: StorageLayout, tenant: string, resource: ScimResource): void {
    const child = typeLayout.childAttribute;
    if (child === undefined) return;
    statements.deleteMembersOf.run(tenant, typeLayout.resourceType.name, resource.id);
    const list = Object.hasOwn(resource, child) ? resource[child] : undefined;
    if (Array.isArray(list)) for (const member of list) insertMember(typeLayout, tenant, resource.id, member);
  }

  /**
   * Writes a PATCH's member changes. A member both removed and added (a sub-attribute changed,
   * `members[value eq "x"].display`) is updated in its row, keeping its place, when the patched
   * list still has an unchanged member after it (the engine changed it where it stood); when
   * only new or changed members follow it, it was removed and appended, and its row goes last
   * too. A replace of the whole list (`delta.replaced`) may order members otherwise (new ones
   * before old ones, old ones swapped): its rows are then compared with the patched list (one
   * read of their values) and written anew when they disagree. Either way a later GET lists
   * members in the order the PATCH response did.
   */
  function applyMemberDelta(
    typeLayout: StorageLayout,
    tenant: string,
    groupId: string,
    delta: AttributeDelta,
    members: unknown,
  ): void {
    const attribute = typeLayout.childAttribute;
    if (attribute === undefined) return;
    const key = [tenant, typeLayout.resourceType.name, groupId, attribute] as const;
    const added = new Map<string, NonNullable<ReturnType<typeof memberColumns>>>();
    for (const member of delta.added) {
      const columns = memberColumns(member);
      if (columns !== undefined) added.set(columns.value, columns);
    }
    const inPlace = membersChangedInPlace(delta, members);
    for (const removed of delta.removed) {
      const columns = memberColumns(removed);
      if (columns !== undefined && !inPlace.has(columns.value))
        statements.deleteMember.run(...key, columns.value);
    }
    for (const [value, columns] of added) {
      if (inPlace.has(value))
        statements.updateMember.run(columns.type, columns.display, columns.$ref, ...key, value);
      else statements.insertMember.run(...key, value, columns.type, columns.display, columns.$ref);
    }
    if (delta.replaced && !rowsInOrder(statements.memberValues.all(...key), members)) {
      statements.deleteMembersOf.run(tenant, typeLayout.resourceType.name, groupId);
      if (Array.isArray(members)) {
        for (const member of members) {
          const columns = memberColumns(member);
          if (columns !== undefined)
            statements.insertMember.run(...key, columns.value, columns.type, columns.display, columns.$ref);
        }
      }
    }
  }

  /** Whether member rows (values by `seq`) list the members of `members` in its order. */
  function rowsInOrder(rows: readonly string[], members: unknown): boolean {
    const list = Array.isArray(members) ? members : [];
    const seen = new Set<string>();
    let at = 0;
    for (const member of list) {
      const value = memberColumns(member)?.value;
      // A repeated value has one row, the first's (INSERT OR IGNORE).
      if (value === undefined || seen.has(value)) continue;
      seen.add(value);
      if (rows[at] !== value) return false;
      at += 1;
    }
    return at === rows.length;
  }

  /**
   * A stored row as a resource: the document with its child attribute filled from its rows, or
   * (`withChild` false, when the response will not show it) without the child attribute at
   * all, the members table untouched: a 100k-member group then costs one row read.
   */
  function hydrate(
    typeLayout: StorageLayout,
    tenant: string,
    row: { id: string; data: string },
    withChild = true,
  ): ScimResource {
    const resource = JSON.parse(row.data) as ScimResource;
    const child = typeLayout.childAttribute;
    if (child !== undefined && Object.hasOwn(resource, child)) {
      if (!withChild) {
        delete resource[child];
        return resource;
      }
      const rows = statements.members.all(tenant, typeLayout.resourceType.name, row.id, child);
      const members: Record<string, string>[] = new Array(rows.length);
      for (let index = 0; index < rows.length; index += 1) {
        const [value, type, display, ref] = rows[index] as MemberRow;
        const member: Record<string, string> = { value };
        if (ref !== null) member['$ref'] = ref;
        if (display !== null) member['display'] = display;
        if (type !== null) member['type'] = type;
        members[index] = member;
      }
      resource[child] = members;
    }
    return resource;
  }

  function childTables(typeLayout: StorageLayout): ChildTable[] {
    if (typeLayout.childAttribute === undefined) return [];
    const attribute = typeLayout.childAttribute;
    return [
      {
        attribute,
        table: 'members',
        columns: { value: 'value', type: 'type', display: 'display', $ref: 'ref' },
        orderColumn: 'seq',
        correlate: (alias) =>
          sql`${identifier(`${alias}.tenant`)} = r.tenant AND ${identifier(`${alias}.group_type`)} = r.type AND ${identifier(`${alias}.group_id`)} = r.id AND ${identifier(`${alias}.attribute`)} = ${attribute}`,
      },
    ];
  }

  function render(fragment: SqlFragment) {
    const rendered = renderSql(fragment, DIALECT.placeholder);
    options.onQuery?.(rendered);
    return rendered;
  }

  // Query texts depend only on the query's shape (values are parameters): cache their
  // prepared statements, oldest out first.
  const prepared = new Map<string, Database.Statement>();
  function prepare(text: string): Database.Statement {
    let statement = prepared.get(text);
    if (statement) return statement;
    statement = db.prepare(text);
    if (prepared.size >= 256) prepared.delete(prepared.keys().next().value as string);
    prepared.set(text, statement);
    return statement;
  }

  function select<T>(fragment: SqlFragment): T[] {
    const { sql: text, params } = render(fragment);
    return prepare(text).all(...params) as T[];
  }

  function iterate<T>(fragment: SqlFragment): IterableIterator<T> {
    const { sql: text, params } = render(fragment);
    return prepare(text).iterate(...params) as IterableIterator<T>;
  }

  function runQuery(type: StoreResourceType, query: StoreQuery, tenant: string): StoreQueryResult {
    const typeLayout = layout(type);
    const translated = translateQuery(query, {
      dialect: DIALECT,
      resourceType: type,
      document: 'r.data',
      tiebreak: 'r.seq',
      childTables: childTables(typeLayout),
      equalityIndex: ({ attribute, value, caseExact }) => {
        const entry = typeLayout.indexed.get(attribute);
        if (!entry || entry.caseExact !== caseExact) return undefined;
        const normalised = caseExact ? value : value.toLowerCase();
        // On the rowid: the planner then always drives the query from this index lookup.
        return sql`r.seq IN (SELECT v.seq FROM attribute_values AS v WHERE v.tenant = ${tenant} AND v.type = ${type.name} AND v.path = ${attribute} AND v.value = ${normalised})`;
      },
    });
    const guard = queryTimeout > 0 ? sql`scim_guard() AND ` : sql``;
    const scope = sql`${guard}r.tenant = ${tenant} AND r.type = ${type.name} AND ${translated.where}`;

    const after = translated.after ? sql` AND ${translated.after}` : sql``;
    const cursorPaging = query.page.kind === 'cursor';
    // The members rows are read only when the response can show them (or the in-memory
    // filter reads them): `excludedAttributes=members` on a 100k-member group reads one row.
    const withChild = projectionShowsChild(typeLayout, query);

    if (translated.residual) {
      // Part of the filter cannot be pushed down: stream the rows the SQL part selects, in the
      // query's order, and keep those compileFilter (the evaluator the SQL translation mirrors)
      // matches. Paging then happens here.
      // The whole filter, not only the residual: the evaluator's answer (and its errors, which
      // depend on the whole expression) is the reference; the SQL part only narrows the rows.
      const hydrateToMatch = withChild || filterReadsChild(typeLayout, query.filter ?? translated.residual);
      const matches = compileFilter(query.filter ?? translated.residual, {
        schemas: [type.schema, ...type.extensions.map((extension) => extension.schema)],
        resourceSchema: type.schema.id,
      });
      const ordered = (extra: SqlFragment) =>
        iterate<ResourceRow>(
          sql`SELECT r.seq AS seq, r.id AS id, r.data AS data, ${translated.sort.key} AS sort_key FROM resources AS r WHERE ${scope}${extra} ORDER BY ${translated.sort.orderBy}`,
        );
      let total = 0;
      const page: { row: ResourceRow; resource: ScimResource }[] = [];
      const wanted = cursorPaging ? translated.limit + 1 : translated.limit;
      for (const row of ordered(cursorPaging ? sql`` : after)) {
        checkDeadline();
        const resource = hydrate(typeLayout, tenant, row, hydrateToMatch);
        if (!matches(resource)) continue;
        total += 1;
        if (!cursorPaging && total > translated.offset && page.length < wanted) page.push({ row, resource });
      }
      if (cursorPaging && translated.limit > 0) {
        for (const row of ordered(after)) {
          checkDeadline();
          const resource = hydrate(typeLayout, tenant, row, hydrateToMatch);
          if (!matches(resource)) continue;
          page.push({ row, resource });
          if (page.length === wanted) break;
        }
      }
      return pageResult(
        page.map((entry) => entry.row),
        page.map((entry) => entry.resource),
        total,
      );
    }

    const [{ total } = { total: 0 }] = select<{ total: number }>(
      sql`SELECT count(*) AS total FROM resources AS r WHERE ${scope}`,
    );
    if (translated.limit === 0) return { resources: [], totalResults: total };
    // SQLite binds numbers beyond 2^53 as REAL, which LIMIT and OFFSET refuse (datatype
    // mismatch): no page lies that far anyway.
    const limit = Math.min(cursorPaging ? translated.limit + 1 : translated.limit, Number.MAX_SAFE_INTEGER);
    const offset = Math.min(translated.offset, Number.MAX_SAFE_INTEGER);
    const rows = select<ResourceRow>(
      sql`SELECT r.seq AS seq, r.id AS id, r.data AS data, ${translated.sort.key} AS sort_key FROM resources AS r WHERE ${scope}${after} ORDER BY ${translated.sort.orderBy} LIMIT ${limit} OFFSET ${offset}`,
    );
    return pageResult(
      rows,
      rows.slice(0, translated.limit).map((row) => hydrate(typeLayout, tenant, row, withChild)),
      total,
    );

    /** The page, with a next cursor when a row beyond it was found (cursor paging fetches one more). */
    function pageResult(
      rows: ResourceRow[],
      resources: ScimResource[],
      totalResults: number,
    ): StoreQueryResult {
      const kept = resources.slice(0, translated.limit);
      const last = rows[kept.length - 1];
      if (cursorPaging && rows.length > translated.limit && last) {
        return {
          resources: kept,
          totalResults,
          nextCursor: encodeCursor(translated.sort, { key: last.sort_key ?? null, id: last.seq }),
        };
      }
      return { resources: kept, totalResults };
    }
  }

  return {
    create(type, resource, { context }) {
      const tenant = tenantOf(context);
      return write(() => {
        const typeLayout = layout(type);
        if (statements.get.get(tenant, type.name, resource.id)) {
          throw new ScimError(`${type.name} "${resource.id}" already exists.`, {
            status: 409,
            scimType: 'uniqueness',
          });
        }
        const inserted = statements.insert.run(
          tenant,
          type.name,
          resource.id,
          resource.meta.version,
          documentOf(typeLayout, resource),
          resource.meta.created,
          resource.meta.lastModified,
        );
        writeValues(typeLayout, tenant, resource, Number(inserted.lastInsertRowid));
        writeAllMembers(typeLayout, tenant, resource);
        return resource;
      });
    },

    get(type, id, { context, projection }) {
      const tenant = tenantOf(context);
      return guarded(() => {
        const row = statements.get.get(tenant, type.name, id);
        if (!row) return undefined;
        const typeLayout = layout(type);
        // Without a projection the caller is about to write: it needs every member.
        return hydrate(
          typeLayout,
          tenant,
          row,
          projection === undefined || projectionShowsChild(typeLayout, projection),
        );
      });
    },

    replace(type, resource, { context, expectedVersion, deltas }) {
      const tenant = tenantOf(context);
      return write(() => {
        const typeLayout = layout(type);
        const current = statements.get.get(tenant, type.name, resource.id);
        if (!current) throw resourceNotFound(type, resource.id);
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          throw versionMismatch(type, resource.id);
        }
        statements.update.run(
          resource.meta.version,
          documentOf(typeLayout, resource),
          resource.meta.lastModified,
          tenant,
          type.name,
          resource.id,
        );
        statements.deleteValues.run(tenant, type.name, resource.id);
        writeValues(typeLayout, tenant, resource, current.seq);
        const child = typeLayout.childAttribute;
        if (child !== undefined) {
          if (deltas) {
            // PATCH: only the members named in the deltas change; untouched members stay as rows.
            for (const delta of deltas) {
              if (delta.attribute === child)
                applyMemberDelta(typeLayout, tenant, resource.id, delta, resource[child]);
            }
          } else {
            writeAllMembers(typeLayout, tenant, resource);
          }
        }
        return resource;
      });
    },

    delete(type, id, { context, expectedVersion }) {
      const tenant = tenantOf(context);
      return write(() => {
        const current = statements.get.get(tenant, type.name, id);
        if (!current) return false;
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          throw versionMismatch(type, id);
        }
        statements.deleteResource.run(tenant, type.name, id);
        statements.deleteValues.run(tenant, type.name, id);
        statements.deleteMembersOf.run(tenant, type.name, id);
        const groups = statements.groupsHolding.all(tenant, id);
        statements.deleteMemberships.run(tenant, id);
        // Groups that lose the member change: new version and lastModified (as the memory
        // store does), and no `members` attribute once the last member is gone.
        const now = new Date().toISOString();
        for (const group of groups) {
          const row = statements.get.get(tenant, group.group_type, group.group_id);
          if (!row) continue;
          const document = JSON.parse(row.data) as ScimResource;
          const version = nextVersion(row.version);
          document.meta = { ...document.meta, lastModified: now, version };
          if (!statements.hasMembers.get(tenant, group.group_type, group.group_id, group.attribute)) {
            delete document[group.attribute];
          }
          statements.update.run(
            version,
            JSON.stringify(document),
            now,
            tenant,
            group.group_type,
            group.group_id,
          );
        }
        return true;
      });
    },

    query(type, query, { context }) {
      const tenant = tenantOf(context);
      return guarded(() => {
        deadline = queryTimeout > 0 ? performance.now() + queryTimeout : Number.POSITIVE_INFINITY;
        try {
          return runQuery(type, query, tenant);
        } finally {
          deadline = Number.POSITIVE_INFINITY;
        }
      });
    },

    groupsOf(memberId, { context }) {
      const tenant = tenantOf(context);
      return guarded(() =>
        statements.groupsOf
          .all(tenant, memberId)
          .map((row) =>
            typeof row.displayName === 'string'
              ? { id: row.id, displayName: row.displayName }
              : { id: row.id },
          ),
      );
    },

    groupsOfMany(memberIds, { context }) {
      const tenant = tenantOf(context);
      return guarded(() => {
        const groups = new Map<string, { id: string; displayName?: string }[]>();
        for (const memberId of memberIds) groups.set(memberId, []);
        if (groups.size === 0) return groups;
        // One statement for the whole page: the ids as one JSON array parameter (no limit on
        // bound variables, one prepared statement for any page size).
        for (const row of statements.groupsOfMany.all(JSON.stringify([...groups.keys()]), tenant)) {
          groups
            .get(row.member)
            ?.push(
              typeof row.displayName === 'string'
                ? { id: row.id, displayName: row.displayName }
                : { id: row.id },
            );
        }
        return groups;
      });
    },

    transaction<T>(work: () => Promise<T>): Promise<T> {
      if (openTransaction !== undefined && transactionScope.getStore() === openTransaction) {
        // Nested: a savepoint inside the open transaction.
        const name = `scim_nested_${++savepoints}`;
        db.exec(`SAVEPOINT ${name}`);
        return work().then(
          (result) => {
            db.exec(`RELEASE ${name}`);
            return result;
          },
          (error: unknown) => {
            db.exec(`ROLLBACK TO ${name}`);
            db.exec(`RELEASE ${name}`);
            throw error;
          },
        );
      }
      return guarded(async () => {
        const token = Symbol('transaction');
        openTransaction = token;
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await transactionScope.run(token, work);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          openTransaction = undefined;
        }
      });
    },

    close() {
      return guarded(() => {
        if (!closed) {
          closed = true;
          db.close();
        }
      });
    },
  };
}
