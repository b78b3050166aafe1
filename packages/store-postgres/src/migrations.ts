import { postgresDialect, type SqlDialect } from '@scimkit/sql';
import { type Migration, pendingMigrations } from '@scimkit/sql/internal';
import type { Pool, PoolClient } from 'pg';

/**
 * The store's tables, versioned. Append migrations; never edit an applied one. Applied versions
 * are recorded in `<schema>.schema_migrations`. In the DDL, `{schema}` stands for the store's
 * (checked, unquoted) schema name.
 *
 * Text columns that take part in comparisons or uniqueness use `COLLATE "C"` (byte order, no
 * locale): ids and normalised values are compared exactly, as the other stores compare them.
 * Indexed values are unique and looked up through `md5(value)`, so a value longer than a
 * B-tree entry allows (about 2.7 kB) is still indexed; lookups recheck the value itself.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'resources, attribute index, members',
    sql: `
      CREATE TABLE {schema}.resources (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant text COLLATE "C" NOT NULL,
        type text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        version text NOT NULL,
        data jsonb NOT NULL,
        created text,
        last_modified text
      );
      CREATE UNIQUE INDEX resources_key ON {schema}.resources (tenant, type, id);
      CREATE INDEX resources_order ON {schema}.resources (tenant, type, seq);

      CREATE TABLE {schema}.attribute_values (
        tenant text COLLATE "C" NOT NULL,
        type text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        seq bigint NOT NULL,
        path text COLLATE "C" NOT NULL,
        value text COLLATE "C" NOT NULL,
        unique_scope text COLLATE "C"
      );
      CREATE INDEX attribute_values_lookup ON {schema}.attribute_values (tenant, type, path, md5(value), seq);
      CREATE INDEX attribute_values_owner ON {schema}.attribute_values (seq);
      CREATE INDEX attribute_values_type ON {schema}.attribute_values (type);
      CREATE UNIQUE INDEX attribute_values_unique ON {schema}.attribute_values (tenant, unique_scope, path, md5(value))
        WHERE unique_scope IS NOT NULL;

      CREATE TABLE {schema}.members (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant text COLLATE "C" NOT NULL,
        group_type text COLLATE "C" NOT NULL,
        group_id text COLLATE "C" NOT NULL,
        attribute text COLLATE "C" NOT NULL,
        value text COLLATE "C" NOT NULL,
        type text COLLATE "C",
        display text COLLATE "C",
        ref text COLLATE "C"
      );
      CREATE UNIQUE INDEX members_key ON {schema}.members (tenant, group_type, group_id, attribute, value);
      CREATE INDEX members_by_member ON {schema}.members (tenant, value);

      CREATE TABLE {schema}.index_config (
        type text COLLATE "C" PRIMARY KEY,
        config text NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'members by folded value',
    // \`members[value eq "…"]\` (case-insensitive) starts from this index: foldedValueSql of
    // @scimkit/sql/internal (lower() of the "C" collation folds ASCII only, whatever the locale).
    sql: `
      CREATE INDEX members_by_folded_member ON {schema}.members (tenant, lower(replace(value, chr(8490), 'k') COLLATE "C"));
    `,
  },
  {
    version: 3,
    description: 'members by lower-cased value (member-scoped PATCH reads)',
    // The expression of the store's lower() (postgresDialect): with ICU when the server has it,
    // as the store then folds case; a store told icu: false searches the group's rows instead.
    sql: `
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu' AND collprovider = 'i') THEN
          CREATE INDEX members_by_lower_value ON {schema}.members
            (tenant, group_type, group_id, attribute, (lower((value) COLLATE "und-x-icu") COLLATE "C"));
        ELSE
          CREATE INDEX members_by_lower_value ON {schema}.members
            (tenant, group_type, group_id, attribute, (lower((value) COLLATE "default") COLLATE "C"));
        END IF;
      END
      $$;
    `,
  },
];

/** Advisory lock namespace of this package (`pg_advisory_xact_lock(namespace, hashtext(schema))`). */
export const LOCK_NAMESPACE = 0x5c1;

/**
 * Creates the schema if needed and applies pending migrations, in one transaction holding an
 * advisory lock on the schema (so stores starting together migrate once). Refuses a schema
 * written by a newer version of the package.
 */
async function migrate(client: PoolClient, schema: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${schema}.schema_migrations`,
    );
    const current = rows[0]?.version ?? 0;
    const pending = pendingMigrations(
      MIGRATIONS,
      current,
      (latest) =>
        new Error(
          `The PostgreSQL schema "${schema}" is at version ${current}, newer than this @scimkit/store-postgres supports (${latest}). Upgrade the package.`,
        ),
    );
    for (const migration of pending) {
      await client.query(migration.sql.replaceAll('{schema}', schema));
      await client.query(`INSERT INTO ${schema}.schema_migrations (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Readies a store's schema on a pooled connection: refuses a schema name PostgreSQL reserves,
 * migrates, and answers the dialect (with ICU case folding when the server has it and `icu`
 * allows it).
 */
export async function prepareSchema(pool: Pool, schema: string, icu: 'auto' | boolean): Promise<SqlDialect> {
  const client = await pool.connect();
  try {
    // The name goes into SQL unquoted: a reserved word would be a bare "syntax error".
    const reserved = await client.query(
      "SELECT 1 FROM pg_get_keywords() WHERE word = $1 AND catcode IN ('R', 'T')",
      [schema],
    );
    if (reserved.rows.length > 0) {
      throw new TypeError(
        `schema "${schema}" is a reserved word of PostgreSQL and cannot name the store's schema: choose another (the default is "scim").`,
      );
    }
    await migrate(client, schema);
    let withIcu = icu;
    if (withIcu === 'auto') {
      const { rows } = await client.query(
        "SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu' AND collprovider = 'i'",
      );
      withIcu = rows.length > 0;
    }
    client.release();
    return postgresDialect({ icu: withIcu });
  } catch (error) {
    client.release(true);
    throw error;
  }
}
