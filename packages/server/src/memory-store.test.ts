import { parseFilter } from '@scimkit/filter';
import {
  type AttributeDefinition,
  groupResourceType,
  type ResourceTypeDefinition,
  type ScimResource,
  userResourceType,
} from '@scimkit/schema';
import { describeStoreConformance, stringAttribute } from '@scimkit/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';
import { queryInMemory } from './query-in-memory.js';

describeStoreConformance('createMemoryStore', () => createMemoryStore(), {
  userType: userResourceType,
  groupType: groupResourceType,
});

/** A stored resource's `meta`, as the server would have stamped it. */
const metaOf = (resourceType: string, id: string, version: string) => ({
  resourceType,
  created: '2026-01-01T00:00:00Z',
  lastModified: '2026-01-01T00:00:00Z',
  location: `https://x/${id}`,
  version,
});

describe('createMemoryStore', () => {
  it('bumps the version of a group that loses a deleted member', async () => {
    const store = createMemoryStore();
    const meta = (resourceType: string, id: string) => metaOf(resourceType, id, 'W/"4"');
    await store.create(
      userResourceType,
      { schemas: [], id: 'u', userName: 'u', meta: meta('User', 'u') },
      { context: {} },
    );
    await store.create(
      groupResourceType,
      {
        schemas: [],
        id: 'g',
        displayName: 'g',
        members: [{ value: 'u' }, { value: 'v' }],
        meta: meta('Group', 'g'),
      },
      { context: {} },
    );
    await store.delete(userResourceType, 'u', { context: {} });
    const group = await store.get(groupResourceType, 'g', { context: {} });
    expect(group?.members).toEqual([{ value: 'v' }]);
    expect(group?.meta.version).toBe('W/"5"');
  });

  it('stores a deeply frozen copy that keeps every key, "__proto__" included, and shares nothing with the input', async () => {
    const store = createMemoryStore();
    const input = JSON.parse(
      '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a","__proto__":{"x":1},' +
        '"emails":[{"value":"a@example.com","primary":true}],"name":{"givenName":"A"},' +
        '"meta":{"resourceType":"User","created":"2026-01-01T00:00:00Z","lastModified":"2026-01-01T00:00:00Z","version":"W/\\"1\\""}}',
    ) as ScimResource;
    const stored = await store.create(userResourceType, input, { context: {} });
    expect(stored).toStrictEqual(input);
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(Object.keys(stored)).toContain('__proto__');
    const ownProto = (value: object) => Object.getOwnPropertyDescriptor(value, '__proto__')?.value;
    expect(ownProto(stored)).toEqual({ x: 1 });
    expect(Object.isFrozen(ownProto(stored))).toBe(true);
    expect(ownProto(stored)).not.toBe(ownProto(input));
    for (const value of [stored, stored.emails, (stored.emails as object[])[0], stored.name, stored.meta]) {
      expect(Object.isFrozen(value)).toBe(true);
    }
    (input.emails as { value: string }[])[0]!.value = 'changed@example.com';
    (input.name as { givenName: string }).givenName = 'Changed';
    const read = await store.get(userResourceType, 'u1', { context: {} });
    expect(read?.emails).toEqual([{ value: 'a@example.com', primary: true }]);
    expect(read?.name).toEqual({ givenName: 'A' });
  });

  it('answers eq from the index of each type by its own rules (case, non-string values), as a scan does', async () => {
    const attribute = (name: string, extra: Partial<AttributeDefinition>) =>
      stringAttribute(name, extra) as AttributeDefinition;
    const deviceType: ResourceTypeDefinition = {
      name: 'Device',
      endpoint: '/Devices',
      schema: {
        id: 'urn:example:Device',
        name: 'Device',
        attributes: [
          attribute('serialNumber', { uniqueness: 'server', caseExact: true }),
          attribute('userName', { uniqueness: 'server', type: 'dateTime' }),
        ],
      },
      extensions: [],
    };
    const store = createMemoryStore();
    const meta = (resourceType: string, id: string) => metaOf(resourceType, id, 'W/"1"');
    const devices: ScimResource[] = [];
    const users: ScimResource[] = [];
    for (let i = 0; i < 5; i++) {
      const device = {
        schemas: [],
        id: `d${i}`,
        serialNumber: `SN-${i}`,
        userName: `2026-01-0${i + 1}T00:00:00Z`,
        meta: meta('Device', `d${i}`),
      };
      devices.push(await store.create(deviceType, device as unknown as ScimResource, { context: {} }));
      const user = { schemas: [], id: `u${i}`, userName: `SN-${i}`, meta: meta('User', `u${i}`) };
      users.push(await store.create(userResourceType, user as unknown as ScimResource, { context: {} }));
    }
    const page = { kind: 'index' as const, startIndex: 1, count: 10 };
    const cases: [ResourceTypeDefinition, ScimResource[], string, number][] = [
      [deviceType, devices, 'serialNumber eq "SN-2"', 1],
      [deviceType, devices, 'SERIALNUMBER eq "SN-2"', 1],
      // caseExact: another case is another value.
      [deviceType, devices, 'serialNumber eq "sn-2"', 0],
      // A dateTime compares as an instant: the same one spelt otherwise matches (never from the text index).
      [deviceType, devices, 'userName eq "2026-01-03T00:00:00.000Z"', 1],
      [deviceType, devices, 'userName eq "2026-01-03T01:00:00+01:00"', 1],
      // The same names on User: userName is a case-insensitive string there.
      [userResourceType, users, 'userName eq "sn-2"', 1],
      [userResourceType, users, 'UserName eq "SN-3"', 1],
      [userResourceType, users, 'serialNumber eq "SN-2"', 0],
    ];
    for (const [type, resources, text, count] of cases) {
      const query = { filter: parseFilter(text), page };
      const indexed = await store.query(type, query, { context: {} });
      expect(indexed, `${type.name}: ${text}`).toEqual(
        queryInMemory(resources, query, { resourceType: type }),
      );
      expect(indexed.totalResults, `${type.name}: ${text}`).toBe(count);
    }
  });

  it('shares the objects a new version keeps with the stored one, and copies the others', async () => {
    const store = createMemoryStore();
    const META = metaOf('User', 'u1', 'W/"2"') as ScimResource['meta'];
    const first = await store.create(
      userResourceType,
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id: 'u1',
        userName: 'a',
        name: { givenName: 'A' },
        emails: [{ value: 'a@example.com' }],
        meta: { ...META, version: 'W/"1"' },
      } as ScimResource,
      { context: {} },
    );
    const addresses = [{ locality: 'Paris' }];
    const input = { ...first, title: 'T', addresses, meta: META } as ScimResource;
    const second = await store.replace(userResourceType, input, { context: {}, expectedVersion: 'W/"1"' });
    // Kept as they were: the same frozen objects.
    expect(second.name).toBe(first.name);
    expect(second.emails).toBe(first.emails);
    // New values are copies, deeply frozen, that the caller cannot change afterwards.
    expect(second.addresses).not.toBe(addresses);
    expect(Object.isFrozen(second.addresses)).toBe(true);
    expect(Object.isFrozen((second.addresses as object[])[0])).toBe(true);
    addresses[0]!.locality = 'Lyon';
    expect(second.addresses).toEqual([{ locality: 'Paris' }]);
    expect(second.meta).not.toBe(META);
    expect(Object.isFrozen(second.meta)).toBe(true);
  });

  it('answers userName eq from its index exactly as a scan does', async () => {
    const store = createMemoryStore();
    const user = (id: string, userName: unknown, extra: Record<string, unknown> = {}) =>
      ({
        schemas: [],
        id,
        ...(userName !== undefined ? { userName } : {}),
        ...extra,
        meta: {
          resourceType: 'User',
          created: '2026-01-01T00:00:00Z',
          lastModified: '2026-01-01T00:00:00Z',
          location: `https://x/${id}`,
          version: 'W/"1"',
        },
      }) as ScimResource;
    const all: ScimResource[] = [];
    for (let i = 0; i < 30; i++) {
      const resource = user(`u${i}`, `User${i}@Example.com`);
      all.push(await store.create(userResourceType, resource, { context: {} }));
    }
    const filters = [
      'userName eq "user7@example.com"',
      'userName eq "User7@Example.com"',
      'USERNAME eq "USER12@EXAMPLE.COM"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "user3@example.com"',
      'userName eq "nobody"',
      'userName eq "user1@example.com" and id eq "u2"',
      'userName co "user1"',
      'externalId eq "user1@example.com"',
    ];
    const check = async (resources: ScimResource[]) => {
      for (const text of filters) {
        const filter = parseFilter(text);
        for (const page of [
          { kind: 'index' as const, startIndex: 1, count: 10 },
          { kind: 'cursor' as const, count: 1 },
        ]) {
          const query = { filter, page };
          const indexed = await store.query(userResourceType, query, { context: {} });
          const scanned = queryInMemory(resources, query, { resourceType: userResourceType });
          expect(indexed, text).toEqual(scanned);
        }
      }
    };
    await check(all);
    // A rename moves the index entry; a delete removes it.
    all[7] = await store.replace(
      userResourceType,
      { ...all[7]!, userName: 'renamed' },
      { context: {}, expectedVersion: 'W/"1"' },
    );
    await store.delete(userResourceType, 'u12', { context: {} });
    all.splice(12, 1);
    await check(all);
    expect(
      (
        await store.query(
          userResourceType,
          { filter: parseFilter('userName eq "RENAMED"'), page: { kind: 'index', startIndex: 1, count: 5 } },
          { context: {} },
        )
      ).resources.map((r) => r.id),
    ).toEqual(['u7']);
    // A resource the index cannot answer for (a differently spelt key) makes filters scan.
    all.push(
      await store.create(userResourceType, user('odd', undefined, { USERNAME: 'user7@example.com' }), {
        context: {},
      }),
    );
    await check(all);
    expect(
      (
        await store.query(
          userResourceType,
          {
            filter: parseFilter('userName eq "user7@example.com"'),
            page: { kind: 'index', startIndex: 1, count: 5 },
          },
          { context: {} },
        )
      ).resources.map((r) => r.id),
    ).toEqual(['odd']);
  });
});
