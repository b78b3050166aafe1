/**
 * The stores the scale bench runs on, and how it loads them: a SQLite file in a temporary
 * directory, or a PostgreSQL schema (SCIMKIT_PG_URL, or a scratch cluster started the way the
 * store's own tests start one).
 */

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { groupResourceType, type ScimResource, userResourceType } from '@scimkit/schema';
import type { ScimStore } from '@scimkit/server';
import { createPostgresStore, type PostgresStore } from '@scimkit/store-postgres';
import { createSqliteStore, type SqliteStore } from '@scimkit/store-sqlite';
import startScratchPostgres from '../../../packages/store-postgres/test/global-setup.js';
import { GROUP_SCHEMA, generateUser, groupId, type Json, userId } from '../corpus/users.js';

const CREATED = '2024-01-01T00:00:00.000Z';

/** The store kinds of the scale bench. */
export type StoreKind = 'sqlite' | 'postgres';

/** Where a store kind keeps its data: what a server process needs to open the same store. */
export interface StoreLocation {
  kind: StoreKind;
  /** SQLite: the database file. PostgreSQL: the connection string. */
  target: string;
  /** PostgreSQL: the schema holding the bench's tables. */
  schema?: string;
}

/** A location for a new, empty store, and how to remove it (and the scratch cluster) again. */
export async function provision(
  kind: StoreKind,
): Promise<{ location: StoreLocation; remove(): void; scratch?: boolean }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'scimkit-scale-'));
    return {
      location: { kind, target: join(dir, 'scale.db') },
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  let target = process.env['SCIMKIT_PG_URL'];
  let stop: (() => void) | undefined;
  if (!target) {
    const project = {
      provide: (_key: string, value: string) => {
        target = value;
      },
    };
    stop = (await startScratchPostgres(project as never)) ?? undefined;
  }
  if (!target) throw new Error('no PostgreSQL: set SCIMKIT_PG_URL or install PostgreSQL');
  const schema = `scimkit_scale_${randomBytes(4).toString('hex')}`;
  return { location: { kind, target, schema }, remove: () => stop?.(), scratch: stop !== undefined };
}

/** Runs SQL with psql (on PATH) on the server at `target`: the answer as text. */
function psql(target: string, sql: string): string {
  return execFileSync('psql', [target, '-XAt', '-c', sql], { encoding: 'utf8' }).trim();
}

/**
 * What autovacuum does after a bulk load, done at once so that it does not run during the
 * measurements: VACUUM (visibility map, for index-only scans) and ANALYZE (planner statistics)
 * of the store's tables.
 */
export function vacuum(location: StoreLocation): void {
  for (const table of ['resources', 'attribute_values', 'members'])
    psql(location.target, `VACUUM (ANALYZE) ${location.schema}.${table}`);
}

/** The PostgreSQL settings that decide what a commit waits for (and the pool sizes allowed). */
export function postgresSettings(target: string): Record<string, string> {
  const names = ['fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_connections'];
  const rows = psql(
    target,
    `SELECT name || '=' || current_setting(name) FROM pg_settings WHERE name IN (${names.map((n) => `'${n}'`).join(', ')}) ORDER BY name`,
  );
  return Object.fromEntries(rows.split('\n').map((row) => row.split('=') as [string, string]));
}

/**
 * Restarts the scratch cluster (the store tests' one: fsync, synchronous_commit and
 * full_page_writes off, which speeds up loading only) with PostgreSQL's defaults for them, so
 * that what the bench measures after loading waits for the WAL flush of each commit, as on a
 * production server. Only for the cluster `provision` started: a SCIMKIT_PG_URL server is
 * never touched.
 */
export function makeDurable(target: string): void {
  const data = psql(target, 'SHOW data_directory');
  const bin = psql(target, "SELECT setting FROM pg_config WHERE name = 'BINDIR'");
  const dir = dirname(data);
  const port = new URL(target).port;
  const args = [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-t',
    '120',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=200`,
    'restart',
  ];
  const pgCtl = join(bin, 'pg_ctl');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root) execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
  else execFileSync(pgCtl, args, { stdio: 'ignore' });
}

/** A store as the scale bench drives it: a SQL store with `importResources`, `transaction` and `close`. */
export type ScaleStore = ScimStore &
  Pick<SqliteStore & PostgresStore, 'importResources' | 'transaction' | 'close'>;

/**
 * Opens the store at `location`; `connections`: the PostgreSQL pool size of this process.
 *
 * @param indexedAttributes - the User attributes to index besides the defaults
 */
export function openStore(
  location: StoreLocation,
  connections = 10,
  indexedAttributes: readonly string[] = ['externalId'],
): ScaleStore {
  const indexed = { User: [...indexedAttributes] };
  if (location.kind === 'sqlite')
    return createSqliteStore({ filename: location.target, indexedAttributes: indexed });
  return createPostgresStore({
    connection: { connectionString: location.target, max: connections },
    schema: location.schema!,
    indexedAttributes: indexed,
  });
}

/** The population: `users` users and `groups` groups, the first of `bigGroup` members. */
export interface Population {
  users: number;
  groups: number;
  bigGroup: number;
}

/** Member `m` of group `g` among the small groups: ten users each, spread over the population. */
const smallGroupMember = (g: number, m: number, users: number): number => (g * 7919 + m * 104_729) % users;

/** A group as the bench stores it: `size` members taken from the population. */
export function scaleGroup(g: number, population: Population): Json {
  const size = g === 0 ? Math.min(population.bigGroup, population.users) : 10;
  const members = new Array<Json>(size);
  for (let m = 0; m < size; m++) {
    const member = g === 0 ? m : smallGroupMember(g, m, population.users);
    members[m] = { value: userId(member), type: 'User' };
  }
  const meta = { resourceType: 'Group', created: CREATED, lastModified: CREATED, version: 'W/"1"' };
  return { schemas: [GROUP_SCHEMA], id: groupId(g), displayName: `Scale group ${g}`, members, meta };
}

/** Users per `importResources` call. */
const BATCH = 2000;

/**
 * Loads the population through the store's `importResources` (the rows `create` of each would
 * write, with one statement per table), in batches of 2000 Users; on PostgreSQL two batches at
 * once (each its own transaction: one builds its rows in Node while the other's are written).
 * Returns the seconds it took.
 */
export async function load(
  store: ScaleStore,
  kind: StoreKind,
  population: Population,
  progress: (done: number) => void,
): Promise<number> {
  const started = performance.now();
  const options = { context: {} };
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < population.users) {
      const start = next;
      next = Math.min(population.users, start + BATCH);
      const users = Array.from({ length: next - start }, (_, k) => generateUser(start + k) as ScimResource);
      await store.importResources(userResourceType, users, options);
      done += users.length;
      progress(done);
    }
  };
  await Promise.all(Array.from({ length: kind === 'postgres' ? 2 : 1 }, worker));
  // The big group alone (its 100k member rows are one batch), then the small ones.
  const groups = Array.from(
    { length: population.groups },
    (_, g) => scaleGroup(g, population) as ScimResource,
  );
  await store.importResources(groupResourceType, groups.slice(0, 1), options);
  for (let start = 1; start < groups.length; start += BATCH)
    await store.importResources(groupResourceType, groups.slice(start, start + BATCH), options);
  return (performance.now() - started) / 1000;
}
