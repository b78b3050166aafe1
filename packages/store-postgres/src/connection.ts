/**
 * Connections and transactions: which client a call runs on (a pooled one, or the pinned client
 * of the transaction it belongs to), savepoints, retries of standalone writes, start-up (the
 * schema migrated once) and closing once the calls in progress are done.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { StoreResourceType } from '@scimkit/server';
import type { StorageLayout } from '@scimkit/sql/internal';
import type { PoolClient, QueryResultRow } from 'pg';
import type { Pinned, PostgresContext } from './context.js';

/** Runs one statement on the connection a call uses. */
export type Runner = <R extends QueryResultRow = QueryResultRow>(
  text: string,
  params?: unknown[],
) => Promise<{ rows: R[]; rowCount: number | null }>;

/** The runner of one client. */
export function runnerOf(client: PoolClient): Runner {
  return (text, params) => client.query(text, params);
}

/** SQLSTATEs worth retrying a whole standalone write for. */
const RETRYABLE = new Set(['40001', '40P01']);

/** The SQLSTATE of a failed statement, if it is one. */
export function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** The error a failed ROLLBACK leaves: the client is then released as broken (not reused). */
function brokenBy(rollbackError: unknown): Error {
  return rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
}

/** Runs `work` after the pinned transaction's earlier statements (one at a time on its client). */
export function exclusive<T>(pinned: Pinned, work: () => Promise<T>): Promise<T> {
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

/**
 * Which client each call of a store runs on, and the store's lifecycle: migrated once before
 * the first call (`prepare`, tried again after a failure), closed once the calls in progress
 * are done. Transactions pin one pooled client; AsyncLocalStorage routes the calls their work
 * makes to it.
 */
export class PostgresAccess {
  readonly #context: PostgresContext;
  readonly #prepare: () => Promise<void>;
  readonly #ownsPool: boolean;
  readonly #scope = new AsyncLocalStorage<Pinned>();
  #closed = false;
  #inFlight = 0;
  #idle: (() => void) | undefined;
  #preparing: Promise<void> | undefined;

  constructor(context: PostgresContext, options: { prepare: () => Promise<void>; ownsPool: boolean }) {
    this.#context = context;
    this.#prepare = options.prepare;
    this.#ownsPool = options.ownsPool;
  }

  /** Migrates and checks the server once; a failed attempt (a database that was down) is tried again by the next call. */
  #ensureReady(): Promise<void> {
    if (!this.#preparing) {
      const attempt = this.#prepare();
      this.#preparing = attempt;
      attempt.catch(() => {
        if (this.#preparing === attempt) this.#preparing = undefined;
      });
    }
    return this.#preparing;
  }

  /** Counts calls in progress (so that close() can wait for them), once the store is ready. */
  async tracked<T>(work: () => Promise<T>): Promise<T> {
    // The calls of a transaction in progress still run: close() waits for it to end.
    if (this.#closed && !this.currentTransaction()) throw new Error('The PostgreSQL store is closed.');
    this.#inFlight += 1;
    try {
      await this.#ensureReady();
      return await work();
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) this.#idle?.();
    }
  }

  /**
   * The transaction a call made now belongs to: the open one whose `work` (or a callback it set)
   * is running, if any. Decided when the call starts, not after it waited for something.
   */
  currentTransaction(): Pinned | undefined {
    const pinned = this.#scope.getStore();
    return pinned?.open ? pinned : undefined;
  }

  /** A read: on the transaction's client when inside `transaction`, else on any pooled client. */
  read<T>(work: (run: Runner) => Promise<T>): Promise<T> {
    const pinned = this.currentTransaction();
    const pool = this.#context.pool;
    return joined(pinned, () =>
      this.tracked(() => {
        if (pinned) return inSavepoint(pinned, work);
        return work((text, params) => pool.query(text, params));
      }),
    );
  }

  /** A read that needs the type's layout (resolved first: inside a transaction it queues too). */
  readType<T>(type: StoreResourceType, work: (run: Runner, layout: StorageLayout) => Promise<T>): Promise<T> {
    const pool = this.#context.pool;
    return this.#withLayout(type, work, (layout) => work((text, params) => pool.query(text, params), layout));
  }

  /**
   * A write, atomic: a savepoint inside `transaction`, else its own transaction on a pooled
   * client (retried on a deadlock or serialization failure, which PostgreSQL may raise when
   * writers lock the same rows in different orders).
   */
  write<T>(type: StoreResourceType, work: (run: Runner, layout: StorageLayout) => Promise<T>): Promise<T> {
    return this.#withLayout(type, work, async (layout) => {
      for (let attempt = 1; ; attempt += 1) {
        const client = await this.#context.pool.connect();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          const result = await work(runnerOf(client), layout);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            broken = brokenBy(rollbackError);
          });
          if (attempt < 4 && RETRYABLE.has(sqlState(error) ?? '')) continue;
          throw error;
        } finally {
          client.release(broken);
        }
      }
    });
  }

  /**
   * A call that needs the type's layout, resolved before it takes a connection (a first use may
   * need one to check or rebuild the index): inside a transaction, `work` on its client in a
   * savepoint; outside, `standalone`.
   */
  #withLayout<T>(
    type: StoreResourceType,
    work: (run: Runner, layout: StorageLayout) => Promise<T>,
    standalone: (layout: StorageLayout) => Promise<T>,
  ): Promise<T> {
    const pinned = this.currentTransaction();
    return joined(pinned, () =>
      this.tracked(async () => {
        const layout = await this.#context.layout(type, pinned);
        if (pinned) return inSavepoint(pinned, (run) => work(run, layout));
        return standalone(layout);
      }),
    );
  }

  /**
   * `work` in a transaction of its own on a pooled client, begun with `begin` (a read-only
   * REPEATABLE READ snapshot and SET LOCAL settings, for the statements of one query); an error
   * is thrown as `failed` words it.
   */
  async snapshot<T>(
    begin: string,
    work: (run: Runner) => Promise<T>,
    failed: (error: unknown) => unknown,
  ): Promise<T> {
    const client = await this.#context.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await work(runnerOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = brokenBy(rollbackError);
      });
      throw failed(error);
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs `work` in one transaction on one pooled client (BEGIN … COMMIT, ROLLBACK if it throws);
   * nested, in a savepoint of the open one.
   */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    const pinned = this.currentTransaction();
    if (pinned) return this.#nested(pinned, work);
    return this.tracked(async () => {
      const client = await this.#context.pool.connect();
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
          outcome = { ok: true, value: await this.#scope.run(transaction, work) };
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
          broken = brokenBy(rollbackError);
        });
        throw error;
      } finally {
        client.release(broken);
      }
    });
  }

  /** A transaction inside the open one: a savepoint. */
  #nested<T>(pinned: Pinned, work: () => Promise<T>): Promise<T> {
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

  /** Waits for calls in progress, then ends the pool if the store created it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.#idle = resolve;
      });
    }
    await this.#preparing?.catch(() => undefined);
    if (this.#ownsPool) await this.#context.pool.end();
  }
}
