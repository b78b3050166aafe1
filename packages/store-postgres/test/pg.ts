/**
 * Test helpers: every store gets its own PostgreSQL schema (test files run in parallel against
 * one server), dropped again when the test file ends; and the store under the shared SQL-store
 * suites.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { SqlStoreHarness, SqlTestDatabase } from '@scimkit/sql-store-suite';
import pg from 'pg';
import { afterAll, expect, inject } from 'vitest';
import { createPostgresStore, type PostgresStore, type PostgresStoreOptions } from '../src/index.js';

/** The server global-setup.ts provides (a scratch cluster, or SCIMKIT_PG_URL). */
export const pgUrl: string = inject('pgUrl');

const schemas: string[] = [];
let admin: pg.Pool | undefined;

/** A pool for the test itself (inspecting tables, racing connections); ended after the file. */
export function testPool(max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: pgUrl, max });
  pools.push(pool);
  return pool;
}
const pools: pg.Pool[] = [];

/** A new schema name, unique across parallel test files and runs. */
export function freshSchema(prefix = 't'): string {
  const name = `scimkit_${prefix}_${randomBytes(6).toString('hex')}`;
  schemas.push(name);
  return name;
}

/** A store on a fresh schema (or the given one), on its own pool. */
export function openStore(
  options: Omit<PostgresStoreOptions, 'pool' | 'connection'> & { pool?: pg.Pool } = {},
): PostgresStore {
  const { pool, ...rest } = options;
  return createPostgresStore({
    ...(pool ? { pool } : { connection: { connectionString: pgUrl, max: 4 } }),
    schema: rest.schema ?? freshSchema(),
    ...rest,
  });
}

afterAll(async () => {
  admin = new pg.Pool({ connectionString: pgUrl, max: 1 });
  try {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
    await Promise.all(pools.map((pool) => pool.end()));
  }
});

let inspector: pg.Pool | undefined;

/** A fresh schema, its store opened ready (migrated) and inspected on a pool of the test's own. */
function schemaDatabase(): SqlTestDatabase<PostgresStore> {
  const schema = freshSchema('store');
  return {
    location: JSON.stringify({ url: pgUrl, schema }),
    async open(options = {}) {
      const store = openStore({ schema, ...options });
      await store.ready();
      return store;
    },
    async execute(sql, params) {
      inspector ??= testPool(1);
      return (await inspector.query(sql, params)).rows;
    },
    table: (name) => `${schema}.${name}`,
  };
}

/** How the shared suites open and inspect a PostgreSQL store. */
export const postgresHarness: SqlStoreHarness<PostgresStore> = {
  name: 'createPostgresStore',
  database: schemaDatabase,
  errors: {
    uniqueViolation: /duplicate key value violates unique constraint "attribute_values_unique"/,
    missingMembersTable: /relation "scimkit_store_\w+\.members" does not exist/,
  },
  queryPlan: {
    // Enough rows (and fresh statistics) for the planner to prefer the index over a scan.
    async prepare(database) {
      const many = Array.from({ length: 2000 }, (_, i) => `filler${i}`);
      const resources = database.table('resources');
      const values = database.table('attribute_values');
      await database.execute(
        `INSERT INTO ${resources} (tenant, type, id, version, data) SELECT '', 'User', x, 'W/"1"', jsonb_build_object('userName', x) FROM unnest($1::text[]) AS x`,
        [many],
      );
      await database.execute(
        `INSERT INTO ${values} (tenant, type, id, seq, path, value) SELECT '', 'User', r.id, r.seq, 'userName', r.id FROM ${resources} r WHERE r.id LIKE 'filler%'`,
      );
      // Filler groups of ten members each: a member filter must still start from the index.
      const members = database.table('members');
      await database.execute(
        `INSERT INTO ${resources} (tenant, type, id, version, data) SELECT '', 'Group', 'fillergroup' || g, 'W/"1"', jsonb_build_object('displayName', 'filler') FROM generate_series(1, 500) AS g`,
      );
      await database.execute(
        `INSERT INTO ${members} (tenant, group_type, group_id, attribute, value) SELECT '', 'Group', 'fillergroup' || g, 'members', 'filler' || (g * 10 + m) FROM generate_series(1, 500) AS g, generate_series(1, 10) AS m`,
      );
      await database.execute(`ANALYZE ${resources}`);
      await database.execute(`ANALYZE ${values}`);
      await database.execute(`ANALYZE ${members}`);
    },
    async explain(database, statement) {
      const rows = await database.execute(`EXPLAIN ${statement.sql}`, statement.params);
      return rows.map((row) => String(row['QUERY PLAN'])).join('\n');
    },
    expectIndexLookup(plan) {
      expect(plan).toMatch(/Index (Only )?Scan using attribute_values_lookup/);
      expect(plan).not.toMatch(/Seq Scan on resources/);
    },
    expectMemberLookup(plan) {
      // The holders' ids once (an InitPlan) from the folded member index, then the groups by key.
      expect(plan).toMatch(/InitPlan/);
      expect(plan).toMatch(/Index (Only )?Scan using members_by_folded_member/);
      expect(plan).toMatch(/Index (Only )?Scan using resources_key on resources r/);
      expect(plan).not.toMatch(/Seq Scan|SubPlan/);
    },
  },
  crash: {
    opener: fileURLToPath(new URL('../src/__fixtures__/open-store.ts', import.meta.url)),
    bulk: { killed: 600, committed: 300 },
  },
};
