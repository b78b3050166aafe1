import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScimkit } from '../../test/run-cli.js';
import { startTestServer, type TestServer } from '../../test/server.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let source: TestServer;
let target: TestServer;
const directory = mkdtempSync(join(tmpdir(), 'scimkit-cli-export-'));
const COUNT = 230;

beforeAll(async () => {
  [source, target] = await Promise.all([startTestServer(), startTestServer()]);
  await source.client.bulk(
    Array.from({ length: COUNT }, (_, index) => ({
      method: 'POST' as const,
      path: '/Users',
      bulkId: `u${index}`,
      data: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        userName: `user${String(index).padStart(3, '0')}`,
        name: { givenName: `Given, ${index}`, familyName: 'Family' },
        emails: [{ value: `user${index}@example.com`, primary: true }],
        active: index % 3 !== 0,
        [ENTERPRISE]: { department: index % 2 ? 'Sales' : 'Ops' },
      },
    })),
  );
});
afterAll(async () => {
  await Promise.all([source.close(), target.close()]);
  rmSync(directory, { recursive: true, force: true });
});

describe('scimkit export', () => {
  it('streams every user as JSON Lines across pages', async () => {
    const run = await runScimkit(['export', '--page-size', '50'], { env: source.env });
    expect(run.code).toBe(0);
    const users = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string });
    expect(users).toHaveLength(COUNT);
    expect(new Set(users.map((user) => user.id)).size).toBe(COUNT);
  });

  it('writes CSV to a file that import reads back into another server', async () => {
    const file = join(directory, 'users.csv');
    const exported = await runScimkit(
      ['export', '--output', 'csv', '--file', file, '--filter', 'active eq true'],
      {
        env: source.env,
      },
    );
    expect(exported.code).toBe(0);
    const active = await source.client.users.count('active eq true');
    expect(exported.stderr).toBe(`exported ${active} Users to ${file}\n`);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      `id,externalId,userName,name.givenName,name.familyName,displayName,title,active,emails,phoneNumbers,${ENTERPRISE}:employeeNumber,${ENTERPRISE}:department`,
    );
    expect(lines).toHaveLength(active + 1);

    const imported = await runScimkit(['import', file], { env: target.env });
    expect(imported.code).toBe(0);
    const copy = (await target.client.users.list({ filter: 'userName eq "user001"' }).toArray())[0] as Record<
      string,
      unknown
    >;
    expect(copy).toMatchObject({
      userName: 'user001',
      name: { givenName: 'Given, 1', familyName: 'Family' },
      active: true,
      emails: [{ value: 'user1@example.com', primary: true }],
      [ENTERPRISE]: { department: 'Sales' },
    });
    expect(await target.client.users.count()).toBe(active);
  });

  it('refuses table output with exit code 2', async () => {
    const run = await runScimkit(['export', '--output', 'table'], { env: source.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('scimkit: export writes jsonl or csv, not table\n');
  });
});
