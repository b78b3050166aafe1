// The whole catalogue against scimkit's own server, on every store: everything passes (no
// skip: the server advertises every feature), and the run leaves nothing behind.
import { type CheckReport, describeChecks, formatFailure, runChecks } from '@scimkit/check';
import { createMemoryStore, createScimServer } from '@scimkit/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remaining, STORES, serve, type TestServer, TOKEN } from './stores.js';

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
let memory: TestServer | undefined;
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

describe.each(STORES.slice(1))('scimkit server on %s', (_name, start) => {
  it('passes every check and leaves nothing behind', async () => {
    const server = await start();
    try {
      expectAllPassed(await runChecks({ url: server.url, token: TOKEN }));
      expect(await remaining(server.url)).toEqual([0, 0]);
    } finally {
      await server.close();
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
        'filter.boolean-ordering',
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

describe('a run through a fetch function, without a network', () => {
  it("checks a Web-standard handler directly (the server's fetch)", async () => {
    const server = createScimServer({ store: createMemoryStore(), auth: { tokens: [TOKEN] } });
    const report = await runChecks({
      url: 'http://scim.test/scim/v2',
      token: TOKEN,
      only: ['users', 'filter', 'idp'],
      fetch: (input, init) => server.fetch(new Request(input, init)),
    });
    expect(report.results.filter((result) => result.status !== 'passed').map((result) => result.id)).toEqual(
      [],
    );
    expect(report.results.map((result) => result.group)).toContain('idp');
    expect(report.cleanup.leftovers).toEqual([]);
  });
});

describe('an interrupted run', () => {
  it('stops, removes what it created, then rejects with the reason', async () => {
    const server = await serve(createMemoryStore());
    try {
      // Aborted as the 31st check starts: its requests fail, and cleanup must still go out.
      const controller = new AbortController();
      let started = 0;
      let results = 0;
      const run = runChecks({
        url: server.url,
        token: TOKEN,
        signal: controller.signal,
        onCheckStart: () => {
          if (++started === 31) controller.abort(new Error('stopped by the test'));
        },
        onResult: () => results++,
      });
      await expect(run).rejects.toThrow('stopped by the test');
      expect(results).toBe(30);
      expect(await remaining(server.url)).toEqual([0, 0]);
    } finally {
      await server.close();
    }
  });
});
