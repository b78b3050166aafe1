import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createMemoryStore, createScimServer } from '@scimkit/server';
import { scimExpress } from '@scimkit/server/express';
import { scimHono } from '@scimkit/server/hono';
import { createNodeHandler, serveNode } from '@scimkit/server/node';
import express from 'express';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'adapter-token';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** Runs the same round trip (create, read, patch, list, delete, errors) against a base URL. */
async function roundTrip(base: string, options: { malformedJson?: boolean } = {}) {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };
  const created = await fetch(`${base}/scim/v2/Users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      schemas: [USER_SCHEMA],
      userName: `adapter-${Math.random()}`,
      password: 'pw-secret',
    }),
  });
  expect(created.status).toBe(201);
  expect(created.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
  const user = (await created.json()) as { id: string; meta: { location: string } };
  expect(created.headers.get('location')).toBe(user.meta.location);
  expect(user.meta.location.startsWith(`${base}/scim/v2/Users/`)).toBe(true);
  const read = await fetch(user.meta.location, { headers });
  expect(read.status).toBe(200);
  expect(read.headers.get('etag')).toBe('W/"1"');
  expect(await read.text()).not.toContain('pw-secret');
  const patched = await fetch(user.meta.location, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'title', value: 'T' }],
    }),
  });
  expect(((await patched.json()) as { title: string }).title).toBe('T');
  if (options.malformedJson !== false) {
    const malformed = await fetch(`${base}/scim/v2/Users`, { method: 'POST', headers, body: '{oops' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ scimType: 'invalidSyntax' });
  }
  const unauthorised = await fetch(`${base}/scim/v2/Users`);
  expect(unauthorised.status).toBe(401);
  const deleted = await fetch(user.meta.location, { method: 'DELETE', headers });
  expect(deleted.status).toBe(204);
  const gone = await fetch(user.meta.location, { headers });
  expect(gone.status).toBe(404);
}

function scim() {
  return createScimServer({ store: createMemoryStore(), auth: { tokens: [TOKEN] } });
}

describe('serveNode', () => {
  it('serves a SCIM server over node:http and closes', async () => {
    const running = await serveNode({ server: scim() });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await roundTrip(running.url);
    } finally {
      await running.close();
    }
    await expect(fetch(`${running.url}/scim/v2/Users`)).rejects.toThrow();
  });

  it('gives a loopback URL that works when listening on every interface, never 0.0.0.0', async () => {
    for (const [host, loopback] of [
      ['0.0.0.0', '127.0.0.1'],
      ['::', '[::1]'],
    ] as const) {
      const running = await serveNode({ server: scim(), host });
      try {
        expect(running.url.replace(/:\d+$/, '')).toBe(`http://${loopback}`);
        await roundTrip(running.url);
      } finally {
        await running.close();
      }
    }
  });

  it('createNodeHandler works with a hand-made node:http server', async () => {
    const { createServer } = await import('node:http');
    const http = createServer(createNodeHandler(scim()));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      await roundTrip(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});

describe('scimExpress', () => {
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const app = express();
    app.get('/health', (_request, response) => {
      response.send('ok');
    });
    // A JSON body parser in front of the adapter must not break request bodies.
    app.use(express.json({ type: ['application/json', 'application/scim+json'] }));
    app.use(scimExpress(scim()));
    const http = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => http.once('listening', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    close = () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      });
  });
  afterAll(async () => {
    await close();
  });

  it('serves SCIM over real HTTP behind express.json() and leaves other routes to Express', async () => {
    // express.json() answers malformed JSON itself, before the SCIM middleware runs.
    await roundTrip(url, { malformedJson: false });
    expect(await (await fetch(`${url}/health`)).text()).toBe('ok');
  });

  it('works mounted on a path prefix', async () => {
    const app = express();
    app.use('/scim/v2', scimExpress(scim()));
    const http = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => http.once('listening', resolve));
    try {
      await roundTrip(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});

describe('scimHono', () => {
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const app = new Hono();
    app.get('/health', (context) => context.text('ok'));
    app.all('/scim/v2/*', scimHono(scim()));
    const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => http.once('listening', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    close = () =>
      new Promise((resolve) => {
        (http as { closeAllConnections?: () => void }).closeAllConnections?.();
        http.close(() => resolve());
      });
  });
  afterAll(async () => {
    await close();
  });

  it('serves SCIM over real HTTP beside other Hono routes', async () => {
    await roundTrip(url);
    expect(await (await fetch(`${url}/health`)).text()).toBe('ok');
  });
});
