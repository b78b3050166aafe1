import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { userResourceType } from '@scimkit/schema';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from './index.js';

const fixture = fileURLToPath(new URL('./__fixtures__/bulk-crash.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function run(file: string, mode: 'hang' | 'finish', total: number) {
  const child = spawn(
    process.execPath,
    ['--conditions=@scimkit/source', '--import', 'tsx', fixture, file, mode, String(total)],
    { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let output = '';
  let errors = '';
  child.stderr?.on('data', (chunk) => {
    errors += String(chunk);
  });
  const waitFor = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (output.includes(`${line}\n`)) resolve();
      };
      child.stdout?.on('data', (chunk) => {
        output += String(chunk);
        check();
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before "${line}": ${errors}`)));
      check();
    });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  return { child, waitFor, exited };
}

function inspect(file: string): { integrity: unknown; users: number; indexed: number } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      users: (db.prepare("SELECT count(*) AS n FROM resources WHERE type = 'User'").get() as { n: number }).n,
      indexed: (
        db.prepare("SELECT count(*) AS n FROM attribute_values WHERE path = 'userName'").get() as {
          n: number;
        }
      ).n,
    };
  } finally {
    db.close();
  }
}

function temporaryDatabase(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-crash-'));
  dirs.push(dir);
  return path.join(dir, 'scim.db');
}

describe('createSqliteStore crash consistency', () => {
  it('keeps none of a bulk transaction when the process is killed midway', async () => {
    const file = temporaryDatabase();
    const { child, waitFor, exited } = run(file, 'hang', 5000);
    await waitFor('midway');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(inspect(file)).toEqual({ integrity: 'ok', users: 10, indexed: 10 });
    // The store opens the file again and works on.
    const store = createSqliteStore({ filename: file });
    try {
      expect(await store.get(userResourceType, 'committed-3', { context: {} })).toMatchObject({
        userName: 'committed-3',
      });
      expect(await store.get(userResourceType, 'bulk-1', { context: {} })).toBeUndefined();
      await store.create(
        userResourceType,
        {
          schemas: [],
          id: 'after',
          userName: 'bulk-1',
          meta: {
            resourceType: 'User',
            created: '2024-01-01T00:00:00Z',
            lastModified: '2024-01-01T00:00:00Z',
            location: '/Users/after',
            version: 'W/"1"',
          },
        },
        { context: {} },
      );
    } finally {
      await store.close();
    }
  });

  it('keeps all of a bulk transaction that committed before the kill', async () => {
    const file = temporaryDatabase();
    const { child, waitFor, exited } = run(file, 'finish', 2000);
    await waitFor('done');
    child.kill('SIGKILL');
    await exited;
    expect(inspect(file)).toEqual({ integrity: 'ok', users: 2010, indexed: 2010 });
  });
});
