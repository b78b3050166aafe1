/**
 * Test helpers: every store gets its own PostgreSQL schema (test files run in parallel against
 * one server), dropped again when the test file ends.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
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
