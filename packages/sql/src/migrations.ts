/** The shape of a SQL store's versioned migrations, and which of them a database still needs. */

/** One schema migration of a store: applied once, in order. */
export interface Migration {
  /** Its number, from 1, one more than the one before. */
  version: number;
  /** What it creates or changes, recorded with it. */
  description: string;
  /** The DDL. */
  sql: string;
}

/**
 * The migrations a store still has to apply to a database at `current` (the highest version
 * recorded there), in order. A database written by a newer version of the store is refused:
 * `newer(latest)` is thrown, with `latest` the last version the store knows.
 *
 * @example
 * ```ts
 * import { type Migration, pendingMigrations } from '@scimkit/sql/internal';
 *
 * declare const MIGRATIONS: readonly Migration[];
 * declare const current: number; // the highest version the database records
 * for (const migration of pendingMigrations(MIGRATIONS, current, (latest) => new Error(`newer than ${latest}`))) {
 *   console.log(`applying ${migration.version}: ${migration.description}`);
 * }
 * ```
 */
export function pendingMigrations(
  migrations: readonly Migration[],
  current: number,
  newer: (latest: number) => Error,
): Migration[] {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) throw newer(latest);
  return migrations.filter((migration) => migration.version > current);
}
