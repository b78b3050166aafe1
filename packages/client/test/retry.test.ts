import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  createScimClient,
  isScimNetworkError,
  isScimTimeoutError,
  ScimHttpError,
  ScimNetworkError,
  ScimTimeoutError,
} from '../src/index.js';
import { useQuirkyServer } from './quirky-server.js';

const server = useQuirkyServer();

const busy = (status: number, retryAfter?: string) => ({
  status,
  ...(retryAfter === undefined ? {} : { headers: { 'retry-after': retryAfter } }),
  body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail: 'busy' },
});

describe('retries', () => {
  it('retries a GET after 429 and honours Retry-After', async () => {
    server.seedUsers(1);
    server.script.push(busy(429, '1'));
    const client = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      retry: { backoff: () => 0 },
    });
    const started = Date.now();
    const user = await client.users.get('1');
    expect(user.userName).toBe('user1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.log).toHaveLength(2);
  });

  it('retries 503 with backoff up to the limit, then throws the last error', async () => {
    server.script.push(busy(503), busy(503), busy(503));
    const delays: number[] = [];
    const client = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      retry: {
        limit: 2,
        backoff: (attempt) => {
          delays.push(attempt);
          return 10;
        },
      },
    });
    const error = await client.users.get('1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScimHttpError);
    expect((error as ScimHttpError).status).toBe(503);
    expect(server.log).toHaveLength(3);
    expect(delays).toEqual([1, 2]);
  });

  it('does not retry a POST that creates a resource', async () => {
    server.script.push(busy(503, '0'));
    const client = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      retry: { backoff: () => 0 },
    });
    await expect(client.users.create({ userName: 'x' })).rejects.toMatchObject({ status: 503 });
    expect(server.log).toHaveLength(1);
  });

  it('retries POST /.search like a GET', async () => {
    server.seedUsers(2);
    server.script.push({ ...busy(503, '0'), method: 'POST' });
    const client = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      retry: { backoff: () => 0 },
    });
    expect(await client.users.search().toArray()).toHaveLength(2);
    expect(server.log.filter((entry) => entry.method === 'POST')).toHaveLength(2);
  });

  it('retries POST when the caller lists it among the methods', async () => {
    server.script.push(busy(429, '0'));
    const client = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      retry: { methods: ['GET', 'POST'], backoff: () => 0 },
    });
    expect((await client.users.create({ userName: 'x' })).userName).toBe('x');
    expect(server.log).toHaveLength(2);
  });

  it('does not retry statuses outside statusCodes', async () => {
    server.script.push(busy(500));
    const client = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      retry: { backoff: () => 0 },
    });
    await expect(client.users.get('1')).rejects.toMatchObject({ status: 500 });
    expect(server.log).toHaveLength(1);
  });

  it('fails at once when Retry-After exceeds maxRetryAfter', async () => {
    server.script.push(busy(429, '120'));
    const client = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      retry: { maxRetryAfter: 1000 },
    });
    await expect(client.users.get('1')).rejects.toMatchObject({ status: 429 });
    expect(server.log).toHaveLength(1);
  });
});

describe('network failures', () => {
  it('throws ScimTimeoutError when the server is too slow', async () => {
    server.script.push({ status: 200, body: {}, delay: 500 });
    const client = createScimClient({ baseUrl: server.url, token: 'test-token', timeout: 50, retry: 0 });
    const error = await client.users.get('1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScimTimeoutError);
    expect(isScimTimeoutError(error)).toBe(true);
    expect(isScimNetworkError(error)).toBe(true);
    expect((error as ScimTimeoutError).message).toBe(
      `GET ${server.url}/Users/1 failed: no response within 50 ms`,
    );
  });

  it('throws ScimNetworkError when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const client = createScimClient({ baseUrl: `http://127.0.0.1:${port}/scim`, token: 't', retry: 0 });
    const error = await client.users.get('1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScimNetworkError);
    expect(isScimTimeoutError(error)).toBe(false);
    expect((error as ScimNetworkError).method).toBe('GET');
    expect((error as ScimNetworkError).url).toBe(`http://127.0.0.1:${port}/scim/Users/1`);
  });

  it('passes an abort through unchanged', async () => {
    server.script.push({ status: 200, body: {}, delay: 300 });
    const client = createScimClient({ baseUrl: server.url, token: 'test-token', retry: 0 });
    const controller = new AbortController();
    const pending = client.users.get('1', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await pending.catch((caught: unknown) => caught);
    expect(isScimNetworkError(error)).toBe(false);
    expect((error as Error).name).toBe('AbortError');
  });
});

describe('custom fetch and hooks', () => {
  it('sends every request through the given fetch and the given headers', async () => {
    const seen: string[] = [];
    const client = createScimClient({
      baseUrl: 'https://scim.example.com/v2/',
      token: 'secret',
      headers: { 'x-tenant': 'acme' },
      fetch: async (input, init) => {
        const request = new Request(input, init);
        seen.push(
          `${request.method} ${request.url} ${request.headers.get('x-tenant')} ${request.headers.get('authorization')}`,
        );
        return new Response(
          JSON.stringify({ schemas: [], id: '7', userName: 'x', meta: { version: 'W/"1"' } }),
          { status: 200, headers: { 'content-type': 'application/scim+json' } },
        );
      },
    });
    expect((await client.users.get('7')).id).toBe('7');
    expect(seen).toEqual(['GET https://scim.example.com/v2/Users/7 acme Bearer secret']);
  });

  it('runs ky hooks', async () => {
    server.seedUsers(1);
    const statuses: number[] = [];
    const client = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      hooks: {
        afterResponse: [
          (_request, _options, response) => {
            statuses.push(response.status);
          },
        ],
      },
    });
    await client.users.get('1');
    expect(statuses).toEqual([200]);
  });
});
