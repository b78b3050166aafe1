import { request as httpRequest } from 'node:http';
import { createMemoryStore, createScimServer, type ScimServer } from '@scimkit/server';
import { type RunningServer, serveNode } from '@scimkit/server/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'fast-path-token';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A raw HTTP request, so headers can repeat and bodies can be any bytes. */
function send(
  url: string,
  method: string,
  headers: Record<string, string | string[]>,
  body?: string | Uint8Array,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
    request.on('error', reject);
    request.end(body);
  });
}

describe('the Node adapter fast path', () => {
  let server: ScimServer;
  let running: RunningServer;
  let base: string;
  let location: string;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    server = createScimServer({
      store: createMemoryStore(),
      auth: { tokens: [TOKEN] },
      limits: { maxBodySize: 2000 },
    });
    running = await serveNode({ server });
    base = `${running.url}/scim/v2`;
    const created = await send(
      `${base}/Users`,
      'POST',
      { ...auth, 'content-type': 'application/scim+json' },
      JSON.stringify({ schemas: [USER_SCHEMA], userName: 'fast@example.com', password: 'secret-pw' }),
    );
    expect(created.status).toBe(201);
    location = (JSON.parse(created.text) as { meta: { location: string } }).meta.location;
    expect(created.headers.location).toBe(location);
  });
  afterAll(() => running.close());

  /** The same request through `fetch`, for comparison. */
  async function viaFetch(url: string, init: RequestInit) {
    const response = await server.fetch(new Request(url, init));
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, text: await response.text() };
  }

  it('answers reads, lists and errors exactly as fetch does', async () => {
    const cases: [string, string, Record<string, string>][] = [
      [location, 'GET', auth],
      [`${location}?attributes=userName`, 'GET', auth],
      [location, 'GET', { ...auth, 'if-none-match': 'W/"1"' }],
      [`${base}/Users?filter=userName%20eq%20%22FAST@example.com%22`, 'GET', auth],
      [`${base}/Users?filter=userName%20eq`, 'GET', auth],
      [`${base}/Users/missing`, 'GET', auth],
      [location, 'POST', auth],
      [location, 'GET', {}],
      [`${base}/Nope`, 'GET', auth],
      [`${base}/ServiceProviderConfig`, 'GET', auth],
      // Plain JSON, not SCIM: the result's own content type survives the fast path.
      [`${base}/openapi.json`, 'GET', auth],
    ];
    for (const [url, method, headers] of cases) {
      const fast = await send(url, method, headers);
      const portable = await viaFetch(url, { method, headers });
      expect(fast.status, `${method} ${url}`).toBe(portable.status);
      expect(fast.text, `${method} ${url}`).toBe(portable.text);
      for (const [name, value] of Object.entries(portable.headers)) {
        expect(fast.headers[name], `${name} of ${method} ${url}`).toBe(value);
      }
    }
  });

  it('answers 400 to a query string that is not UTF-8 once percent-decoded, as fetch does', async () => {
    const cases: [string, string, string][] = [
      [`${base}/Users?filter=userName%20eq%20%22%FF%22`, 'invalidFilter', '"filter"'],
      [`${location}?attributes=userName%C3`, 'invalidSyntax', '"attributes"'],
      [`${base}/Users?filter=userName%20eq%20%22%ED%A0%80%22`, 'invalidFilter', '"filter"'],
      [`${base}/Users?%FF=1`, 'invalidSyntax', 'query parameter name'],
    ];
    for (const [url, scimType, named] of cases) {
      const fast = await send(url, 'GET', auth);
      const portable = await viaFetch(url, { method: 'GET', headers: auth });
      expect(fast.status, url).toBe(400);
      expect(JSON.parse(fast.text), url).toMatchObject({ status: '400', scimType });
      expect(JSON.parse(fast.text).detail, url).toContain(named);
      expect(portable.text, url).toBe(fast.text);
    }
    // A percent sign that starts no escape is not an encoding error (URLSearchParams keeps it).
    const literal = await send(`${base}/Users?filter=userName%20eq%20%22100%zz%22`, 'GET', auth);
    expect(literal.status).toBe(200);
  });

  it('joins a repeated Authorization header as Web Headers do (401)', async () => {
    const answer = await send(location, 'GET', { authorization: [`Bearer ${TOKEN}`, 'Bearer other'] });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="scim"');
  });

  it('answers 413 for a body over the limit and keeps serving the connection', async () => {
    const big = JSON.stringify({ schemas: [PATCH_SCHEMA], Operations: [], pad: 'x'.repeat(5000) });
    const declared = await send(location, 'PATCH', { ...auth, 'content-type': 'application/scim+json' }, big);
    expect(declared.status).toBe(413);
    const chunked = await send(
      location,
      'PATCH',
      { ...auth, 'content-type': 'application/scim+json', 'transfer-encoding': 'chunked' },
      big,
    );
    expect(chunked.status).toBe(413);
    expect((await send(location, 'GET', auth)).status).toBe(200);
  });

  it('rejects a body that is not UTF-8 and one that is not JSON', async () => {
    const headers = { ...auth, 'content-type': 'application/scim+json' };
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const invalid = await send(location, 'PATCH', headers, bytes);
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('UTF-8');
    const text = await send(location, 'PATCH', { ...auth, 'content-type': 'text/plain' }, '{}');
    expect(text.status).toBe(415);
  });

  it('patches and deletes with ETags as fetch does', async () => {
    const patched = await send(
      location,
      'PATCH',
      { ...auth, 'content-type': 'application/scim+json', 'if-match': 'W/"1"' },
      JSON.stringify({ schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'title', value: 'T' }] }),
    );
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toBe('W/"2"');
    expect(patched.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(patched.text).not.toContain('secret-pw');
    const stale = await send(location, 'DELETE', { ...auth, 'if-match': 'W/"1"' });
    expect(stale.status).toBe(412);
    const deleted = await send(location, 'DELETE', auth);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
  });

  it('hands hooks and onError the Web Request', async () => {
    const seen: Request[] = [];
    const hooked = createScimServer({
      store: createMemoryStore(),
      auth: { tokens: [TOKEN] },
      onCreated: (event) => {
        seen.push(event.request);
      },
    });
    const served = await serveNode({ server: hooked });
    try {
      const created = await send(
        `${served.url}/scim/v2/Users`,
        'POST',
        { ...auth, 'content-type': 'application/scim+json' },
        JSON.stringify({ schemas: [USER_SCHEMA], userName: 'hooked' }),
      );
      expect(created.status).toBe(201);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(Request);
      expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    } finally {
      await served.close();
    }
  });
});
