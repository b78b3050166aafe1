import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { exited, runScimkit, spawnScimkit, waitForOutput } from '../../test/run-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the PostgreSQL server (store-postgres' global setup). */
    pgUrl: string;
  }
}

const children: ChildProcess[] = [];
const admin = new pg.Pool({ connectionString: inject('pgUrl'), max: 1 });
const database = `scimkit_cli_${randomBytes(6).toString('hex')}`;
const url = new URL(inject('pgUrl'));
url.pathname = `/${database}`;
// The scratch cluster trusts local connections: a password in the URL must never be printed.
if (!url.password && process.env['SCIMKIT_PG_URL'] === undefined) url.password = 'hunter2';

beforeAll(async () => {
  await admin.query(`CREATE DATABASE ${database}`);
});
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return () => text;
}

async function serve(): Promise<{ child: ChildProcess; baseUrl: string; stderr: () => string }> {
  const child = spawnScimkit(['serve', '--port', '0', '--token', 'secret-token', '--database', url.href]);
  children.push(child);
  const stderr = collectStderr(child);
  const baseUrl = (await waitForOutput(child, /\n/)).trim();
  return { child, baseUrl, stderr };
}

const headers = { authorization: 'Bearer secret-token', 'content-type': 'application/scim+json' };

describe('scimkit serve --database', () => {
  it('serves SCIM on PostgreSQL, keeps the data across restarts, and never prints the password', async () => {
    const first = await serve();
    expect(first.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    const created = await fetch(`${first.baseUrl}/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bjensen' }),
    });
    expect(created.status).toBe(201);
    const taken = await fetch(`${first.baseUrl}/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'BJENSEN' }),
    });
    expect(taken.status).toBe(409);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toEqual({ code: 0, signal: null });
    expect(first.stderr()).toContain('(PostgreSQL postgres://');
    expect(first.stderr()).toContain(`/${database})`);
    if (url.password) {
      expect(first.stderr()).not.toContain(url.password);
      expect(first.stderr()).toContain(':***@');
    }

    const second = await serve();
    const found = await fetch(
      `${second.baseUrl}/Users?filter=${encodeURIComponent('userName eq "BJensen"')}`,
      {
        headers,
      },
    );
    expect(((await found.json()) as { totalResults: number }).totalResults).toBe(1);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toEqual({ code: 0, signal: null });
    const { rows } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database]);
    expect(rows).toHaveLength(1);
  });

  it('refuses a --database that is not a PostgreSQL URL, or one given with --db, with exit code 2', async () => {
    const wrong = await runScimkit(['serve', '--port', '0', '--database', 'mysql://x@localhost/db']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      'scimkit: --database must be a postgres:// or postgresql:// connection string\n',
    );
    const both = await runScimkit(['serve', '--port', '0', '--db', 'x.db', '--database', url.href]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('scimkit: give --db (SQLite) or --database (PostgreSQL), not both\n');
  });

  it('exits 1 with the connection error when the database cannot be reached, before listening', async () => {
    const run = await runScimkit([
      'serve',
      '--port',
      '0',
      '--database',
      'postgres://nobody:pw@127.0.0.1:1/none',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^scimkit: .*ECONNREFUSED/);
    expect(run.stderr).not.toContain(':pw@');
  });
});
