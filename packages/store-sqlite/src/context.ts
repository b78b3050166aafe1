import type { StoreResourceType } from '@scimkit/server';
import type { StorageLayout } from '@scimkit/sql/internal';
import type Database from 'better-sqlite3';
import type { QueryClock } from './connection.js';
import type { QueryStatements, Statements } from './statements.js';

/** What the modules of one SQLite store share: its connection, statements and layouts. */
export interface SqliteContext {
  /** The open database. */
  readonly db: Database.Database;
  /** The fixed statements. */
  readonly statements: Statements;
  /** The statements built from SCIM queries. */
  readonly queries: QueryStatements;
  /** The running query's deadline. */
  readonly clock: QueryClock;
  /** The layout of a resource type, its attribute index checked (and rebuilt) on first use. */
  layout(type: StoreResourceType): StorageLayout;
}
