import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http } from './http.js';

/** A plain node:http server that echoes what it got, and rate-limits /limited once. */
let server: Server;
let base: string;
const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];
let limited = 0;

async function read(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await read(request);
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
      body,
    });
    if (request.url === '/scim/v2/limited' && limited++ === 0) {
      response.writeHead(429, { 'retry-after': '0' }).end();
      return;
    }
    response
      .writeHead(request.method === 'POST' ? 201 : 200, {
        'content-type': 'application/scim+json',
        location: `${base}/Users/1`,
      })
      .end(JSON.stringify({ id: '1', got: body }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('Http', () => {
  it('sends JSON with the token and records the exchange without it', async () => {
    const http = new Http({ baseUrl: `${base}/`, token: 'sekret-token' });
    const answer = await http.send({
      method: 'POST',
      path: '/Users',
      query: { a: 'x y' },
      body: { userName: 'b' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ id: '1', got: '{"userName":"b"}' });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/scim/v2/Users?a=x+y',
      authorization: 'Bearer sekret-token',
    });
    expect(answer.exchange.request).toMatchObject({
      method: 'POST',
      url: `${base}/Users?a=x+y`,
      body: '{"userName":"b"}',
    });
    expect(answer.exchange.request.headers.authorization).toBe('Bearer <redacted>');
    expect(answer.exchange.response).toMatchObject({ status: 201, headers: { location: `${base}/Users/1` } });
    expect(JSON.stringify(answer.exchange)).not.toContain('sekret-token');
  });

  it('never records a value of a header that looks like a secret', async () => {
    const http = new Http({
      baseUrl: base,
      token: 't',
      headers: { 'x-api-key': 'k-123', 'x-tenant': 'acme' },
    });
    const answer = await http.send({ method: 'GET', path: '/Users', headers: { cookie: 'session=s-456' } });
    expect(answer.exchange.request.headers).toMatchObject({
      'x-api-key': '<redacted>',
      cookie: '<redacted>',
      'x-tenant': 'acme',
      authorization: 'Bearer <redacted>',
    });
    expect(JSON.stringify(answer.exchange)).not.toMatch(/k-123|s-456/);
  });

  it('sends no token, or another one, when asked', async () => {
    const http = new Http({ baseUrl: base, token: () => 'from-function' });
    await http.send({ method: 'GET', path: '/Users', token: null });
    expect(seen.at(-1)?.authorization).toBeUndefined();
    await http.send({ method: 'GET', path: '/Users', token: 'other' });
    expect(seen.at(-1)?.authorization).toBe('Bearer other');
    await http.send({ method: 'GET', path: '/Users' });
    expect(seen.at(-1)?.authorization).toBe('Bearer from-function');
  });

  it('refuses anything but GET in a read-only run, before sending', async () => {
    const http = new Http({ baseUrl: base, token: 't', readOnly: true });
    const before = seen.length;
    await expect(http.send({ method: 'DELETE', path: '/Users/1' })).rejects.toThrow(
      'refusing to send DELETE',
    );
    await expect(http.fetch(`${base}/Users`, { method: 'POST', body: '{}' })).rejects.toThrow(
      'refusing to send POST',
    );
    expect(seen.length).toBe(before);
  });

  it('never sends the token to another origin', async () => {
    const http = new Http({ baseUrl: base, token: 't' });
    await expect(http.send({ method: 'GET', path: 'http://127.0.0.2:9/Users' })).rejects.toThrow(
      'another origin',
    );
  });

  it('waits out a 429 with Retry-After and asks again', async () => {
    const http = new Http({ baseUrl: base, token: 't' });
    expect((await http.send({ method: 'GET', path: '/limited' })).status).toBe(200);
    expect(limited).toBe(2);
  });

  it('records a network failure as an exchange without an answer', async () => {
    const http = new Http({ baseUrl: 'http://127.0.0.1:9/scim/v2', token: 't' });
    const error = await http.send({ method: 'GET', path: '/Users' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ exchange: { request: { url: 'http://127.0.0.1:9/scim/v2/Users' } } });
    expect((error as { exchange: { error: string } }).exchange.error).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('tells observers about every exchange, the client fetch included', async () => {
    const http = new Http({ baseUrl: base, token: 't' });
    const urls: string[] = [];
    http.observe((observed) => urls.push(`${observed.method} ${observed.status}`));
    await http.send({ method: 'GET', path: '/Users' });
    const response = await http.fetch(`${base}/Users`, { method: 'POST', body: '{}' });
    expect(await response.json()).toEqual({ id: '1', got: '{}' });
    expect(urls).toEqual(['GET 200', 'POST 201']);
  });
});
