/**
 * The crash-consistency tests: a child process writes through the store and is killed with
 * SIGKILL, midway through a bulk transaction or after it committed; the database must then hold
 * all of it or none of it, and a store opened on it must work on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { userResourceType } from '@scimkit/schema';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqlStoreHarness, SqlTestDatabase, SuiteStore } from './harness.js';

const fixture = fileURLToPath(new URL('./__fixtures__/bulk-crash.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Registers the crash-consistency tests (vitest `describe`): a bulk transaction killed midway
 * leaves none of its writes (and frees its unique values), one that committed before the kill
 * leaves all of them, index rows included, and the database passes its own consistency check.
 *
 * @example
 * ```ts
 * import { describeCrashConsistency, type SqlStoreHarness } from '@scimkit/sql-store-suite';
 *
 * declare const sqliteHarness: SqlStoreHarness; // test/sqlite.ts of @scimkit/store-sqlite
 * describeCrashConsistency(sqliteHarness);
 * ```
 */
export function describeCrashConsistency<S extends SuiteStore>(harness: SqlStoreHarness<S>): void {
  const children: ChildProcess[] = [];
  const databases: SqlTestDatabase<S>[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const database of databases.splice(0)) await database.drop?.();
  });

  async function database(): Promise<SqlTestDatabase<S>> {
    const created = await harness.database();
    databases.push(created);
    return created;
  }

  function run(location: string, mode: 'hang' | 'finish', total: number) {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@scimkit/source',
        '--import',
        'tsx',
        fixture,
        harness.crash.opener,
        location,
        mode,
        String(total),
      ],
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

  /** The users and their indexed userNames the database holds, and its own consistency check. */
  async function inspect(target: SqlTestDatabase<S>): Promise<{ users: number; indexed: number }> {
    if (harness.crash.integrity) expect(await harness.crash.integrity(target)).toBe('ok');
    const [row] = await target.execute(
      `SELECT (SELECT CAST(count(*) AS INTEGER) FROM ${target.table('resources')} WHERE type = 'User') AS users,
              (SELECT CAST(count(*) AS INTEGER) FROM ${target.table('attribute_values')} WHERE path = 'userName') AS indexed`,
    );
    return { users: Number(row?.['users']), indexed: Number(row?.['indexed']) };
  }

  describe(`${harness.name} crash consistency`, () => {
    it('keeps none of a bulk transaction when the process is killed midway, and frees its unique values', async () => {
      const target = await database();
      const { child, waitFor, exited } = run(target.location, 'hang', harness.crash.bulk.killed);
      await waitFor('midway');
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(await inspect(target)).toEqual({ users: 10, indexed: 10 });
      // The store opens the database again and works on.
      const store = await target.open();
      try {
        expect(await store.get(userResourceType, 'committed-3', { context: {} })).toMatchObject({
          userName: 'committed-3',
        });
        expect(await store.get(userResourceType, 'bulk-1', { context: {} })).toBeUndefined();
        // The killed transaction's userName (and its row locks) are gone with it.
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
      const target = await database();
      const { child, waitFor, exited } = run(target.location, 'finish', harness.crash.bulk.committed);
      await waitFor('done');
      child.kill('SIGKILL');
      await exited;
      const committed = harness.crash.bulk.committed + 10;
      expect(await inspect(target)).toEqual({ users: committed, indexed: committed });
    });
  });
}
