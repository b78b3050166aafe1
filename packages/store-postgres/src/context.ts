import type { StoreResourceType } from '@scimkit/server';
import type { SqlDialect } from '@scimkit/sql';
import type { StorageLayout } from '@scimkit/sql/internal';
import type { Pool } from 'pg';
import type { Pinned } from './connection.js';

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
  /** Called with every statement built from a SCIM query. */
  readonly onQuery: ((statement: { sql: string; params: unknown[] }) => void) | undefined;
  /** The dialect: `postgresDialect()`, with ICU once the server is known to have it. */
  dialect: SqlDialect;
  /**
   * The layout of a type, its attribute index checked (and rebuilt) on first use; `pinned`: the
   * transaction the call runs in.
   */
  layout(type: StoreResourceType, pinned: Pinned | undefined): Promise<StorageLayout>;
}
