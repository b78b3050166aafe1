/**
 * The storage layout of each resource type, and its attribute index kept in step with it: when
 * the indexed set changes (a new `indexedAttributes` option, a schema change), the type's index
 * rows are rebuilt at first use, once across processes, on a connection of its own so that the
 * rebuild commits at once.
 */
import type { ScimResource } from '@scimkit/schema';
import type { StoreResourceType } from '@scimkit/server';
import { type StorageLayout, storageLayout } from '@scimkit/sql/internal';
import type { PoolClient } from 'pg';
import { exclusive, type Runner, runnerOf } from './connection.js';
import type { Pinned, PostgresContext } from './context.js';
import { LOCK_NAMESPACE } from './migrations.js';
import { writeValues } from './rows.js';
import { StaleLayout } from './stale-layout.js';
import { named } from './statements.js';

/**
 * How long a call inside a transaction waits for a second connection to check a type's index
 * on before it uses the transaction's own.
 */
const SPARE_CONNECTION_WAIT_MS = 250;

/** The index configuration (layout signature) recorded for a type, if any. */
async function storedSignature(
  context: PostgresContext,
  run: Runner,
  type: StoreResourceType,
): Promise<string | undefined> {
  const { rows } = await run<{ config: string }>(
    `SELECT config FROM ${context.tables.indexConfig} WHERE type = $1`,
    [type.name],
  );
  return rows[0]?.config;
}

/**
 * Checks, before a write of index rows or a read through them, that the database records the
 * index configuration `layout` has, and throws {@link StaleLayout} when not. `lock` (inside a
 * read-write transaction) keeps the record's row share-locked until the transaction ends: a
 * rebuild (which locks it for update first) waits for the writes made under the old
 * configuration, and the writes after it see the new one. A read-only snapshot needs no lock:
 * a rebuild commits its record with its rows.
 */
export async function checkRecorded(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  lock: boolean,
): Promise<void> {
  const typeName = layout.resourceType.name;
  const { rows } = await run<{ config: string }>(
    named(
      context,
      `SELECT config FROM ${context.tables.indexConfig} WHERE type = $1${lock ? ' FOR SHARE' : ''}`,
    ),
    [typeName],
  );
  const recorded = rows[0]?.config;
  if (recorded !== layout.signature) throw new StaleLayout(typeName, recorded);
}

/**
 * Makes `call` (a write, or a query through the index), and makes it again with the recorded
 * layout when it met a {@link StaleLayout}; `pinned`: the transaction it runs in.
 */
export async function withRecordedLayout<T>(
  context: PostgresContext,
  type: StoreResourceType,
  pinned: Pinned | undefined,
  call: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      // Three configurations recorded one after the other during one call: give up.
      if (!(error instanceof StaleLayout) || attempt >= 3) throw error;
      context.follow(type, error.recorded, pinned);
    }
  }
}

/**
 * The layout of `type` whose index configuration is `recorded` (a signature), when this
 * process can build it (the type's schemas name every recorded attribute), else undefined.
 */
function layoutRecorded(type: StoreResourceType, recorded: string): StorageLayout | undefined {
  try {
    const entries = JSON.parse(recorded) as unknown;
    if (!Array.isArray(entries)) return undefined;
    const paths = entries.map((entry) => (Array.isArray(entry) ? String(entry[0]) : ''));
    const layout = storageLayout(type, { indexedAttributes: paths });
    return layout.signature === recorded ? layout : undefined;
  } catch {
    return undefined;
  }
}

/** Rebuilds a type's index rows (inside the caller's transaction), once across processes (advisory lock). */
async function reindex(context: PostgresContext, run: Runner, fresh: StorageLayout): Promise<void> {
  const { tables } = context;
  const typeName = fresh.resourceType.name;
  await run('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
    LOCK_NAMESPACE,
    `${context.schema}:${typeName}`,
  ]);
  // Locked for update: waits for the writes in progress under the recorded configuration (they
  // hold it share-locked, see checkRecorded) and holds back those that follow until this commits.
  const { rows } = await run<{ config: string }>(
    `SELECT config FROM ${tables.indexConfig} WHERE type = $1 FOR UPDATE`,
    [typeName],
  );
  if (rows[0]?.config === fresh.signature) return;
  await run(`DELETE FROM ${tables.values} WHERE type = $1`, [typeName]);
  let after = '0';
  for (;;) {
    const batch = await run<{ seq: string; tenant: string; data: ScimResource }>(
      `SELECT seq, tenant, data FROM ${tables.resources} WHERE type = $1 AND seq > $2 ORDER BY seq LIMIT 500`,
      [typeName, after],
    );
    for (const row of batch.rows) await writeValues(context, run, fresh, row.tenant, row.data, row.seq);
    const last = batch.rows[batch.rows.length - 1];
    if (!last) break;
    after = last.seq;
  }
  await run(
    `INSERT INTO ${tables.indexConfig} (type, config) VALUES ($1, $2) ON CONFLICT (type) DO UPDATE SET config = EXCLUDED.config`,
    [typeName, fresh.signature],
  );
}

