/**
 * Round trips of the reads a provisioning client makes most (a lookup by `userName`,
 * `externalId`, a GET by id, a Group by member), counted on a real PostgreSQL as the statements
 * the store's pool sends; and their answers compared with those of the path that reads
 * `User.groups` in a statement of its own (the store without `getWithGroups` and `withGroups`).
 */
import { createScimServer, type ScimServer, type ScimStore } from '@scimkit/server';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, openStore, testPool } from '../test/pg.js';
import type { PostgresStore } from './index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** Every statement a client of `pool` sends (one round trip each), in order. */
function countStatements(pool: pg.Pool): string[] {
  const sent: string[] = [];
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const first = args[0] as string | { text: string };
      sent.push(typeof first === 'string' ? first : first.text);
      return query(...args);
    };
  });
  return sent;
}

/** The store as a store without the one-read groups answers `User.groups` (the former path). */
function separateGroups(store: PostgresStore): ScimStore {
  const { getWithGroups: _oneRead, ...rest } = store;
  return { ...rest, query: (type, query, { context }) => store.query(type, query, { context }) };
}

const schema = freshSchema('trips');
const pool = testPool(4);
const sent = countStatements(pool);
let store: PostgresStore;
let server: ScimServer;
let reference: ScimServer;
const ids: Record<string, string> = {};

