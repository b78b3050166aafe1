/**
 * Resources, queries and the per-test store that the suites (and each store's own tests) use.
 */
import { parseFilter } from '@scimkit/filter';
import { isScimError, type ScimResource } from '@scimkit/schema';
import type { StoreQuery, StoreResourceType } from '@scimkit/server';
import { afterEach, beforeEach } from 'vitest';
import type { SqlStoreHarness, SqlTestDatabase, SuiteStore } from './harness.js';

/** The core User schema URN. */
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** The core Group schema URN. */
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** `meta` of a resource written on 2024-01-01, at `W/"<version>"`. */
export function meta(type: string, id: string, version = 1): ScimResource['meta'] {
  return {
    resourceType: type,
    created: '2024-01-01T00:00:00Z',
    lastModified: '2024-01-01T00:00:00Z',
    location: `https://example.com/${type}s/${id}`,
    version: `W/"${version}"`,
  };
}

/** A User with `extra` attributes. */
export function user(id: string, userName: string, extra: Record<string, unknown> = {}): ScimResource {
  return { schemas: [USER], id, userName, ...extra, meta: meta('User', id) };
}

/** A Group whose members are the Users `members`. */
export function group(id: string, displayName: string, members: string[]): ScimResource {
  return {
    schemas: [GROUP],
    id,
    displayName,
    members: members.map((value) => ({ value, type: 'User' })),
    meta: meta('Group', id),
  };
}

/**
 * Five Users whose values stress a query's translation: LIKE wildcards in values, quotes and SQL
 * text, case-insensitive and case-exact attributes, multi-valued emails, missing values.
 */
export function queryUsers(): ScimResource[] {
  const people: [string, string, Record<string, unknown>][] = [
    ['u1', 'alice', { emails: [{ value: 'alice@work.example', type: 'work', primary: true }], active: true }],
    [
      'u2',
      'bob',
      { emails: [{ value: 'bob@home.example', type: 'home' }], active: false, externalId: 'B-1' },
    ],
    [
      'u3',
      'Carol',
      {
        nickName: '100%_sure',
        emails: [
          { value: 'carol@work.example', type: 'home' },
          { value: 'c@x.example', type: 'work' },
        ],
      },
    ],
    ['u4', "o'brien", { nickName: '100 percent', displayName: 'Robert"); DROP TABLE resources; --' }],
    ['u5', 'dave', { externalId: 'b-1' }],
  ];
  return people.map(([id, userName, extra]) => user(id, userName, extra));
}

/** The first page of `count` resources. */
export const all = (count = 1000): StoreQuery['page'] => ({ kind: 'index', startIndex: 1, count });

/** The ids a filter selects, in the store's order. */
export async function ids(store: SuiteStore, type: StoreResourceType, filter: string): Promise<string[]> {
  const result = await store.query(type, { filter: parseFilter(filter), page: all() }, { context: {} });
  return result.resources.map((resource) => resource.id);
}

/** The status (and scimType) of the SCIM error a promise rejects with; fails on anything else. */
export async function rejection(promise: Promise<unknown>): Promise<{ status: number; scimType?: string }> {
  try {
    await promise;
  } catch (error) {
    if (isScimError(error))
      return { status: error.status, ...(error.scimType ? { scimType: error.scimType } : {}) };
    throw error;
  }
  throw new Error('expected a rejection');
}

/** The store of the running test, on a database of its own; `store` may be replaced (reopened). */
export interface StoreEnvironment<S extends SuiteStore = SuiteStore> {
  /** The test's database. */
  database: SqlTestDatabase<S>;
  /** The store open on it (closed after the test). */
  store: S;
  /** The ids a filter selects in `store` (by default the test's store). */
  ids(type: StoreResourceType, filter: string, store?: SuiteStore): Promise<string[]>;
}

/**
 * Gives every test of the enclosing `describe` a fresh database with a store open on it, closed
 * (and the database dropped) after the test.
 */
export function freshStore<S extends SuiteStore>(harness: SqlStoreHarness<S>): StoreEnvironment<S> {
  const environment = {
    ids(type: StoreResourceType, filter: string, store: SuiteStore = environment.store) {
      return ids(store, type, filter);
    },
  } as StoreEnvironment<S>;
  beforeEach(async () => {
    environment.database = await harness.database();
    environment.store = await environment.database.open();
  });
  afterEach(async () => {
    await environment.store.close();
    await environment.database.drop?.();
  });
  return environment;
}
