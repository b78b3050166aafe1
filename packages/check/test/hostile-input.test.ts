// Hostile input scimkit's server answers alike on every store, over real HTTP: text no database
// can hold (U+0000, unpaired UTF-16 surrogates) is refused by the validation layer with a 400
// naming the attribute before any store sees it, on POST, PUT, PATCH and bulk; ids and filter
// values holding it find nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, send as sendTo, type TestServer } from './stores.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** Strings PostgreSQL cannot store, which JSON carries as escapes: NUL, a lone high and a lone low surrogate. */
const UNSTORABLE = ['a\u0000b', '\ud800', 'x\udc00y'] as const;

/** The 400 a value of `path` holding such text gets. */
const refusal = (path: string) => ({
  status: '400',
  scimType: 'invalidValue',
  detail: expect.stringMatching(
    new RegExp(
      `^${path.replace(/[[\].]/g, '\\$&')}: Text must not contain U\\+0000 or an unpaired UTF-16 surrogate`,
    ),
  ),
});

describe.each(STORES)('hostile input on %s over HTTP', (_name, start) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  const send = (method: string, path: string, body?: unknown) => sendTo(server.url, method, path, body);

  it('refuses U+0000 and unpaired surrogates in POST with 400 invalidValue naming the attribute, storing nothing', async () => {
    for (const text of UNSTORABLE) {
      const userName = await send('POST', '/Users', { schemas: [USER], userName: `hostile-${text}` });
      expect(userName.status).toBe(400);
      expect(userName.body).toMatchObject(refusal('userName'));
      const email = await send('POST', '/Users', {
        schemas: [USER],
        userName: 'hostile-email',
        emails: [{ value: `${text}@example.com`, type: 'work' }],
      });
      expect(email.body).toMatchObject(refusal('emails[0].value'));
      const externalId = await send('POST', '/Users', {
        schemas: [USER],
        userName: 'hostile-ext',
        externalId: text,
      });
      expect(externalId.body).toMatchObject(refusal('externalId'));
    }
    const listed = await send('GET', `/Users?filter=${encodeURIComponent('userName sw "hostile"')}`);
    expect(listed.body.totalResults).toBe(0);
  });

  it('refuses them in PUT, PATCH and bulk, and leaves the resource as it was', async () => {
    const created = await send('POST', '/Users', { schemas: [USER], userName: 'target.user' });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    for (const text of UNSTORABLE) {
      const put = await send('PUT', `/Users/${id}`, {
        schemas: [USER],
        userName: 'target.user',
        nickName: text,
      });
      expect(put.body).toMatchObject(refusal('nickName'));
      const patch = await send('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'name.givenName', value: text }],
      });
      expect(patch.body).toMatchObject(refusal('name.givenName'));
      const bulk = await send('POST', '/Bulk', {
        schemas: [BULK_REQUEST],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'b1', data: { schemas: [USER], userName: text } },
        ],
      });
      expect(bulk.status).toBe(200);
      expect(bulk.body.Operations[0]).toMatchObject({ status: '400', response: refusal('userName') });
    }
    const read = await send('GET', `/Users/${id}`);
    expect(read.body).toMatchObject({ userName: 'target.user', meta: { version: 'W/"1"' } });
    expect(read.body).not.toHaveProperty('nickName');
  });

  it('answers 404 for an id holding U+0000, and a filter value holding such text matches nothing', async () => {
    const bodies: Record<string, unknown> = {
      PUT: { schemas: [USER], userName: 'x' },
      PATCH: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'nickName', value: 'n' }] },
    };
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const answer = await send(method, '/Users/a%00b', bodies[method]);
      expect(answer.status, method).toBe(404);
      expect(answer.body, method).toMatchObject({ status: '404' });
    }
    for (const text of UNSTORABLE) {
      const listed = await send(
        'GET',
        `/Users?filter=${encodeURIComponent(`userName eq ${JSON.stringify(text)}`)}`,
      );
      expect(listed.status, JSON.stringify(text)).toBe(200);
      expect(listed.body.totalResults).toBe(0);
    }
  });
});
