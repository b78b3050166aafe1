import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChildReady } from './server/protocol.js';
import { ROUTES, SERVERS, startChild, stopChild } from './suites/server.js';

// The server suite sends the same four requests to every server: check that each answers them
// with success and that the SCIM servers find the same user, so the throughput compares like
// with like. No load is generated here.

const children: ChildProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map(stopChild));
});

async function send(
  ready: ChildReady,
  route: (typeof ROUTES)[number],
): Promise<{ status: number; body: unknown }> {
  const request = route.request(ready);
  const init: RequestInit = {
    method: request.method ?? 'GET',
    headers: (request.headers ?? {}) as Record<string, string>,
  };
  const prepared =
    typeof request.setupRequest === 'function' ? request.setupRequest({ ...request }, {}) : request;
  const body = (prepared as { body?: string } | undefined)?.body ?? request.body;
  if (typeof body === 'string') init.body = body;
  const response = await fetch(`http://127.0.0.1:${ready.port}${request.path}`, init);
  return { status: response.status, body: await response.json() };
}

describe('server suite', () => {
  for (const { kind, library } of SERVERS) {
    it(`${library} answers every route with success`, async () => {
      const { child, ready } = await startChild(kind, 20);
      children.push(child);
      const results = [];
      for (const route of ROUTES) results.push(await send(ready, route));
      expect(results.map((r) => r.status)).toEqual([200, 200, 201, 200]);
      if (!kind.startsWith('bare')) {
        expect((results[0]!.body as { userName: string }).userName).toBe(ready.userName);
        const list = results[1]!.body as { totalResults: number; Resources: { id: string }[] };
        expect(list.totalResults).toBe(1);
        expect(list.Resources[0]!.id).toBe(ready.userId);
        expect((results[3]!.body as { displayName: string }).displayName).toBe('Barbara J. Jensen');
        // Each PATCH writes a new title: no server gets away with a no-op.
        const again = (await send(ready, ROUTES[3]!)).body as { title: string };
        expect(again.title).not.toBe((results[3]!.body as { title: string }).title);
      }
      await stopChild(child);
      expect(child.exitCode ?? child.signalCode).not.toBeNull();
    }, 60_000);
  }
});
