// Typed clients for any SCIM server, end to end: `scimkit codegen` asks a live server on
// 127.0.0.1 for its schemas, a consumer project (consumer/, strict settings) type-checks a
// script against the generated module with tsc, and the script runs against that server.
// Once for @scimkit/server with a custom resource type and extensions, once for scimmy.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '@scimkit/cli';
import type { RunningServer } from '@scimkit/server/node';
import { openApiProblems } from '@scimkit/test-utils/openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningScimmy, SCIMMY_TOKEN, startScimmy } from './scimmy-server.js';
import { startTypedServer, TYPED_TOKEN } from './typed-server.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const consumer = join(here, '..', 'consumer');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Runs the CLI in-process (its public `runCli`), collecting what it writes. */
async function scimkit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const stream = (name: 'stdout' | 'stderr') => ({
    write(text: string) {
      out[name] += text;
      return true;
    },
  });
  const code = await runCli(args, { io: { stdout: stream('stdout'), stderr: stream('stderr'), env: {} } });
  return { code, ...out };
}

/** Runs a consumer script with Node (through tsx, resolving @scimkit/* to their sources). */
async function runScript(name: string, url: string, token: string): Promise<unknown> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@scimkit/source', '--import', 'tsx', join(consumer, name, 'main.ts')],
    { env: { ...process.env, SCIM_URL: url, SCIM_TOKEN: token }, timeout: 60_000 },
  );
  return JSON.parse(stdout);
}

let scimkitServer: RunningServer;
let scimmy: RunningScimmy;
const targets = () => [
  { name: 'scimkit', url: `${scimkitServer.url}/scim/v2`, token: TYPED_TOKEN },
  { name: 'scimmy', url: scimmy.url, token: SCIMMY_TOKEN },
];

beforeAll(async () => {
  [scimkitServer, scimmy] = await Promise.all([startTypedServer(), startScimmy()]);
});
afterAll(async () => {
  await Promise.all([scimkitServer.close(), scimmy.close()]);
});

describe('scimkit openapi against real servers', () => {
  it('writes documents that pass the OpenAPI 3.1 validators, without warnings', async () => {
    for (const target of targets()) {
      const result = await scimkit(['openapi', '--url', target.url, '--token', target.token]);
      expect(result.stderr, target.name).toBe('');
      expect(result.code, target.name).toBe(0);
      const document = JSON.parse(result.stdout);
      expect(await openApiProblems(document), target.name).toEqual([]);
      expect(document['x-scim-resourceTypes'].map((entry: { name: string }) => entry.name)).toEqual(
        target.name === 'scimkit' ? ['User', 'Group', 'Device'] : ['User', 'Group'],
      );
    }
  });
});

describe('GET /openapi.json of @scimkit/server', () => {
  it('is the document scimkit openapi builds from its discovery endpoints', async () => {
    const [target] = targets();
    const served = await fetch(`${target!.url}/openapi.json`, {
      headers: { authorization: `Bearer ${target!.token}` },
    });
    expect(served.status).toBe(200);
    const built = await scimkit(['openapi', '--url', target!.url, '--token', target!.token]);
    expect(await served.json()).toEqual(JSON.parse(built.stdout));
  });
});

describe('scimkit codegen → a typed script, against real servers', () => {
  beforeAll(async () => {
    for (const target of targets()) {
      const out = join(consumer, target.name, 'scim.generated.ts');
      const result = await scimkit(['codegen', '--url', target.url, '--token', target.token, '--out', out]);
      expect(result, target.name).toEqual({ code: 0, stdout: '', stderr: `wrote the types to ${out}\n` });
    }
  }, 120_000); // one CLI process per target, each reading a live server

  it('type-checks both scripts and generated modules under strict settings, read-only and misspelt attributes rejected', async () => {
    // Every `@ts-expect-error` line in the scripts must be an error, or tsc fails on it.
    const result = await run(process.execPath, [tsc, '-p', join(consumer, 'tsconfig.json')]).then(
      () => 'ok',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('ok');
  });

  it('runs the script against @scimkit/server: extension, custom resource type, groups', async () => {
    const [target] = targets();
    const output = (await runScript('scimkit', target!.url, target!.token)) as {
      user: { id: string };
      members: string[];
    };
    expect(output).toEqual({
      user: { id: expect.any(String), floor: 3, badgeNumber: 'B-1024', department: 'Engineering' },
      title: 'Director',
      device: { serialNumber: 'C02XK0AAJG5H', model: 'phone', found: ['C02XK0AAJG5H'] },
      members: [output.user.id],
      gone: 0,
    });
  });

  it('runs the script against scimmy', async () => {
    const [, target] = targets();
    const output = (await runScript('scimmy', target!.url, target!.token)) as { userId: string };
    expect(output).toEqual({
      givenName: 'Typed',
      title: 'Director',
      members: [output.userId],
      found: ['typed.scimmy@example.com'],
      userId: expect.any(String),
    });
  });

  it('keeps the client type tests fixture what codegen writes for this server', async () => {
    const result = await scimkit(['codegen', '--url', targets()[0]!.url, '--token', TYPED_TOKEN]);
    // Regenerate with `pnpm vitest run --project integration-tests -u` after a schema change.
    await expect(result.stdout).toMatchFileSnapshot('../../client/src/__fixtures__/scim.generated.ts');
  });
});
