/**
 * The stores the scale bench runs on, and how it loads them: a SQLite file in a temporary
 * directory, or a PostgreSQL schema (SCIMKIT_PG_URL, or a scratch cluster started the way the
 * store's own tests start one).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupResourceType, type ScimResource, userResourceType } from '@scimkit/schema';
import type { ScimStore } from '@scimkit/server';
import { createPostgresStore } from '@scimkit/store-postgres';
import { createSqliteStore } from '@scimkit/store-sqlite';
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
export async function provision(kind: StoreKind): Promise<{ location: StoreLocation; remove(): void }> {
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
  return { location: { kind, target, schema }, remove: () => stop?.() };
}

/**
 * Opens the store at `location`; `connections`: the PostgreSQL pool size of this process.
 *
 * @param indexedAttributes - the User attributes to index besides the defaults
 */
export function openStore(
  location: StoreLocation,
  connections = 10,
  indexedAttributes: readonly string[] = ['externalId'],
): ScimStore & { close(): Promise<void>; transaction<T>(work: () => Promise<T>): Promise<T> } {
  const indexed = { User: [...indexedAttributes] };
  if (location.kind === 'sqlite')
    return createSqliteStore({ filename: location.target, indexedAttributes: indexed }) as never;
  return createPostgresStore({
    connection: { connectionString: location.target, max: connections },
    schema: location.schema!,
    indexedAttributes: indexed,
  }) as never;
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

/** Loads the population in transactions of 5000 writes; returns the seconds it took. */
export async function load(
  store: ReturnType<typeof openStore>,
  population: Population,
  progress: (done: number) => void,
): Promise<number> {
  const started = performance.now();
  const context = {};
  const batch = 5000;
  for (let start = 0; start < population.users; start += batch) {
    await store.transaction(async () => {
      for (let i = start; i < Math.min(population.users, start + batch); i++)
        await store.create(userResourceType, generateUser(i) as ScimResource, { context });
    });
    progress(Math.min(population.users, start + batch));
  }
  for (let start = 0; start < population.groups; start += batch) {
    await store.transaction(async () => {
      for (let g = start; g < Math.min(population.groups, start + batch); g++)
        await store.create(groupResourceType, scaleGroup(g, population) as ScimResource, { context });
    });
  }
  return (performance.now() - started) / 1000;
}
