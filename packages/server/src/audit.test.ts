import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PATCH_OP, startServer, user } from './__fixtures__/harness.js';
import { createMemoryStore, createScimServer } from './index.js';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** Sends a chunked body (no Content-Length) with node:http and reads the answer. */
function postChunked(
  url: string,
  token: string,
  chunks: number,
  chunkSize: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/scim+json',
          'transfer-encoding': 'chunked',
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    const chunk = Buffer.alloc(chunkSize, 0x20);
    let sent = 0;
    const write = () => {
      while (sent < chunks) {
        sent++;
        if (!request.write(chunk)) {
          request.once('drain', write);
          return;
        }
      }
      request.end();
    };
    request.write('{"userName":"chunked","displayName":"');
    write();
  });
}

/** Sends raw HTTP/1.1 text and returns the raw answer (the connection is closed by the client). */
function rawHttp(url: string, text: string): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname, () => socket.end(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('createScimServer audit regressions', () => {
  let h: Harness;
  let userId: string;
  beforeAll(async () => {
    h = await startServer({ limits: { maxBodySize: 64 * 1024 } });
    const created = await h.call('POST', '/Users', user('audit.secret', { password: 'Hunter2-Secret' }));
    userId = created.body.id;
    await h.call('POST', '/Users', user('audit.other', { password: 'Another-Secret' }));
  });
  afterAll(async () => {
    await h.close();
  });

  describe('password (returned never)', () => {
    it('rejects filters on password with 400 invalidFilter instead of confirming guesses', async () => {
      for (const filter of [
        'password eq "Hunter2-Secret"',
        'password sw "H"',
        'password pr',
        'userName eq "audit.secret" and password co "Secret"',
        'not (password eq "x")',
        'urn:ietf:params:scim:schemas:core:2.0:User:password eq "x"',
      ]) {
        const response = await h.call('GET', `/Users?filter=${encodeURIComponent(filter)}`);
        expect(response.status, filter).toBe(400);
        expect(response.body.scimType, filter).toBe('invalidFilter');
        expect(response.body.detail, filter).toContain('never returned');
        expect(response.text).not.toContain('Hunter2');
      }
      for (const path of ['/Users/.search', '/.search']) {
        const response = await h.call('POST', path, { schemas: [SEARCH], filter: 'password sw "Hunter"' });
        expect(response.status, path).toBe(400);
        expect(response.body.scimType, path).toBe('invalidFilter');
      }
    });

    it('rejects sortBy=password, so neither the order nor a cursor discloses it', async () => {
      const index = await h.call('GET', '/Users?sortBy=password');
      expect(index.status).toBe(400);
      expect(index.body.scimType).toBe('invalidValue');
      const cursor = await h.call('GET', '/Users?sortBy=password&cursor=&count=1');
      expect(cursor.status).toBe(400);
      expect(cursor.body.nextCursor).toBeUndefined();
      const root = await h.call('POST', '/.search', { schemas: [SEARCH], sortBy: 'password' });
      expect(root.status).toBe(400);
      const fine = await h.call('GET', '/Users?sortBy=userName&cursor=&count=1');
      expect(fine.status).toBe(200);
      expect(Buffer.from(fine.body.nextCursor, 'base64url').toString()).not.toMatch(/secret/i);
    });
  });

  describe('attributes and excludedAttributes', () => {
    it('selects and excludes a whole extension by its URN', async () => {
      const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
      const created = await h.call(
        'POST',
        '/Users',
        user('audit.enterprise', { [enterprise]: { department: 'Audit' } }),
      );
      const only = await h.call('GET', `/Users/${created.body.id}?attributes=${enterprise}`);
      expect(only.body[enterprise]).toEqual({ department: 'Audit' });
      expect(only.body.userName).toBeUndefined();
      const without = await h.call('GET', `/Users/${created.body.id}?excludedAttributes=${enterprise}`);
      expect(without.body[enterprise]).toBeUndefined();
      expect(without.body.userName).toBe('audit.enterprise');
    });
  });

  describe('User.groups (computed from membership)', () => {
    it('rejects filters and sortBy on groups instead of silently matching nothing', async () => {
      const group = await h.call('POST', '/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Audit Group',
        members: [{ value: userId }],
      });
      expect((await h.call('GET', `/Users/${userId}`)).body.groups).toHaveLength(1);
      for (const filter of [
        `groups.value eq "${group.body.id}"`,
        'groups pr',
        `groups[value eq "${group.body.id}"]`,
      ]) {
        const response = await h.call('GET', `/Users?filter=${encodeURIComponent(filter)}`);
        expect(response.status, filter).toBe(400);
        expect(response.body.scimType, filter).toBe('invalidFilter');
        expect(response.body.detail, filter).toContain('members.value');
      }
      const root = await h.call('POST', '/.search', {
        schemas: [SEARCH],
        filter: 'groups.display eq "Audit Group"',
      });
      expect(root.status).toBe(400);
      const sorted = await h.call('GET', '/Users?sortBy=groups.display');
      expect(sorted.status).toBe(400);
      expect(sorted.body.scimType).toBe('invalidValue');
      const byMembers = await h.call(
        'GET',
        `/Groups?filter=${encodeURIComponent(`members.value eq "${userId}"`)}`,
      );
      expect(byMembers.body.totalResults).toBe(1);
      // Asking for the whole core schema by its URN includes the computed groups.
      const core = await h.call(
        'GET',
        `/Users/${userId}?attributes=urn:ietf:params:scim:schemas:core:2.0:User`,
      );
      expect(core.body.groups).toEqual([expect.objectContaining({ value: group.body.id })]);
      expect(core.body.userName).toBe('audit.secret');
    });
  });

  describe('paging parameters', () => {
    it('reads startIndex and count as decimal integers only', async () => {
      for (const query of ['startIndex=0x10', 'count=1e1', 'count=0b1', 'startIndex=1.5', 'count=Infinity']) {
        const response = await h.call('GET', `/Users?${query}`);
        expect(response.status, query).toBe(400);
        expect(response.body.scimType, query).toBe('invalidValue');
      }
      const fine = await h.call('GET', '/Users?startIndex=%202%20&count=-0');
      expect(fine.status).toBe(200);
      expect(fine.body).toMatchObject({ startIndex: 2, itemsPerPage: 0 });
    });
  });

  describe('numbers out of range', () => {
    it('answers a filter number like 1e400 with 400 invalidFilter, never a 500', async () => {
      for (const filter of ['userName eq 1e400', 'emails[value eq -1e400]', 'displayName gt 1e999']) {
        const response = await h.call('GET', `/Users?filter=${encodeURIComponent(filter)}`);
        expect(response.status, filter).toBe(400);
        expect(response.body.scimType, filter).toBe('invalidFilter');
      }
      const root = await h.call('POST', '/.search', { schemas: [SEARCH], filter: 'displayName eq 1e400' });
      expect(root.status).toBe(400);
      expect(h.errors).toEqual([]);
    });

    it('answers a PATCH value filter with 1e400 with 400 invalidPath, never a 500', async () => {
      const response = await h.call('PATCH', `/Users/${userId}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'emails[value eq 1e400].type', value: 'work' }],
      });
      expect(response.status).toBe(400);
      expect(response.body.scimType).toBe('invalidPath');
      expect(h.errors).toEqual([]);
    });
  });

  describe('request bodies', () => {
    it('rejects a body that is not valid UTF-8 with 400 invalidSyntax instead of storing U+FFFD', async () => {
      const response = await fetch(`${h.base}/Users`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-token-0123456789', 'content-type': 'application/scim+json' },
        body: Buffer.concat([Buffer.from('{"userName":"bad'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
      });
      const body = (await response.json()) as { status: string; scimType: string; detail: string };
      expect(response.status).toBe(400);
      expect(body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
      expect(body.detail).toContain('UTF-8');
      const found = await h.call('GET', `/Users?filter=${encodeURIComponent('userName sw "bad"')}`);
      expect(found.body.totalResults).toBe(0);
    });

    it('decodes the next body afresh after one that ends inside a UTF-8 sequence', async () => {
      const post = (body: Uint8Array) =>
        fetch(`${h.base}/Users`, {
          method: 'POST',
          headers: { authorization: 'Bearer test-token-0123456789', 'content-type': 'application/scim+json' },
          body: new Uint8Array(body),
        });
      // The bytes E2 82 start "€" and stop there: no complete character.
      const truncated = await post(
        Buffer.concat([Buffer.from('{"userName":"cut'), Buffer.from([0xe2, 0x82])]),
      );
      expect(truncated.status).toBe(400);
      const valid = await post(Buffer.from('{"userName":"€uro-é"}'));
      expect(valid.status).toBe(201);
      expect(((await valid.json()) as { userName: string }).userName).toBe('€uro-é');
    });

    it('answers a chunked body over maxBodySize with a readable 413, not a reset connection', async () => {
      const response = await postChunked(`${h.base}/Users`, 'test-token-0123456789', 64, 4096);
      expect(response.status).toBe(413);
      expect(JSON.parse(response.text)).toMatchObject({ status: '413' });
      // The connection and the server stay usable.
      const after = await h.call('GET', '/Users?count=0');
      expect(after.status).toBe(200);
    });
  });

  describe('request line and Host header', () => {
    const get = (target: string, host: string) =>
      rawHttp(
        h.url,
        `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer test-token-0123456789\r\nConnection: close\r\n\r\n`,
      );

    it('answers a Host header no URL can be built from with 400 and keeps the process alive', async () => {
      for (const host of ['a b', 'x:99999', '[::1', 'user@evil']) {
        const answer = await get('/scim/v2/Users?count=0', host);
        expect(answer, host).toMatch(/^HTTP\/1\.1 400 /);
        expect(answer, host).toContain('"status":"400"');
        expect(answer, host).toContain('Host header is not valid');
      }
      const after = await h.call('GET', '/Users?count=0');
      expect(after.status).toBe(200);
    });

    it('never lets the Host header change the routed path', async () => {
      for (const host of ['x/scim/v2/Bulk?', 'x?', 'x#', '']) {
        const answer = await get('/scim/v2/Users?count=0', host);
        expect(answer, JSON.stringify(host)).toMatch(/^HTTP\/1\.1 400 /);
      }
    });

    it('answers TRACE with 405 instead of ending the process', async () => {
      const answer = await rawHttp(
        h.url,
        'TRACE /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer test-token-0123456789\r\nConnection: close\r\n\r\n',
      );
      expect(answer).toMatch(/^HTTP\/1\.1 405 /);
      expect(answer).toContain('The TRACE method is not supported.');
      expect((await h.call('GET', '/Users?count=0')).status).toBe(200);
    });

    it('serves an absolute-form request target by its path', async () => {
      const answer = await get(`http://elsewhere.example/scim/v2/Users?count=0`, 'localhost');
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer).toContain('"totalResults"');
      const odd = await get('*', 'localhost');
      expect(odd).toMatch(/^HTTP\/1\.1 400 /);
    });
  });

  describe('bulk', () => {
    it('gives every PUT, PATCH and DELETE result a location, failed ones included (RFC 7644 3.7.3)', async () => {
      const target = await h.call('POST', '/Users', user('bulk.located'));
      const location = `${h.base}/Users/${target.body.id}`;
      const response = await h.call('POST', '/Bulk', {
        schemas: [BULK_REQUEST],
        Operations: [
          { method: 'PUT', path: `/Users/${target.body.id}`, version: 'W/"9"', data: user('bulk.located') },
          {
            method: 'PATCH',
            path: `/Users/${target.body.id}`,
            data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'Located' }] },
          },
          { method: 'DELETE', path: `/Users/${target.body.id}` },
          { method: 'DELETE', path: `/Users/${target.body.id}` },
        ],
      });
      expect(
        response.body.Operations.map((o: { status: string; location?: string }) => [o.status, o.location]),
      ).toEqual([
        ['412', location],
        ['200', location],
        ['204', location],
        ['404', location],
      ]);
    });

    it('answers deeply nested operation data with a 400 for that operation, not a 500', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const response = await h.call(
        'POST',
        '/Bulk',
        `{"schemas":["${BULK_REQUEST}"],"Operations":[{"method":"POST","path":"/Users","bulkId":"deep","data":{"userName":"bulk.deep","emails":${deep}}}]}`,
      );
      expect(response.status).toBe(200);
      expect(response.body.Operations[0]).toMatchObject({ bulkId: 'deep', status: '400' });
      expect(response.body.Operations[0].response.scimType).toBe('invalidValue');
      expect(h.errors).toEqual([]);
    });

    it('refuses a second POST with the same bulkId instead of creating an ambiguous reference', async () => {
      const response = await h.call('POST', '/Bulk', {
        schemas: [BULK_REQUEST],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'twice', data: user('bulk.twice.1') },
          { method: 'POST', path: '/Users', bulkId: 'twice', data: user('bulk.twice.2') },
        ],
      });
      expect(response.status).toBe(200);
      const statuses = response.body.Operations.map((o: { status: string }) => o.status).sort();
      expect(statuses).toEqual(['201', '400']);
      const refused = response.body.Operations.find((o: { status: string }) => o.status === '400');
      expect(refused.response).toMatchObject({ scimType: 'invalidValue' });
      expect(refused.response.detail).toContain('"twice"');
      const second = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq "bulk.twice.2"')}`);
      expect(second.body.totalResults).toBe(0);
    });
  });
});