/** The layouts of a store's resource types, by type name, shared by the calls that follow a check. */
export class LayoutCache {
  readonly #context: PostgresContext;
  readonly #layouts = new Map<
    string,
    {
      type: StoreResourceType;
      layout: Promise<StorageLayout>;
      /** Resolved, or holding its connection already: waiting for it never waits for the pool. */
      safe: boolean;
    }
  >();

  constructor(context: PostgresContext) {
    this.#context = context;
  }

  /**
   * The layout of a type; (re)builds its attribute index when the indexed set changed, once,
   * on a connection of its own so that it commits at once. `pinned`: the transaction the call
   * runs in.
   */
  layout(type: StoreResourceType, pinned: Pinned | undefined): Promise<StorageLayout> {
    const cached = this.#layouts.get(type.name);
    if (cached && cached.type === type && (cached.safe || !pinned)) return cached.layout;
    const extra = this.#context.indexedAttributes?.[type.name];
    const fresh = storageLayout(type, extra ? { indexedAttributes: extra } : {});
    if (!pinned) return this.#remember(type, this.#context.pool.connect(), fresh);
    // Inside a transaction: never wait long for another pooled connection, nor for a check that
    // waits for one. When every connection is held by a transaction waiting so, none would ever
    // come back (a burst of bulk requests at start-up). Concurrent calls of the transaction
    // share one check, so that they still queue in the order they were made.
    const mine = pinned.shared.layouts.get(type.name);
    if (mine && mine.type === type) return mine.layout;
    const pool = this.#context.pool;
    const full = pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? 10);
    const promise = (full ? Promise.resolve(undefined) : this.#connectWithin(SPARE_CONNECTION_WAIT_MS)).then(
      (spare) => (spare ? this.#remember(type, spare, fresh) : this.#checkInTransaction(pinned, fresh)),
    );
    const entry = { type, layout: promise };
    pinned.shared.layouts.set(type.name, entry);
    // A failed check is tried again by the transaction's next call.
    promise.catch(() => {
      if (pinned.shared.layouts.get(type.name) === entry) pinned.shared.layouts.delete(type.name);
    });
    return promise;
  }

  /**
   * Follows the index configuration another process recorded for `type` (see
   * {@link StaleLayout}): this process then writes and reads the index as recorded, without
   * rebuilding it back to its own `indexedAttributes` (processes of two releases would otherwise
   * rebuild it in turn). When this process cannot build the recorded layout (its schemas lack a
   * recorded attribute), its next call checks and rebuilds the index as at first use.
   */
  follow(type: StoreResourceType, recorded: string | undefined, pinned: Pinned | undefined): void {
    this.#layouts.delete(type.name);
    pinned?.shared.layouts.delete(type.name);
    const layout = recorded === undefined ? undefined : layoutRecorded(type, recorded);
    if (layout) this.#layouts.set(type.name, { type, layout: Promise.resolve(layout), safe: true });
  }

  /**
   * No connection to spare: check (and rebuild) on the transaction's own connection. A rebuild
   * is then undone with the transaction, so only a signature found in place is cached.
   */
  #checkInTransaction(pinned: Pinned, fresh: StorageLayout): Promise<StorageLayout> {
    const type = fresh.resourceType;
    return exclusive(pinned, async () => {
      const run = runnerOf(pinned.client);
      if ((await storedSignature(this.#context, run, type)) === fresh.signature) {
        if (!pinned.shared.reindexed && !this.#layouts.has(type.name)) {
          this.#layouts.set(type.name, { type, layout: Promise.resolve(fresh), safe: true });
        }
        return fresh;
      }
      const name = `scim_reindex_${++pinned.shared.savepoints}`;
      await run(`SAVEPOINT ${name}`);
      try {
        await reindex(this.#context, run, fresh);
        await run(`RELEASE SAVEPOINT ${name}`);
      } catch (error) {
        await run(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
      pinned.shared.reindexed = true;
      return fresh;
    });
  }

  /**
   * A pooled connection if one comes within `ms`, else undefined (one that comes later goes
   * straight back to the pool).
   */
  #connectWithin(ms: number): Promise<PoolClient | undefined> {
    return new Promise((resolve) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        resolve(undefined);
      }, ms);
      this.#context.pool.connect().then(
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
  async #indexOn(client: PoolClient, fresh: StorageLayout): Promise<StorageLayout> {
    try {
      if ((await storedSignature(this.#context, runnerOf(client), fresh.resourceType)) !== fresh.signature) {
        await client.query('BEGIN');
        try {
          await reindex(this.#context, runnerOf(client), fresh);
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
  #remember(
    type: StoreResourceType,
    connection: Promise<PoolClient> | PoolClient,
    fresh: StorageLayout,
  ): Promise<StorageLayout> {
    const connected = Promise.resolve(connection);
    const promise = connected.then((client) => this.#indexOn(client, fresh));
    const entry = { type, layout: promise, safe: false };
    this.#layouts.set(type.name, entry);
    const safe = () => {
      entry.safe = true;
    };
    connected.then(safe, () => undefined);
    promise.then(safe, () => {
      if (this.#layouts.get(type.name) === entry) this.#layouts.delete(type.name);
    });
    return promise;
  }
}
