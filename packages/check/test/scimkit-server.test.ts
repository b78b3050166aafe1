// The whole catalogue against scimkit's own server, on every store: everything passes (no
// skip: the server advertises every feature), and the run leaves nothing behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CheckReport, describeChecks, formatFailure, runChecks } from '@scimkit/check';
import { createMemoryStore, createScimServer, type ScimStore } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { createSqliteStore } from '@scimkit/store-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store-postgres/test/pg.js';
import type {} from './pg-context.js';

const TOKEN = 'check-token-7d1e';

async function serve(store: ScimStore) {
  const running = await serveNode({
    server: createScimServer({ store, auth: { tokens: [TOKEN] } }),
    host: '127.0.0.1',
  });
  return { url: `${running.url}/scim/v2`, close: () => running.close() };
}

/** How many Users and Groups the server holds (count=0 asks for the total only). */
async function remaining(url: string): Promise<number[]> {
  return Promise.all(
    ['Users', 'Groups'].map(async (endpoint) => {
      const response = await fetch(`${url}/${endpoint}?count=0`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      return ((await response.json()) as { totalResults: number }).totalResults;
    }),
  );
}

function expectAllPassed(report: CheckReport): void {
  const problems = report.results.filter((result) => result.status !== 'passed');
  expect(
    problems.map((result) =>
      result.status === 'failed' ? formatFailure(result) : `${result.id}: ${result.skipReason}`,
    ),
  ).toEqual([]);
  expect(report.summary.passed).toBe(report.results.length);
  expect(report.results.length).toBeGreaterThan(90);
  expect(report.ok).toBe(true);
  expect(report.notAdvertised).toEqual([]);
  expect(report.cleanup.leftovers).toEqual([]);
  expect(report.cleanup.deleted).toBeGreaterThan(30);
}

// The memory store through describeChecks: one vitest test per check, as a server's own suite has them.
let memory: { url: string; close(): Promise<void> } | undefined;
let memoryReport: CheckReport | undefined;
describeChecks(
  { describe, it, beforeAll, afterAll },
  async () => {
    memory = await serve(createMemoryStore());
    return { url: memory.url, token: TOKEN };
  },
  { name: 'scimkit server on the memory store', onReport: (report) => (memoryReport = report) },
);

describe('after the checks on the memory store', () => {
  afterAll(() => memory?.close());

  it('passed every check and removed everything it created', async () => {
    expectAllPassed(memoryReport!);
    expect(await remaining(memory!.url)).toEqual([0, 0]);
  });
});

describe('scimkit server on the SQLite store (a file)', () => {
  it('passes every check and leaves nothing behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-check-'));
    const store = createSqliteStore({ filename: path.join(dir, 'scim.db') });
    const server = await serve(store);
    try {
      expectAllPassed(await runChecks({ url: server.url, token: TOKEN }));
      expect(await remaining(server.url)).toEqual([0, 0]);
    } finally {
      await server.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scimkit server on the PostgreSQL store', () => {
  it('passes every check and leaves nothing behind', async () => {
    const store = openStore();
    const server = await serve(store);
    try {
      expectAllPassed(await runChecks({ url: server.url, token: TOKEN }));
      expect(await remaining(server.url)).toEqual([0, 0]);
    } finally {
      await server.close();
      await store.close();
    }
  });
});

describe('a read-only run', () => {
  it('sends nothing but GET, runs the GET checks and skips the others', async () => {
    const server = await serve(createMemoryStore());
    try {
      for (const userName of ['ro.one@example.com', 'ro.two@example.com']) {
        await fetch(`${server.url}/Users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
          body: JSON.stringify({ userName, name: { givenName: 'R', familyName: 'O' } }),
        });
      }
      const methods = new Set<string>();
      const report = await runChecks({
        url: server.url,
        token: TOKEN,
        readOnly: true,
        fetch: (input, init) => {
          methods.add(new Request(input, init).method);
          return fetch(input, init);
        },
      });
      expect([...methods]).toEqual(['GET']);
      const ran = report.results.filter((result) => result.status !== 'skipped');
      expect(ran.map((result) => result.status)).toEqual(ran.map(() => 'passed'));
      expect(ran.map((result) => result.id)).toEqual([
        'discovery.service-provider-config',
        'discovery.resource-types',
        'discovery.schemas',
        'discovery.schema-by-id',
        'discovery.user-schema',
        'discovery.resources-match-schemas',
        'users.get',
        'users.media-type',
        'filter.no-match',
        'filter.invalid',
        'paging.list-response',
        'projection.attributes',
        'projection.excluded-attributes',
        'projection.returned-always',
        'projection.sub-attribute',
        'projection.list',
        'projection.password-never',
        'errors.not-found',
        'errors.unauthorized',
      ]);
      const skipped = report.results.filter((result) => result.status === 'skipped');
      expect(new Set(skipped.map((result) => result.skipReason))).toEqual(new Set(['read-only run']));
      expect(report).toMatchObject({
        readOnly: true,
        ok: true,
        cleanup: { deleted: 0, deactivated: 0, leftovers: [] },
      });
      expect(await remaining(server.url)).toEqual([2, 0]);
    } finally {
      await server.close();
    }
  });
});
