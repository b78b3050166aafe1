/**
 * A reusable conformance suite for `ScimStore` implementations (`@scimkit/server`'s store
 * contract): the memory store and every database store run the same tests.
 *
 * Types are structural so this private package needs no dependency on the server or schema
 * packages; pass the real resource types (`userResourceType`, `groupResourceType` of
 * `@scimkit/schema`) through `options` when the store needs them.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** The parts of a resource type definition the suite relies on (same shape as `ResourceTypeDefinition`). */
export interface ConformanceResourceType {
  name: string;
  endpoint: string;
  description?: string;
  schema: { id: string; name?: string; attributes: readonly object[] };
  extensions: readonly {
    schema: { id: string; name?: string; attributes: readonly object[] };
    required: boolean;
  }[];
}

/** A stored resource, as the suite writes and reads it. */
export interface ConformanceResource {
  schemas: string[];
  id: string;
  meta: { resourceType: string; created: string; lastModified: string; location: string; version: string };
  [attribute: string]: unknown;
}

/** The options every store call ends with (same as `StoreCallOptions` of `@scimkit/server`). */
export interface ConformanceCallOptions {
  context: { tenant?: string };
}

/** The store contract, structurally (same as `ScimStore` of `@scimkit/server`). */
export interface ConformanceStore {
  create(
    type: never,
    resource: ConformanceResource,
    options: ConformanceCallOptions,
  ): Promise<ConformanceResource>;
  get(type: never, id: string, options: ConformanceCallOptions): Promise<ConformanceResource | undefined>;
  replace(
    type: never,
    resource: ConformanceResource,
    options: ConformanceCallOptions & { expectedVersion?: string },
  ): Promise<ConformanceResource>;
  delete(
    type: never,
    id: string,
    options: ConformanceCallOptions & { expectedVersion?: string },
  ): Promise<boolean>;
  query(
    type: never,
    query: { filter?: unknown; sort?: unknown; page: unknown },
    options: ConformanceCallOptions,
  ): Promise<{
    resources: ConformanceResource[];
    totalResults: number;
    nextCursor?: string;
    previousCursor?: string;
  }>;
  groupsOf(
    memberId: string,
    options: ConformanceCallOptions,
  ): Promise<{ id: string; displayName?: string }[]>;
  transaction?<T>(work: () => Promise<T>): Promise<T>;
  close?(): Promise<void>;
}

/** Options of {@link describeStoreConformance}. */
export interface StoreConformanceOptions {
  /** The User resource type; by default a minimal one with the RFC 7643 names and URNs. */
  userType?: ConformanceResourceType;
  /** The Group resource type; by default a minimal one with the RFC 7643 names and URNs. */
  groupType?: ConformanceResourceType;
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/**
 * A test attribute definition: a single-valued, readWrite, case-insensitive string with RFC 7643
 * defaults, overridden by `extra`. Structural, so it fits `AttributeDefinition` of
 * `@scimkit/schema` without a dependency on it (cast or type the result at the call site).
 */
export function stringAttribute(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...extra,
  };
}

const string = stringAttribute;

const defaultUserType: ConformanceResourceType = {
  name: 'User',
  endpoint: '/Users',
  schema: {
    id: USER,
    name: 'User',
    attributes: [
      string('userName', { required: true, uniqueness: 'server' }),
      string('displayName'),
      string('title'),
      { ...string('active'), type: 'boolean' },
      {
        ...string('emails'),
        type: 'complex',
        multiValued: true,
        subAttributes: [string('value'), string('type'), { ...string('primary'), type: 'boolean' }],
      },
      {
        ...string('groups'),
        type: 'complex',
        multiValued: true,
        mutability: 'readOnly',
        subAttributes: [string('value'), string('display')],
      },
    ],
  },
  extensions: [],
};

