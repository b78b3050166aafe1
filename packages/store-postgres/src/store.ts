import { AsyncLocalStorage } from 'node:async_hooks';
import { compileFilter, type Filter, visitFilter } from '@scimkit/filter';
import type { AttributeDelta } from '@scimkit/patch';
import { type AttributeDefinition, ScimError, type ScimResource } from '@scimkit/schema';
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
  encodeCursor,
  filterReadsChild,
  identifier,
  indexedValues,
  memberColumns,
  membersChangedInPlace,
  postgresDialect,
  projectionShowsChild,
  queryTimedOut,
  renderSql,
  resourceNotFound,
  type SqlDialect,
  type SqlFragment,
  type StorageLayout,
  sql,
  storageLayout,
  translateQuery,
  versionMismatch,
} from '@scimkit/sql';
import { Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import { LOCK_NAMESPACE, migrate } from './migrations.js';

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
   * @default 'scim'
   */
  schema?: string;
  /**
   * Extra attributes to index for `eq` lookups, per resource type name, as attribute paths
   * (`{ User: ['name.familyName'] }`). Always indexed when the type has them: attributes with
   * `uniqueness` server/global, `userName`, `externalId`, `emails.value`, `displayName`.
   */
  indexedAttributes?: Readonly<Record<string, readonly string[]>>;
  /**
   * Case-insensitive comparisons lower-case with the ICU root collation (`und-x-icu`), which
   * folds as JavaScript does. By default the store checks at start-up that the server has it;
   * without ICU, case-insensitive comparisons of non-ASCII text are evaluated in memory.
   * `true` requires ICU (queries fail without it); `false` never uses it.
   * @default 'auto'
   */
  icu?: 'auto' | boolean;
  /**
   * Longest time, in milliseconds, that one query (a list or `.search` request) may take: each
   * of its SQL statements (PostgreSQL's `statement_timeout`, set for the query only) and the
   * in-memory evaluation of a filter part SQL cannot answer. A query that runs longer is a 400
   * `tooMany`: a hostile filter of a few kilobytes (hundreds of value paths) otherwise keeps
   * PostgreSQL busy for seconds per thousand resources. `0` sets no bound.
   * @default 10000
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
   */
  queryTimeout?: number;
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
   * each write is a savepoint, so one failed operation (a 409) does not undo the others.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** The groups of every one of `memberIds` in one SQL statement (a page of Users' `groups`). */
  groupsOfMany(
    memberIds: readonly string[],
    options: StoreGroupsOptions,
  ): Promise<Map<string, StoreGroupRef[]>>;
  /**
   * Resolves once the schema is migrated and the server's capabilities checked (every other
   * call waits for it anyway): call it at start-up to fail fast on a wrong connection.
   */
  ready(): Promise<void>;
  /** Waits for calls in progress, then ends the Pool if the store created it. */
  close(): Promise<void>;
}

interface ResourceRow {
  seq: string;
  id: string;
  data: ScimResource;
  version: string;
  sort_key?: string | number | null;
}

interface MemberRow {
  group_id: string;
  value: string;
  type: string | null;
  display: string | null;
  ref: string | null;
}

/** One connection a call runs on: a pooled client for one write, or the pinned client of a transaction. */
interface Pinned {
  client: PoolClient;
  /** Serialises the transaction's statements (savepoints must not interleave). */
  queue: Promise<unknown>;
  savepoints: number;
  /** Whether this transaction rebuilt an attribute index (not committed yet: not cached). */
  reindexed: boolean;
  /** The layouts this transaction checked itself (its concurrent calls share each check). */
  layouts: Map<string, { type: StoreResourceType; layout: Promise<StorageLayout> }>;
  /** False once the transaction is about to end: later calls (a timer its work set) run on the pool. */
  open: boolean;
  /** Calls made from inside the transaction and not yet settled: it ends only after them. */
  calls: Set<Promise<unknown>>;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Longest member `value` (a resource id) the members table's unique index takes. */
const MAX_MEMBER_VALUE_BYTES = 1024;
/**
 * How long a call inside a transaction waits for a second connection to check a type's index
 * on before it uses the transaction's own.
 */
const SPARE_CONNECTION_WAIT_MS = 250;
/** SQLSTATEs worth retrying a whole standalone write for. */
const RETRYABLE = new Set(['40001', '40P01']);

function tenantOf(context: StoreContext | undefined): string {
  return context?.tenant ?? '';
}

/** Text PostgreSQL cannot hold: U+0000, and UTF-16 surrogates that are not part of a pair. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a value holds text PostgreSQL cannot store (in a string or an object key, at any depth). */
function hasUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.some(hasUnstorable);
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (UNSTORABLE.test(key) || hasUnstorable(inner)) return true;
    }
  }
  return false;
}

function filterHasUnstorable(filter: Filter): boolean {
  let found = false;
  visitFilter(filter, {
    enter(node) {
      if (node.kind === 'Comparison' && typeof node.value === 'string' && UNSTORABLE.test(node.value))
        found = true;
      return undefined;
    },
  });
  return found;
}

function unstorable(type: StoreResourceType, id: string): ScimError {
  return new ScimError(
    `${type.name} "${short(id)}" holds text PostgreSQL cannot store (U+0000 or an unpaired UTF-16 surrogate).`,
    { status: 400, scimType: 'invalidValue' },
  );
}

/**
 * A cursor is client-supplied: a forged one whose sort key PostgreSQL cannot compare (text for
 * a number, U+0000) fails as a data exception (SQLSTATE class 22), answered as the RFC 9865
 * error rather than a 500.
 */
function cursorError(query: StoreQuery, error: unknown): unknown {
  if (query.page.kind !== 'cursor' || !query.page.cursor || !sqlState(error)?.startsWith('22')) return error;
  return Object.assign(
    new ScimError('The cursor is not valid for this query: start again without a cursor.', {
      status: 400,
      scimType: 'invalidCursor',
    }),
    { cause: error },
  );
}

