import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { userResourceType } from '@scimkit/schema';
import { createScimServer } from '@scimkit/server';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from './index.js';

let dir: string;
let file: string;
let store: SqliteStore;
let scim: { fetch(request: Request): Promise<Response> };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-server-'));
  file = path.join(dir, 'scim.db');
  store = createSqliteStore({ filename: file });
  scim = createScimServer({ store, auth: { tokens: ['secret'] } });
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, url: string, body?: unknown) {
  const response = await scim.fetch(
    new Request(`http://localhost/scim/v2${url}`, {
      method,
      headers: { authorization: 'Bearer secret', 'content-type': 'application/scim+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

function memberRows(): { seq: number; value: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT seq, value FROM members ORDER BY seq').all() as {
      seq: number;
      value: string;
    }[];
  } finally {
    db.close();
  }
}

describe('createSqliteStore behind createScimServer', () => {
  it('persists a PATCH of group members as row changes only', async () => {
    const ids: string[] = [];
    for (const userName of ['ann', 'ben', 'cat', 'dan']) {
      const created = await call('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
      });
      expect(created.status).toBe(201);
      ids.push(created.body!.id as string);
    }
    const group = await call('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Team',
      members: ids.slice(0, 3).map((value) => ({ value })),
    });
    expect(group.status).toBe(201);
    const before = memberRows();
    const patched = await call('PATCH', `/Groups/${group.body!.id as string}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: ids[3] }] },
        { op: 'remove', path: `members[value eq "${ids[1]}"]` },
      ],
    });
    expect(patched.status).toBe(200);
    const after = memberRows();
    // ann and cat keep their rows; ben's row is gone; dan's is new.
    expect(after.filter((row) => before.some((old) => old.seq === row.seq)).map((row) => row.value)).toEqual([
      ids[0],
      ids[2],
    ]);
    expect(after.map((row) => row.value)).toEqual([ids[0], ids[2], ids[3]]);
    const found = await call('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${ids[3]}"]`)}`);
    expect(found.body!.totalResults).toBe(1);
  });
});

describe('a query past queryTimeout, over HTTP', () => {
  it('is a 400 tooMany SCIM error, and the server goes on answering', async () => {
    const bounded = createSqliteStore({ filename: path.join(dir, 'bounded.db'), queryTimeout: 20 });
    const server = createScimServer({ store: bounded, auth: { tokens: ['secret'] } });
    const get = async (url: string) => {
      const response = await server.fetch(
        new Request(`http://localhost/scim/v2${url}`, { headers: { authorization: 'Bearer secret' } }),
      );
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    try {
      await bounded.transaction(async () => {
        for (let index = 0; index < 2000; index += 1) {
          const id = `u${index}`;
          const meta = {
            resourceType: 'User',
            created: '2024-01-01T00:00:00Z',
            lastModified: '2024-01-01T00:00:00Z',
            location: `https://example.com/Users/${id}`,
            version: 'W/"1"',
          };
          const emails = [{ value: `user${index}@example.com`, type: 'work' }];
          await bounded.create(
            userResourceType,
            { schemas: [userResourceType.schema.id], id, userName: `user${index}`, emails, meta },
            { context: {} },
          );
        }
      });
      // Under the server's default maxFilterLength (4096).
      const parts: string[] = [];
      for (let index = 0; parts.join(' or ').length < 4000; index += 1)
        parts.push(`emails[value co "q${index}" and type ew "z"]`);
      const slow = await get(`/Users?filter=${encodeURIComponent(parts.join(' or '))}`);
      expect(slow.status).toBe(400);
      expect(slow.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'tooMany',
      });
      expect(String(slow.body.detail)).toMatch(/longer than this service provider allows \(20 ms\)/);
      const fast = await get(`/Users?filter=${encodeURIComponent('userName eq "user42"')}`);
      expect([fast.status, fast.body.totalResults]).toEqual([200, 1]);
    } finally {
      await bounded.close();
    }
  });
});

