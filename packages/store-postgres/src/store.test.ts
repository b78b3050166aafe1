import { parseAttributeList, parseFilter } from '@scimkit/filter';
import { applyPatch } from '@scimkit/patch';
import {
  groupResourceType,
  isScimError,
  type ResourceTypeDefinition,
  type ScimResource,
  userResourceType,
} from '@scimkit/schema';
import { queryInMemory, type StoreQuery, type StoreResourceType } from '@scimkit/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshSchema, openStore, testPool } from '../test/pg.js';
import { createPostgresStore, type PostgresStore } from './index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

let schema: string;
let store: PostgresStore;
const db = testPool();

beforeEach(async () => {
  schema = freshSchema('store');
  store = openStore({ schema });
  await store.ready();
});

afterEach(async () => {
  await store.close();
});

function meta(type: string, id: string, version = 1): ScimResource['meta'] {
  return {
    resourceType: type,
    created: '2024-01-01T00:00:00Z',
    lastModified: '2024-01-01T00:00:00Z',
    location: `https://example.com/${type}s/${id}`,
    version: `W/"${version}"`,
  };
}

function user(id: string, userName: string, extra: Record<string, unknown> = {}): ScimResource {
  return { schemas: [USER], id, userName, ...extra, meta: meta('User', id) };
}

function group(id: string, displayName: string, members: string[]): ScimResource {
  return {
    schemas: [GROUP],
    id,
    displayName,
    members: members.map((value) => ({ value, type: 'User' })),
    meta: meta('Group', id),
  };
}

const all = (count = 1000): StoreQuery['page'] => ({ kind: 'index', startIndex: 1, count });

async function ids(type: StoreResourceType, filter: string, s: PostgresStore = store): Promise<string[]> {
  const result = await s.query(type, { filter: parseFilter(filter), page: all() }, { context: {} });
  return result.resources.map((resource) => resource.id);
}