/**
 * Where an object's keys go: named keys first, in this order, then the others as they come;
 * `nested` orders the value (or each element of a list) under a key.
 */
interface KeyOrder {
  keys: readonly string[];
  nested: ReadonlyMap<string, KeyOrder>;
}

const META_ORDER: KeyOrder = {
  keys: ['resourceType', 'created', 'lastModified', 'location', 'version'],
  nested: new Map(),
};
const keyOrders = new WeakMap<StoreResourceType, KeyOrder>();

/** Sub-attributes in their schema's order. */
function attributesOrder(attributes: readonly AttributeDefinition[]): KeyOrder {
  const nested = new Map<string, KeyOrder>();
  for (const attribute of attributes) {
    if (attribute.subAttributes?.length) nested.set(attribute.name, attributesOrder(attribute.subAttributes));
  }
  return { keys: attributes.map((attribute) => attribute.name), nested };
}

/**
 * The key order of a type's resources: `schemas`, `id`, `externalId`, the core attributes as
 * the schema lists them, the extensions, then `meta`. jsonb keeps object keys in its own order
 * (shorter keys first), so documents are put back in a readable one when read.
 */
function keyOrderOf(type: StoreResourceType): KeyOrder {
  let order = keyOrders.get(type);
  if (!order) {
    const core = attributesOrder(type.schema.attributes);
    const nested = new Map(core.nested);
    for (const extension of type.extensions)
      nested.set(extension.schema.id, attributesOrder(extension.schema.attributes));
    nested.set('meta', META_ORDER);
    order = {
      keys: [
        'schemas',
        'id',
        'externalId',
        ...core.keys.filter((key) => key !== 'id' && key !== 'externalId' && key !== 'meta'),
        ...type.extensions.map((extension) => extension.schema.id),
        'meta',
      ],
      nested,
    };
    keyOrders.set(type, order);
  }
  return order;
}

