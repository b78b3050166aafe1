import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { createMemoryStore, createScimServer } from '@scimkit/server';
import { createNodeHandler, handleClientError, type RunningServer, serveNode } from '@scimkit/server/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'client-error-token';

/** Writes raw bytes to a port and reads until the server closes (or answers one response). */
function exchange(port: number, raw: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const split = received.indexOf('\r\n\r\n');
      const head = split < 0 ? received : received.slice(0, split);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        headers: head.toLowerCase(),
        body: split < 0 ? '' : received.slice(split + 4),
      });
    });
  });
}

function scim() {
  return createScimServer({ store: createMemoryStore(), auth: { tokens: [TOKEN] } });
}

/** What every answer to a request Node's parser refuses must be: a SCIM Error body. */
function expectScimError(answer: { status: number; headers: string; body: string }, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers).toContain('content-type: application/scim+json; charset=utf-8');
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(body).toMatchObject({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
  });
  expect(typeof body.detail).toBe('string');
  return body;
}

describe.each([
  [
    'serveNode',
    async () => {
      const running: RunningServer = await serveNode({ server: scim() });
      return { port: Number(new URL(running.url).port), close: running.close };
    },
  ],
  [
    'createNodeHandler on a server set up as its TSDoc says',
    async () => {
      const http: Server = createServer({ requireHostHeader: false }, createNodeHandler(scim()));
      http.on('clientError', handleClientError);
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      return {
        port: (http.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((resolve) => {
            http.closeAllConnections();
            http.close(() => resolve());
          }),
      };
    },
  ],
])('requests Node refuses, through %s', (_name, start) => {
  let server: { port: number; close(): Promise<void> };
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server.close());

  it('answers an HTTP/1.1 request without Host with a SCIM 400', async () => {
    const answer = await exchange(
      server.port,
      `GET /scim/v2/Users HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
    );
    const body = expectScimError(answer, 400);
    expect(body.detail).toBe('An HTTP/1.1 request must carry a Host header (RFC 9112 section 3.2).');
    // HTTP/1.0 needs none.
    const old = await exchange(
      server.port,
      `GET /scim/v2/Users HTTP/1.0\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
    );
    expect(old.status).toBe(200);
  });

  it('answers a request line over the header limit with a SCIM 431 that points at POST /.search', async () => {
    const filter = encodeURIComponent(`userName eq "${'x'.repeat(20_000)}"`);
    const answer = await exchange(
      server.port,
      `GET /scim/v2/Users?filter=${filter} HTTP/1.1\r\nHost: a\r\n\r\n`,
    );
    const body = expectScimError(answer, 431);
    expect(body.detail).toContain('POST /.search');
    const headers = await exchange(
      server.port,
      `GET /scim/v2/Users HTTP/1.1\r\nHost: a\r\nX-Pad: ${'y'.repeat(20_000)}\r\n\r\n`,
    );
    expectScimError(headers, 431);
  });

  it('answers an unknown method with a SCIM 501 and garbage with a SCIM 400', async () => {
    const unknown = await exchange(server.port, 'FROB /scim/v2/Users HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(expectScimError(unknown, 501).detail).toContain('GET, POST, PUT, PATCH and DELETE');
    const garbage = await exchange(server.port, 'GET /scim/v2/Users HTTP/1.1\r\nHost a\r\n\r\n');
    expect(expectScimError(garbage, 400).scimType).toBe('invalidSyntax');
  });
});
