import { createScimServer, type ScimStore } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, openStore, testPool } from '../test/pg.js';
import type { PostgresStore } from './index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

const schema = freshSchema('http');
const db = testPool(1);
let store: PostgresStore;
let running: { url: string; close(): Promise<void> };

beforeAll(async () => {
  store = openStore({ schema });
  await store.ready();
  const server = createScimServer({ store, auth: { tokens: ['secret'] }, bulk: { atomic: true } });
  running = await serveNode({ server, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await running?.close();
  await store?.close();
});

/** A real HTTP request to the server on 127.0.0.1. */
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${running.url}/scim/v2${path}`, {
    method,
    headers: { authorization: 'Bearer secret', 'content-type': 'application/scim+json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

async function memberRows(): Promise<{ seq: number; value: string }[]> {
  const { rows } = await db.query<{ seq: number; value: string }>(
    `SELECT seq::int AS seq, value FROM ${schema}.members ORDER BY seq`,
  );
  return rows;
}

describe('createPostgresStore behind createScimServer over HTTP', () => {
  const ids: string[] = [];
  let groupId = '';

  it('creates users, answers 409 for a taken userName, and filters, sorts and pages', async () => {
    for (const userName of ['ann', 'ben', 'cat', 'dan']) {
      const created = await call('POST', '/Users', {
        schemas: [USER],
        userName,
        emails: [{ value: `${userName}@example.com`, type: 'work' }],
      });
      expect(created.status).toBe(201);
      expect(created.etag).toBe('W/"1"');
      ids.push(created.body!.id as string);
    }
    const taken = await call('POST', '/Users', { schemas: [USER], userName: 'ANN' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const found = await call('GET', `/Users?filter=${encodeURIComponent('userName eq "BEN"')}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ userName: 'ben' }] });
    const page = await call('GET', '/Users?sortBy=userName&sortOrder=descending&startIndex=2&count=2');
    expect((page.body!.Resources as { userName: string }[]).map((user) => user.userName)).toEqual([
      'cat',
      'ben',
    ]);
    expect(page.body!.totalResults).toBe(4);
    const hostile = await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "x' OR '1'='1"`)}`);
    expect(hostile.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('persists a PATCH of group members as row changes only, and shows groups on users', async () => {
    const group = await call('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Team',
      members: ids.slice(0, 3).map((value) => ({ value })),
    });
    expect(group.status).toBe(201);
    groupId = group.body!.id as string;
    const before = await memberRows();
    const patched = await call('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: ids[3] }] },
        { op: 'remove', path: `members[value eq "${ids[1]}"]` },
      ],
    });
    expect(patched.status).toBe(200);
    const after = await memberRows();
    // ann and cat keep their rows; ben's row is gone; dan's is new.
    expect(after.filter((row) => before.some((old) => old.seq === row.seq)).map((row) => row.value)).toEqual([
      ids[0],
      ids[2],
    ]);
    expect(after.map((row) => row.value)).toEqual([ids[0], ids[2], ids[3]]);
    const found = await call('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${ids[3]}"]`)}`);
    expect(found.body!.totalResults).toBe(1);
    const dan = await call('GET', `/Users/${ids[3]}`);
    expect(dan.body!.groups).toEqual([expect.objectContaining({ value: groupId, display: 'Team' })]);
    const lean = await call('GET', `/Groups/${groupId}?excludedAttributes=members`);
    expect(lean.body).not.toHaveProperty('members');
  });

  it('answers 412 for a stale If-Match', async () => {
    const stale = await call(
      'PUT',
      `/Users/${ids[0]}`,
      { schemas: [USER], userName: 'ann', displayName: 'Ann' },
      { 'if-match': 'W/"99"' },
    );
    expect(stale.status).toBe(412);
  });

  it('rolls an atomic bulk request back entirely when it reaches failOnErrors', async () => {
    const bulk = await call('POST', '/Bulk', {
      schemas: [BULK],
      failOnErrors: 1,
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'one', data: { schemas: [USER], userName: 'bulk-one' } },
        { method: 'POST', path: '/Users', bulkId: 'two', data: { schemas: [USER], userName: 'ann' } },
      ],
    });
    expect(bulk.status).toBe(200);
    expect((bulk.body!.Operations as { status: string }[]).map((operation) => operation.status)).toEqual([
      '424',
      '409',
    ]);
    const none = await call('GET', `/Users?filter=${encodeURIComponent('userName eq "bulk-one"')}`);
    expect(none.body!.totalResults).toBe(0);
    // Without reaching failOnErrors, the failed operation is undone alone (its savepoint).
    const partial = await call('POST', '/Bulk', {
      schemas: [BULK],
      failOnErrors: 2,
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'one', data: { schemas: [USER], userName: 'bulk-one' } },
        { method: 'POST', path: '/Users', bulkId: 'two', data: { schemas: [USER], userName: 'ann' } },
        {
          method: 'POST',
          path: '/Users',
          bulkId: 'three',
          data: { schemas: [USER], userName: 'bulk-three' },
        },
      ],
    });
    expect((partial.body!.Operations as { status: string }[]).map((operation) => operation.status)).toEqual([
      '201',
      '409',
      '201',
    ]);
    const both = await call('GET', `/Users?filter=${encodeURIComponent('userName sw "bulk-"')}`);
    expect(both.body!.totalResults).toBe(2);
  });

  it('removes a deleted user from its groups', async () => {
    expect((await call('DELETE', `/Users/${ids[0]}`)).status).toBe(204);
    const group = await call('GET', `/Groups/${groupId}`);
    expect((group.body!.members as { value: string }[]).map((member) => member.value)).toEqual([
      ids[2],
      ids[3],
    ]);
    expect(group.etag).toBe('W/"3"');
  });

  it('runs an atomic bulk request again when PostgreSQL aborts it for a deadlock, reports each operation once and logs no unexpected error (issue 19)', async () => {
    const own = openStore({ schema: freshSchema('deadlock') });
    // Each bulk request's first replace waits for the other's: each then holds one user's row
    // and asks for the other's, a deadlock PostgreSQL ends by aborting one of them.
    let arrived = 0;
    let open!: () => void;
    const both = new Promise<void>((resolve) => {
      open = resolve;
    });
    const meeting: ScimStore = {
      ...own,
      async replace(type, resource, options) {
        const replaced = await own.replace(type, resource, options);
        arrived += 1;
        if (arrived === 2) open();
        if (arrived <= 2) await both;
        return replaced;
      },
    };
    const replacedEvents: string[] = [];
    const unexpected: unknown[] = [];
    const server = createScimServer({
      store: meeting,
      auth: { tokens: ['secret'] },
      bulk: { atomic: true },
      onReplaced: (event) => void replacedEvents.push(event.id),
      onError: (error) => void unexpected.push(error),
    });
    const local = await serveNode({ server, port: 0, host: '127.0.0.1' });
    const send = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${local.url}/scim/v2${path}`, {
        method,
        headers: { authorization: 'Bearer secret', 'content-type': 'application/scim+json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    try {
      const [first, second] = await Promise.all(
        ['dl-one', 'dl-two'].map((userName) => send('POST', '/Users', { schemas: [USER], userName })),
      );
      const put = (id: unknown, userName: string) => ({
        method: 'PUT',
        path: `/Users/${id}`,
        data: { schemas: [USER], userName },
      });
      const bulks = await Promise.all([
        send('POST', '/Bulk', {
          schemas: [BULK],
          failOnErrors: 1,
          Operations: [put(first!.body.id, 'dl-one-a'), put(second!.body.id, 'dl-two-a')],
        }),
        send('POST', '/Bulk', {
          schemas: [BULK],
          failOnErrors: 1,
          Operations: [put(second!.body.id, 'dl-two-b'), put(first!.body.id, 'dl-one-b')],
        }),
      ]);
      for (const bulk of bulks) {
        expect(bulk.status).toBe(200);
        expect((bulk.body.Operations as { status: string }[]).map((operation) => operation.status)).toEqual([
          '200',
          '200',
        ]);
      }
      // Four operations committed, four events: none from the attempt PostgreSQL aborted.
      expect(replacedEvents).toHaveLength(4);
      // The aborted attempt's failed operation was discarded, not reported as unexpected.
      expect(unexpected).toEqual([]);
    } finally {
      await local.close();
      await own.close();
    }
  });
});