const defaultGroupType: ConformanceResourceType = {
  name: 'Group',
  endpoint: '/Groups',
  schema: {
    id: GROUP,
    name: 'Group',
    attributes: [
      string('displayName', { required: true }),
      {
        ...string('members'),
        type: 'complex',
        multiValued: true,
        subAttributes: [string('value', { mutability: 'immutable' }), string('display'), string('type')],
      },
    ],
  },
  extensions: [],
};

const DEVICE = 'urn:example:params:scim:schemas:conformance:Device';

/** A custom type with unique values the default types lack: multi-valued, sub-attribute, global. */
function uniqueDeviceType(): ConformanceResourceType {
  return {
    name: 'Device',
    endpoint: '/Devices',
    schema: {
      id: DEVICE,
      name: 'Device',
      attributes: [
        string('serial', { uniqueness: 'global' }),
        { ...string('tags', { uniqueness: 'server' }), multiValued: true },
        {
          ...string('owner'),
          type: 'complex',
          subAttributes: [string('value', { uniqueness: 'server' }), string('label')],
        },
      ],
    },
    extensions: [],
  };
}

function meta(resourceType: string, id: string, version = 1) {
  const now = new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString();
  return {
    resourceType,
    created: now,
    lastModified: now,
    location: `https://example.test/scim/v2/${resourceType}s/${id}`,
    version: `W/"${version}"`,
  };
}

function makeUser(userName: string, extra: Record<string, unknown> = {}): ConformanceResource {
  const id = randomUUID();
  return { schemas: [USER], id, userName, ...extra, meta: meta('User', id) };
}

function makeGroup(displayName: string, members: string[] = []): ConformanceResource {
  const id = randomUUID();
  return {
    schemas: [GROUP],
    id,
    displayName,
    ...(members.length > 0 ? { members: members.map((value) => ({ value })) } : {}),
    meta: meta('Group', id),
  };
}

function bump(resource: ConformanceResource, changes: Record<string, unknown>): ConformanceResource {
  const version = Number(/\d+/.exec(resource.meta.version)?.[0] ?? '1') + 1;
  return {
    ...resource,
    ...changes,
    meta: {
      ...resource.meta,
      ...meta(resource.meta.resourceType, resource.id, version),
      created: resource.meta.created,
    },
  };
}

const eq = (attribute: string, value: string) => ({
  kind: 'Comparison',
  path: { kind: 'AttributePath', attribute },
  operator: 'eq',
  value,
});
const sw = (attribute: string, value: string) => ({ ...eq(attribute, value), operator: 'sw' });
const sortBy = (attribute: string, order: 'ascending' | 'descending') => ({
  path: { kind: 'AttributePath', attribute },
  order,
});
const index = (startIndex: number, count: number) => ({ kind: 'index', startIndex, count });

async function rejection(promise: Promise<unknown>): Promise<{ status?: number; scimType?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status?: number; scimType?: string };
  }
  throw new Error('Expected the store to reject, but it resolved.');
}

/**
 * Registers the store conformance tests (vitest `describe`): CRUD, uniqueness (case-insensitive
 * where `caseExact` is false), optimistic concurrency on `meta.version`, membership and
 * `groupsOf`, deleting a member removes its memberships, filters, sorting, index and cursor
 * paging with correct `totalResults`, tenant isolation and, if offered, transactions.
 * `createStore` runs before every test; `close()` (if any) after it.
 *
 * @example
 * ```ts
 * import { groupResourceType, userResourceType } from '@scimkit/schema';
 * import { createMemoryStore } from '@scimkit/server';
 * import { describeStoreConformance } from '@scimkit/test-utils';
 *
 * describeStoreConformance('createMemoryStore', () => createMemoryStore(), { userType: userResourceType, groupType: groupResourceType });
 * ```
 */
