/**
 * Connections and transactions: which client a call runs on (a pooled one, or the pinned client
 * of the transaction it belongs to), savepoints, retries of standalone writes, start-up (the
 * schema migrated once) and closing once the calls in progress are done.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ScimError } from '@scimkit/schema';
import type { StoreResourceType } from '@scimkit/server';
import type { StorageLayout } from '@scimkit/sql/internal';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { Pinned, PostgresContext } from './context.js';
import { queryConfig, type Statement } from './statements.js';

/** Runs one statement (its text, or a named statement) on the connection a call uses. */
export type Runner = <R extends QueryResultRow = QueryResultRow>(
  text: Statement,
  params?: unknown[],
) => Promise<{ rows: R[]; rowCount: number | null }>;

/** The runner of one client. */
export function runnerOf(client: PoolClient): Runner {
  return (text, params) => client.query(queryConfig(text, params));
}

/** The runner of a pool: each statement on whichever client is free. */
function poolRunner(pool: Pool): Runner {
  return (text, params) => pool.query(queryConfig(text, params));
}

/**
 * SQLSTATEs worth running a whole transaction again for (a standalone write, or the work of
 * `transaction`): a serialization failure and a deadlock, where PostgreSQL aborts one of the
 * transactions involved so that the others go on.
 */
const RETRYABLE = new Set(['40001', '40P01']);

/** How many times a transaction is tried before its deadlock or serialization failure is thrown. */
const ATTEMPTS = 4;

/**
 * Waits a random few milliseconds before attempt `attempt + 1`, so that the transaction that won
 * the deadlock takes its locks before the loser asks for them again.
 */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
}

/** Whether `error` is a deadlock or serialization failure, worth a new attempt. */
function retryable(error: unknown): boolean {
  return RETRYABLE.has(sqlState(error) ?? '');
}

/** What a call of a transaction that lost a deadlock fails with until the attempt is rolled back. */
function retryPending(): ScimError {
  return new ScimError('The transaction was aborted by the database and is being run again.', {
    status: 503,
  });
}

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
    // The transaction lost a deadlock: it will run again, so its remaining calls end at once.
    if (pinned.shared.retry !== undefined) throw retryPending();
    const name = `scim_op_${++pinned.shared.savepoints}`;
    await pinned.client.query(`SAVEPOINT ${name}`);
    try {
      const result = await work(runnerOf(pinned.client));
      await pinned.client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      // Whatever the work makes of this error (the server's bulk turns it into one failed
      // operation), the transaction is rolled back and run again.
      await pinned.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await pinned.client.query(`RELEASE SAVEPOINT ${name}`);
      if (!retryable(error)) throw error;
      pinned.shared.retry ??= error;
      // A SCIM error, so that the work's own handling (one failed bulk operation) does not
      // report an unexpected error for an attempt that is about to be discarded.
      throw retryPending();
    }
  });
}

/**
 * Runs a frame's `work` (with AsyncLocalStorage routing its calls to the frame), then waits for
 * the calls it started without waiting for them (Promise.all rejects at the first failure; a
 * callback it left behind): none may run once the frame has ended.
 */
