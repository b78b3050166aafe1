import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { userResourceType } from '@scimkit/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { freshSchema, openStore, pgUrl, testPool } from '../test/pg.js';

const fixture = fileURLToPath(new URL('./__fixtures__/bulk-crash.ts', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const children: ChildProcess[] = [];
const db = testPool(1);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(schema: string, mode: 'hang' | 'finish', total: number) {
  const child = spawn(
    process.execPath,
    ['--conditions=@scimkit/source', '--import', 'tsx', fixture, pgUrl, schema, mode, String(total)],
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

async function inspect(schema: string): Promise<{ users: number; indexed: number }> {
  const { rows } = await db.query<{ users: number; indexed: number }>(
    `SELECT (SELECT count(*)::int FROM ${schema}.resources WHERE type = 'User') AS users,
            (SELECT count(*)::int FROM ${schema}.attribute_values WHERE path = 'userName') AS indexed`,
  );
  return rows[0]!;
}

const meta = {
  resourceType: 'User',
  created: '2024-01-01T00:00:00Z',
  lastModified: '2024-01-01T00:00:00Z',
  location: '/Users/after',
  version: 'W/"1"',
};

describe('createPostgresStore crash consistency', () => {
  it('keeps none of a bulk transaction when the process is killed midway, and frees its unique values', async () => {
    const schema = freshSchema('crash');
    const { child, waitFor, exited } = run(schema, 'hang', 600);
    await waitFor('midway');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(await inspect(schema)).toEqual({ users: 10, indexed: 10 });
    const store = openStore({ schema });
    try {
      expect(await store.get(userResourceType, 'committed-3', { context: {} })).toMatchObject({
        userName: 'committed-3',
      });
      expect(await store.get(userResourceType, 'bulk-1', { context: {} })).toBeUndefined();
      // The killed transaction's userName (and its row locks) are gone with it.
      await store.create(
        userResourceType,
        { schemas: [], id: 'after', userName: 'bulk-1', meta },
        { context: {} },
      );
    } finally {
      await store.close();
    }
  });

  it('keeps all of a bulk transaction that committed before the kill', async () => {
    const schema = freshSchema('crash');
    const { child, waitFor, exited } = run(schema, 'finish', 300);
    await waitFor('done');
    child.kill('SIGKILL');
    await exited;
    expect(await inspect(schema)).toEqual({ users: 310, indexed: 310 });
  });
});
