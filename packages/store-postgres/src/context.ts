import type { StoreResourceType } from '@scimkit/server';
import type { SqlDialect } from '@scimkit/sql';
import type { StorageLayout } from '@scimkit/sql/internal';
import type { Pool, PoolClient } from 'pg';

/** What the modules of one PostgreSQL store share: its pool, schema, dialect and layouts. */
export interface PostgresContext {
  /** The pool every call borrows from (or the pinned client of a transaction). */
  readonly pool: Pool;
  /** The PostgreSQL schema holding the store's tables. */
  readonly schema: string;
  /** The store's tables, qualified with its schema (checked identifiers, safe in SQL text). */
  readonly tables: { resources: string; values: string; members: string; indexConfig: string };
  /** Extra attributes to index, per resource type name (the store's option). */
  readonly indexedAttributes: Readonly<Record<string, readonly string[]>> | undefined;
  /** The store's `queryTimeout` in milliseconds (0: none). */
  readonly queryTimeout: number;
  /**
   * The names of the store's named (prepared) statements, by text; undefined when they run
   * unnamed (`preparedStatements: false`).
   */
  readonly statementNames: Map<string, string> | undefined;
  /** Called with every statement built from a SCIM query. */
  readonly onQuery: ((statement: { sql: string; params: unknown[] }) => void) | undefined;
  /** The dialect: `postgresDialect()`, with ICU once the server is known to have it. */
  dialect: SqlDialect;
  /**
   * The layout of a type, its attribute index checked (and rebuilt) on first use; `pinned`: the
   * transaction the call runs in.
   */
  layout(type: StoreResourceType, pinned: Pinned | undefined): Promise<StorageLayout>;
  /**
   * Follows the index configuration `recorded` in the database for a type after a call found
   * another than its layout's (see `StaleLayout`).
   */
  follow(type: StoreResourceType, recorded: string | undefined, pinned: Pinned | undefined): void;
}

/** What a transaction and the transactions nested in it share. */
export interface TransactionState {
  /** Numbers the savepoints (their names). */
  savepoints: number;
  /** Whether this transaction rebuilt an attribute index (not committed yet: not cached). */
  reindexed: boolean;
  /** The layouts this transaction checked itself (its concurrent calls share each check). */
  layouts: Map<string, { type: StoreResourceType; layout: Promise<StorageLayout> }>;
  /**
   * The first deadlock or serialization failure one of its statements met: PostgreSQL chose
   * this transaction to abort, so it is rolled back and its work run again from the start.
   */
  retry: unknown;
}

/**
 * Where a call inside a transaction runs: the pinned client of the transaction, in the frame of
 * the transaction or of the nested transaction (a savepoint) its work runs in. Each frame runs
 * its calls one at a time, and a nested transaction is one call of its parent's frame, so that
 * no statement of another frame runs while its savepoint is open (a rollback to it would undo
 * that statement too).
 */
export interface Pinned {
  client: PoolClient;
  /** The frame a nested transaction runs in; undefined for the transaction itself. */
  parent: Pinned | undefined;
  /** Serialises the frame's statements (savepoints must not interleave). */
  queue: Promise<unknown>;
  /** False once the frame is about to end: later calls (a timer its work set) run in the parent's frame, or on the pool. */
  open: boolean;
  /** Calls made from inside the frame and not yet settled: it ends only after them. */
  calls: Set<Promise<unknown>>;
  /** What the whole transaction shares. */
  shared: TransactionState;
}
