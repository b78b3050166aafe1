import { request as httpRequest } from 'node:http';
import { userResourceType } from '@scimkit/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, PATCH_OP, startServer, TOKEN, user } from './__fixtures__/harness.js';
import { createMemoryStore } from './index.js';

/** One request over real HTTP with a Host header of our choosing (fetch would send the real one). */
function send(
  h: Harness,
  method: string,
  path: string,
  host: string,
  body?: unknown,
): Promise<{ status: number; location: string | undefined; body: Record<string, unknown> }> {
  const url = new URL(`${h.base}${path}`);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers: {
          host,
          authorization: `Bearer ${TOKEN}`,
          ...(text !== undefined ? { 'content-type': 'application/scim+json' } : {}),
        },
      },
      (response) => {
        let received = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          received += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location,
            body: received ? JSON.parse(received) : {},
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(text);
  });
}

describe('createScimServer meta.location and Location', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('stores no location: each response computes it from the Host of its own request when no baseUrl is set', async () => {
    const store = createMemoryStore();
    h = await startServer({ store });
    const created = await send(h, 'POST', '/Users', 'evil.example', user('forged.host'));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.location).toBe(`http://evil.example/scim/v2/Users/${id}`);
    const stored = await store.get(userResourceType, id, { context: {} });
    expect(stored?.meta).not.toHaveProperty('location');

    const read = await send(h, 'GET', `/Users/${id}`, 'scim.example.com');
    expect(read.body.meta).toMatchObject({ location: `http://scim.example.com/scim/v2/Users/${id}` });
    const patched = await send(h, 'PATCH', `/Users/${id}`, 'other.example', {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'nickName', value: 'n' }],
    });
    expect(patched.body.meta).toMatchObject({ location: `http://other.example/scim/v2/Users/${id}` });
    expect((await store.get(userResourceType, id, { context: {} }))?.meta).not.toHaveProperty('location');
  });

  it('answers the configured baseUrl whatever the Host, in Location, meta.location, lists and bulk', async () => {
    h = await startServer({ baseUrl: 'https://scim.example.com/scim/v2/' });
    const created = await send(h, 'POST', '/Users', 'evil.example', user('configured'));
    const id = created.body.id as string;
    const expected = `https://scim.example.com/scim/v2/Users/${id}`;
    expect(created.location).toBe(expected);
    expect(created.body.meta).toMatchObject({ location: expected });
    const listed = await send(h, 'GET', '/Users', 'evil.example');
    expect(listed.body.Resources).toEqual([
      expect.objectContaining({ meta: expect.objectContaining({ location: expected }) }),
    ]);
    const bulk = await send(h, 'POST', '/Bulk', 'evil.example', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'b', data: user('bulk.configured') }],
    });
    expect(bulk.body.Operations).toEqual([
      expect.objectContaining({
        location: expect.stringMatching(/^https:\/\/scim\.example\.com\/scim\/v2\/Users\//),
      }),
    ]);
  });

  it('never serves a location a store still holds from before (a forged Host stored by an older version)', async () => {
    const store = createMemoryStore();
    h = await startServer({ store, baseUrl: 'https://scim.example.com/scim/v2' });
    const now = new Date().toISOString();
    const id = '5b1f1bd2-7c2b-4f4e-9f6e-0d8f3f2b9a11';
    await store.create(
      userResourceType,
      {
        schemas: [userResourceType.schema.id],
        id,
        userName: 'legacy',
        meta: {
          resourceType: 'User',
          created: now,
          lastModified: now,
          location: `http://evil.example/scim/v2/Users/${id}`,
          version: 'W/"1"',
        },
      },
      { context: {} },
    );
    const expected = `https://scim.example.com/scim/v2/Users/${id}`;
    const read = await send(h, 'GET', `/Users/${id}`, 'scim.example.com');
    expect(read.body.meta).toMatchObject({ location: expected });
    const listed = await send(h, 'GET', '/Users?filter=userName eq "legacy"', 'scim.example.com');
    expect(listed.body.Resources).toEqual([
      expect.objectContaining({ meta: expect.objectContaining({ location: expected }) }),
    ]);
    const patched = await send(h, 'PATCH', `/Users/${id}`, 'scim.example.com', {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'nickName', value: 'fixed' }],
    });
    expect(patched.body.meta).toMatchObject({ location: expected });
    expect((await store.get(userResourceType, id, { context: {} }))?.meta).not.toHaveProperty('location');
  });

  it('answers 400 to a Host outside allowedHosts, before authentication', async () => {
    h = await startServer({ allowedHosts: ['scim.example.com', 'localhost:8443'] });
    const refused = await send(h, 'GET', '/Users', 'evil.example');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      status: '400',
      detail: 'The Host "evil.example" is not one this server answers to (allowedHosts).',
    });
    expect((await send(h, 'GET', '/Users', 'SCIM.example.com:8080')).status).toBe(200);
    expect((await send(h, 'GET', '/Users', 'localhost:8443')).status).toBe(200);
    expect((await send(h, 'GET', '/Users', 'localhost:9999')).status).toBe(400);
  });

  it('refuses an allowedHosts entry that is not a host, and a baseUrl that is not absolute', async () => {
    await expect(startServer({ allowedHosts: ['https://scim.example.com'] })).rejects.toThrow(TypeError);
    await expect(startServer({ baseUrl: '/scim/v2' })).rejects.toThrow(TypeError);
  });
});
