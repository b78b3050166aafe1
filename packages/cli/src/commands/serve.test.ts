import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exited, spawnScimkit, waitForOutput } from '../../test/run-cli.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const directory = mkdtempSync(join(tmpdir(), 'scimkit-cli-serve-'));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return () => text;
}

describe('scimkit serve', () => {
  it('prints the base URL, serves SCIM on SQLite and exits 0 on SIGTERM after closing the store', async () => {
    const db = join(directory, 'serve.db');
    const child = spawnScimkit(['serve', '--port', '0', '--token', 'secret-token', '--db', db]);
    children.push(child);
    const stderr = collectStderr(child);
    const stdout = await waitForOutput(child, /\n/);
    const baseUrl = stdout.trim();
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);

    const created = await fetch(`${baseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret-token', 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bjensen' }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${baseUrl}/Users`)).status).toBe(401);

    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: 0, signal: null });
    expect(stderr()).toContain(`listening on ${baseUrl} (SQLite ${db})`);
    expect(stderr()).toContain('stopped');
    expect(stderr()).not.toContain('secret-token');
    expect(existsSync(db)).toBe(true);
    await expect(fetch(`${baseUrl}/Users`)).rejects.toThrow();
  });

  it('uses the in-memory store without --db, prints a generated token, and exits 0 on SIGINT', async () => {
    const child = spawnScimkit(['serve', '--port', '0']);
    children.push(child);
    const stderr = collectStderr(child);
    const baseUrl = (await waitForOutput(child, /\n/)).trim();
    for (let attempt = 0; attempt < 50 && !stderr().includes('Ctrl-C'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const token = /SCIM_TOKEN=(\S+)/.exec(stderr())?.[1];
    expect(stderr()).toContain('(in-memory store)');
    expect(token).toMatch(/^[\w-]{20,}$/);
    const response = await fetch(`${baseUrl}/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    child.kill('SIGINT');
    expect(await exited(child)).toEqual({ code: 0, signal: null });
  });

  it('on every interface (--host 0.0.0.0) prints a URL that works and says what to give Entra ID or Okta', async () => {
    const child = spawnScimkit(['serve', '--port', '0', '--host', '0.0.0.0', '--token', 'secret-token']);
    children.push(child);
    const stderr = collectStderr(child);
    const baseUrl = (await waitForOutput(child, /\n/)).trim();
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    for (let attempt = 0; attempt < 50 && !stderr().includes('Ctrl-C'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const port = new URL(baseUrl).port;
    expect(stderr()).not.toMatch(/0\.0\.0\.0:/);
    expect(stderr()).toContain(
      `listening on ${baseUrl} (in-memory store)\n` +
        `  on every interface (--host 0.0.0.0): from elsewhere use this machine's address; Entra ID and Okta need a public https:// URL ending in /scim/v2 (a TLS proxy in front of port ${port})\n`,
    );
    const response = await fetch(`${baseUrl}/ServiceProviderConfig`, {
      headers: { authorization: 'Bearer secret-token' },
    });
    expect(response.status).toBe(200);
  });

  it('builds every location from --base-url, whatever Host a client sends', async () => {
    const child = spawnScimkit([
      'serve',
      '--port',
      '0',
      '--token',
      'secret-token',
      '--base-url',
      'https://scim.example.com/scim/v2',
    ]);
    children.push(child);
    const baseUrl = (await waitForOutput(child, /\n/)).trim();
    const created = await fetch(`${baseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret-token', 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'located' }),
    });
    const body = (await created.json()) as { id: string; meta: { location: string } };
    expect(created.headers.get('location')).toBe(`https://scim.example.com/scim/v2/Users/${body.id}`);
    expect(body.meta.location).toBe(`https://scim.example.com/scim/v2/Users/${body.id}`);
    child.kill('SIGTERM');
    expect(await exited(child)).toEqual({ code: 0, signal: null });
  });

  it('answers RFC 7644 only with --strict, and leaves the pagination block out with --no-pagination-discovery', async () => {
    const request = (baseUrl: string, path: string) =>
      fetch(`${baseUrl}${path}`, { headers: { authorization: 'Bearer secret-token' } });
    const lenient = spawnScimkit(['serve', '--port', '0', '--token', 'secret-token']);
    const strict = spawnScimkit([
      'serve',
      '--port',
      '0',
      '--token',
      'secret-token',
      '--strict',
      '--no-pagination-discovery',
    ]);
    children.push(lenient, strict);
    const [lenientUrl, strictUrl] = await Promise.all(
      [lenient, strict].map(async (child) => (await waitForOutput(child, /\n/)).trim()),
    );
    // A value filter in `attributes` is the lenient dialect's: strict refuses it.
    const selection = `/Users?attributes=${encodeURIComponent('emails[type eq "work"]')}`;
    expect((await request(lenientUrl!, selection)).status).toBe(200);
    expect((await request(strictUrl!, selection)).status).toBe(400);
    const config = async (baseUrl: string) =>
      (await (await request(baseUrl, '/ServiceProviderConfig')).json()) as Record<string, unknown>;
    expect((await config(lenientUrl!)).pagination).toMatchObject({ cursor: true, index: true });
    const strictConfig = await config(strictUrl!);
    expect(strictConfig.pagination).toBeUndefined();
    expect(strictConfig.filter).toMatchObject({ supported: true });
    for (const child of [lenient, strict]) child.kill('SIGTERM');
    expect(await Promise.all([lenient, strict].map((child) => exited(child)))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });

  it('answers a members-only Group PATCH 204 with its ETag under --member-patch-no-content, 200 without', async () => {
    const headers = { authorization: 'Bearer secret-token', 'content-type': 'application/scim+json' };
    const servers = [
      spawnScimkit(['serve', '--port', '0', '--token', 'secret-token']),
      spawnScimkit(['serve', '--port', '0', '--token', 'secret-token', '--member-patch-no-content']),
    ];
    children.push(...servers);
    const urls = await Promise.all(servers.map(async (child) => (await waitForOutput(child, /\n/)).trim()));
    const statuses: number[] = [];
    for (const baseUrl of urls) {
      const post = async (path: string, body: object) =>
        (await (
          await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
        ).json()) as { id: string; meta: { version: string } };
      const user = await post('/Users', { schemas: [USER_SCHEMA], userName: 'member' });
      const group = await post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'big' });
      const patched = await fetch(`${baseUrl}/Groups/${group.id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }],
        }),
      });
      statuses.push(patched.status);
      const after = (await (await fetch(`${baseUrl}/Groups/${group.id}`, { headers })).json()) as {
        members: { value: string }[];
        meta: { version: string };
      };
      expect(after.members.map((member) => member.value)).toEqual([user.id]);
      expect(patched.headers.get('etag')).toBe(after.meta.version);
      expect(after.meta.version).not.toBe(group.meta.version);
    }
    expect(statuses).toEqual([200, 204]);
    for (const child of servers) child.kill('SIGTERM');
    expect(await Promise.all(servers.map((child) => exited(child)))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });

  it('refuses an empty or blank token with exit code 2, naming where it came from', async () => {
    const empty = spawnScimkit(['serve', '--port', '0'], { env: { SCIM_TOKEN: '' } });
    children.push(empty);
    const emptyErr = collectStderr(empty);
    expect(await exited(empty)).toEqual({ code: 2, signal: null });
    expect(emptyErr()).toBe(
      'scimkit: SCIM_TOKEN is empty: set it to a token, or unset it (and give no --token) for a random one\n',
    );
    const blank = spawnScimkit(['serve', '--port', '0', '--token', 'secret-token\n']);
    children.push(blank);
    const blankErr = collectStderr(blank);
    expect(await exited(blank)).toEqual({ code: 2, signal: null });
    expect(blankErr()).toBe(
      'scimkit: --token contains whitespace (a trailing newline from a secrets file?); a bearer token cannot\n',
    );
  });

  it('refuses a --base-url that is not an absolute http(s) URL with exit code 2', async () => {
    const child = spawnScimkit(['serve', '--port', '0', '--base-url', 'scim.example.com']);
    children.push(child);
    const stderr = collectStderr(child);
    expect(await exited(child)).toEqual({ code: 2, signal: null });
    expect(stderr()).toBe('scimkit: --base-url must be an absolute http(s) URL, got "scim.example.com"\n');
  });

  it('refuses a port out of range with exit code 2', async () => {
    const child = spawnScimkit(['serve', '--port', '70000']);
    children.push(child);
    const stderr = collectStderr(child);
    expect(await exited(child)).toEqual({ code: 2, signal: null });
    expect(stderr()).toBe('scimkit: --port must be 0-65535, got "70000"\n');
  });
});
