import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTERPRISE_USER_SCHEMA } from '@scimkit/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScimkit } from '../../test/run-cli.js';
import { startTestServer, type TestServer } from '../../test/server.js';

let server: TestServer;
const directory = mkdtempSync(join(tmpdir(), 'scimkit-cli-resources-'));

beforeAll(async () => {
  server = await startTestServer();
  for (let index = 1; index <= 5; index++) {
    await server.client.users.create({
      userName: `user${index}`,
      displayName: `User, "${index}"`,
      active: index % 2 === 1,
      emails: [{ value: `user${index}@example.com`, primary: true }],
    });
  }
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('scimkit users list', () => {
  it('streams JSON Lines across pages with a filter and sorting', async () => {
    const run = await runScimkit(
      [
        'users',
        'list',
        '--filter',
        'active eq true',
        '--sort-by',
        'userName',
        '--sort-order',
        'descending',
        '--page-size',
        '2',
        '-o',
        'jsonl',
      ],
      { env: server.env },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const users = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { userName: string });
    expect(users.map((user) => user.userName)).toEqual(['user5', 'user3', 'user1']);
  });

  it('writes CSV with the requested attributes as columns, quoting where needed', async () => {
    const run = await runScimkit(
      [
        'users',
        'list',
        '--attributes',
        'userName,displayName,emails',
        '--sort-by',
        'userName',
        '--limit',
        '2',
        '--output',
        'csv',
      ],
      { env: server.env },
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toBe('id,userName,displayName,emails');
    expect(lines[1]).toMatch(/^[\w-]+,user1,"User, ""1""",user1@example\.com$/);
    expect(lines[2]).toMatch(/^[\w-]+,user2,/);
    expect(lines).toHaveLength(4);
  });

  it('writes one JSON array with --output json and a table with --output table', async () => {
    const json = await runScimkit(['users', 'list', '--output', 'json', '--page-size', '2'], {
      env: server.env,
    });
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(5);
    const table = await runScimkit(
      ['users', 'list', '--output', 'table', '--filter', 'userName eq "user2"'],
      {
        env: server.env,
      },
    );
    const [header, row, ...rest] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+USERNAME\s+DISPLAYNAME\s+ACTIVE\s+EMAILS\s+EXTERNALID$/);
    expect(row).toMatch(/\s+user2\s+User, "2"\s+false\s+user2@example\.com$/);
    expect(rest).toEqual([]);
  });

  it('writes JSON Lines by default when stdout is not a terminal', async () => {
    const run = await runScimkit(['users', 'list', '--limit', '2', '--attributes', 'userName'], {
      env: server.env,
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ userName: expect.stringMatching(/^user\d$/) });
  });

  it('rejects a malformed filter locally with exit code 2 and a caret, sending nothing', async () => {
    // Port 9 (discard) is closed here: had the CLI sent anything, it would report the failure.
    const env = { SCIM_URL: 'http://127.0.0.1:9/scim/v2', SCIM_TOKEN: 'unused' };
    const run = await runScimkit(['users', 'list', '--filter', 'userName eq'], { env });
    expect(run.code).toBe(2);
    const [first, line, caret] = run.stderr.split('\n');
    expect(first).toMatch(/^scimkit: invalid filter: Expected a value .* at position 11\.$/);
    expect(run.stderr).not.toMatch(/400|Bad Request|ECONNREFUSED/);
    expect(line).toBe('  userName eq');
    expect(caret).toBe(`  ${' '.repeat(11)}^`);
  });

  it('accepts what identity providers send (unquoted values) unless --strict, as filter check does', async () => {
    const lenient = await runScimkit(['users', 'list', '--filter', 'userName eq user3', '-o', 'jsonl'], {
      env: server.env,
    });
    expect(lenient).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(lenient.stdout)).toMatchObject({ userName: 'user3' });
    const strict = await runScimkit(['users', 'list', '--strict', '--filter', 'userName eq user3'], {
      env: server.env,
    });
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toMatch(/^scimkit: invalid filter: Expected a value .* at position 12\.\n/);
  });

  it('exits 2 when the server rejects the filter (400 invalidFilter), with its detail', async () => {
    // Parses fine; the server refuses to order a boolean.
    const run = await runScimkit(['users', 'list', '--filter', 'active gt true'], { env: server.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^scimkit: 400 Bad Request \(invalidFilter\): .+\n$/);
  });
});

describe('scimkit users', () => {
  it('creates, patches with If-Match, deactivates, gets and deletes a user', async () => {
    const created = await runScimkit(
      [
        'users',
        'create',
        '--set',
        'userName=bjensen',
        '--set',
        'name.givenName=Barbara',
        '--set',
        `${ENTERPRISE_USER_SCHEMA}:department=Sales`,
        '-o',
        'json',
      ],
      { env: server.env },
    );
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout) as { id: string; meta: { version: string }; schemas: string[] };
    expect(user.schemas).toContain(ENTERPRISE_USER_SCHEMA);

    const patched = await runScimkit(
      [
        'users',
        'patch',
        user.id,
        '--replace',
        `${ENTERPRISE_USER_SCHEMA}:department=Finance`,
        '--if-match',
        user.meta.version,
        '-o',
        'jsonl',
      ],
      { env: server.env },
    );
    expect(patched.code).toBe(0);
    expect(JSON.parse(patched.stdout)[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Finance' });

    const stale = await runScimkit(
      ['users', 'patch', user.id, '--replace', 'title=Boss', '--if-match', user.meta.version],
      {
        env: server.env,
      },
    );
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^scimkit: 412 Precondition Failed: .+\n$/);

    const deactivated = await runScimkit(['users', 'deactivate', user.id, '-o', 'jsonl'], {
      env: server.env,
    });
    expect(JSON.parse(deactivated.stdout).active).toBe(false);

    expect((await runScimkit(['users', 'delete', user.id], { env: server.env })).code).toBe(0);
    const missing = await runScimkit(['users', 'get', user.id], { env: server.env });
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^scimkit: 404 Not Found: .+\n$/);
  });

  it('creates an active user unless told otherwise, so that active eq true finds it', async () => {
    const plain = await runScimkit(['users', 'create', '--set', 'userName=newhire', '-o', 'json'], {
      env: server.env,
    });
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ userName: 'newhire', active: true });
    const listed = await runScimkit(
      ['users', 'list', '--filter', 'active eq true and userName eq "newhire"', '-o', 'jsonl'],
      { env: server.env },
    );
    expect(JSON.parse(listed.stdout)).toMatchObject({ userName: 'newhire' });

    const disabled = await runScimkit(
      ['users', 'create', '--set', 'userName=contractor', '--set', 'active=false', '-o', 'json'],
      { env: server.env },
    );
    expect(JSON.parse(disabled.stdout)).toMatchObject({ userName: 'contractor', active: false });

    const file = join(directory, 'inactive.json');
    writeFileSync(file, JSON.stringify({ userName: 'fromfile', Active: false }));
    const fromFile = await runScimkit(['users', 'create', '--file', file, '-o', 'json'], { env: server.env });
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ userName: 'fromfile', active: false });
  });

  it('leaves groups without an active attribute', async () => {
    const run = await runScimkit(['groups', 'create', '--set', 'displayName=NoActive', '-o', 'json'], {
      env: server.env,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).not.toHaveProperty('active');
  });

  it('reports a uniqueness conflict in one line with exit code 1', async () => {
    const run = await runScimkit(['users', 'create', '--set', 'userName=user1'], { env: server.env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^scimkit: 409 Conflict \(uniqueness\): .+\n$/);
  });

  it('fails with exit code 1 and one line when the token is wrong', async () => {
    const run = await runScimkit(['users', 'list', '--token', 'wrong'], {
      env: { SCIM_URL: server.baseUrl },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^scimkit: 401 Unauthorized.*\n$/);
  });
});

describe('scimkit groups', () => {
  it('creates a group and adds and removes members', async () => {
    const [first] = await server.client.users.list({ filter: 'userName eq "user1"' }).toArray();
    const created = await runScimkit(
      ['groups', 'create', '--set', 'displayName=Engineering', '-o', 'jsonl'],
      {
        env: server.env,
      },
    );
    const group = JSON.parse(created.stdout) as { id: string };
    const added = await runScimkit(['groups', 'members', 'add', group.id, first!.id, '-o', 'jsonl'], {
      env: server.env,
    });
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout).members).toEqual([expect.objectContaining({ value: first!.id })]);
    const removed = await runScimkit(['groups', 'members', 'remove', group.id, first!.id, '-o', 'jsonl'], {
      env: server.env,
    });
    expect(JSON.parse(removed.stdout).members ?? []).toEqual([]);
  });
});

describe('scimkit discover', () => {
  it('summarises the ServiceProviderConfig, resource types and schemas', async () => {
    const run = await runScimkit(['discover', '-o', 'table'], { env: server.env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ServiceProviderConfig\n {2}patch {11}supported\n/);
    expect(run.stdout).toMatch(
      /\n {2}User +\/Users +urn:ietf:params:scim:schemas:core:2\.0:User \+ urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User\n/,
    );
  });
});
