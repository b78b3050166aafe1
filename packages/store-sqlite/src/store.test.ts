import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFilter } from '@scimkit/filter';
import { groupResourceType, userResourceType } from '@scimkit/schema';
import { all, group, ids, rejection, user } from '@scimkit/sql-store-suite';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from './index.js';

// What only the SQLite store does; the behaviour every SQL store shares is in sql-store.test.ts.

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

describe('createSqliteStore', () => {
  it('runs in WAL mode with versioned migrations recorded', async () => {
    await store.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
    ]);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01')").run();
    db.close();
    expect(() => createSqliteStore({ filename: file })).toThrow(/schema version 99/);
    store = createSqliteStore({ filename: ':memory:' });
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
});

describe('createSqliteStore query withTexts', () => {
  const context = { tenant: 'default' };

  it('gives each resource of the page the exact text it was parsed from, for types without members', async () => {
    await store.create(userResourceType, user('u1', 'ann', { displayName: 'Ann Ünïcode' }), { context });
    await store.create(userResourceType, user('u2', 'ben'), { context });
    await store.create(groupResourceType, group('g1', 'Guides', ['u1']), { context });
    const users = await store.query(userResourceType, { page: all() }, { context, withTexts: true });
    expect(users.texts).toHaveLength(2);
    users.resources.forEach((resource, index) => {
      const text = users.texts?.[index] as string;
      expect(JSON.parse(text)).toStrictEqual(resource);
      expect(text).toBe(JSON.stringify(resource));
    });
    // A cursor page holds only its own texts (the row read past the page is not one of them).
    const cursor = await store.query(
      userResourceType,
      { page: { kind: 'cursor', count: 1 } },
      { context, withTexts: true },
    );
    expect(cursor.resources).toHaveLength(1);
    expect(cursor.texts).toEqual([JSON.stringify(cursor.resources[0])]);
    // Not asked, or a Group (its members come from their own rows): no texts.
    expect((await store.query(userResourceType, { page: all() }, { context })).texts).toBeUndefined();
    const groups = await store.query(groupResourceType, { page: all() }, { context, withTexts: true });
    expect(groups.resources).toHaveLength(1);
    expect(groups.texts).toBeUndefined();
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

  // These tests never time anything: the hostile queries are seconds of work unbounded, so they
  // can only be refused; the follow-up queries read fewer than 16 rows, so they never read the
  // clock and cannot time out however busy the machine is.
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
      expect(
        await rejection(bounded.query(userResourceType, { filter, page: all(10) }, { context: {} })),
      ).toEqual({
        status: 400,
        scimType: 'tooMany',
      });
      // The next queries run with a fresh deadline, and writes are not bounded at all.
      expect(await ids(bounded, userResourceType, 'userName eq "user7"')).toEqual(['u7']);
      await bounded.create(userResourceType, user('late', 'late'), { context: {} });
      expect(await ids(bounded, userResourceType, 'userName eq "late"')).toEqual(['late']);
    } finally {
      await bounded.close();
    }
  });

  it('bounds the scan of member rows inside the filter of a few large groups (issue 19)', async () => {
    const bounded = createSqliteStore({ filename: path.join(dir, 'groups.db'), queryTimeout: 50 });
    try {
      const members = Array.from({ length: 20_000 }, (_, index) => `user-${index}`);
      await bounded.create(groupResourceType, group('g1', 'one', members), { context: {} });
      await bounded.create(groupResourceType, group('g2', 'two', members), { context: {} });
      // Two resource rows, 20k member rows each, ~150 member scans per row: the outer query's
      // check alone never fires; only a check inside the member scan bounds it.
      const filter = parseFilter(hostileFilter('members'));
      expect(
        await rejection(bounded.query(groupResourceType, { filter, page: all(10) }, { context: {} })),
      ).toEqual({ status: 400, scimType: 'tooMany' });
      expect(await ids(bounded, groupResourceType, 'displayName eq "two"')).toEqual(['g2']);
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
    expect(await ids(unbounded, userResourceType, hostileFilter('emails', 600))).toEqual([]);
    await unbounded.close();
    for (const queryTimeout of [-1, 1.5, Number.NaN]) {
      expect(() => createSqliteStore({ filename: path.join(dir, 'bad.db'), queryTimeout })).toThrow(
        /queryTimeout must be a whole number of milliseconds/,
      );
    }
  });
});