async function settle<T>(
  scope: AsyncLocalStorage<Pinned>,
  frame: Pinned,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await scope.run(frame, work) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  while (frame.calls.size > 0) await Promise.allSettled([...frame.calls]);
  frame.open = false;
  await frame.queue;
  return outcome;
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
  /** COMMITs of read-only snapshots whose answer was already returned (see `snapshot`). */
  readonly #commits = new Set<Promise<void>>();

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
    let frame = this.#scope.getStore();
    while (frame && !frame.open) frame = frame.parent;
    return frame;
  }

  /** A read: on the transaction's client when inside `transaction`, else on any pooled client. */
  read<T>(work: (run: Runner) => Promise<T>): Promise<T> {
    const pinned = this.currentTransaction();
    const pool = this.#context.pool;
    return joined(pinned, () =>
      this.tracked(() => {
        if (pinned) return inSavepoint(pinned, work);
        return work(poolRunner(pool));
      }),
    );
  }

  /** A runner of the pool, for a read of one statement outside any transaction (its own snapshot). */
  pooled(): Runner {
    return poolRunner(this.#context.pool);
  }

  /** A read that needs the type's layout (resolved first: inside a transaction it queues too). */
  readType<T>(type: StoreResourceType, work: (run: Runner, layout: StorageLayout) => Promise<T>): Promise<T> {
    const pool = this.#context.pool;
    return this.#withLayout(type, work, (layout) => work(poolRunner(pool), layout));
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
          if (attempt >= ATTEMPTS || !retryable(error)) throw error;
        } finally {
          client.release(broken);
        }
        await backoff(attempt);
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
   * `work` in a read-only transaction of its own on a pooled client, begun with `begin` (a
   * READ ONLY REPEATABLE READ snapshot and SET LOCAL settings, for the statements of one query);
   * an error is thrown as `failed` words it. The answer is returned without waiting for the
   * COMMIT: a read-only snapshot has nothing to commit, and its rows are final once read (the
   * client goes back to the pool when the COMMIT is done; `close()` waits for it).
   */
  async snapshot<T>(
    begin: string,
    work: (run: Runner) => Promise<T>,
    failed: (error: unknown) => unknown,
  ): Promise<T> {
    const client = await this.#context.pool.connect();
    let result: T;
    try {
      await client.query(begin);
      result = await work(runnerOf(client));
    } catch (error) {
      let broken: Error | undefined;
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = brokenBy(rollbackError);
      });
      client.release(broken);
      throw failed(error);
    }
    const committed = client.query('COMMIT').then(
      () => client.release(),
      (error: unknown) => client.release(brokenBy(error)),
    );
    this.#commits.add(committed);
    void committed.finally(() => this.#commits.delete(committed));
    return result;
  }

  /**
   * Runs `work` in one transaction on one pooled client (BEGIN … COMMIT, ROLLBACK if it throws);
   * nested, in a savepoint of the open one. When PostgreSQL aborts one of its statements for a
   * deadlock or a serialization failure, the transaction is rolled back and `work` runs again
   * (up to 4 attempts), whatever `work` made of that error.
   */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    const pinned = this.currentTransaction();
    if (pinned) return this.#nested(pinned, work);
    return this.tracked(async () => {
      for (let attempt = 1; ; attempt += 1) {
        const outcome = await this.#attempt(work);
        if (outcome.ok) return outcome.value;
        if (attempt >= ATTEMPTS || !outcome.retry) throw outcome.error;
        await backoff(attempt);
      }
    });
  }

  /** One attempt of a transaction; `retry`: it lost a deadlock (or serialization) and was rolled back. */
  async #attempt<T>(
    work: () => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown; retry: boolean }> {
    const client = await this.#context.pool.connect();
    const transaction: Pinned = {
      client,
      parent: undefined,
      queue: Promise.resolve(),
      open: true,
      calls: new Set(),
      shared: { savepoints: 0, reindexed: false, layouts: new Map(), retry: undefined },
    };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const outcome = await settle(this.#scope, transaction, work);
      const lost =
        transaction.shared.retry ?? (!outcome.ok && retryable(outcome.error) ? outcome.error : undefined);
      if (lost !== undefined) throw lost;
      if (!outcome.ok) throw outcome.error;
      await client.query('COMMIT');
      return outcome;
    } catch (error) {
      transaction.open = false;
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = brokenBy(rollbackError);
      });
      return { ok: false, error, retry: retryable(error) };
    } finally {
      client.release(broken);
    }
  }

  /**
   * A transaction inside the open one: a savepoint, as one call of the frame it is made in, so
   * that no other statement of that frame runs until it has ended.
   */
  #nested<T>(pinned: Pinned, work: () => Promise<T>): Promise<T> {
    return joined(pinned, () =>
      exclusive(pinned, async () => {
        const name = `scim_nested_${++pinned.shared.savepoints}`;
        const frame: Pinned = {
          client: pinned.client,
          parent: pinned,
          queue: Promise.resolve(),
          open: true,
          calls: new Set(),
          shared: pinned.shared,
        };
        await pinned.client.query(`SAVEPOINT ${name}`);
        const outcome = await settle(this.#scope, frame, work);
        if (outcome.ok) {
          await pinned.client.query(`RELEASE SAVEPOINT ${name}`);
          return outcome.value;
        }
        if (retryable(outcome.error)) pinned.shared.retry ??= outcome.error;
        await pinned.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await pinned.client.query(`RELEASE SAVEPOINT ${name}`);
        throw outcome.error;
      }),
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
    while (this.#commits.size > 0) await Promise.all([...this.#commits]);
    if (this.#ownsPool) await this.#context.pool.end();
  }
}
