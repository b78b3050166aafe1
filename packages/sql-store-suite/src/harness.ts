/**
 * What a SQL store gives the shared suites: how to open it on a fresh database, and the few
 * answers only its database knows (error texts, query plans, how another process opens it).
 */
import type { ScimResource } from '@scimkit/schema';
import type { ScimStore, StoreCreateOptions, StoreResourceType } from '@scimkit/server';

/**
 * A SQL store as the suites drive it: a `ScimStore` with transactions, `groupsOfMany`, member
 * slices, `close` and `importResources` (many new resources at once, as `create` of each would
 * store them).
 */
export type SuiteStore = ScimStore &
  Required<
    Pick<ScimStore, 'transaction' | 'groupsOfMany' | 'getMemberSlice' | 'replaceMemberSlice' | 'close'>
  > & {
    importResources(
      type: StoreResourceType,
      resources: readonly ScimResource[],
      options: StoreCreateOptions,
    ): Promise<void>;
  };

/** A statement a store ran, as its `onQuery` option reports it. */
export interface SqlStatement {
  /** The SQL text, with the dialect's placeholders. */
  sql: string;
  /** Its parameters. */
  params: unknown[];
}

/** Options the suites open a store with (every SQL store of scimkit takes them). */
export interface OpenOptions {
  /** Called with every statement the store builds from a SCIM query. */
  onQuery?: (statement: SqlStatement) => void;
}

/** The store's tables, as the suites read them beside the store. */
export type SuiteTable = 'resources' | 'attribute_values' | 'members';

/** One empty database (a file, a schema) that a test opens stores on. */
export interface SqlTestDatabase<S extends SuiteStore = SuiteStore> {
  /** Opens a store on this database; opened again after `close()`, it finds what was written. */
  open(options?: OpenOptions): S | Promise<S>;
  /** Runs SQL on this database beside the store (on a connection of its own): the rows it answers. */
  execute(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A table of the store as SQL names it here: `members`, `myschema.members`. */
  table(name: SuiteTable): string;
  /** How another process opens this database: what the crash opener module receives. */
  location: string;
  /** Removes the database after its test, if the store's test setup does not. */
  drop?(): Promise<void> | void;
}

/** A SQL store under the shared suites. */
export interface SqlStoreHarness<S extends SuiteStore = SuiteStore> {
  /** The factory's name, which names the tests (`createSqliteStore`). */
  name: string;
  /** A new, empty database for one test (or one property run). */
  database(): SqlTestDatabase<S> | Promise<SqlTestDatabase<S>>;
  /** What the database says when a statement run beside the store breaks its rules. */
  errors: {
    /** A row clashing with the partial unique index of `attribute_values`. */
    uniqueViolation: RegExp;
    /** A statement on the `members` table once it was renamed away. */
    missingMembersTable: RegExp;
  };
  /** Query plans: an equality on an indexed attribute must be an index lookup. */
  queryPlan: {
    /** Runs before the lookups (enough rows and fresh statistics for the planner). */
    prepare?(database: SqlTestDatabase<S>): Promise<void>;
    /** The plan of a statement the store ran, as text. */
    explain(database: SqlTestDatabase<S>, statement: SqlStatement): Promise<string>;
    /** Asserts (with `expect`) that the plan looks the value up in the index and never scans resources. */
    expectIndexLookup(plan: string): void;
    /**
     * Asserts that a Group query filtered by `members[value eq "…"]` starts from the folded
     * member index and fetches the groups by key, never scanning the groups or the members.
     */
    expectMemberLookup(plan: string): void;
  };
  /** The crash-consistency suite: a child process writes through the store and is killed. */
  crash: {
    /**
     * Path of a module whose default export opens the store on a database `location`, run by the
     * child process (TypeScript is fine: it runs under tsx).
     */
    opener: string;
    /** How many creates the bulk transaction holds: one killed midway, one left to commit. */
    bulk: { killed: number; committed: number };
    /** The database's own consistency check, expected to answer `'ok'`, if it has one. */
    integrity?(database: SqlTestDatabase<S>): Promise<unknown>;
  };
}