describe('a page in the default view, written from the stored texts', () => {
  const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

  /** A value with its key order made visible. */
  function ordered(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(ordered);
    if (typeof value !== 'object' || value === null) return value;
    return Object.keys(value).map((key) => [key, ordered((value as Record<string, unknown>)[key])]);
  }

  async function rawText(url: string, host = 'localhost'): Promise<string> {
    const response = await scim.fetch(
      new Request(`http://${host}/scim/v2${url}`, { headers: { authorization: 'Bearer secret' } }),
    );
    expect(response.status).toBe(200);
    return response.text();
  }

  /** Rewrites one stored row's text (as another writer of the file could). */
  function rewriteStored(id: string, rewrite: (text: string) => string): void {
    const db = new Database(file);
    try {
      const { data } = db.prepare('SELECT data FROM resources WHERE id = ?').get(id) as { data: string };
      db.prepare('UPDATE resources SET data = ? WHERE id = ?').run(rewrite(data), id);
    } finally {
      db.close();
    }
  }

  async function seed(): Promise<string[]> {
    const bodies = [
      { schemas: [USER], userName: 'ada', displayName: 'Ada' },
      { schemas: [USER], userName: 'bob', password: 'hunter2-never-returned', displayName: 'Bøb Ünïcode' },
      {
        schemas: [USER, ENTERPRISE],
        userName: 'cy',
        emails: [{ value: 'cy@example.com', type: 'work', primary: true }],
        [ENTERPRISE]: { department: 'Tours', manager: { value: 'm1' } },
      },
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      const created = await call('POST', '/Users', body);
      expect(created.status).toBe(201);
      ids.push(created.body!.id as string);
    }
    const group = await call('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Guides',
      members: [{ value: ids[0] }, { value: ids[2] }],
    });
    expect(group.status).toBe(201);
    return ids;
  }

  it('is the page the object path gives, key order included, and never has the password', async () => {
    await seed();
    for (const paging of ['count=10', 'count=2&cursor=', 'filter=userName%20pr']) {
      const fromTexts = await rawText(`/Users?${paging}`);
      // A projection that drops nothing takes the object path.
      const fromObjects = await rawText(`/Users?${paging}&excludedAttributes=x509Certificates`);
      expect(ordered(JSON.parse(fromTexts))).toStrictEqual(ordered(JSON.parse(fromObjects)));
      expect(fromTexts).not.toContain('hunter2');
      expect(fromTexts).not.toMatch(/"password"/i);
    }
    const page = JSON.parse(await rawText('/Users?count=10')) as { Resources: Record<string, unknown>[] };
    const cy = page.Resources.find((user) => user['userName'] === 'cy')!;
    expect(Object.keys(cy)).toEqual(['schemas', 'id', 'userName', 'emails', ENTERPRISE, 'groups', 'meta']);
    expect(cy['groups']).toEqual([expect.objectContaining({ display: 'Guides', type: 'direct' })]);
  });

  it('takes the stored text as it is, with the location of each request', async () => {
    const [ada] = await seed();
    // Escaped in the stored text, the same string parsed: only the text path keeps the escape.
    rewriteStored(ada!, (text) => text.replace('"displayName":"Ada"', '"displayName":"\\u0041da"'));
    const fromTexts = await rawText('/Users?filter=userName%20eq%20%22ada%22', 'scim.example.com');
    expect(fromTexts).toContain('"displayName":"\\u0041da"');
    const user = (JSON.parse(fromTexts) as { Resources: Record<string, unknown>[] }).Resources[0]!;
    expect(user['displayName']).toBe('Ada');
    expect(user['meta']).toMatchObject({ location: `http://scim.example.com/scim/v2/Users/${ada}` });
    const other = await rawText('/Users?filter=userName%20eq%20%22ada%22', 'other.example.org');
    expect(other).toContain(`"location":"http://other.example.org/scim/v2/Users/${ada}"`);
    // A user in no group takes the stored text too.
    const dee = await call('POST', '/Users', { schemas: [USER], userName: 'dee', displayName: 'Dee' });
    rewriteStored(dee.body!.id as string, (text) =>
      text.replace('"displayName":"Dee"', '"displayName":"\\u0044ee"'),
    );
    expect(await rawText('/Users?filter=userName%20eq%20%22dee%22')).toContain('"displayName":"\\u0044ee"');
  });

  it('is not used for a resource whose values the rules change, even under the same keys', async () => {
    const [ada, , cy] = await seed();
    // dee is in no group: her answer is the stored resource with only `meta.location` put in.
    const dee = await call('POST', '/Users', { schemas: [USER], userName: 'dee', displayName: 'Dee' });
    rewriteStored(ada!, (text) =>
      text.replace('"displayName":"Ada"', '"displayName":"Ada","name":{"GivenName":"Ada"}'),
    );
    rewriteStored(cy!, (text) => text.replace('"emails":[', '"emails":[{},'));
    rewriteStored(dee.body!.id as string, (text) =>
      text.replace('"displayName":"Dee"', '"displayName":"Dee","name":{"GivenName":"Dee"}'),
    );
    const page = await rawText('/Users?count=10');
    expect(page).not.toContain('GivenName');
    expect(page).toContain('"name":{"givenName":"Ada"}');
    expect(page).toContain('"name":{"givenName":"Dee"}');
    expect(page).not.toContain('{},');
    expect(ordered(JSON.parse(page))).toStrictEqual(
      ordered(JSON.parse(await rawText('/Users?count=10&excludedAttributes=x509Certificates'))),
    );
  });

  it('is not used for a stored text that holds `groups` of its own', async () => {
    const [ada, bob] = await seed();
    // A file another writer left `groups` in: ada's are computed in their place (she is a member),
    // bob's (a member of nothing) are kept, and neither answer may carry the key twice.
    for (const id of [ada!, bob!])
      rewriteStored(id, (text) => text.replace('"meta":', '"groups":[{"value":"stale"}],"meta":'));
    const page = await rawText('/Users?count=10');
    expect(page.match(/"groups":/g)).toHaveLength(3);
    const users = (JSON.parse(page) as { Resources: Record<string, unknown>[] }).Resources;
    expect(users.find((user) => user['id'] === ada)!['groups']).toEqual([
      expect.objectContaining({ display: 'Guides' }),
    ]);
    expect(ordered(JSON.parse(page))).toStrictEqual(
      ordered(JSON.parse(await rawText('/Users?count=10&excludedAttributes=x509Certificates'))),
    );
  });

  it('ties each text to its resource: texts in another order are not used', async () => {
    await seed();
    const shuffled: SqliteStore = {
      ...store,
      async query(type, query, options) {
        const result = await store.query(type, query, options);
        const texts = result.texts;
        if (!texts) return result;
        // Another resource's text with this one's meta: only the check of schemas and id tells.
        const tailOf = (text: string) => text.slice(text.lastIndexOf(',"meta":'));
        const swapped = texts.map((text, index) => {
          const other = texts[texts.length - 1 - index] as string;
          return other.slice(0, other.lastIndexOf(',"meta":')) + tailOf(text as string);
        });
        return { ...result, texts: swapped };
      },
    };
    scim = createScimServer({ store: shuffled, auth: { tokens: ['secret'] } });
    const page = await rawText('/Users?count=10');
    expect(page).not.toContain('hunter2');
    expect(ordered(JSON.parse(page))).toStrictEqual(
      ordered(JSON.parse(await rawText('/Users?count=10&excludedAttributes=x509Certificates'))),
    );
    const users = (JSON.parse(page) as { Resources: Record<string, unknown>[] }).Resources;
    expect(users.map((user) => user['userName'])).toEqual(['ada', 'bob', 'cy']);
  });

  it('is not used for a stored text that does not end with its meta as written', async () => {
    const [ada, bob] = await seed();
    rewriteStored(ada!, (text) => JSON.stringify(JSON.parse(text), null, 2).replace('"Ada"', '"\\u0041da"'));
    rewriteStored(bob!, (text) => {
      const { meta, ...rest } = JSON.parse(text) as Record<string, unknown>;
      return JSON.stringify({ meta, ...rest }).replace('"Bøb', '"B\\u00f8b');
    });
    const page = await rawText('/Users?count=10');
    expect(page).not.toContain('\\u0041da');
    expect(page).not.toContain('\\u00f8');
    expect(page).toContain('Bøb Ünïcode');
    expect(ordered(JSON.parse(page))).toStrictEqual(
      ordered(JSON.parse(await rawText('/Users?count=10&excludedAttributes=x509Certificates'))),
    );
  });
});
