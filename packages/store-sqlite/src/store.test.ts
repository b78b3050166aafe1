import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAttributeList, parseFilter } from '@scimkit/filter';
import { applyPatch, type PatchOperation } from '@scimkit/patch';
import {
  groupResourceType,
  isScimError,
  type ResourceTypeDefinition,
  type ScimResource,
  userResourceType,
} from '@scimkit/schema';
import type { StoreQuery, StoreResourceType } from '@scimkit/server';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from './index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

let dir: string;
let file: string;
let store: SqliteStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-sqlite-'));
  file = path.join(dir, 'scim.db');
  store = createSqliteStore({ filename: file });
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
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

async function ids(type: StoreResourceType, filter: string, s: SqliteStore = store): Promise<string[]> {
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

describe('createSqliteStore', () => {
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
    store = createSqliteStore({ filename: file });
    expect((await store.get(userResourceType, 'u1', { context: {} }))?.userName).toBe('bjensen');
    expect(await ids(userResourceType, 'userName eq "BJENSEN"')).toEqual(['u1']);
    expect(await store.groupsOf('u1', { context: {} })).toEqual([{ id: 'g1', displayName: 'Admins' }]);
  });

  it('runs in WAL mode with versioned migrations recorded', async () => {
    await store.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }]);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01')").run();
    db.close();
    expect(() => createSqliteStore({ filename: file })).toThrow(/schema version 99/);
    store = createSqliteStore({ filename: ':memory:' });
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
    await store.close();
    const db = new Database(file);
    expect(() =>
      db
        .prepare(
          "INSERT INTO attribute_values (tenant, type, id, seq, path, value, unique_scope) VALUES ('', 'User', 'u9', 9, 'userName', 'bjensen', 'type:User')",
        )
        .run(),
    ).toThrow(/UNIQUE constraint failed/);
    db.close();
    store = createSqliteStore({ filename: file });
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

  it('lists members after a PATCH in the order the PATCH response did', async () => {
    let stored = await store.create(groupResourceType, group('g1', 'Admins', ['a', 'b', 'c']), {
      context: {},
    });
    const patch = async (...operations: PatchOperation[]) => {
      const { resource, deltas } = applyPatch(stored, operations, { resourceType: groupResourceType });
      const next = { ...resource, meta: { ...resource.meta, version: `W/"${Date.now()}"` } };
      await store.replace(groupResourceType, next, {
        context: {},
        expectedVersion: stored.meta.version,
        deltas,
      });
      stored = (await store.get(groupResourceType, 'g1', { context: {} }))!;
      expect(stored.members).toEqual((next as Record<string, unknown>).members);
      return (stored.members as { value: string; display?: string }[]).map((m) => m.value).join(',');
    };
    // Changed where it stands (an unset sub-attribute set: members' are immutable once set):
    // the row is updated and keeps its place.
    expect(await patch({ op: 'replace', path: 'members[value eq "a"].display', value: 'Alice' })).toBe(
      'a,b,c',
    );
    // Removed then added again: last, in the response and in the store alike.
    expect(
      await patch(
        { op: 'remove', path: 'members[value eq "b"]' },
        { op: 'add', path: 'members', value: [{ value: 'b', display: 'Bob' }] },
      ),
    ).toBe('a,c,b');
    // The last member changed in place, then a new member: both stay in that order.
    expect(
      await patch(
        { op: 'replace', path: 'members[value eq "b"].type', value: 'User' },
        { op: 'add', path: 'members', value: [{ value: 'd' }] },
      ),
    ).toBe('a,c,b,d');
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
      const next = { ...resource, meta: { ...resource.meta, version: 'W/"2"' } };
      await store.replace(groupResourceType, next, {
        context: {},
        expectedVersion: stored.meta.version,
        deltas,
      });
      expect((await store.get(groupResourceType, id, { context: {} }))!.members).toEqual(value);
    }
  });

  async function memberRows(): Promise<{ seq: number; group_id: string; value: string }[]> {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT seq, group_id, value FROM members ORDER BY seq').all() as {
        seq: number;
        group_id: string;
        value: string;
      }[];
    } finally {
      db.close();
    }
  }

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

  it('makes other requests wait while a transaction is open', async () => {
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
    await new Promise((resolve) => setTimeout(resolve, 10));
    const outside = store.get(userResourceType, 'u1', { context: {} }).then((found) => {
      order.push('outside read');
      return found;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    expect(await outside).toBeUndefined();
    expect(order).toEqual(['transaction done', 'outside read']);
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

describe('createSqliteStore projection hints', () => {
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
    const other = new Database(file);
    other.exec('ALTER TABLE members RENAME TO members_hidden');
    other.close();
    expect(await members({ excludedAttributes: parseAttributeList('members') })).toBeUndefined();
    expect(await members({ attributes: parseAttributeList('id,displayName') })).toBeUndefined();
    await expect(members({})).rejects.toThrow(/no such table: members/);
    // GET by id with the same projection hint skips them too; without a hint (a read before a
    // write) the whole resource is needed.
    const projected = await store.get(groupResourceType, 'g1', {
      context: {},
      projection: { excludedAttributes: parseAttributeList('members') },
    });
    expect(projected).toMatchObject({ id: 'g1', displayName: 'staff' });
    expect(projected).not.toHaveProperty('members');
    await expect(store.get(groupResourceType, 'g1', { context: {} })).rejects.toThrow(
      /no such table: members/,
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

describe('createSqliteStore groupsOfMany', () => {
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

describe('createSqliteStore query', () => {
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
    store = createSqliteStore({ filename: file, onQuery: (statement) => statements.push(statement) });
    const db = new Database(file, { readonly: true });
    // The store's per-row queryTimeout check, so that its statements can be explained here too
    // (and the plan shows the check does not keep SQLite from the index).
    db.function('scim_guard', { deterministic: false }, () => 1);
    try {
      for (const filter of [
        'userName eq "bob"',
        'externalId eq "B-1"',
        'emails.value eq "bob@home.example"',
      ]) {
        statements.length = 0;
        expect(await ids(userResourceType, filter)).toEqual(['u2']);
        const select = statements.find((s) => s.sql.startsWith('SELECT r.seq'))!;
        const plan = db
          .prepare(`EXPLAIN QUERY PLAN ${select.sql}`)
          .all(...select.params)
          .map((row) => (row as { detail: string }).detail)
          .join('\n');
        expect(plan).toMatch(/attribute_values_lookup \(tenant=\? AND type=\? AND path=\? AND value=\?\)/);
        // Resource rows are then fetched by key, never scanned.
        expect(plan).toMatch(
          /SEARCH r USING (COVERING )?INDEX resources_order \(tenant=\? AND type=\? AND seq=\?\)/,
        );
        expect(plan).not.toMatch(/SCAN r\b/);
      }
    } finally {
      db.close();
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

describe('createSqliteStore queryTimeout', () => {
  /** About 4 kB of value paths (the server's default maxFilterLength), each a json_each scan per row. */
  function hostileFilter(attribute: string, length = 4000): string {
    const parts: string[] = [];
    for (let index = 0; parts.join(' or ').length < length; index += 1)
      parts.push(`${attribute}[value co "q${index}" and type ew "z"]`);
    return parts.join(' or ');
  }

  it('answers a query that runs past queryTimeout with 400 tooMany instead of stalling the process', async () => {
    const bounded = createSqliteStore({ filename: path.join(dir, 'bounded.db'), queryTimeout: 50 });
    try {
      await bounded.transaction(async () => {
        for (let index = 0; index < 3000; index += 1) {
          const emails = [{ value: `user${index}@example.com`, type: 'work' }];
          await bounded.create(userResourceType, user(`u${index}`, `user${index}`, { emails }), {
            context: {},
          });
        }
      });
      const filter = parseFilter(hostileFilter('emails'), { maxLength: 8000 });
      const started = performance.now();
      expect(
        await rejection(bounded.query(userResourceType, { filter, page: all(10) }, { context: {} })),
      ).toEqual({
        status: 400,
        scimType: 'tooMany',
      });
      // Unbounded, this query takes seconds here; bounded, about the 50 ms it is allowed.
      expect(performance.now() - started).toBeLessThan(1500);
      // The next queries run with a fresh deadline, and writes are not bounded at all.
      expect(await ids(userResourceType, 'userName eq "user7"', bounded)).toEqual(['u7']);
      expect(await ids(userResourceType, 'emails.value ew "9@example.com"', bounded)).toHaveLength(300);
      await bounded.create(userResourceType, user('late', 'late'), { context: {} });
    } finally {
      await bounded.close();
    }
  });

  it('bounds the in-memory part of a filter too', async () => {
    const bounded = createSqliteStore({ filename: path.join(dir, 'members.db'), queryTimeout: 5 });
    try {
      await bounded.transaction(async () => {
        for (let index = 0; index < 2000; index += 1)
          await bounded.create(groupResourceType, group(`g${index}`, `group ${index}`, [`u${index}`]), {
            context: {},
          });
      });
      const filter = parseFilter(hostileFilter('members', 2000));
      expect(
        await rejection(bounded.query(groupResourceType, { filter, page: all(10) }, { context: {} })),
      ).toEqual({
        status: 400,
        scimType: 'tooMany',
      });
    } finally {
      await bounded.close();
    }
  });

  it('takes 0 for no bound and rejects a timeout that is not a whole number of milliseconds', async () => {
    const unbounded = createSqliteStore({ filename: path.join(dir, 'unbounded.db'), queryTimeout: 0 });
    await unbounded.create(userResourceType, user('u1', 'alice'), { context: {} });
    expect(await ids(userResourceType, hostileFilter('emails', 600), unbounded)).toEqual([]);
    await unbounded.close();
    for (const queryTimeout of [-1, 1.5, Number.NaN]) {
      expect(() => createSqliteStore({ filename: path.join(dir, 'bad.db'), queryTimeout })).toThrow(
        /queryTimeout must be a whole number of milliseconds/,
      );
    }
  });
});
