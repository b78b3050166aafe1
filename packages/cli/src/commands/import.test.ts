import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, runScimkit, spawnScimkit } from '../../test/run-cli.js';
import { startTestServer, type TestServer } from '../../test/server.js';
import { runCli } from '../program.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let server: TestServer;
const directory = mkdtempSync(join(tmpdir(), 'scimkit-cli-import-'));

beforeAll(async () => {
  server = await startTestServer();
  await server.client.users.create({ userName: 'taken' });
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

function errorLines(file: string): { line: number; status?: number; scimType?: string; detail: string }[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('scimkit import', () => {
  it('imports CSV with bulk requests, reports failed lines, and on the next run sends only what is not done', async () => {
    const file = join(directory, 'users.csv');
    const rows = [
      `userName,name.givenName,emails,active,${ENTERPRISE}:department`,
      'ann,Ann,ann@example.com,true,Sales',
      'taken,Dup,,true,',
      ',Nobody,,,',
      '"cy","Cy ""the"" second",cy@example.com;cy2@example.com,false,Ops',
      'dee,Dee,,true,',
    ];
    writeFileSync(file, `${rows.join('\n')}\n`);
    const first = await runScimkit(['import', file, '--batch-size', '2'], { env: server.env });
    expect(first.code).toBe(4);
    expect(first.stdout).toBe('');
    expect(first.stderr).not.toMatch(/\u001b\[|%/); // no progress bar when stderr is not a terminal
    expect(first.stderr).toMatch(
      /^3 records imported, 2 failed \(see .+users\.csv\.errors\.jsonl\) in [\d.]+ s\n$/,
    );
    expect(errorLines(`${file}.errors.jsonl`)).toEqual([
      expect.objectContaining({ line: 3, status: 409, scimType: 'uniqueness' }),
      expect.objectContaining({ line: 4, detail: 'userName is required' }),
    ]);
    const state = JSON.parse(readFileSync(`${file}.import-state.json`, 'utf8'));
    expect(state).toMatchObject({
      version: 1,
      type: 'users',
      completed: [
        [2, 2],
        [5, 6],
      ],
    });

    const cy = (await server.client.users.list({ filter: 'userName eq "cy"' }).toArray())[0] as Record<
      string,
      unknown
    >;
    expect(cy).toMatchObject({
      name: { givenName: 'Cy "the" second' },
      active: false,
      emails: [{ value: 'cy@example.com', primary: true }, { value: 'cy2@example.com' }],
      [ENTERPRISE]: { department: 'Ops' },
    });

    // Fix the two failed lines and run again: only they are sent.
    writeFileSync(
      file,
      `${rows.join('\n').replace('taken,Dup', 'taken2,Dup').replace(',Nobody', 'nobody,Nobody')}\n`,
    );
    const second = await runScimkit(['import', file], { env: server.env });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^2 records imported, 3 skipped as done in an earlier run/);
    expect(existsSync(`${file}.errors.jsonl`)).toBe(false);
    expect(await server.client.users.count()).toBe(6);

    // Nothing is left to do on a third run.
    const third = await runScimkit(['import', file], { env: server.env });
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/^0 records imported, 5 skipped/);
  });

  it('creates active users unless a record says otherwise, as users create does', async () => {
    const csv = join(directory, 'no-active.csv');
    writeFileSync(csv, 'userName,active\nact-csv,\noff-csv,false\n');
    const jsonl = join(directory, 'no-active.jsonl');
    writeFileSync(
      jsonl,
      [
        JSON.stringify({ userName: 'act-jsonl' }),
        JSON.stringify({ userName: 'off-jsonl', ACTIVE: false }),
        // A bulk operation is sent as written.
        JSON.stringify({ method: 'POST', path: '/Users', data: { userName: 'raw-op' } }),
      ].join('\n'),
    );
    expect((await runScimkit(['import', csv], { env: server.env })).code).toBe(0);
    expect((await runScimkit(['import', jsonl], { env: server.env })).code).toBe(0);
    const active = async (userName: string) =>
      (
        (await server.client.users.list({ filter: `userName eq "${userName}"` }).toArray())[0] as {
          active?: boolean;
        }
      ).active;
    expect(await active('act-csv')).toBe(true);
    expect(await active('off-csv')).toBe(false);
    expect(await active('act-jsonl')).toBe(true);
    expect(await active('off-jsonl')).toBe(false);
    expect(await active('raw-op')).toBeUndefined();
  });

  it('checks records with --dry-run without sending anything', async () => {
    const file = join(directory, 'dry.jsonl');
    writeFileSync(file, '{"userName":"dry1"}\n{not json}\n\n{"displayName":"no userName"}\n');
    const run = await runScimkit(['import', file, '--dry-run'], { env: server.env });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^1 record valid, 2 failed .+ \(dry run, nothing sent\)\n$/);
    expect(
      errorLines(`${file}.errors.jsonl`).map((error) => [error.line, error.detail.split(':')[0]]),
    ).toEqual([
      [2, 'invalid JSON'],
      [4, 'userName is required'],
    ]);
    expect(existsSync(`${file}.import-state.json`)).toBe(false);
    expect(await server.client.users.count('userName eq "dry1"')).toBe(0);
  });

  it('runs JSON Lines bulk operations one request each with --no-bulk, into a chosen error file', async () => {
    const [ann] = await server.client.users.list({ filter: 'userName eq "ann"' }).toArray();
    const file = join(directory, 'ops.jsonl');
    const errors = join(directory, 'reports', 'ops-errors.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ userName: 'eve', active: true }),
        JSON.stringify({
          method: 'PATCH',
          path: `/Users/${ann!.id}`,
          data: { Operations: [{ op: 'replace', path: 'title', value: 'Boss' }] },
        }),
        JSON.stringify({ method: 'DELETE', path: '/Users/does-not-exist' }),
      ].join('\n'),
    );
    const run = await runScimkit(['import', file, '--no-bulk', '--errors', errors], { env: server.env });
    expect(run.code).toBe(4);
    expect(errorLines(errors)).toEqual([expect.objectContaining({ line: 3, status: 404 })]);
    expect((await server.client.users.get(ann!.id)).title).toBe('Boss');
    expect(await server.client.users.count('userName eq "eve"')).toBe(1);
  });

  it('stops cleanly on SIGINT with exit code 130, and the next run completes without duplicates', async () => {
    const file = join(directory, 'many.csv');
    const total = 3000;
    writeFileSync(
      file,
      `userName\n${Array.from({ length: total }, (_, index) => `bulk${index}`).join('\n')}\n`,
    );
    const before = await server.client.users.count();
    const child = spawnScimkit(['import', file, '--no-bulk', '--batch-size', '10'], { env: server.env });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    for (let attempt = 0; attempt < 1000 && !existsSync(`${file}.import-state.json`); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGINT');
    expect(await exited(child)).toEqual({ code: 130, signal: null });
    expect(stderr).toMatch(/scimkit: interrupted; run the same command again to resume\n$/);
    const done = (await server.client.users.count()) - before;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(total);

    const resumed = await runScimkit(['import', file, '--batch-size', '500'], { env: server.env });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`^${total - done} records imported, ${done} skipped`));
    expect((await server.client.users.count()) - before).toBe(total);
  });

  it('shows a progress bar with rate and ETA when stderr is a terminal', async () => {
    const file = join(directory, 'tty.csv');
    writeFileSync(file, 'userName\ntty1\ntty2\ntty3\n');
    let stderr = '';
    const terminal = {
      isTTY: true,
      columns: 120,
      write(chunk: string) {
        stderr += chunk;
        return true;
      },
      cursorTo: () => true,
      moveCursor: () => true,
      clearLine: () => true,
      clearScreenDown: () => true,
    };
    const stdout = { write: () => true };
    const code = await runCli(
      ['import', file, '--url', server.baseUrl, '--token', server.token, '--batch-size', '2'],
      {
        io: { stdout, stderr: terminal, env: { NO_COLOR: '1' } },
      },
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/100% \| 3\/3 \| [\d.]+\/s \| ETA \d+s \| 3 ok 0 failed/);
    expect(stderr).toMatch(/3 records imported in [\d.]+ s\n$/);
  });

  it('refuses an unknown file extension and a missing file with exit code 2', async () => {
    const unknown = await runScimkit(['import', join(directory, 'users.xlsx')], { env: server.env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('pass --format csv or --format jsonl');
    const missing = await runScimkit(['import', join(directory, 'missing.csv')], { env: server.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^scimkit: cannot read .*missing\.csv/);
  });
});