async function rejection(promise: Promise<unknown>): Promise<{ status: number; scimType?: string }> {
  try {
    await promise;
  } catch (error) {
    if (isScimError(error))
      return { status: error.status, ...(error.scimType ? { scimType: error.scimType } : {}) };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('createPostgresStore', () => {
  it('creates, reads, replaces and deletes a resource', async () => {
    const created = await store.create(userResourceType, user('u1', 'bjensen', { active: true }), {
      context: {},
    });
    expect(created.userName).toBe('bjensen');
    expect(await store.get(userResourceType, 'u1', { context: {} })).toEqual(created);
    expect(await store.get(groupResourceType, 'u1', { context: {} })).toBeUndefined();
    const replaced = await store.replace(
      userResourceType,
      { ...created, userName: 'babs', meta: meta('User', 'u1', 2) },
      { context: {}, expectedVersion: 'W/"1"' },
    );
    expect((await store.get(userResourceType, 'u1', { context: {} }))?.userName).toBe('babs');
    expect(replaced.meta.version).toBe('W/"2"');
    expect(await store.delete(userResourceType, 'u1', { context: {} })).toBe(true);
    expect(await store.delete(userResourceType, 'u1', { context: {} })).toBe(false);
    expect(await store.get(userResourceType, 'u1', { context: {} })).toBeUndefined();
  });

  it('keeps data across close and reopen', async () => {
    await store.create(userResourceType, user('u1', 'bjensen'), { context: {} });
    await store.create(groupResourceType, group('g1', 'Admins', ['u1']), { context: {} });
    await store.close();
    store = openStore({ schema });
    expect((await store.get(userResourceType, 'u1', { context: {} }))?.userName).toBe('bjensen');
    expect(await ids(userResourceType, 'userName eq "BJENSEN"')).toEqual(['u1']);
    expect(await store.groupsOf('u1', { context: {} })).toEqual([{ id: 'g1', displayName: 'Admins' }]);
  });

  it('records versioned migrations, migrates once when stores start together, and refuses a newer schema', async () => {
    await store.close();
    const schemaName = freshSchema('migrate');
    const stores = Array.from({ length: 4 }, () => openStore({ schema: schemaName }));
    await Promise.all(stores.map((s) => s.ready()));
    await Promise.all(stores.map((s) => s.close()));
    const { rows } = await db.query(`SELECT version, description FROM ${schemaName}.schema_migrations`);
    expect(rows).toEqual([{ version: 1, description: 'resources, attribute index, members' }]);
    await db.query(
      `INSERT INTO ${schemaName}.schema_migrations (version, description) VALUES (99, 'from the future')`,
    );
    const newer = openStore({ schema: schemaName });
    await expect(newer.ready()).rejects.toThrow(
      /at version 99, newer than this @scimkit\/store-postgres supports \(1\)/,
    );
    await expect(newer.get(userResourceType, 'u1', { context: {} })).rejects.toThrow(/version 99/);
    await newer.close();
    store = openStore();
  });

  it('tries migrating again on the next call after a failure', async () => {
    await db.query(
      `INSERT INTO ${schema}.schema_migrations (version, description) VALUES (99, 'from the future')`,
    );
    const again = openStore({ schema });
    await expect(again.ready()).rejects.toThrow(/version 99/);
    await db.query(`DELETE FROM ${schema}.schema_migrations WHERE version = 99`);
    await again.ready();
    await again.close();
  });

  it('works inside a transaction on a pool of one connection, first use of a type included', async () => {
    await store.close();
    const single = testPool(1);
    store = openStore({ schema: freshSchema('single'), pool: single });
    await store.ready();
    await store.transaction(async () => {
      await store.create(userResourceType, user('u1', 'one'), { context: {} });
      await store.create(groupResourceType, group('g1', 'Admins', ['u1']), { context: {} });
      expect(await ids(userResourceType, 'userName eq "ONE"')).toEqual(['u1']);
      expect((await store.get(groupResourceType, 'g1', { context: {} }))?.members).toEqual([
        { value: 'u1', type: 'User' },
      ]);
    });
    expect(await store.groupsOf('u1', { context: {} })).toEqual([{ id: 'g1', displayName: 'Admins' }]);
  });

  it('rebuilds the attribute index when indexedAttributes change, also inside a transaction that holds the only connection (undone with it)', async () => {
    await store.create(userResourceType, user('u1', 'one', { name: { familyName: 'Jensen' } }), {
      context: {},
    });
    await store.create(userResourceType, user('u2', 'two', { name: { familyName: 'Smith' } }), {
      context: {},
    });
    await store.close();
    const statements: string[] = [];
    // A pool of one: the transaction holds the only connection, so the rebuild runs inside it.
    const options = {
      schema,
      pool: testPool(1),
      indexedAttributes: { User: ['name.familyName'] },
      onQuery: ({ sql }: { sql: string }) => void statements.push(sql),
    };
    store = openStore(options);
    await expect(
      store.transaction(async () => {
        expect(await ids(userResourceType, 'name.familyName eq "JENSEN"')).toEqual(['u1']);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM ${schema}.attribute_values WHERE path = 'name.familyName'`,
    );
    expect(rows[0]).toEqual({ n: 0 });
    statements.length = 0;
    expect(await ids(userResourceType, 'name.familyName eq "smith"')).toEqual(['u2']);
    expect(statements.some((statement) => statement.includes('attribute_values'))).toBe(true);
    const rebuilt = await db.query(
      `SELECT value FROM ${schema}.attribute_values WHERE path = 'name.familyName' ORDER BY value`,
    );
    expect(rebuilt.rows).toEqual([{ value: 'jensen' }, { value: 'smith' }]);
  });

  it('without ICU, answers case-insensitive non-ASCII filters in memory, and the same', async () => {
    await store.close();
    const statements: string[] = [];
    store = openStore({ icu: false, onQuery: ({ sql }) => void statements.push(sql) });
    await store.create(userResourceType, user('u1', 'Émile', { displayName: 'ΟΔΥΣΣΕΥΣ' }), { context: {} });
    await store.create(userResourceType, user('u2', 'emile'), { context: {} });
    expect(await ids(userResourceType, 'userName eq "ÉMILE"')).toEqual(['u1']);
    expect(await ids(userResourceType, 'displayName eq "οδυσσευς"')).toEqual(['u1']);
    expect(await ids(userResourceType, 'userName sw "EM"')).toEqual(['u2']);
    expect(statements.join('\n')).not.toContain('und-x-icu');
    expect(statements.join('\n')).toContain('COLLATE "default"');
  });

  it('leaves a borrowed pool open on close, and refuses calls once closed', async () => {
    const borrowed = testPool(2);
    const other = openStore({ pool: borrowed });
    await other.create(userResourceType, user('u1', 'one'), { context: {} });
    await other.close();
    expect((await borrowed.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await expect(other.get(userResourceType, 'u1', { context: {} })).rejects.toThrow(
      'The PostgreSQL store is closed.',
    );
  });

  it('lets a transaction in progress finish its calls when close() is called meanwhile, then closes', async () => {
    const schemaName = freshSchema('closing');
    const closing = openStore({ schema: schemaName });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = closing.transaction(async () => {
      await closing.create(userResourceType, user('u1', 'one'), { context: {} });
      await gate;
      await closing.create(userResourceType, user('u2', 'two'), { context: {} });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A graceful shutdown (SIGTERM) while an atomic bulk request runs.
    const closed = closing.close();
    release();
    await transaction;
    await closed;
    await expect(closing.get(userResourceType, 'u1', { context: {} })).rejects.toThrow(
      'The PostgreSQL store is closed.',
    );
    const reopened = openStore({ schema: schemaName });
    expect(await ids(userResourceType, 'userName pr', reopened)).toEqual(['u1', 'u2']);
    await reopened.close();
  });

  it('refuses a schema name PostgreSQL reserves (user, order, left) with a message naming it', async () => {
    for (const name of ['user', 'Order', 'left']) {
      const reserved = openStore({ schema: name });
      await expect(reserved.ready()).rejects.toThrow(
        `"${name.toLowerCase()}" is a reserved word of PostgreSQL`,
      );
      await reserved.close();
    }
  });

  it('reads documents back with their keys in schema order (jsonb keeps its own), own __proto__ keys included', async () => {
    const written = JSON.parse(
      JSON.stringify({
        meta: meta('User', 'k1'),
        userName: 'keys',
        name: { givenName: 'Barbara', familyName: 'Jensen' },
        emails: [{ primary: true, value: 'b@example.com', type: 'work' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          manager: { value: 'm1' },
          department: 'X',
        },
        id: 'k1',
        schemas: [USER],
        zzz: 1,
      }).replace('"zzz":1', '"__proto__":{"polluted":true}'),
    ) as ScimResource;
    await store.create(userResourceType, written, { context: {} });
    const read = (await store.get(userResourceType, 'k1', { context: {} }))!;
    expect(Object.keys(read)).toEqual([
      'schemas',
      'id',
      'userName',
      'name',
      'emails',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'meta',
      '__proto__',
    ]);
    expect(Object.keys(read.name as object)).toEqual(['familyName', 'givenName']);
    expect(Object.keys((read.emails as object[])[0]!)).toEqual(['value', 'type', 'primary']);
    expect(Object.keys(read.meta)).toEqual([
      'resourceType',
      'created',
      'lastModified',
      'location',
      'version',
    ]);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.hasOwn(read, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(read).toEqual(written);
  });

  it('refuses a schema name that is not a plain identifier, and needs exactly one of pool and connection', () => {
    expect(() => openStore({ schema: 'x; DROP TABLE y' })).toThrow(/plain identifier/);
    expect(() => createPostgresStore({ schema: 'x' })).toThrow(/exactly one of `pool` and `connection`/);
  });

  it('rejects a duplicate userName case-insensitively with 409 uniqueness', async () => {
    await store.create(userResourceType, user('u1', 'bjensen'), { context: {} });
    expect(await rejection(store.create(userResourceType, user('u2', 'BJensen'), { context: {} }))).toEqual({
      status: 409,
      scimType: 'uniqueness',
    });
    await store.create(userResourceType, user('u3', 'other'), { context: {} });
    expect(await rejection(store.replace(userResourceType, user('u3', 'BJENSEN'), { context: {} }))).toEqual({
      status: 409,
      scimType: 'uniqueness',
    });
    // Keeping one's own userName (in another case) is fine.
    await store.replace(userResourceType, user('u1', 'BJensen'), { context: {} });
    expect(await rejection(store.create(userResourceType, user('u1', 'again'), { context: {} }))).toEqual({
      status: 409,
      scimType: 'uniqueness',
    });
    expect(await ids(userResourceType, 'userName eq "bjensen"')).toEqual(['u1']);
  });

  it('enforces uniqueness in the database itself, not only in code', async () => {
    await store.create(userResourceType, user('u1', 'bjensen'), { context: {} });
    await expect(
      db.query(
        `INSERT INTO ${schema}.attribute_values (tenant, type, id, seq, path, value, unique_scope) VALUES ('', 'User', 'u9', 9, 'userName', 'bjensen', 'type:User')`,
      ),
    ).rejects.toThrow(/duplicate key value violates unique constraint "attribute_values_unique"/);
  });

  it('honours caseExact and uniqueness of a custom resource type', async () => {
    const device: ResourceTypeDefinition = {
      name: 'Device',
      endpoint: '/Devices',
      schema: {
        id: 'urn:example:Device',
        attributes: [
          {
            name: 'serial',
            type: 'string',
            multiValued: false,
            required: true,
            caseExact: true,
            mutability: 'readWrite',
            returned: 'default',
            uniqueness: 'server',
          },
          {
            name: 'tags',
            type: 'string',
            multiValued: true,
            required: false,
            mutability: 'readWrite',
            returned: 'default',
          },
        ],
      },
      extensions: [],
    };
    const make = (id: string, serial: string, tags: string[] = []) => ({
      schemas: ['urn:example:Device'],
      id,
      serial,
      tags,
      meta: meta('Device', id),
    });
    await store.create(device, make('d1', 'ABC', ['Red', 'blue']), { context: {} });
    await store.create(device, make('d2', 'abc'), { context: {} });
    expect(await rejection(store.create(device, make('d3', 'ABC'), { context: {} }))).toEqual({
      status: 409,
      scimType: 'uniqueness',
    });
    expect(await ids(device, 'serial eq "abc"')).toEqual(['d2']);
    expect(await ids(device, 'tags eq "red"')).toEqual(['d1']);
    expect(await ids(device, 'tags sw "BL"')).toEqual(['d1']);
    // A Device and a User may share values: uniqueness is per resource type.
    await store.create(userResourceType, user('u1', 'ABC'), { context: {} });
  });

  it('answers 412 on a stale version and 404 on an unknown id', async () => {
    await store.create(userResourceType, user('u1', 'bjensen'), { context: {} });
    expect(
      await rejection(
        store.replace(userResourceType, user('u1', 'x'), { context: {}, expectedVersion: 'W/"7"' }),
      ),
    ).toEqual({ status: 412 });
    expect(
      await rejection(store.delete(userResourceType, 'u1', { context: {}, expectedVersion: 'W/"7"' })),
    ).toEqual({
      status: 412,
    });
    expect(await rejection(store.replace(userResourceType, user('nope', 'x'), { context: {} }))).toEqual({
      status: 404,
    });
    expect((await store.get(userResourceType, 'u1', { context: {} }))?.userName).toBe('bjensen');
  });

  it('lets exactly one of 100 concurrent replaces of one version win, and loses no retried write', async () => {
    await store.create(userResourceType, user('u1', 'bjensen', { emails: [] }), { context: {} });
    const attempts = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        store.replace(
          userResourceType,
          { ...user('u1', 'bjensen', { nickName: `n${i}`, emails: [] }), meta: meta('User', 'u1', 2) },
          { context: {}, expectedVersion: 'W/"1"' },
        ),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const failures = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(failures.every((f) => isScimError(f.reason) && f.reason.status === 412)).toBe(true);

    // Read-modify-write with retries: every writer's email survives.
    const writer = async (i: number) => {
      for (;;) {
        const current = (await store.get(userResourceType, 'u1', { context: {} }))!;
        const version = Number(/\d+/.exec(current.meta.version)![0]);
        const emails = [...(current.emails as unknown[]), { value: `w${i}@example.com` }];
        try {
          await store.replace(
            userResourceType,
            { ...current, emails, meta: { ...current.meta, version: `W/"${version + 1}"` } },
            { context: {}, expectedVersion: current.meta.version },
          );
          return;
        } catch (error) {
          if (!isScimError(error) || error.status !== 412) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 100 }, (_, i) => writer(i)));
    const final = (await store.get(userResourceType, 'u1', { context: {} }))!;
    expect((final.emails as unknown[]).length).toBe(100);
    expect(final.meta.version).toBe('W/"102"');
    expect(await ids(userResourceType, 'emails.value eq "W57@EXAMPLE.COM"')).toEqual(['u1']);
  });

  it('keeps group members in rows and applies PATCH deltas without rewriting the group', async () => {
    for (const id of ['u1', 'u2', 'u3', 'u4'])
      await store.create(userResourceType, user(id, id), { context: {} });
    await store.create(groupResourceType, group('g1', 'Admins', ['u1', 'u2', 'u3']), { context: {} });
    await store.create(groupResourceType, group('g2', 'Users', ['u1']), { context: {} });
    const rowsBefore = await memberRows();
    await store.replace(
      groupResourceType,
      { ...group('g1', 'Admins', ['u1', 'u3', 'u4']), meta: meta('Group', 'g1', 2) },
      {
        context: {},
        expectedVersion: 'W/"1"',
        deltas: [
          { attribute: 'members', added: [{ value: 'u4', type: 'User' }], removed: [{ value: 'u2' }] },
        ],
      },
    );
    const rowsAfter = await memberRows();
    // Untouched members keep their rows (same sequence numbers): only one row out, one in.
    const key = (r: { group_id: string; value: string }) => `${r.group_id}/${r.value}`;
    const before = new Map(rowsBefore.map((r) => [key(r), r.seq]));
    const kept = rowsAfter.filter((r) => before.get(key(r)) === r.seq).map(key);
    expect(kept.sort()).toEqual(['g1/u1', 'g1/u3', 'g2/u1']);
    expect(rowsAfter.map(key).sort()).toEqual(['g1/u1', 'g1/u3', 'g1/u4', 'g2/u1']);
    const g1 = (await store.get(groupResourceType, 'g1', { context: {} }))!;
    expect(g1.members).toEqual([
      { value: 'u1', type: 'User' },
      { value: 'u3', type: 'User' },
      { value: 'u4', type: 'User' },
    ]);
    expect(await store.groupsOf('u1', { context: {} })).toEqual([
      { id: 'g1', displayName: 'Admins' },
      { id: 'g2', displayName: 'Users' },
    ]);
    expect(await ids(groupResourceType, 'members[value eq "u4"]')).toEqual(['g1']);
    expect(await ids(groupResourceType, 'members.value eq "u1" and not (members.value eq "u3")')).toEqual([
      'g2',
    ]);
    expect(await ids(groupResourceType, 'members pr')).toEqual(['g1', 'g2']);
    // Deleting a user removes its memberships everywhere.
    await store.delete(userResourceType, 'u1', { context: {} });
    expect(await store.groupsOf('u1', { context: {} })).toEqual([]);
    const g2 = (await store.get(groupResourceType, 'g2', { context: {} }))!;
    expect(g2.members).toBeUndefined();
    expect(g2.meta.version).toBe('W/"2"');
    expect((await store.get(groupResourceType, 'g1', { context: {} }))!.meta.version).toBe('W/"3"');
    // A full replace (PUT) rewrites the list.
    await store.replace(groupResourceType, group('g1', 'Admins', ['u2']), { context: {} });
    expect((await store.get(groupResourceType, 'g1', { context: {} }))!.members).toEqual([
      { value: 'u2', type: 'User' },
    ]);
  });

  async function memberRows(): Promise<{ seq: number; group_id: string; value: string }[]> {
    const { rows } = await db.query<{ seq: number; group_id: string; value: string }>(
      `SELECT seq::int AS seq, group_id, value FROM ${schema}.members ORDER BY seq`,
    );
    return rows;
  }

  it('keeps the members order of the document a PATCH delta describes: a value changed in place stays, one removed and added again moves last', async () => {
    const members = (list: [string, string?][]) =>
      list.map(([value, type]) => (type ? { value, type } : { value }));
    const patch = async (version: number, list: [string, string?][], changed: string) => {
      const next = {
        ...group('g1', 'Admins', []),
        members: members(list),
        meta: meta('Group', 'g1', version),
      };
      const added = next.members.filter((member) => member.value === changed);
      await store.replace(groupResourceType, next, {
        context: {},
        expectedVersion: `W/"${version - 1}"`,
        deltas: [{ attribute: 'members', added, removed: [{ value: changed, type: 'User' }] }],
      });
      return (await store.get(groupResourceType, 'g1', { context: {} }))?.members;
    };
    await store.create(groupResourceType, group('g1', 'Admins', ['u1', 'u2', 'u3']), { context: {} });
    // `replace members[value eq "u1"].type "Group"`: the value keeps its place, as in the document.
    expect(
      await patch(
        2,
        [
          ['u1', 'Group'],
          ['u2', 'User'],
          ['u3', 'User'],
        ],
        'u1',
      ),
    ).toEqual(
      members([
        ['u1', 'Group'],
        ['u2', 'User'],
        ['u3', 'User'],
      ]),
    );
    // `remove members[value eq "u2"]` then `add members [{value: "u2"}]`: appended, as in the document.
    expect(await patch(3, [['u1', 'Group'], ['u3', 'User'], ['u2']], 'u2')).toEqual(
      members([['u1', 'Group'], ['u3', 'User'], ['u2']]),
    );
    // The last value changed in place stays last.
    expect(
      await patch(
        4,
        [
          ['u1', 'Group'],
          ['u3', 'User'],
          ['u2', 'User'],
        ],
        'u2',
      ),
    ).toEqual(
      members([
        ['u1', 'Group'],
        ['u3', 'User'],
        ['u2', 'User'],
      ]),
    );
  });

  it('lists members after a PATCH replacing the whole list in the order of the PATCH response', async () => {
    // A replace of the whole list orders members as it likes: new ones first, old ones swapped.
    const lists = [
      [
        { value: 'x' },
        { value: 'a', type: 'User' },
        { value: 'b', type: 'User' },
        { value: 'c', type: 'User' },
      ],
      [
        { value: 'c', type: 'User' },
        { value: 'a', type: 'User', display: 'A' },
        { value: 'b', type: 'User' },
      ],
      [{ value: 'c', type: 'User' }, { value: 'b', type: 'User' }, { value: 'y' }],
    ];
    for (const [index, value] of lists.entries()) {
      const id = `g${index}`;
      const stored = await store.create(groupResourceType, group(id, `Group ${index}`, ['a', 'b', 'c']), {
        context: {},
      });
      const { resource, deltas } = applyPatch(stored, [{ op: 'replace', path: 'members', value }], {
        resourceType: groupResourceType,
      });
      expect(deltas[0]?.replaced).toBe(true);
      const next = { ...resource, meta: { ...resource.meta, version: 'W/"2"' } };
      await store.replace(groupResourceType, next, {
        context: {},
        expectedVersion: stored.meta.version,
        deltas,
      });
      expect((await store.get(groupResourceType, id, { context: {} }))!.members).toEqual(value);
    }
  });

  it('rolls back every write of a failed transaction and commits a successful one', async () => {
    await expect(
      store.transaction(async () => {
        await store.create(userResourceType, user('u1', 'one'), { context: {} });
        await store.create(userResourceType, user('u2', 'two'), { context: {} });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await ids(userResourceType, 'userName pr')).toEqual([]);
    await store.transaction(async () => {
      await store.create(userResourceType, user('u1', 'one'), { context: {} });
      await expect(store.create(userResourceType, user('u2', 'ONE'), { context: {} })).rejects.toThrow(
        /already in use/,
      );
      await store.create(userResourceType, user('u3', 'three'), { context: {} });
    });
    expect(await ids(userResourceType, 'userName pr')).toEqual(['u1', 'u3']);
  });

  it('hides a transaction from other connections until it ends, and makes a clashing create wait for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    const transaction = store.transaction(async () => {
      await store.create(userResourceType, user('u1', 'one'), { context: {} });
      await gate;
      order.push('transaction done');
      throw new Error('rolled back');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Reads do not wait: they see the last committed state.
    expect(await store.get(userResourceType, 'u1', { context: {} })).toBeUndefined();
    order.push('outside read');
    // A create of the same userName waits on the unique index until the transaction ends.
    const clash = store.create(userResourceType, user('u2', 'ONE'), { context: {} }).then((created) => {
      order.push('outside create');
      return created;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    expect((await clash).id).toBe('u2');
    expect(order).toEqual(['outside read', 'transaction done', 'outside create']);
    expect(await ids(userResourceType, 'userName pr')).toEqual(['u2']);
  });

  it('runs the calls of a transaction one at a time on its connection, with nested transactions as savepoints', async () => {
    await store.transaction(async () => {
      // Concurrent calls inside work: serialised on the pinned client, each its own savepoint.
      const results = await Promise.allSettled([
        store.create(userResourceType, user('u1', 'one'), { context: {} }),
        store.create(userResourceType, user('u2', 'ONE'), { context: {} }),
        store.create(userResourceType, user('u3', 'three'), { context: {} }),
        store.query(userResourceType, { filter: parseFilter('userName pr'), page: all() }, { context: {} }),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      await expect(
        store.transaction(async () => {
          await store.create(userResourceType, user('u4', 'four'), { context: {} });
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await store.transaction(async () => {
        await store.create(userResourceType, user('u5', 'five'), { context: {} });
      });
    });
    expect(await ids(userResourceType, 'userName pr')).toEqual(['u1', 'u3', 'u5']);
  });

  it('ends a transaction only after the calls its work started, so none of them outlives the rollback', async () => {
    await store.close();
    // One connection: a call that ran on after the rollback would land on whoever borrows it next.
    store = openStore({ schema: freshSchema('drain'), pool: testPool(1) });
    await expect(
      store.transaction(async () => {
        await store.create(userResourceType, user('u0', 'zero'), { context: {} });
        // Promise.all rejects at the first failure while the other calls still wait their turn.
        await Promise.all([
          store.create(userResourceType, user('u1', 'ZERO'), { context: {} }),
          store.create(userResourceType, user('u2', 'two'), { context: {} }),
          store.create(userResourceType, user('u3', 'three'), { context: {} }),
        ]);
      }),
    ).rejects.toThrow(/already in use/);
    await store.transaction(async () => {
      await store.create(userResourceType, user('u4', 'four'), { context: {} });
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await ids(userResourceType, 'userName pr')).toEqual(['u4']);
  });

  it('runs a call made after the transaction ended (from a timer its work set) on the pool, not on its released connection', async () => {
    await store.close();
    store = openStore({ schema: freshSchema('late'), pool: testPool(1) });
    let late!: Promise<unknown>;
    await store.transaction(async () => {
      await store.create(userResourceType, user('u1', 'one'), { context: {} });
      late = new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        store.create(userResourceType, user('u2', 'two'), { context: {} }),
      );
    });
    // Another request's transaction borrows the connection meanwhile and rolls back.
    await expect(
      store.transaction(async () => {
        await store.create(userResourceType, user('u3', 'three'), { context: {} });
        await new Promise((resolve) => setTimeout(resolve, 150));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await late;
    expect(await ids(userResourceType, 'userName pr')).toEqual(['u1', 'u2']);
  });

  it('never deadlocks when transactions hold every connection while a first check of a type waits for one', async () => {
    await store.close();
    store = openStore({ schema: freshSchema('burst'), pool: testPool(2) });
    await store.ready();
    // Two bulk transactions take both connections; a plain query of the same type, first use
    // of Group, then waits for a connection to check the type's index. The transactions must not
    // wait for that check.
    const transactions = [1, 2].map((n) =>
      store.transaction(async () => {
        await store.create(groupResourceType, group(`g${n}`, `Group ${n}`, []), { context: {} });
      }),
    );
    const listed = store.query(groupResourceType, { page: all() }, { context: {} });
    const outcome = await Promise.race([
      Promise.all([...transactions, listed]).then(() => 'done'),
      new Promise((resolve) => setTimeout(resolve, 5000, 'deadlock')),
    ]);
    expect(outcome).toBe('done');
    expect(await ids(groupResourceType, 'displayName pr')).toEqual(['g1', 'g2']);
  });

  it('partitions data by tenant', async () => {
    await store.create(userResourceType, user('u1', 'bjensen'), { context: { tenant: 'a' } });
    await store.create(userResourceType, user('u1', 'bjensen'), { context: { tenant: 'b' } });
    expect(await store.get(userResourceType, 'u1', { context: { tenant: 'c' } })).toBeUndefined();
    const inA = await store.query(
      userResourceType,
      { filter: parseFilter('userName eq "bjensen"'), page: all() },
      { context: { tenant: 'a' } },
    );
    expect(inA.totalResults).toBe(1);
  });
});

describe('createPostgresStore projection hints', () => {
  async function members(query: Partial<StoreQuery>): Promise<unknown> {
    const result = await store.query(
      groupResourceType,
      { filter: parseFilter('displayName eq "staff"'), page: all(), ...query },
      { context: {} },
    );
    expect(result.resources.map((resource) => resource.id)).toEqual(['g1']);
    return result.resources[0]?.members;
  }

  beforeEach(async () => {
    await store.create(groupResourceType, group('g1', 'staff', ['u1', 'u2']), { context: {} });
  });

  it('leaves members out when the response cannot show them, and reads them otherwise', async () => {
    const both = [
      { value: 'u1', type: 'User' },
      { value: 'u2', type: 'User' },
    ];
    expect(await members({})).toEqual(both);
    expect(await members({ excludedAttributes: parseAttributeList('members') })).toBeUndefined();
    expect(await members({ excludedAttributes: parseAttributeList('MEMBERS') })).toBeUndefined();
    expect(await members({ excludedAttributes: parseAttributeList(`${GROUP}:members`) })).toBeUndefined();
    expect(await members({ attributes: parseAttributeList('displayName') })).toBeUndefined();
    // Sub-attribute exclusions and selections that include members still read the rows.
    expect(await members({ excludedAttributes: parseAttributeList('members.display') })).toEqual(both);
    expect(await members({ attributes: parseAttributeList('displayName,members.value') })).toEqual(both);
    expect(await members({ attributes: parseAttributeList(GROUP) })).toEqual(both);
    // attributes wins over excludedAttributes, as in the server's shaping.
    expect(
      await members({
        attributes: parseAttributeList('members'),
        excludedAttributes: parseAttributeList('members'),
      }),
    ).toEqual(both);
  });

  it('does not read the members table for excludedAttributes=members', async () => {
    // Hide the members table from a second connection: any statement the store runs on it
    // now fails with "no such table".
    await db.query(`ALTER TABLE ${schema}.members RENAME TO members_hidden`);
    expect(await members({ excludedAttributes: parseAttributeList('members') })).toBeUndefined();
    expect(await members({ attributes: parseAttributeList('id,displayName') })).toBeUndefined();
    await expect(members({})).rejects.toThrow(/relation "scimkit_store_\w+\.members" does not exist/);
    // GET by id with the same projection hint skips them too; without a hint (a read before a
    // write) the whole resource is needed.
    const projected = await store.get(groupResourceType, 'g1', {
      context: {},
      projection: { excludedAttributes: parseAttributeList('members') },
    });
    expect(projected).toMatchObject({ id: 'g1', displayName: 'staff' });
    expect(projected).not.toHaveProperty('members');
    await expect(store.get(groupResourceType, 'g1', { context: {} })).rejects.toThrow(
      /relation "scimkit_store_\w+\.members" does not exist/,
    );
  });

  it('still reads members to evaluate an in-memory filter on them', async () => {
    await store.create(groupResourceType, group('g2', 'other', ['u3']), { context: {} });
    const result = await store.query(
      groupResourceType,
      {
        filter: parseFilter('members[value eq "u3"] or members.value eq "u2"'),
        page: all(),
        excludedAttributes: parseAttributeList('members'),
      },
      { context: {} },
    );
    expect(result.resources.map((resource) => resource.id).sort()).toEqual(['g1', 'g2']);
  });
});

describe('createPostgresStore in-memory filtering', () => {
  it('walks more rows than one batch in SQL order, with index and cursor paging as in memory', async () => {
    const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const people = Array.from({ length: 1200 }, (_, i) =>
      user(`u${i}`, `user${String(i).padStart(4, '0')}`, { [ENTERPRISE]: { employeeNumber: String(i % 7) } }),
    );
    for (let start = 0; start < people.length; start += 100) {
      await Promise.all(
        people
          .slice(start, start + 100)
          .map((person) => store.create(userResourceType, person, { context: {} })),
      );
    }
    // An unqualified extension attribute: left to compileFilter (the translator does not guess it).
    const filter = parseFilter('employeeNumber eq "3" and userName sw "user0"');
    const sort = {
      path: { kind: 'AttributePath' as const, attribute: 'userName' },
      order: 'descending' as const,
    };
    const stored = await Promise.all(
      people.map((person) => store.get(userResourceType, person.id, { context: {} })),
    );
    const expected = queryInMemory(
      stored as ScimResource[],
      { filter, sort, page: all(2000) },
      { resourceType: userResourceType },
    );
    expect(expected.totalResults).toBe(143);
    const page = await store.query(
      userResourceType,
      { filter, sort, page: { kind: 'index', startIndex: 101, count: 30 } },
      { context: {} },
    );
    expect(page.totalResults).toBe(143);
    expect(page.resources.map((r) => r.id)).toEqual(expected.resources.slice(100, 130).map((r) => r.id));
    const walked: string[] = [];
    let cursor: string | undefined = '';
    while (cursor !== undefined) {
      const next: Awaited<ReturnType<typeof store.query>> = await store.query(
        userResourceType,
        { filter, sort, page: { kind: 'cursor', cursor, count: 40 } },
        { context: {} },
      );
      walked.push(...next.resources.map((r) => r.id));
      cursor = next.nextCursor;
    }
    expect(walked).toEqual(expected.resources.map((r) => r.id));
    // It was the in-memory walk: one statement, without LIMIT, read through a cursor.
    await store.close();
    const statements: string[] = [];
    store = openStore({ schema, onQuery: ({ sql }) => void statements.push(sql) });
    await store.query(userResourceType, { filter, sort, page: all(10) }, { context: {} });
    expect(statements).toHaveLength(1);
    expect(statements[0]).not.toContain('LIMIT');
  });
});

describe('createPostgresStore queryTimeout', () => {
  /** 20,000 users written straight into the table (the store's index rows are not needed here). */
  async function manyUsers(target: string): Promise<void> {
    await db.query(`INSERT INTO ${target}.resources (tenant, type, id, version, data)
      SELECT '', 'User', 'u' || g, 'W/"1"', jsonb_build_object(
        'schemas', jsonb_build_array('${USER}'), 'id', 'u' || g, 'userName', 'user' || g,
        'emails', jsonb_build_array(jsonb_build_object('value', 'user' || g || '@example.com', 'type', 'work')),
        'meta', jsonb_build_object('resourceType', 'User', 'created', '2024-01-01T00:00:00Z',
          'lastModified', '2024-01-01T00:00:00Z', 'version', 'W/"1"'))
      FROM generate_series(1, 20000) AS g`);
  }

  /** A filter of about 4 kB (the server's default maxFilterLength) that PostgreSQL needs seconds for. */
  function hostileFilter(length = 4000): string {
    const parts: string[] = [];
    for (let index = 0; parts.join(' or ').length < length; index += 1)
      parts.push(`emails[value co "q${index}" and type ew "z"]`);
    return parts.join(' or ');
  }

  it('answers a filter that runs longer than queryTimeout with 400 tooMany, in about that time', async () => {
    const target = freshSchema('timeout');
    const bounded = openStore({ schema: target, queryTimeout: 300 });
    try {
      // First use of User before the rows arrive: its index check would otherwise rebuild 20,000 rows.
      await bounded.get(userResourceType, 'none', { context: {} });
      await manyUsers(target);
      const started = performance.now();
      const error = await bounded
        .query(
          userResourceType,
          { filter: parseFilter(hostileFilter(), { maxLength: 8000 }), page: all(10) },
          { context: {} },
        )
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(performance.now() - started).toBeLessThan(3000);
      expect(isScimError(error) && [error.status, error.scimType]).toEqual([400, 'tooMany']);
      // In-memory evaluation of a residual filter is bounded too: walking 20,000 rows in batches
      // of 500 takes far longer than 5 ms, whatever each batch's statement takes.
      const hurried = openStore({ schema: target, queryTimeout: 5 });
      const walked = await hurried
        .query(
          userResourceType,
          { filter: parseFilter('foo eq "x" or userName pr'), page: all(10) },
          { context: {} },
        )
        .then(
          () => undefined,
          (caught: unknown) => caught,
        )
        .finally(() => hurried.close());
      expect(isScimError(walked) && [walked.status, walked.scimType]).toEqual([400, 'tooMany']);
      // The connection is usable afterwards, and ordinary queries answer.
      const found = await bounded.query(
        userResourceType,
        { filter: parseFilter('id eq "u7"'), page: all(10) },
        { context: {} },
      );
      expect(found.resources.map((resource) => resource.id)).toEqual(['u7']);
    } finally {
      await bounded.close();
    }
  });
});

describe('createPostgresStore groupsOfMany', () => {
  it('answers the groups of many members as groupsOf does, with an entry for every id', async () => {
    await store.create(groupResourceType, group('g1', 'staff', ['u1', 'u2']), { context: {} });
    await store.create(groupResourceType, group('g2', 'admins', ['u2']), { context: {} });
    await store.create(groupResourceType, group('g3', 'elsewhere', ['u1']), { context: { tenant: 't' } });
    const groups = await store.groupsOfMany(['u1', 'u2', 'nobody', '__proto__', 'u1'], { context: {} });
    expect([...groups.entries()]).toEqual([
      ['u1', [{ id: 'g1', displayName: 'staff' }]],
      [
        'u2',
        [
          { id: 'g1', displayName: 'staff' },
          { id: 'g2', displayName: 'admins' },
        ],
      ],
      ['nobody', []],
      ['__proto__', []],
    ]);
    expect((await store.groupsOfMany(['u1'], { context: { tenant: 't' } })).get('u1')).toEqual([
      { id: 'g3', displayName: 'elsewhere' },
    ]);
    expect((await store.groupsOfMany([], { context: {} })).size).toBe(0);
    for (const memberId of ['u1', 'u2']) {
      expect(groups.get(memberId)).toEqual(await store.groupsOf(memberId, { context: {} }));
    }
  });
});

describe('createPostgresStore query', () => {
  beforeEach(async () => {
    const people: [string, string, Record<string, unknown>][] = [
      [
        'u1',
        'alice',
        { emails: [{ value: 'alice@work.example', type: 'work', primary: true }], active: true },
      ],
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
    for (const [id, userName, extra] of people)
      await store.create(userResourceType, user(id, userName, extra), { context: {} });
  });

  it('matches % and _ literally in co, sw and ew', async () => {
    expect(await ids(userResourceType, 'nickName co "%_"')).toEqual(['u3']);
    expect(await ids(userResourceType, 'nickName sw "100%"')).toEqual(['u3']);
    expect(await ids(userResourceType, 'nickName co "_"')).toEqual(['u3']);
    expect(await ids(userResourceType, 'nickName ew "_SURE"')).toEqual(['u3']);
    expect(await ids(userResourceType, 'nickName co "\\\\"')).toEqual([]);
  });

  it('treats quotes and SQL in values as data', async () => {
    expect(await ids(userResourceType, `userName eq "o'brien"`)).toEqual(['u4']);
    expect(await ids(userResourceType, 'displayName co "DROP TABLE resources"')).toEqual(['u4']);
    expect(await ids(userResourceType, `userName eq "x' OR '1'='1"`)).toEqual([]);
    expect(await ids(userResourceType, 'userName pr')).toHaveLength(5);
  });

  it('matches nothing for hostile attribute names and rejects them in sortBy, without touching SQL', async () => {
    for (const name of ['"; DROP TABLE resources; --', '__proto__', 'toString', 'constructor']) {
      const filter = {
        kind: 'Comparison' as const,
        path: { kind: 'AttributePath' as const, attribute: name },
        operator: 'eq' as const,
        value: 'x',
      };
      expect(await store.query(userResourceType, { filter, page: all() }, { context: {} })).toEqual({
        resources: [],
        totalResults: 0,
      });
      expect(
        await rejection(
          store.query(
            userResourceType,
            { sort: { path: { kind: 'AttributePath', attribute: name }, order: 'ascending' }, page: all() },
            { context: {} },
          ),
        ),
      ).toMatchObject({ status: 400 });
    }
    expect(await ids(userResourceType, 'userName pr')).toHaveLength(5);
  });

  it('refuses text PostgreSQL cannot store with 400, and answers filters, ids and cursors holding it without a 500', async () => {
    for (const bad of ['nul\u0000inside', 'lone\ud800surrogate', 'lone\udc00low']) {
      expect(
        await rejection(
          store.create(userResourceType, user('bad', 'bad', { displayName: bad }), { context: {} }),
        ),
      ).toEqual({
        status: 400,
        scimType: 'invalidValue',
      });
      expect(
        await rejection(
          store.replace(userResourceType, user('u1', 'alice', { [bad]: 'x' }), { context: {} }),
        ),
      ).toEqual({ status: 400, scimType: 'invalidValue' });
      expect(await ids(userResourceType, `displayName eq ${JSON.stringify(bad)}`)).toEqual([]);
      expect(await ids(userResourceType, `userName ne ${JSON.stringify(bad)}`)).toHaveLength(5);
      expect(await store.get(userResourceType, bad, { context: {} })).toBeUndefined();
      expect(await store.delete(userResourceType, bad, { context: {} })).toBe(false);
      expect(await store.groupsOf(bad, { context: {} })).toEqual([]);
      expect((await store.groupsOfMany([bad, 'u1'], { context: {} })).get(bad)).toEqual([]);
    }
    expect(
      await rejection(
        store.create(groupResourceType, group('g-long', 'Long', ['x'.repeat(1025)]), { context: {} }),
      ),
    ).toEqual({ status: 400, scimType: 'invalidValue' });
    await store.create(groupResourceType, group('g-ok', 'Ok', ['é'.repeat(512)]), { context: {} });
    // Paired surrogates are fine.
    await store.create(userResourceType, user('emoji', 'emoji', { displayName: 'smile \u{1F600}' }), {
      context: {},
    });
    expect(await ids(userResourceType, 'displayName co "\u{1F600}"')).toEqual(['emoji']);
    // Forged cursors: a sort key of the wrong type, or text PostgreSQL refuses.
    const sort = {
      path: { kind: 'AttributePath' as const, attribute: 'meta', subAttribute: 'created' },
      order: 'ascending' as const,
    };
    const first = await store.query(
      userResourceType,
      { sort, page: { kind: 'cursor', count: 1 } },
      { context: {} },
    );
    // The forged cursors below are well-formed for this sort: only their key is wrong.
    expect(JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString())).toMatchObject({
      s: 'meta.created:ascending',
      k: expect.any(String),
    });
    for (const key of ['not a number', 'a\u0000b']) {
      const cursor = Buffer.from(
        JSON.stringify({ v: 1, s: 'meta.created:ascending', k: key, i: 1 }),
      ).toString('base64url');
      expect(
        await rejection(
          store.query(
            userResourceType,
            { sort, page: { kind: 'cursor', cursor, count: 2 } },
            { context: {} },
          ),
        ),
      ).toEqual({ status: 400, scimType: 'invalidCursor' });
    }
    // Inside a transaction the failed read is undone alone: the transaction goes on.
    await store.transaction(async () => {
      const cursor = Buffer.from(
        JSON.stringify({ v: 1, s: 'meta.created:ascending', k: 'x', i: 1 }),
      ).toString('base64url');
      await expect(
        store.query(userResourceType, { sort, page: { kind: 'cursor', cursor, count: 2 } }, { context: {} }),
      ).rejects.toMatchObject({ status: 400 });
      await store.create(userResourceType, user('after', 'after'), { context: {} });
    });
    expect(await ids(userResourceType, 'userName eq "after"')).toEqual(['after']);
  });

  it('compares externalId case-exactly and userName case-insensitively', async () => {
    expect(await ids(userResourceType, 'externalId eq "B-1"')).toEqual(['u2']);
    expect(await ids(userResourceType, 'userName eq "CAROL"')).toEqual(['u3']);
    expect(await ids(userResourceType, 'userName gt "b" and userName lt "d"')).toEqual(['u2', 'u3']);
  });

  it('matches multi-valued attributes by any value and value paths within one value', async () => {
    expect(await ids(userResourceType, 'emails.type eq "work"')).toEqual(['u1', 'u3']);
    expect(await ids(userResourceType, 'emails.type eq "work" and emails.value sw "carol"')).toEqual(['u3']);
    expect(await ids(userResourceType, 'emails[type eq "work" and value sw "carol"]')).toEqual([]);
    expect(await ids(userResourceType, 'emails co "@work"')).toEqual(['u1', 'u3']);
    expect(await ids(userResourceType, 'not (emails pr)')).toEqual(['u4', 'u5']);
    expect(await ids(userResourceType, 'active eq false or externalId eq "b-1"')).toEqual(['u2', 'u5']);
  });

  it('uses the attribute index for userName, externalId and emails.value lookups', async () => {
    await store.close();
    const statements: { sql: string; params: unknown[] }[] = [];
    store = openStore({ schema, onQuery: (statement) => statements.push(statement) });
    // Enough rows (and fresh statistics) for the planner to prefer the index over a scan.
    const many = Array.from({ length: 2000 }, (_, i) => `filler${i}`);
    await db.query(
      `INSERT INTO ${schema}.resources (tenant, type, id, version, data) SELECT '', 'User', x, 'W/"1"', jsonb_build_object('userName', x) FROM unnest($1::text[]) AS x`,
      [many],
    );
    await db.query(
      `INSERT INTO ${schema}.attribute_values (tenant, type, id, seq, path, value) SELECT '', 'User', r.id, r.seq, 'userName', r.id FROM ${schema}.resources r WHERE r.id LIKE 'filler%'`,
    );
    await db.query(`ANALYZE ${schema}.resources`);
    await db.query(`ANALYZE ${schema}.attribute_values`);
    for (const filter of ['userName eq "bob"', 'externalId eq "B-1"', 'emails.value eq "bob@home.example"']) {
      statements.length = 0;
      expect(await ids(userResourceType, filter)).toEqual(['u2']);
      const select = statements.find((s) => s.sql.startsWith('SELECT r.seq'))!;
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${select.sql}`, select.params);
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index (Only )?Scan using attribute_values_lookup/);
      expect(plan).not.toMatch(/Seq Scan on resources/);
    }
  });

  it('sorts with missing values last and pages by index and by cursor', async () => {
    const sortBy = (attribute: string, order: 'ascending' | 'descending') => ({
      path: { kind: 'AttributePath' as const, attribute },
      order,
    });
    const page = await store.query(
      userResourceType,
      { sort: sortBy('userName', 'descending'), page: { kind: 'index', startIndex: 2, count: 2 } },
      { context: {} },
    );
    expect(page.resources.map((r) => r.id)).toEqual(['u5', 'u3']);
    expect(page.totalResults).toBe(5);
    const nick = await store.query(
      userResourceType,
      { sort: sortBy('nickName', 'ascending'), page: all() },
      { context: {} },
    );
    expect(nick.resources.map((r) => r.id)).toEqual(['u4', 'u3', 'u1', 'u2', 'u5']);
    const seen: string[] = [];
    let cursor: string | undefined = '';
    while (cursor !== undefined) {
      const result = await store.query(
        userResourceType,
        { sort: sortBy('emails', 'descending'), page: { kind: 'cursor', cursor, count: 2 } },
        { context: {} },
      );
      expect(result.totalResults).toBe(5);
      seen.push(...result.resources.map((r) => r.id));
      cursor = result.nextCursor;
    }
    // emails sorts by the primary value, else the first: carol@…, bob@…, alice@…, then none.
    expect(seen).toEqual(['u3', 'u2', 'u1', 'u4', 'u5']);
    expect(
      await rejection(
        store.query(
          userResourceType,
          { sort: sortBy('userName', 'ascending'), page: { kind: 'cursor', cursor: 'bm9wZQ', count: 2 } },
          { context: {} },
        ),
      ),
    ).toEqual({ status: 400, scimType: 'invalidCursor' });
    const zero = await store.query(
      userResourceType,
      { filter: parseFilter('userName pr'), page: { kind: 'index', startIndex: 1, count: 0 } },
      { context: {} },
    );
    expect(zero).toEqual({ resources: [], totalResults: 5 });
  });

  it('sorts by a complex attribute (no sort key: every resource misses it) in insertion order, by index and cursor', async () => {
    // A tenant of its own: this describe's users live in the default one.
    await store.create(userResourceType, user('u1', 'one', { name: { familyName: 'B' } }), {
      context: {
        tenant: 'sort',
      },
    });
    await store.create(userResourceType, user('u2', 'two', { name: { familyName: 'A' } }), {
      context: {
        tenant: 'sort',
      },
    });
    await store.create(userResourceType, user('u3', 'three'), { context: { tenant: 'sort' } });
    for (const attribute of [
      'name',
      'meta',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
    ]) {
      const sort = { path: parseAttributeList(attribute)[0]!, order: 'descending' as const };
      const indexed = await store.query(
        userResourceType,
        { sort, page: all() },
        { context: { tenant: 'sort' } },
      );
      expect(indexed.resources.map((resource) => resource.id)).toEqual(['u1', 'u2', 'u3']);
      const first = await store.query(
        userResourceType,
        { sort, page: { kind: 'cursor', count: 2 } },
        { context: { tenant: 'sort' } },
      );
      expect(first.resources.map((resource) => resource.id)).toEqual(['u1', 'u2']);
      const next = await store.query(
        userResourceType,
        { sort, page: { kind: 'cursor', cursor: first.nextCursor ?? '', count: 2 } },
        { context: { tenant: 'sort' } },
      );
      expect(next.resources.map((resource) => resource.id)).toEqual(['u3']);
    }
  });

  it('answers an empty page for a startIndex or count beyond 2^53 instead of a datatype mismatch', async () => {
    const far = await store.query(
      userResourceType,
      { page: { kind: 'index', startIndex: 1e20, count: 10 } },
      { context: {} },
    );
    expect(far).toEqual({ resources: [], totalResults: 5 });
    const huge = await store.query(
      userResourceType,
      { page: { kind: 'index', startIndex: 2, count: 1e20 } },
      { context: {} },
    );
    expect(huge.resources).toHaveLength(4);
    expect(huge.totalResults).toBe(5);
  });
});