async function call(on: ScimServer, method: string, path: string, body?: unknown) {
  const response = await on.fetch(
    new Request(`http://scim.test/scim/v2${path}`, {
      method,
      headers: { authorization: 'Bearer secret', 'content-type': 'application/scim+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The statements one request sends (the read-only COMMIT of a snapshot included, though not awaited). */
async function statementsOf(method: string, path: string) {
  await new Promise((resolve) => setTimeout(resolve, 20)); // earlier unawaited COMMITs
  sent.length = 0;
  const response = await call(server, method, path);
  const statements = [...sent];
  const expected = await call(reference, method, path);
  expect(response).toEqual(expected);
  return { response, statements };
}

beforeAll(async () => {
  store = openStore({ schema, pool });
  await store.ready();
  server = createScimServer({ store, auth: { tokens: ['secret'] } });
  reference = createScimServer({ store: separateGroups(store), auth: { tokens: ['secret'] } });
  for (const userName of ['ann', 'ben', 'cat']) {
    const created = await call(server, 'POST', '/Users', {
      schemas: [USER],
      userName,
      externalId: `ext-${userName}`,
    });
    ids[userName] = String(created.body['id']);
  }
  const group = async (displayName: string | undefined, members: string[]) => {
    const created = await call(server, 'POST', '/Groups', {
      schemas: [GROUP],
      ...(displayName === undefined ? {} : { displayName }),
      members: members.map((value) => ({ value })),
    });
    expect(created.status).toBe(201);
    return String(created.body['id']);
  };
  // ann: three groups in creation order, one of them nesting another group; cat: none.
  ids['staff'] = await group('Staff', [ids['ann'] ?? '', ids['ben'] ?? '']);
  ids['admins'] = await group('Admins', [ids['ann'] ?? '']);
  ids['all'] = await group('All', [ids['staff'] ?? '', ids['ann'] ?? '']);
});

afterAll(async () => {
  await store?.close();
});

describe('round trips of a lookup on PostgreSQL', () => {
  it('answers userName eq in one statement: page, index record, count and groups', async () => {
    for (const filter of ['userName eq "ann"', 'userName eq "nobody"']) {
      const { response, statements } = await statementsOf(
        'GET',
        `/Users?filter=${encodeURIComponent(filter)}`,
      );
      expect(statements, filter).toHaveLength(1);
      expect(statements[0], filter).toMatch(/^SELECT h\.\*/);
      expect(response.status).toBe(200);
    }
    const { response } = await statementsOf(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ann"')}`,
    );
    const [ann] = response.body['Resources'] as { groups: { value: string; display: string }[] }[];
    expect(ann?.groups.map((group) => [group.value, group.display])).toEqual([
      [ids['staff'], 'Staff'],
      [ids['admins'], 'Admins'],
      [ids['all'], 'All'],
    ]);
  });

  it('counts in the same statement when the page is empty or starts beyond the end', async () => {
    const filter = encodeURIComponent('userName eq "ann"');
    for (const [query, total, shown] of [
      [`filter=${filter}&startIndex=2`, 1, 0],
      [`filter=${filter}&startIndex=50&count=5`, 1, 0],
      [`filter=${filter}&count=0`, 1, 0],
      [`filter=${encodeURIComponent('userName eq "nobody"')}&startIndex=3`, 0, 0],
    ] as const) {
      const { response, statements } = await statementsOf('GET', `/Users?${query}`);
      expect(statements, query).toHaveLength(1);
      expect([response.body['totalResults'], response.body['itemsPerPage']], query).toEqual([total, shown]);
    }
  });

  it('pages a lookup by cursor (RFC 9865) in one statement per page', async () => {
    const filter = encodeURIComponent(`members[value eq "${ids['ann']}"]`);
    const first = await statementsOf('GET', `/Groups?filter=${filter}&cursor&count=2`);
    expect(first.statements).toHaveLength(1);
    expect(first.response.body['totalResults']).toBe(3);
    const next = String(first.response.body['nextCursor']);
    const second = await statementsOf('GET', `/Groups?filter=${filter}&cursor=${next}&count=2`);
    expect(second.statements).toHaveLength(1);
    const names = [first, second].flatMap((page) =>
      (page.response.body['Resources'] as { displayName: string }[]).map((group) => group.displayName),
    );
    expect(names).toEqual(['Staff', 'Admins', 'All']);
    expect(second.response.body['nextCursor']).toBeUndefined();
  });

  it('answers members[value eq] on Groups, their members included, in one statement', async () => {
    const filter = encodeURIComponent(`members[value eq "${ids['ben']}"]`);
    const { response, statements } = await statementsOf('GET', `/Groups?filter=${filter}`);
    expect(statements).toHaveLength(1);
    const [staff] = response.body['Resources'] as { members: { value: string }[] }[];
    expect(staff?.members.map((member) => member.value)).toEqual([ids['ann'], ids['ben']]);
  });

  it('answers a GET by id with its groups in one statement', async () => {
    for (const name of ['ann', 'cat', 'staff']) {
      const { response, statements } = await statementsOf('GET', `/Users/${ids[name]}`);
      expect(statements, name).toHaveLength(1);
      expect(response.status, name).toBe(name === 'staff' ? 404 : 200);
    }
    const { response } = await statementsOf('GET', `/Users/${ids['ann']}?attributes=groups`);
    expect((response.body['groups'] as unknown[]).length).toBe(3);
  });

  it('keeps BEGIN for a filter that is not one index lookup (its statement_timeout), reading groups with the page', async () => {
    const filter = encodeURIComponent('userName sw "a"');
    const { statements } = await statementsOf('GET', `/Users?filter=${filter}`);
    expect(statements.map((text) => text.slice(0, 12))).toEqual(['BEGIN ISOLAT', 'SELECT r.seq', 'COMMIT']);
  });

  it('keeps BEGIN for a non-unique indexed attribute, whose one value may match every row', async () => {
    const filter = encodeURIComponent('externalId eq "ext-ann"');
    const { response, statements } = await statementsOf('GET', `/Users?filter=${filter}`);
    expect(statements.map((text) => text.slice(0, 12))).toEqual(['BEGIN ISOLAT', 'SELECT r.seq', 'COMMIT']);
    expect(statements[0]).toContain('statement_timeout');
    const [ann] = response.body['Resources'] as { userName: string; groups: unknown[] }[];
    expect([ann?.userName, ann?.groups.length]).toEqual(['ann', 3]);
  });
});