/** A copy of `value` with its keys (and the keys below them) in `order`. */
function inOrder(value: unknown, order: KeyOrder): unknown {
  if (Array.isArray(value)) return value.map((item) => inOrder(item, order));
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const put = (key: string) => {
    const inner = order.nested.get(key);
    // defineProperty: a key named `__proto__` stays an own property, as JSON.parse made it.
    Object.defineProperty(result, key, {
      value: inner ? inOrder(source[key], inner) : source[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  };
  for (const key of order.keys) if (Object.hasOwn(source, key)) put(key);
  for (const key of Object.keys(source)) if (!Object.hasOwn(result, key)) put(key);
  return result;
}

function short(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

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
 * member of a 100k-member group writes one row (the server passes `deltas`).
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
  const queryTimeout = options.queryTimeout ?? 10_000;
  if (!Number.isSafeInteger(queryTimeout) || queryTimeout < 0) {
    throw new TypeError(
      `queryTimeout must be a whole number of milliseconds (0: none), not ${queryTimeout}.`,
    );
  }
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

  const t = {
    resources: `${schema}.resources`,
    values: `${schema}.attribute_values`,
    members: `${schema}.members`,
    indexConfig: `${schema}.index_config`,
  };
  const resourcesTable = identifier(t.resources);
  const valuesTable = identifier(t.values);

  const scope = new AsyncLocalStorage<Pinned>();
  let dialect: SqlDialect = postgresDialect();
  let closed = false;
  let inFlight = 0;
  /** Names the server-side cursors of in-memory filtering, unique per connection. */
  let walks = 0;
  let idle: (() => void) | undefined;

  /** Migrates and checks the server; started by the first call (or ready()), retried after a failure. */
  const prepare = async () => {
    const client = await pool.connect();
    try {
      // The name goes into SQL unquoted: a reserved word would be a bare "syntax error".
      const reserved = await client.query(
        "SELECT 1 FROM pg_get_keywords() WHERE word = $1 AND catcode IN ('R', 'T')",
        [schema],
      );
      if (reserved.rows.length > 0) {
        throw new TypeError(
          `schema "${schema}" is a reserved word of PostgreSQL and cannot name the store's schema: choose another (the default is "scim").`,
        );
      }
      await migrate(client, schema);
      let icu = options.icu ?? 'auto';
      if (icu === 'auto') {
        const { rows } = await client.query(
          "SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu' AND collprovider = 'i'",
        );
        icu = rows.length > 0;
      }
      dialect = postgresDialect({ icu });
      client.release();
    } catch (error) {
      client.release(true);
      throw error;
    }
  };
  let preparing: Promise<void> | undefined;
  function ensureReady(): Promise<void> {
    if (!preparing) {
      const attempt = prepare();
      preparing = attempt;
      // A database that was down (or a schema being upgraded) is tried again by the next call.
      attempt.catch(() => {
        if (preparing === attempt) preparing = undefined;
      });
    }
    return preparing;
  }

  /** Counts calls in progress, so that close() can wait for them. */
  async function tracked<T>(work: () => Promise<T>): Promise<T> {
    // The calls of a transaction in progress still run: close() waits for it to end.
    if (closed && !currentTransaction()) throw new Error('The PostgreSQL store is closed.');
    inFlight += 1;
    try {
      await ensureReady();
      return await work();
    } finally {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    }
  }

  type Runner = <R extends QueryResultRow = QueryResultRow>(
    text: string,
    params?: unknown[],
  ) => Promise<{ rows: R[]; rowCount: number | null }>;

  const runnerOf =
    (client: PoolClient): Runner =>
    (text, params) =>
      client.query(text, params);

  /**
   * The transaction a call made now belongs to: the open one whose `work` (or a callback it set)
   * is running, if any. Decided when the call starts, not after it waited for something.
   */
  function currentTransaction(): Pinned | undefined {
    const pinned = scope.getStore();
    return pinned?.open ? pinned : undefined;
  }

  /** Starts `call`, recorded in the transaction (if any) so that it ends only after the call. */
  function joined<T>(pinned: Pinned | undefined, call: () => Promise<T>): Promise<T> {
    if (!pinned) return call();
    const promise = call();
    pinned.calls.add(promise);
    const forget = () => {
      pinned.calls.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Runs `work` after the pinned transaction's earlier statements (one at a time on its client). */
  function exclusive<T>(pinned: Pinned, work: () => Promise<T>): Promise<T> {
    const result = pinned.queue.then(work);
    pinned.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * `work` on the transaction's client, queued and in a savepoint of its own: a failed
   * statement (a 409, a bad cursor) then undoes only this call instead of aborting the whole
   * transaction.
   */
  function inSavepoint<T>(pinned: Pinned, work: (run: Runner) => Promise<T>): Promise<T> {
    return exclusive(pinned, async () => {
      const name = `scim_op_${++pinned.savepoints}`;
      await pinned.client.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(runnerOf(pinned.client));
        await pinned.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await pinned.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await pinned.client.query(`RELEASE SAVEPOINT ${name}`);
        throw error;
      }
    });
  }

  /** A read: on the transaction's client when inside `transaction`, else on any pooled client. */
  function read<T>(work: (run: Runner) => Promise<T>): Promise<T> {
    const pinned = currentTransaction();
    return joined(pinned, () =>
      tracked(() => {
        if (pinned) return inSavepoint(pinned, work);
        return work((text, params) => pool.query(text, params));
      }),
    );
  }

  /** A read that needs the type's layout (resolved first: inside a transaction it queues too). */
  function readType<T>(
    type: StoreResourceType,
    work: (run: Runner, typeLayout: StorageLayout) => Promise<T>,
  ): Promise<T> {
    const pinned = currentTransaction();
    return joined(pinned, () =>
      tracked(async () => {
        const typeLayout = await layout(type, pinned);
        if (pinned) return inSavepoint(pinned, (run) => work(run, typeLayout));
        return work((text, params) => pool.query(text, params), typeLayout);
      }),
    );
  }

  /**
   * A write, atomic: a savepoint inside `transaction`, else its own transaction on a pooled
   * client (retried on a deadlock or serialization failure, which PostgreSQL may raise when
   * writers lock the same rows in different orders).
   */
  function write<T>(
    type: StoreResourceType,
    work: (run: Runner, typeLayout: StorageLayout) => Promise<T>,
  ): Promise<T> {
    const pinned = currentTransaction();
    return joined(pinned, () =>
      tracked(async () => {
        // Before taking a connection: a first use may need one to check or rebuild the index.
        const typeLayout = await layout(type, pinned);
        if (pinned) return inSavepoint(pinned, (run) => work(run, typeLayout));
        for (let attempt = 1; ; attempt += 1) {
          const client = await pool.connect();
          let broken: Error | undefined;
          try {
            await client.query('BEGIN');
            const result = await work(runnerOf(client), typeLayout);
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK').catch((rollbackError: unknown) => {
              broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
            });
            if (attempt < 4 && RETRYABLE.has(sqlState(error) ?? '')) continue;
            throw error;
          } finally {
            client.release(broken);
          }
        }
      }),
    );
  }

  const layouts = new Map<
    string,
    {
      type: StoreResourceType;
      layout: Promise<StorageLayout>;
      /** Resolved, or holding its connection already: waiting for it never waits for the pool. */
      safe: boolean;
    }
  >();

  /**
   * A pooled connection if one comes within `ms`, else undefined (one that comes later goes
   * straight back to the pool).
   */
  function connectWithin(ms: number): Promise<PoolClient | undefined> {
    return new Promise((resolve) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        resolve(undefined);
      }, ms);
      pool.connect().then(
        (client) => {
          if (late) client.release();
          else {
            clearTimeout(timer);
            resolve(client);
          }
        },
        () => {
          clearTimeout(timer);
          resolve(undefined);
        },
      );
    });
  }

  /** Checks a type's index on `client` and rebuilds it (committed on its own) when it is stale. */
  async function indexOn(client: PoolClient, fresh: StorageLayout): Promise<StorageLayout> {
    try {
      if ((await storedSignature(runnerOf(client), fresh.resourceType)) !== fresh.signature) {
        await client.query('BEGIN');
        try {
          await reindex(runnerOf(client), fresh);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
      client.release();
      return fresh;
    } catch (error) {
      client.release(true);
      throw error;
    }
  }

  /**
   * Checks the type's index on the connection given (or coming), shared by the calls that
   * follow until it fails (the next call then tries again).
   */
  function remember(
    type: StoreResourceType,
    connection: Promise<PoolClient> | PoolClient,
    fresh: StorageLayout,
  ): Promise<StorageLayout> {
    const connected = Promise.resolve(connection);
    const promise = connected.then((client) => indexOn(client, fresh));
    const entry = { type, layout: promise, safe: false };
    layouts.set(type.name, entry);
    const safe = () => {
      entry.safe = true;
    };
    connected.then(safe, () => undefined);
    promise.then(safe, () => {
      if (layouts.get(type.name) === entry) layouts.delete(type.name);
    });
    return promise;
  }

  /**
   * The layout of a type; (re)builds its attribute index when the indexed set changed, once,
   * on a connection of its own so that it commits at once. `pinned`: the transaction the call
   * runs in.
   */
  function layout(type: StoreResourceType, pinned: Pinned | undefined): Promise<StorageLayout> {
    const cached = layouts.get(type.name);
    if (cached && cached.type === type && (cached.safe || !pinned)) return cached.layout;
    const extra = options.indexedAttributes?.[type.name];
    const fresh = storageLayout(type, extra ? { indexedAttributes: extra } : {});
    if (!pinned) return remember(type, pool.connect(), fresh);
    // Inside a transaction: never wait long for another pooled connection, nor for a check that
    // waits for one. When every connection is held by a transaction waiting so, none would ever
    // come back (a burst of bulk requests at start-up). Concurrent calls of the transaction
    // share one check, so that they still queue in the order they were made.
    const mine = pinned.layouts.get(type.name);
    if (mine && mine.type === type) return mine.layout;
    const full = pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? 10);
    const promise = (full ? Promise.resolve(undefined) : connectWithin(SPARE_CONNECTION_WAIT_MS)).then(
      (spare) => {
        if (spare) return remember(type, spare, fresh);
        // No connection to spare: check (and rebuild) on the transaction's own connection. A
        // rebuild is then undone with the transaction, so only a signature found in place is cached.
        return exclusive(pinned, async () => {
          const run = runnerOf(pinned.client);
          if ((await storedSignature(run, type)) === fresh.signature) {
            if (!pinned.reindexed && !layouts.has(type.name)) {
              layouts.set(type.name, { type, layout: Promise.resolve(fresh), safe: true });
            }
            return fresh;
          }
          const name = `scim_reindex_${++pinned.savepoints}`;
          await run(`SAVEPOINT ${name}`);
          try {
            await reindex(run, fresh);
            await run(`RELEASE SAVEPOINT ${name}`);
          } catch (error) {
            await run(`ROLLBACK TO SAVEPOINT ${name}`);
            throw error;
          }
          pinned.reindexed = true;
          return fresh;
        });
      },
    );
    const entry = { type, layout: promise };
    pinned.layouts.set(type.name, entry);
    // A failed check is tried again by the transaction's next call.
    promise.catch(() => {
      if (pinned.layouts.get(type.name) === entry) pinned.layouts.delete(type.name);
    });
    return promise;
  }

  async function storedSignature(run: Runner, type: StoreResourceType): Promise<string | undefined> {
    const { rows } = await run<{ config: string }>(`SELECT config FROM ${t.indexConfig} WHERE type = $1`, [
      type.name,
    ]);
    return rows[0]?.config;
  }

  /** Rebuilds a type's index rows (inside the caller's transaction), once across processes (advisory lock). */
  async function reindex(run: Runner, fresh: StorageLayout): Promise<void> {
    const typeName = fresh.resourceType.name;
    await run('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, `${schema}:${typeName}`]);
    if ((await storedSignature(run, fresh.resourceType)) === fresh.signature) return;
    await run(`DELETE FROM ${t.values} WHERE type = $1`, [typeName]);
    let after = '0';
    for (;;) {
      const batch = await run<{ seq: string; tenant: string; data: ScimResource }>(
        `SELECT seq, tenant, data FROM ${t.resources} WHERE type = $1 AND seq > $2 ORDER BY seq LIMIT 500`,
        [typeName, after],
      );
      for (const row of batch.rows) await writeValues(run, fresh, row.tenant, row.data, row.seq);
      const last = batch.rows[batch.rows.length - 1];
      if (!last) break;
      after = last.seq;
    }
    await run(
      `INSERT INTO ${t.indexConfig} (type, config) VALUES ($1, $2) ON CONFLICT (type) DO UPDATE SET config = EXCLUDED.config`,
      [typeName, fresh.signature],
    );
  }

  /**
   * Writes the index rows of a resource. The partial unique index enforces uniqueness, also
   * between concurrent transactions (the second waits for the first, then fails with 23505).
   */
  async function writeValues(
    run: Runner,
    typeLayout: StorageLayout,
    tenant: string,
    resource: ScimResource,
    seq: string,
  ): Promise<void> {
    const typeName = typeLayout.resourceType.name;
    for (const entry of typeLayout.indexed.values()) {
      const values = indexedValues(resource, entry);
      if (values.length === 0) continue;
      try {
        await run(
          `INSERT INTO ${t.values} (tenant, type, id, seq, path, value, unique_scope)
           SELECT $1, $2, $3, $4, $5, value, $6 FROM unnest($7::text[]) AS value`,
          [tenant, typeName, resource.id, seq, entry.path, entry.uniqueScope ?? null, values],
        );
      } catch (error) {
        if (sqlState(error) === '23505') {
          const shown = values.length === 1 ? ` "${short(values[0] ?? '')}"` : '';
          throw Object.assign(
            new ScimError(`${entry.path}${shown} is already in use by another resource.`, {
              status: 409,
              scimType: 'uniqueness',
            }),
            { cause: error },
          );
        }
        throw error;
      }
    }
  }

  /** The JSON document stored: the resource with the child attribute emptied (its rows hold it). */
  function documentOf(typeLayout: StorageLayout, resource: ScimResource): string {
    const child = typeLayout.childAttribute;
    if (child === undefined || !Object.hasOwn(resource, child)) return JSON.stringify(resource);
    return JSON.stringify({ ...resource, [child]: [] });
  }

  async function insertMembers(
    run: Runner,
    typeLayout: StorageLayout,
    tenant: string,
    groupId: string,
    members: readonly unknown[],
  ): Promise<void> {
    const columns = members.map(memberColumns).filter((row) => row !== undefined);
    if (columns.length === 0) return;
    for (const row of columns) {
      // The value is a key of a B-tree index (whose entries hold at most about 2.7 kB).
      if (Buffer.byteLength(row.value) > MAX_MEMBER_VALUE_BYTES) {
        throw new ScimError(
          `A ${typeLayout.childAttribute} value of more than ${MAX_MEMBER_VALUE_BYTES} bytes cannot be a resource id: "${short(row.value)}".`,
          { status: 400, scimType: 'invalidValue' },
        );
      }
    }
    // One statement for any number of members; WITH ORDINALITY keeps their order in `seq`.
    await run(
      `INSERT INTO ${t.members} (tenant, group_type, group_id, attribute, value, type, display, ref)
       SELECT $1, $2, $3, $4, m.value, m.type, m.display, m.ref
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS m(value, type, display, ref, n)
        ORDER BY m.n
       ON CONFLICT DO NOTHING`,
      [
        tenant,
        typeLayout.resourceType.name,
        groupId,
        typeLayout.childAttribute,
        columns.map((row) => row.value),
        columns.map((row) => row.type),
        columns.map((row) => row.display),
        columns.map((row) => row.$ref),
      ],
    );
  }

  async function writeAllMembers(
    run: Runner,
    typeLayout: StorageLayout,
    tenant: string,
    resource: ScimResource,
  ): Promise<void> {
    const child = typeLayout.childAttribute;
    if (child === undefined) return;
    await run(`DELETE FROM ${t.members} WHERE tenant = $1 AND group_type = $2 AND group_id = $3`, [
      tenant,
      typeLayout.resourceType.name,
      resource.id,
    ]);
    const list = Object.hasOwn(resource, child) ? resource[child] : undefined;
    if (Array.isArray(list)) await insertMembers(run, typeLayout, tenant, resource.id, list);
  }

  /**
   * Applies a PATCH delta to the member rows, keeping them in the order of the document
   * (`resource`, the group after the PATCH). A value both removed and added was changed: where
   * an untouched member follows it in the document it was changed in place (`replace
   * members[value eq "x"].display`), so its row is updated and keeps its place; otherwise it
   * was removed and added again, or is last anyway, and its new row goes last. A replace of the
   * whole list (`delta.replaced`) may order members as it likes (new ones first, old ones
   * swapped): its rows are written anew, as for a PUT (the request carried the whole list).
   */
  async function applyMemberDelta(
    run: Runner,
    typeLayout: StorageLayout,
    tenant: string,
    resource: ScimResource,
    delta: AttributeDelta,
  ): Promise<void> {
    if (delta.replaced) {
      await writeAllMembers(run, typeLayout, tenant, resource);
      return;
    }
    const child = typeLayout.childAttribute;
    const added = delta.added.map(memberColumns).filter((row) => row !== undefined);
    const removed = new Set(delta.removed.map(memberColumns).flatMap((row) => (row ? [row.value] : [])));
    const list = child !== undefined && Object.hasOwn(resource, child) ? resource[child] : undefined;
    const inPlace = membersChangedInPlace(delta, list);
    const deleted = [...removed].filter((value) => !inPlace.has(value));
    if (deleted.length > 0) {
      await run(
        `DELETE FROM ${t.members} WHERE tenant = $1 AND group_type = $2 AND group_id = $3 AND attribute = $4 AND value = ANY($5::text[])`,
        [tenant, typeLayout.resourceType.name, resource.id, child, deleted],
      );
    }
    const changed = added.filter((row) => inPlace.has(row.value));
    if (changed.length > 0) {
      await run(
        `UPDATE ${t.members} AS m SET type = c.type, display = c.display, ref = c.ref
           FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) AS c(value, type, display, ref)
          WHERE m.tenant = $1 AND m.group_type = $2 AND m.group_id = $3 AND m.attribute = $4 AND m.value = c.value`,
        [
          tenant,
          typeLayout.resourceType.name,
          resource.id,
          child,
          changed.map((row) => row.value),
          changed.map((row) => row.type),
          changed.map((row) => row.display),
          changed.map((row) => row.$ref),
        ],
      );
    }
    await insertMembers(
      run,
      typeLayout,
      tenant,
      resource.id,
      delta.added.filter((member) => {
        const value = memberColumns(member)?.value;
        return value === undefined || !inPlace.has(value);
      }),
    );
  }

  /**
   * Stored rows as resources: each document with its child attribute filled from its rows (one
   * statement for the whole page), or (`withChild` false, when the response will not show it)
   * without the child attribute at all, the members table untouched.
   */
  async function hydrate(
    run: Runner,
    typeLayout: StorageLayout,
    tenant: string,
    rows: readonly { id: string; data: ScimResource }[],
    withChild: boolean,
  ): Promise<ScimResource[]> {
    const order = keyOrderOf(typeLayout.resourceType);
    const resources = rows.map((row) => inOrder(row.data, order) as ScimResource);
    const child = typeLayout.childAttribute;
    if (child === undefined) return resources;
    const holders = resources.filter((resource) => Object.hasOwn(resource, child));
    if (holders.length === 0) return resources;
    if (!withChild) {
      for (const resource of holders) delete resource[child];
      return resources;
    }
    const byGroup = new Map<string, Record<string, string>[]>();
    for (const resource of holders) {
      const list: Record<string, string>[] = [];
      byGroup.set(resource.id, list);
      resource[child] = list;
    }
    const { rows: memberRows } = await run<MemberRow>(
      `SELECT group_id, value, type, display, ref FROM ${t.members}
        WHERE tenant = $1 AND group_type = $2 AND group_id = ANY($3::text[]) AND attribute = $4 ORDER BY seq`,
      [tenant, typeLayout.resourceType.name, [...byGroup.keys()], child],
    );
    for (const row of memberRows) {
      const member: Record<string, string> = { value: row.value };
      if (row.ref !== null) member['$ref'] = row.ref;
      if (row.display !== null) member['display'] = row.display;
      if (row.type !== null) member['type'] = row.type;
      byGroup.get(row.group_id)?.push(member);
    }
    return resources;
  }

  function childTables(typeLayout: StorageLayout): ChildTable[] {
    if (typeLayout.childAttribute === undefined) return [];
    const attribute = typeLayout.childAttribute;
    return [
      {
        attribute,
        table: t.members,
        columns: { value: 'value', type: 'type', display: 'display', $ref: 'ref' },
        orderColumn: 'seq',
        correlate: (alias) =>
          sql`${identifier(`${alias}.tenant`)} = r.tenant AND ${identifier(`${alias}.group_type`)} = r.type AND ${identifier(`${alias}.group_id`)} = r.id AND ${identifier(`${alias}.attribute`)} = ${attribute}`,
      },
    ];
  }

  function render(fragment: SqlFragment) {
    const rendered = renderSql(fragment, dialect.placeholder);
    options.onQuery?.(rendered);
    return rendered;
  }

  async function select<R extends QueryResultRow>(run: Runner, fragment: SqlFragment): Promise<R[]> {
    const { sql: text, params } = render(fragment);
    return (await run<R>(text, params)).rows;
  }

  /** A failed query as the caller sees it: a statement cancelled by queryTimeout is a 400 tooMany. */
  function queryError(query: StoreQuery, error: unknown): unknown {
    if (sqlState(error) === '57014' && queryTimeout > 0)
      return Object.assign(queryTimedOut(queryTimeout), { cause: error });
    return cursorError(query, error);
  }

  async function runQuery(
    run: Runner,
    typeLayout: StorageLayout,
    query: StoreQuery,
    tenant: string,
  ): Promise<StoreQueryResult> {
    const type = typeLayout.resourceType;
    const deadline = queryTimeout > 0 ? performance.now() + queryTimeout : Number.POSITIVE_INFINITY;
    /** Between statements: each is bounded by statement_timeout, the query as a whole by this. */
    const inTime = () => {
      if (performance.now() > deadline) throw queryTimedOut(queryTimeout);
    };
    // A filter value PostgreSQL cannot take as text (U+0000, an unpaired surrogate) is never
    // bound: the whole filter is then evaluated in memory (nothing stored contains such text).
    const inMemory = query.filter !== undefined && filterHasUnstorable(query.filter);
    const { filter: _filter, ...unfiltered } = query;
    const translated = translateQuery(inMemory ? unfiltered : query, {
      dialect,
      resourceType: type,
      document: 'r.data',
      tiebreak: 'r.seq',
      childTables: childTables(typeLayout),
      equalityIndex: ({ attribute, value, caseExact }) => {
        const entry = typeLayout.indexed.get(attribute);
        if (!entry || entry.caseExact !== caseExact) return undefined;
        const normalised = caseExact ? value : value.toLowerCase();
        // An uncorrelated array (an InitPlan, run once), not `IN (subquery)`: the lookup then drives
        // the query whatever the statistics say (right after a bulk load, before ANALYZE, the
        // planner otherwise scanned every row of the type and probed the index per row).
        return sql`r.seq = ANY (ARRAY(SELECT v.seq FROM ${valuesTable} AS v WHERE v.tenant = ${tenant} AND v.type = ${type.name} AND v.path = ${attribute} AND md5(v.value) = md5(${normalised}::text) AND v.value = ${normalised}))`;
      },
    });
    const where = sql`r.tenant = ${tenant} AND r.type = ${type.name} AND ${translated.where}`;
    const cursorPaging = query.page.kind === 'cursor';
    // The members rows are read only when the response can show them (or the in-memory
    // filter reads them): `excludedAttributes=members` on a 100k-member group reads one row.
    const withChild = projectionShowsChild(typeLayout, query);
    const columns = sql`r.seq AS seq, r.id AS id, r.data AS data, ${translated.sort.key} AS sort_key`;

    /** The page, with a next cursor when a row beyond it was found (cursor paging fetches one more). */
    const pageResult = (rows: ResourceRow[], resources: ScimResource[], totalResults: number) => {
      const kept = resources.slice(0, translated.limit);
      const last = rows[kept.length - 1];
      if (cursorPaging && rows.length > translated.limit && last) {
        return {
          resources: kept,
          totalResults,
          nextCursor: encodeCursor(translated.sort, { key: last.sort_key ?? null, id: Number(last.seq) }),
        };
      }
      return { resources: kept, totalResults };
    };

    const residual = inMemory ? query.filter : translated.residual;
    if (residual) {
      // Part of the filter cannot be pushed down: walk the rows the SQL part selects in the
      // query's order, and keep those compileFilter (the evaluator the SQL
      // translation mirrors) matches, with the whole filter: its answer and its errors are the
      // reference; SQL only narrows the rows. Paging then happens here.
      const hydrateToMatch = withChild || filterReadsChild(typeLayout, query.filter ?? residual);
      const matches = compileFilter(query.filter ?? residual, {
        schemas: [type.schema, ...type.extensions.map((extension) => extension.schema)],
        resourceSchema: type.schema.id,
      });
      // A server-side cursor (the query runs in a transaction: a snapshot of its own, or the
      // open bulk transaction): the rows are sorted once and fetched in batches of 500.
      const walk = async function* (start: SqlFragment | undefined) {
        const extra = start ? sql` AND ${start}` : sql``;
        const { sql: text, params } = render(
          sql`SELECT ${columns} FROM ${resourcesTable} AS r WHERE ${where}${extra} ORDER BY ${translated.sort.orderBy}`,
        );
        const name = `scim_walk_${++walks}`;
        await run(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, params);
        try {
          for (;;) {
            inTime();
            const { rows } = await run<ResourceRow>(`FETCH 500 FROM ${name}`);
            const resources = await hydrate(run, typeLayout, tenant, rows, hydrateToMatch);
            for (let index = 0; index < rows.length; index += 1) {
              yield { row: rows[index] as ResourceRow, resource: resources[index] as ScimResource };
            }
            if (rows.length < 500) return;
          }
        } finally {
          // Fails only when the transaction already failed (and then closes the cursor anyway).
          await run(`CLOSE ${name}`).catch(() => undefined);
        }
      };
      let total = 0;
      const page: { row: ResourceRow; resource: ScimResource }[] = [];
      const wanted = cursorPaging ? translated.limit + 1 : translated.limit;
      for await (const entry of walk(cursorPaging ? undefined : translated.after)) {
        if (!matches(entry.resource)) continue;
        total += 1;
        if (!cursorPaging && total > translated.offset && page.length < wanted) page.push(entry);
      }
      if (cursorPaging && translated.limit > 0) {
        for await (const entry of walk(translated.after)) {
          if (!matches(entry.resource)) continue;
          page.push(entry);
          if (page.length === wanted) break;
        }
      }
      if (hydrateToMatch && !withChild && typeLayout.childAttribute !== undefined) {
        for (const entry of page) delete entry.resource[typeLayout.childAttribute];
      }
      return pageResult(
        page.map((entry) => entry.row),
        page.map((entry) => entry.resource),
        total,
      );
    }

    const [counted] = await select<{ total: string }>(
      run,
      sql`SELECT count(*) AS total FROM ${resourcesTable} AS r WHERE ${where}`,
    );
    const total = Number(counted?.total ?? 0);
    if (translated.limit === 0) return { resources: [], totalResults: total };
    inTime();
    // bigint bounds: no page lies beyond them anyway.
    const limit = Math.min(cursorPaging ? translated.limit + 1 : translated.limit, Number.MAX_SAFE_INTEGER);
    const offset = Math.min(translated.offset, Number.MAX_SAFE_INTEGER);
    const after = translated.after ? sql` AND ${translated.after}` : sql``;
    const rows = await select<ResourceRow>(
      run,
      sql`SELECT ${columns} FROM ${resourcesTable} AS r WHERE ${where}${after} ORDER BY ${translated.sort.orderBy} LIMIT ${limit} OFFSET ${offset}`,
    );
    const kept = rows.slice(0, translated.limit);
    return pageResult(rows, await hydrate(run, typeLayout, tenant, kept, withChild), total);
  }

  const getRow = async (run: Runner, tenant: string, type: string, id: string, lock: boolean) =>
    (
      await run<ResourceRow>(
        `SELECT seq, id, data, version FROM ${t.resources} WHERE tenant = $1 AND type = $2 AND id = $3${lock ? ' FOR UPDATE' : ''}`,
        [tenant, type, id],
      )
    ).rows[0];

  return {
    create(type, resource, { context }) {
      const tenant = tenantOf(context);
      if (hasUnstorable(resource)) return Promise.reject(unstorable(type, resource.id));
      return write(type, async (run, typeLayout) => {
        const { rows } = await run<{ seq: string }>(
          `INSERT INTO ${t.resources} (tenant, type, id, version, data, created, last_modified)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) ON CONFLICT (tenant, type, id) DO NOTHING RETURNING seq`,
          [
            tenant,
            type.name,
            resource.id,
            resource.meta.version,
            documentOf(typeLayout, resource),
            resource.meta.created,
            resource.meta.lastModified,
          ],
        );
        const seq = rows[0]?.seq;
        if (seq === undefined) {
          throw new ScimError(`${type.name} "${resource.id}" already exists.`, {
            status: 409,
            scimType: 'uniqueness',
          });
        }
        await writeValues(run, typeLayout, tenant, resource, seq);
        await writeAllMembers(run, typeLayout, tenant, resource);
        return resource;
      });
    },

    get(type, id, { context, projection }) {
      const tenant = tenantOf(context);
      // Never stored, so never found (and never bound: PostgreSQL would refuse the text).
      if (UNSTORABLE.test(id)) return tracked(async () => undefined);
      return readType(type, async (run, typeLayout) => {
        const row = await getRow(run, tenant, type.name, id, false);
        if (!row) return undefined;
        // Without a projection the caller is about to write: it needs every member.
        const [resource] = await hydrate(
          run,
          typeLayout,
          tenant,
          [row],
          projection === undefined || projectionShowsChild(typeLayout, projection),
        );
        return resource;
      });
    },

    replace(type, resource, { context, expectedVersion, deltas }) {
      const tenant = tenantOf(context);
      if (hasUnstorable(resource)) return Promise.reject(unstorable(type, resource.id));
      return write(type, async (run, typeLayout) => {
        const current = await getRow(run, tenant, type.name, resource.id, true);
        if (!current) throw resourceNotFound(type, resource.id);
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          throw versionMismatch(type, resource.id);
        }
        await run(
          `UPDATE ${t.resources} SET version = $1, data = $2::jsonb, last_modified = $3 WHERE seq = $4`,
          [resource.meta.version, documentOf(typeLayout, resource), resource.meta.lastModified, current.seq],
        );
        await run(`DELETE FROM ${t.values} WHERE seq = $1`, [current.seq]);
        await writeValues(run, typeLayout, tenant, resource, current.seq);
        const child = typeLayout.childAttribute;
        if (child !== undefined) {
          if (deltas) {
            // PATCH: only the members named in the deltas change; untouched members stay as rows.
            for (const delta of deltas) {
              if (delta.attribute === child) await applyMemberDelta(run, typeLayout, tenant, resource, delta);
            }
          } else {
            await writeAllMembers(run, typeLayout, tenant, resource);
          }
        }
        return resource;
      });
    },

    delete(type, id, { context, expectedVersion }) {
      const tenant = tenantOf(context);
      if (UNSTORABLE.test(id)) return tracked(async () => false);
      return write(type, async (run) => {
        const current = await getRow(run, tenant, type.name, id, true);
        if (!current) return false;
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          throw versionMismatch(type, id);
        }
        await run(`DELETE FROM ${t.resources} WHERE seq = $1`, [current.seq]);
        await run(`DELETE FROM ${t.values} WHERE seq = $1`, [current.seq]);
        await run(`DELETE FROM ${t.members} WHERE tenant = $1 AND group_type = $2 AND group_id = $3`, [
          tenant,
          type.name,
          id,
        ]);
        const { rows: groups } = await run<{ group_type: string; group_id: string; attribute: string }>(
          `DELETE FROM ${t.members} WHERE tenant = $1 AND value = $2 RETURNING group_type, group_id, attribute`,
          [tenant, id],
        );
        // Groups that lose the member change: new version and lastModified (as the memory
        // store does), and no `members` attribute once the last member is gone. In a fixed
        // order, so that concurrent deletes lock groups in the same order.
        const touched = new Map<string, { group_type: string; group_id: string; attribute: string }>();
        for (const group of groups)
          touched.set(JSON.stringify([group.group_type, group.group_id, group.attribute]), group);
        const now = new Date().toISOString();
        for (const key of [...touched.keys()].sort()) {
          const group = touched.get(key);
          if (!group) continue;
          const row = await getRow(run, tenant, group.group_type, group.group_id, true);
          if (!row) continue;
          const document = row.data;
          const version = nextVersion(row.version);
          document.meta = { ...document.meta, lastModified: now, version };
          const left = await run(
            `SELECT 1 FROM ${t.members} WHERE tenant = $1 AND group_type = $2 AND group_id = $3 AND attribute = $4 LIMIT 1`,
            [tenant, group.group_type, group.group_id, group.attribute],
          );
          if (left.rows.length === 0) delete document[group.attribute];
          await run(
            `UPDATE ${t.resources} SET version = $1, data = $2::jsonb, last_modified = $3 WHERE seq = $4`,
            [version, JSON.stringify(document), now, row.seq],
          );
        }
        return true;
      });
    },

    query(type, query, { context }) {
      const tenant = tenantOf(context);
      if (currentTransaction())
        return readType(type, async (run, typeLayout) => {
          try {
            if (queryTimeout === 0) return await runQuery(run, typeLayout, query, tenant);
            // For this query only: the transaction's setting comes back after it (a failed query's
            // savepoint rollback restores it anyway).
            const { rows } = await run<{ previous: string }>(
              "SELECT current_setting('statement_timeout') AS previous, set_config('statement_timeout', $1, true)",
              [`${queryTimeout}ms`],
            );
            const result = await runQuery(run, typeLayout, query, tenant);
            await run("SELECT set_config('statement_timeout', $1, true)", [rows[0]?.previous ?? '0']);
            return result;
          } catch (error) {
            throw queryError(query, error);
          }
        });
      // Outside a transaction: the statements of one query (count and page, or the batches
      // of an in-memory residual) read one snapshot.
      return tracked(async () => {
        const typeLayout = await layout(type, undefined);
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          // SET LOCAL: the timeout ends with this transaction (queryTimeout is a checked integer).
          await client.query(
            queryTimeout > 0
              ? `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = ${queryTimeout}`
              : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
          );
          const result = await runQuery(runnerOf(client), typeLayout, query, tenant);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          });
          throw queryError(query, error);
        } finally {
          client.release(broken);
        }
      });
    },

    groupsOf(memberId, { context }) {
      const tenant = tenantOf(context);
      if (UNSTORABLE.test(memberId)) return tracked(async () => []);
      return read(async (run) => {
        const { rows } = await run<{ id: string; display_name: unknown }>(
          `SELECT r.id AS id, r.data -> 'displayName' AS display_name
             FROM ${t.resources} AS r
            WHERE r.seq IN (SELECT g.seq FROM ${t.members} AS m JOIN ${t.resources} AS g
                              ON g.tenant = m.tenant AND g.type = m.group_type AND g.id = m.group_id
                             WHERE m.tenant = $1 AND m.value = $2)
            ORDER BY r.seq`,
          [tenant, memberId],
        );
        return rows.map((row) =>
          typeof row.display_name === 'string'
            ? { id: row.id, displayName: row.display_name }
            : { id: row.id },
        );
      });
    },

    groupsOfMany(memberIds, { context }) {
      const tenant = tenantOf(context);
      return read(async (run) => {
        const groups = new Map<string, StoreGroupRef[]>();
        for (const memberId of memberIds) groups.set(memberId, []);
        const wanted = [...groups.keys()].filter((memberId) => !UNSTORABLE.test(memberId));
        if (wanted.length === 0) return groups;
        const { rows } = await run<{ member: string; id: string; display_name: unknown }>(
          `SELECT DISTINCT m.value AS member, r.seq AS seq, r.id AS id, r.data -> 'displayName' AS display_name
             FROM ${t.members} AS m JOIN ${t.resources} AS r
               ON r.tenant = m.tenant AND r.type = m.group_type AND r.id = m.group_id
            WHERE m.tenant = $1 AND m.value = ANY($2::text[])
            ORDER BY r.seq`,
          [tenant, wanted],
        );
        for (const row of rows) {
          groups
            .get(row.member)
            ?.push(
              typeof row.display_name === 'string'
                ? { id: row.id, displayName: row.display_name }
                : { id: row.id },
            );
        }
        return groups;
      });
    },

    transaction<T>(work: () => Promise<T>): Promise<T> {
      const pinned = currentTransaction();
      if (pinned) {
        // Nested: a savepoint inside the open transaction.
        const name = `scim_nested_${++pinned.savepoints}`;
        return joined(pinned, () =>
          exclusive(pinned, () => pinned.client.query(`SAVEPOINT ${name}`)).then(() =>
            work().then(
              (result) =>
                exclusive(pinned, () => pinned.client.query(`RELEASE SAVEPOINT ${name}`)).then(() => result),
              (error: unknown) =>
                exclusive(pinned, async () => {
                  await pinned.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
                  await pinned.client.query(`RELEASE SAVEPOINT ${name}`);
                }).then(() => {
                  throw error;
                }),
            ),
          ),
        );
      }
      return tracked(async () => {
        const client = await pool.connect();
        const transaction: Pinned = {
          client,
          queue: Promise.resolve(),
          savepoints: 0,
          reindexed: false,
          layouts: new Map(),
          open: true,
          calls: new Set(),
        };
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          let outcome: { ok: true; value: T } | { ok: false; error: unknown };
          try {
            outcome = { ok: true, value: await scope.run(transaction, work) };
          } catch (error) {
            outcome = { ok: false, error };
          }
          // Calls `work` started without waiting for them (Promise.all rejects at the first
          // failure; a callback it left behind) end inside the transaction, before it commits
          // or rolls back: none may run on the connection once it is back in the pool.
          while (transaction.calls.size > 0) await Promise.allSettled([...transaction.calls]);
          transaction.open = false;
          await transaction.queue;
          if (!outcome.ok) throw outcome.error;
          await client.query('COMMIT');
          return outcome.value;
        } catch (error) {
          transaction.open = false;
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          });
          throw error;
        } finally {
          client.release(broken);
        }
      });
    },

    ready() {
      return tracked(async () => undefined);
    },

    async close() {
      if (closed) return;
      closed = true;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          idle = resolve;
        });
      }
      await preparing?.catch(() => undefined);
      if (ownsPool) await pool.end();
    },
  };
}