export function describeStoreConformance(
  name: string,
  createStore: () => ConformanceStore | Promise<ConformanceStore>,
  options: StoreConformanceOptions = {},
): void {
  const userType = (options.userType ?? defaultUserType) as never;
  const groupType = (options.groupType ?? defaultGroupType) as never;
  const context = {};

  describe(`${name} (store conformance)`, () => {
    let store: ConformanceStore;
    beforeEach(async () => {
      store = await createStore();
    });
    afterEach(async () => {
      await store.close?.();
    });

    it('creates and reads back a resource, and answers undefined for an unknown id', async () => {
      const user = makeUser('alice', { emails: [{ value: 'a@example.com', type: 'work', primary: true }] });
      const created = await store.create(userType, user, { context });
      expect(created).toEqual(user);
      expect(await store.get(userType, user.id, { context })).toEqual(user);
      expect(await store.get(userType, 'no-such-id', { context })).toBeUndefined();
      expect(await store.get(groupType, user.id, { context })).toBeUndefined();
    });

    it('keeps stored resources safe from changes to returned objects', async () => {
      const user = makeUser('immutable');
      await store.create(userType, user, { context });
      user.userName = 'changed-input';
      const read = (await store.get(userType, user.id, { context }))!;
      try {
        read.userName = 'changed-output';
      } catch {
        // Frozen objects may throw; either way the store must keep its copy.
      }
      expect((await store.get(userType, user.id, { context }))!.userName).toBe('immutable');
    });

    it('rejects a duplicate userName in another casing with 409 uniqueness', async () => {
      await store.create(userType, makeUser('Bob.Smith'), { context });
      const error = await rejection(store.create(userType, makeUser('bob.smith'), { context }));
      expect(error).toMatchObject({ status: 409, scimType: 'uniqueness' });
    });

    it('enforces uniqueness on replace but lets a resource keep its own value', async () => {
      await store.create(userType, makeUser('carol'), { context });
      const dave = makeUser('dave');
      await store.create(userType, dave, { context });
      const same = await store.replace(userType, bump(dave, { userName: 'DAVE', title: 'x' }), { context });
      expect(same.userName).toBe('DAVE');
      const error = await rejection(store.replace(userType, bump(same, { userName: 'Carol' }), { context }));
      expect(error).toMatchObject({ status: 409, scimType: 'uniqueness' });
    });

    it('frees a userName when its owner is renamed or deleted', async () => {
      const erin = makeUser('erin');
      await store.create(userType, erin, { context });
      await store.replace(userType, bump(erin, { userName: 'erin2' }), { context });
      await store.create(userType, makeUser('erin'), { context });
      await store.delete(userType, erin.id, { context });
      await store.create(userType, makeUser('ERIN2'), { context });
    });

    it('enforces uniqueness of each value of a multi-valued attribute and of unique sub-attributes', async () => {
      const device = uniqueDeviceType() as never;
      const make = (extra: Record<string, unknown>) => {
        const id = randomUUID();
        return { schemas: [DEVICE], id, ...extra, meta: meta('Device', id) };
      };
      // One resource may repeat its own value.
      const first = make({ tags: ['Red', 'red'], owner: { value: 'Owner-1', label: 'x' } });
      await store.create(device, first, { context });
      const tag = await rejection(store.create(device, make({ tags: ['blue', 'RED'] }), { context }));
      expect(tag).toMatchObject({ status: 409, scimType: 'uniqueness' });
      const owner = await rejection(store.create(device, make({ owner: { value: 'owner-1' } }), { context }));
      expect(owner).toMatchObject({ status: 409, scimType: 'uniqueness' });
      // Sub-attributes without uniqueness stay free.
      await store.create(device, make({ tags: ['green'], owner: { value: 'owner-2', label: 'x' } }), {
        context,
      });
      // Replacing frees the values the resource no longer has.
      await store.replace(device, bump(first, { tags: ['purple'], owner: { value: 'owner-3' } }), {
        context,
      });
      await store.create(device, make({ tags: ['red'], owner: { value: 'owner-1' } }), { context });
    });

    it('enforces global uniqueness across resource types', async () => {
      const device = uniqueDeviceType() as never;
      const sensor = { ...uniqueDeviceType(), name: 'Sensor', endpoint: '/Sensors' } as never;
      const make = (type: string, serial: string) => {
        const id = randomUUID();
        return { schemas: [DEVICE], id, serial, meta: meta(type, id) };
      };
      await store.create(device, make('Device', 'SN-1'), { context });
      const clash = await rejection(store.create(sensor, make('Sensor', 'sn-1'), { context }));
      expect(clash).toMatchObject({ status: 409, scimType: 'uniqueness' });
      await store.create(sensor, make('Sensor', 'sn-2'), { context });
    });

    it('checks meta.version on replace and delete (412) and answers 404 for unknown ids', async () => {
      const frank = makeUser('frank');
      await store.create(userType, frank, { context });
      const next = bump(frank, { title: 'v2' });
      const stale = await rejection(store.replace(userType, next, { context, expectedVersion: 'W/"7"' }));
      expect(stale).toMatchObject({ status: 412 });
      const replaced = await store.replace(userType, next, { context, expectedVersion: 'W/"1"' });
      expect(replaced.meta.version).toBe('W/"2"');
      expect((await store.get(userType, frank.id, { context }))!.title).toBe('v2');
      const staleDelete = await rejection(
        store.delete(userType, frank.id, { context, expectedVersion: 'W/"1"' }),
      );
      expect(staleDelete).toMatchObject({ status: 412 });
      const missing = await rejection(store.replace(userType, makeUser('ghost'), { context }));
      expect(missing).toMatchObject({ status: 404 });
      expect(await store.delete(userType, frank.id, { context, expectedVersion: 'W/"2"' })).toBe(true);
      expect(await store.get(userType, frank.id, { context })).toBeUndefined();
      expect(await store.delete(userType, frank.id, { context })).toBe(false);
    });

    it('lets exactly one of many concurrent replaces with the same expected version win', async () => {
      const gina = makeUser('gina');
      await store.create(userType, gina, { context });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.replace(userType, bump(gina, { title: `t${i}` }), { context, expectedVersion: 'W/"1"' }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ status: 412 });
      }
    });

    it('answers groupsOf from membership and follows member changes', async () => {
      const hank = makeUser('hank');
      const ivy = makeUser('ivy');
      await store.create(userType, hank, { context });
      await store.create(userType, ivy, { context });
      const admins = makeGroup('Admins', [hank.id, ivy.id]);
      const staff = makeGroup('Staff', [hank.id]);
      await store.create(groupType, admins, { context });
      await store.create(groupType, staff, { context });
      const groups = await store.groupsOf(hank.id, { context });
      expect(groups.sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? ''))).toEqual([
        { id: admins.id, displayName: 'Admins' },
        { id: staff.id, displayName: 'Staff' },
      ]);
      await store.replace(groupType, bump(admins, { members: [{ value: ivy.id }] }), { context });
      expect(await store.groupsOf(hank.id, { context })).toEqual([{ id: staff.id, displayName: 'Staff' }]);
      await store.delete(groupType, staff.id, { context });
      expect(await store.groupsOf(hank.id, { context })).toEqual([]);
      expect(await store.groupsOf('nobody', { context })).toEqual([]);
    });

    it('removes a deleted member from every group', async () => {
      const jack = makeUser('jack');
      const kate = makeUser('kate');
      await store.create(userType, jack, { context });
      await store.create(userType, kate, { context });
      const group = makeGroup('Team', [jack.id, kate.id]);
      await store.create(groupType, group, { context });
      await store.delete(userType, jack.id, { context });
      const after = (await store.get(groupType, group.id, { context }))!;
      expect((after.members as { value: string }[]).map((m) => m.value)).toEqual([kate.id]);
      expect(await store.groupsOf(jack.id, { context })).toEqual([]);
    });

    describe('query', () => {
      const names = ['q-delta', 'Q-Alpha', 'q-charlie', 'q-bravo', 'other'];
      beforeEach(async () => {
        for (const [i, userName] of names.entries()) {
          await store.create(userType, makeUser(userName, { title: `title-${names.length - i}` }), {
            context,
          });
        }
      });

      it('filters case-insensitively and counts every match in totalResults', async () => {
        const one = await store.query(
          userType,
          { filter: eq('userName', 'q-alpha'), page: index(1, 10) },
          { context },
        );
        expect(one.totalResults).toBe(1);
        expect(one.resources.map((r) => r.userName)).toEqual(['Q-Alpha']);
        const page = await store.query(
          userType,
          { filter: sw('userName', 'q-'), page: index(2, 2) },
          { context },
        );
        expect(page.totalResults).toBe(4);
        expect(page.resources).toHaveLength(2);
        const none = await store.query(
          userType,
          { filter: eq('userName', 'nobody'), page: index(1, 10) },
          { context },
        );
        expect(none).toMatchObject({ totalResults: 0, resources: [] });
        const countOnly = await store.query(
          userType,
          { filter: sw('userName', 'q-'), page: index(1, 0) },
          { context },
        );
        expect(countOnly).toMatchObject({ totalResults: 4, resources: [] });
      });

      it('sorts ascending and descending, case-insensitively', async () => {
        const ascending = await store.query(
          userType,
          { filter: sw('userName', 'q-'), sort: sortBy('userName', 'ascending'), page: index(1, 10) },
          { context },
        );
        expect(ascending.resources.map((r) => r.userName)).toEqual([
          'Q-Alpha',
          'q-bravo',
          'q-charlie',
          'q-delta',
        ]);
        const descending = await store.query(
          userType,
          { filter: sw('userName', 'q-'), sort: sortBy('userName', 'descending'), page: index(2, 2) },
          { context },
        );
        expect(descending.resources.map((r) => r.userName)).toEqual(['q-charlie', 'q-bravo']);
      });

      it('pages with cursors through every match exactly once and rejects a forged cursor', async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const result = await store.query(
            userType,
            {
              sort: sortBy('userName', 'ascending'),
              page: { kind: 'cursor', count: 2, ...(cursor !== undefined ? { cursor } : {}) },
            },
            { context },
          );
          expect(result.totalResults).toBe(5);
          seen.push(...result.resources.map((r) => r.userName as string));
          cursor = result.nextCursor;
          pages++;
        } while (cursor !== undefined && pages < 10);
        expect(pages).toBe(3);
        expect(seen).toEqual(['other', 'Q-Alpha', 'q-bravo', 'q-charlie', 'q-delta']);
        const error = await rejection(
          store.query(
            userType,
            { page: { kind: 'cursor', count: 2, cursor: 'not-a-real-cursor' } },
            { context },
          ),
        );
        expect(error).toMatchObject({ status: 400, scimType: 'invalidCursor' });
      });
    });

    it('isolates tenants', async () => {
      const a = { tenant: 'tenant-a' };
      const b = { tenant: 'tenant-b' };
      const user = makeUser('shared-name');
      await store.create(userType, user, { context: a });
      expect(await store.get(userType, user.id, { context: b })).toBeUndefined();
      await store.create(userType, makeUser('shared-name'), { context: b });
      const inB = await store.query(userType, { page: index(1, 10) }, { context: b });
      expect(inB.totalResults).toBe(1);
      expect(await store.delete(userType, user.id, { context: b })).toBe(false);
      expect(await store.get(userType, user.id, { context: a })).toBeDefined();
    });

    it('rolls back every write of a failed transaction, if transactions are offered', async () => {
      if (!store.transaction) return;
      const before = await store.query(userType, { page: index(1, 0) }, { context });
      await expect(
        store.transaction(async () => {
          await store.create(userType, makeUser('tx-1'), { context });
          await store.create(userType, makeUser('tx-2'), { context });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const after = await store.query(userType, { page: index(1, 0) }, { context });
      expect(after.totalResults).toBe(before.totalResults);
    });
  });
}
