import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { listChecks } from '@scimkit/check';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultyServer, startFaultyServer } from '../../../check/test/faulty-server.js';
import { exited, runScimkit, spawnScimkit, waitForOutput } from '../../test/run-cli.js';
import { startTestServer, type TestServer } from '../../test/server.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-cli-check-'));
let server: TestServer;
let faulty: FaultyServer;

beforeAll(async () => {
  [server, faulty] = await Promise.all([startTestServer(), startFaultyServer(['no-location'])]);
});
afterAll(async () => {
  await Promise.all([server.close(), faulty.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

describe('scimkit check', () => {
  it('passes the reference server: exit 0, a JSON report, and JUnit XML', async () => {
    const junit = path.join(dir, 'ok.xml');
    const run = await runScimkit(['check', '--output', 'json', '--junit', junit], { env: server.env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: true, baseUrl: server.baseUrl, cleanup: { leftovers: [] } });
    expect(report.summary.failed).toBe(0);
    expect(report.summary.passed).toBe(report.results.length);
    const parsed = xml.parse(fs.readFileSync(junit, 'utf8'));
    expect(parsed.testsuites).toMatchObject({
      tests: String(report.summary.total),
      failures: '0',
      skipped: '0',
    });
    expect(parsed.testsuites.testsuite.map((suite: { name: string }) => suite.name)).toContain('idp');
  });

  it('exits with 4 when a required check fails, and says why', async () => {
    const junit = path.join(dir, 'failed.xml');
    const run = await runScimkit([
      'check',
      '--url',
      faulty.url,
      '--token',
      faulty.token,
      '--output',
      'table',
      '--junit',
      junit,
    ]);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/^discovery\n {2}✓ discovery\.service-provider-config {2}/);
    expect(run.stdout).toContain(
      '  ✗ users.location  POST /Users sets Location (and meta.location) to the new user [required]',
    );
    expect(run.stdout).toContain('\nFailures\n');
    expect(run.stdout).toMatch(/\n {2}problem: {2}\/Users answered 201 without a Location header\n/);
    expect(run.stdout).toContain('  see:      https://www.rfc-editor.org/rfc/rfc7644#section-3.3\n');
    expect(run.stdout).toMatch(/\n {2}request: {2}POST http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\n/);
    expect(run.stdout).toMatch(/ 2 failed \(2 required, 0 advisory\), 0 skipped in [\d.]+ s: not ready\n$/);
    expect(run.stdout).not.toContain(faulty.token);
    const failures = xml
      .parse(fs.readFileSync(junit, 'utf8'))
      .testsuites.testsuite.flatMap((suite: { testcase: { failure?: unknown; name: string }[] }) =>
        suite.testcase.filter((testcase) => testcase.failure).map((testcase) => testcase.name),
      );
    expect(failures).toEqual([
      'users.location: POST /Users sets Location (and meta.location) to the new user',
      'groups.location: POST /Groups sets Location (and meta.location) to the new group',
    ]);
  });

  it('streams one JSON line per check, then the summary, and runs only GET checks with --read-only', async () => {
    await server.client.users.create({ userName: 'read.only@example.com' });
    const run = await runScimkit(['check', '--read-only', '--output', 'jsonl', '--only', 'discovery,users'], {
      env: server.env,
    });
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const summary = lines.pop();
    expect(summary).toMatchObject({ readOnly: true, ok: true, cleanup: { deleted: 0 } });
    expect(summary.results).toBeUndefined();
    // Exactly the checks that send nothing but GET ran (and passed).
    const reading = listChecks({ only: ['discovery', 'users'] }).filter((check) => !check.writes);
    expect(lines.filter((line) => line.status === 'passed').map((line) => line.id)).toEqual(
      reading.map((check) => check.id),
    );
    expect(reading.length).toBe(8);
    expect(new Set(lines.filter((line) => line.status === 'skipped').map((line) => line.skipReason))).toEqual(
      new Set(['read-only run']),
    );
  });

  it('stops on Ctrl-C with 130, after removing what it created', async () => {
    const child = spawnScimkit(['check', '--output', 'table'], { env: server.env });
    await waitForOutput(child, /\npatch\n/);
    child.kill('SIGINT');
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exited(child)).toEqual({ code: 130, signal: null });
    expect(stderr).toContain('scimkit: interrupted; the resources created were removed\n');
    const users = await server.client.users.list({ filter: 'userName sw "scimkit-check-"' }).toArray();
    expect(users).toEqual([]);
    expect(await server.client.groups.count()).toBe(0);
  });

  it('lists the checks without a server', async () => {
    const run = await runScimkit(['check', '--list', '--only', 'idp', '--output', 'table']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'idp.entra-id  required  Microsoft Entra ID provisioning cycle, end to end (Entra ID)',
        'idp.okta      required  Okta provisioning cycle, end to end (Okta)',
        '',
      ].join('\n'),
    );
  });

  it('exits with 1 when the server cannot be reached, and 2 for usage errors', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await runScimkit([
      'check',
      '--url',
      `http://127.0.0.1:${port}/scim/v2`,
      '--token',
      't',
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`scimkit: cannot reach http://127.0.0.1:${port}/scim/v2: `);
    expect(unreachable.stderr).toContain('ECONNREFUSED');
    const unknown = await runScimkit(['check', '--only', 'filter.nope'], { env: server.env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('scimkit: unknown check or group "filter.nope" (see scimkit check --list)\n');
    const noUrl = await runScimkit(['check']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toBe('scimkit: no server given: pass --url <base URL> or set SCIM_URL\n');
    const wrongToken = await runScimkit(['check', '--url', server.baseUrl, '--token', 'wrong']);
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toBe(`scimkit: ${server.baseUrl} refused the token: GET /Users answered 401\n`);
  });
});
