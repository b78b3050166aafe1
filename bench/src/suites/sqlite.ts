import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Filter, parseFilter } from '@scimkit/filter';
import { type ScimResource, userResourceType } from '@scimkit/schema';
import { createSqliteStore } from '@scimkit/store-sqlite';
import { SCIMKIT } from '../adapters/scimkit.js';
import { generateUser, userNameOf } from '../corpus/users.js';
import { budgetFor, describe, type Recorder, type RunOptions } from '../harness.js';

const SUITE = 'sqlite';

/** scimkit's SQLite store at 100k users (and 1M with --large): lookups, pages, counts, inserts. */
export async function runSqlite(recorder: Recorder, options: RunOptions): Promise<void> {
  const sizes = options.quick ? [10_000] : options.large ? [100_000, 1_000_000] : [100_000];
  for (const size of sizes) {
    try {
      await runSize(recorder, options, size);
    } catch (error) {
      recorder.skip(
        { suite: SUITE, case: `${size / 1000}k users`, library: SCIMKIT, unit: '—' },
        `error: ${describe(error)}`,
      );
    }
  }
}

async function runSize(recorder: Recorder, options: RunOptions, size: number): Promise<void> {
  const type = userResourceType;
  const dir = mkdtempSync(join(tmpdir(), 'scimkit-bench-'));
  const store = createSqliteStore({ filename: join(dir, 'bench.db') });
  const context = {};
  const label = size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
  try {
    console.log(`\n# ${SUITE}: loading ${label} users…`);
    const started = performance.now();
    const batch = 5000;
    for (let start = 0; start < size; start += batch) {
      const work = async (): Promise<void> => {
        for (let i = start; i < Math.min(size, start + batch); i++)
          await store.create(type, generateUser(i) as ScimResource, { context });
      };
      if (store.transaction) await store.transaction(work);
      else await work();
    }
    const loadSeconds = (performance.now() - started) / 1000;
    recorder.add({
      suite: SUITE,
      case: `${label} users: bulk load`,
      library: SCIMKIT,
      opsPerSec: size / loadSeconds,
      unit: 'insert (generated user, batches of 5000 in a transaction)',
      rme: 0,
      samples: 1,
      note: `${loadSeconds.toFixed(1)} s in total`,
    });
    const budget = budgetFor(options);
    const base = (name: string, unit: string) => ({
      suite: SUITE,
      case: `${label} users: ${name}`,
      library: SCIMKIT,
      unit,
    });
    const lookups: Filter[] = Array.from({ length: 1024 }, (_, k) =>
      parseFilter(`userName eq "${userNameOf((k * 7919) % size).toUpperCase()}"`),
    );
    let k = 0;
    const first = await store.query(
      type,
      { filter: lookups[0]!, page: { kind: 'index', startIndex: 1, count: 100 } },
      { context },
    );
    if (first.totalResults !== 1) throw new Error(`userName lookup found ${first.totalResults} users`);
    await recorder.run(
      base('userName eq lookup (case-insensitive)', 'query'),
      {
        fn: () =>
          store.query(
            type,
            { filter: lookups[k++ & 1023]!, page: { kind: 'index', startIndex: 1, count: 100 } },
            { context },
          ),
      },
      budget,
    );
    const ids = Array.from(
      { length: 1024 },
      (_, j) => (generateUser((j * 104_729) % size) as { id: string }).id,
    );
    await recorder.run(
      base('get by id', 'get'),
      { fn: () => store.get(type, ids[k++ & 1023]!, { context }) },
      budget,
    );
    await recorder.run(
      base('page of 100 in the middle (startIndex)', 'query'),
      {
        fn: () =>
          store.query(
            type,
            { page: { kind: 'index', startIndex: Math.floor(size / 2), count: 100 } },
            { context },
          ),
      },
      budget,
    );
    const employees = parseFilter('userType eq "Employee"');
    await recorder.run(
      base('count userType eq "Employee" (count=0)', 'query'),
      {
        fn: () =>
          store.query(
            type,
            { filter: employees, page: { kind: 'index', startIndex: 1, count: 0 } },
            { context },
          ),
      },
      budget,
    );
    const sales = parseFilter(
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales" and active eq true',
    );
    await recorder.run(
      base('filtered page: department eq and active eq', 'query'),
      {
        fn: () =>
          store.query(
            type,
            { filter: sales, page: { kind: 'index', startIndex: 1, count: 100 } },
            { context },
          ),
      },
      budget,
    );
    let next = size;
    await recorder.run(
      base('insert one user', 'create'),
      { fn: () => store.create(type, generateUser(next++) as ScimResource, { context }) },
      budget,
    );
  } finally {
    await store.close?.();
    rmSync(dir, { recursive: true, force: true });
  }
}