describe('createScimServer token configuration', () => {
  it('refuses tokens no Authorization header can carry, without echoing them', () => {
    for (const tokens of [['s3cret-value\n'], [' s3cret-value'], ['s3cret value'], [''], []]) {
      let message = '';
      try {
        createScimServer({ store: createMemoryStore(), auth: { tokens } });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, JSON.stringify(tokens)).toMatch(/^auth\.tokens/);
      expect(message).not.toContain('s3cret');
    }
  });

  it('accepts the token with surrounding whitespace of the Authorization header trimmed', async () => {
    const scim = createScimServer({ store: createMemoryStore(), auth: { tokens: ['abc.DEF-123_~+/='] } });
    for (const header of ['Bearer abc.DEF-123_~+/=', 'bearer   abc.DEF-123_~+/=  ']) {
      const response = await scim.fetch(
        new Request('http://localhost/scim/v2/Users', { headers: { authorization: header } }),
      );
      expect(response.status, header).toBe(200);
    }
    for (const header of ['Bearer abc', 'Bearer abc.DEF-123_~+/= extra', 'Basic abc.DEF-123_~+/=']) {
      const response = await scim.fetch(
        new Request('http://localhost/scim/v2/Users', { headers: { authorization: header } }),
      );
      expect(response.status, header).toBe(401);
      expect(await response.text()).not.toContain('abc');
    }
  });
});
