/**
 * The SQLite connection of a store: opening the file with the store's pragmas and SQL
 * functions, the deadline of the running query, and the access rules (one caller at a time,
 * transactions and their savepoints).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { dateTimeKey, sqliteDialect } from '@scimkit/sql';
import { queryTimedOut } from '@scimkit/sql/internal';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';
import { Mutex } from './mutex.js';

/** The dialect of the store's queries, with its registered Unicode and dateTime functions. */
export const DIALECT = sqliteDialect({ lowerFunction: 'scim_lower', dateTimeFunction: 'scim_datetime' });

/**
 * The deadline of the running query (`queryTimeout`). SQLite has no statement timeout that
 * better-sqlite3 exposes, but an error thrown from a SQL function ends the statement: the store's
 * statements call `scim_guard()` for every row their WHERE clause looks at.
 */
export class QueryClock {
  readonly queryTimeout: number;
  /** When the running query must stop (Infinity between queries). */
  #deadline = Number.POSITIVE_INFINITY;
  #ticks = 0;

  constructor(queryTimeout: number) {
    this.queryTimeout = queryTimeout;
  }

  /** Throws once the running query is past its deadline; the clock is read every 16 calls. */
  check(): void {
    if ((++this.#ticks & 15) === 0 && performance.now() > this.#deadline) {
      throw queryTimedOut(this.queryTimeout);
    }
  }

  /**
   * Runs one query with a fresh deadline (none when `queryTimeout` is 0). The tick count starts
   * over too, so a query that reads fewer than 16 rows (an index lookup) never reads the clock.
   */
  time<T>(query: () => T): T {
    this.#ticks = 0;
    this.#deadline = this.queryTimeout > 0 ? performance.now() + this.queryTimeout : Number.POSITIVE_INFINITY;
    try {
      return query();
    } finally {
      this.#deadline = Number.POSITIVE_INFINITY;
    }
  }
}

/**
 * Opens (or creates) the database file: WAL journal, the store's SQL functions (`scim_lower`,
 * `scim_datetime`, `scim_guard`) and its migrations.
 */
export function openDatabase(
  filename: string,
  options: { busyTimeout: number; clock: QueryClock },
): Database.Database {
  const db = new Database(filename, { timeout: options.busyTimeout });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Unicode lower-casing and nanosecond dateTime keys, exactly as the in-memory evaluator
  // (compileFilter of @scimkit/filter) compares, so SQL and memory agree.
  db.function('scim_lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
  db.function('scim_datetime', { deterministic: true }, (value: unknown) => dateTimeKey(value));
  // Called for every row a query's WHERE clause looks at (not deterministic, so never folded).
  const clock = options.clock;
  db.function('scim_guard', { deterministic: false }, () => {
    clock.check();
    return 1;
  });
  try {
    migrate(db);
  } catch (error) {
    // A database from a newer version of the store (or a failed migration): not left open.
    db.close();
    throw error;
  }
  return db;
}

/**
 * Who may use the connection when. better-sqlite3 is synchronous, but `transaction(work)` takes
 * an async `work` whose awaits would let other requests interleave with the open transaction:
 * every call goes through a FIFO mutex, and calls made from inside `work` (tracked with
 * AsyncLocalStorage) bypass it. Writes inside `work` are savepoints.
 */
export class SqliteAccess {
  readonly #db: Database.Database;
  readonly #mutex = new Mutex();
  readonly #scope = new AsyncLocalStorage<symbol>();
  #openTransaction: symbol | undefined;
  #savepoints = 0;
  #closed = false;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Whether the caller runs inside the open transaction's work. */
  #inTransaction(): boolean {
    return this.#openTransaction !== undefined && this.#scope.getStore() === this.#openTransaction;
  }

  /** Serialises store access; calls from inside the open transaction's work run directly. */
  guarded<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('The SQLite store is closed.'));
    if (this.#inTransaction()) return Promise.resolve().then(work);
    return this.#mutex.run(work);
  }

  /** A write: guarded, and atomic (a savepoint when inside `transaction`). */
  write<T>(work: () => T): Promise<T> {
    return this.guarded(() => this.#db.transaction(work).immediate());
  }

  /** Runs `work` in one transaction (BEGIN IMMEDIATE … COMMIT); nested, in a savepoint. */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    const db = this.#db;
    if (this.#inTransaction()) {
      const name = `scim_nested_${++this.#savepoints}`;
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
    return this.guarded(async () => {
      const token = Symbol('transaction');
      this.#openTransaction = token;
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.#scope.run(token, work);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      } finally {
        this.#openTransaction = undefined;
      }
    });
  }

  /** Closes the database once the calls before this one are done. */
  close(): Promise<void> {
    return this.guarded(() => {
      if (!this.#closed) {
        this.#closed = true;
        this.#db.close();
      }
    });
  }
}
