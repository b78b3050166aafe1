import { type Migration, pendingMigrations } from '@scimkit/sql/internal';
import type Database from 'better-sqlite3';

/**
 * The store's schema, versioned. Append migrations; never edit an applied one. The applied
 * version is recorded in `schema_migrations` (and mirrored in `PRAGMA user_version`); each is
 * applied once, in order, inside a transaction.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'resources, attribute index, members',
    sql: `
      CREATE TABLE resources (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant TEXT NOT NULL,
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        version TEXT NOT NULL,
        data TEXT NOT NULL,
        created TEXT,
        last_modified TEXT
      );
      CREATE UNIQUE INDEX resources_key ON resources (tenant, type, id);
      CREATE INDEX resources_order ON resources (tenant, type, seq);

      CREATE TABLE attribute_values (
        tenant TEXT NOT NULL,
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        path TEXT NOT NULL,
        value TEXT NOT NULL,
        unique_scope TEXT
      );
      CREATE INDEX attribute_values_lookup ON attribute_values (tenant, type, path, value, seq);
      CREATE INDEX attribute_values_owner ON attribute_values (tenant, type, id);
      CREATE UNIQUE INDEX attribute_values_unique ON attribute_values (tenant, unique_scope, path, value)
        WHERE unique_scope IS NOT NULL;

      CREATE TABLE members (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant TEXT NOT NULL,
        group_type TEXT NOT NULL,
        group_id TEXT NOT NULL,
        attribute TEXT NOT NULL,
        value TEXT NOT NULL,
        type TEXT,
        display TEXT,
        ref TEXT
      );
      CREATE UNIQUE INDEX members_key ON members (tenant, group_type, group_id, attribute, value);
      CREATE INDEX members_by_member ON members (tenant, value);

      CREATE TABLE index_config (
        type TEXT PRIMARY KEY,
        config TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'members by folded value',
    // \`members[value eq "…"]\` (case-insensitive) starts from this index: foldedValueSql of
    // @scimkit/sql/internal, built-in functions only (any tool can still write the table).
    sql: `
      CREATE INDEX members_by_folded_member ON members (tenant, lower(replace(value, char(8490), 'k')));
    `,
  },
  {
    version: 3,
    description: 'members by lower-cased value (member-scoped PATCH reads)',
    // SQLite's own lower() (ASCII folding), so that any program opening the file (the sqlite3
    // shell, PRAGMA integrity_check) can maintain the index: a PATCH naming "U1" finds the
    // member "u1" with one index search; the store rechecks with its Unicode lower-casing.
    sql: `
      CREATE INDEX members_by_lower_value ON members (tenant, group_type, group_id, attribute, lower(value));
    `,
  },
];

/** Applies pending migrations; refuses a database written by a newer version of the store. */
export function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  const current = row.version ?? 0;
  const pending = pendingMigrations(
    MIGRATIONS,
    current,
    (latest) =>
      new Error(
        `The database is at schema version ${current}, newer than this @scimkit/store-sqlite supports (${latest}). Upgrade the package.`,
      ),
  );
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.description,
        new Date().toISOString(),
      );
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
