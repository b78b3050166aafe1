/**
 * `pnpm -C bench scale [--store sqlite,postgres] [--users 1000000] [--groups 10000]
 * [--big-group 100000] [--samples 1000] [--processes 1,2,4] [--seconds 10] [--no-write]`
 * (`--render` alone rewrites docs/scale.md from bench/results/scale.json)
 *
 * Loads a population into each store (on the built packages), serves it from a separate server
 * process, and measures what one client waits for each query (p50/p99 of real HTTP round trips);
 * on PostgreSQL also the throughput of 1, 2 and 4 server processes on the one database. Writes
 * bench/results/scale.json and regenerates docs/scale.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateUser, groupId, userId, userNameOf } from '../corpus/users.js';
import { machineInfo } from '../machine.js';
import { stopChild } from '../suites/server.js';
import { withFloors } from './floor.js';
import type { RecordedAnswer } from './floor-server.js';
import {
  type Call,
  type Latency,
  latency,
  type Query,
  send,
  type Throughput,
  throughput,
} from './measure.js';
import { scaleMarkdown } from './report.js';
import {
  load,
  makeDurable,
  openStore,
  type Population,
  postgresSettings,
  provision,
  type StoreKind,
  vacuum,
} from './stores.js';

/** The results of one store. */
export interface ScaleResult {
  store: StoreKind;
  population: Population;
  loadSeconds: number;
  /** PostgreSQL: the settings the measurements ran with (after loading). */
  settings?: Record<string, string>;
  latencies: Latency[];
  /**
   * The load average (1, 5, 15 min) right after the latency measurements, before the throughput
   * runs, which load the machine themselves (absent from results of earlier runs).
   */
  latencyLoadAverage?: number[];
  throughput: Throughput[];
  date: string;
  machine: ReturnType<typeof machineInfo>;
}

interface Options {
  stores: StoreKind[];
  population: Population;
  samples: number;
  processes: number[];
  seconds: number;
  write: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    stores: ['sqlite', 'postgres'],
    population: { users: 1_000_000, groups: 10_000, bigGroup: 100_000 },
    samples: 1000,
    processes: [1, 2, 4],
    seconds: 10,
    write: true,
  };
  const list = (value: string | undefined) => (value ?? '').split(',').filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => argv[++i];
    if (arg === '--store') options.stores = list(value()) as StoreKind[];
    else if (arg === '--users') options.population.users = Number(value());
    else if (arg === '--groups') options.population.groups = Number(value());
    else if (arg === '--big-group') options.population.bigGroup = Number(value());
    else if (arg === '--samples') options.samples = Number(value());
    else if (arg === '--processes') options.processes = list(value()).map(Number);
    else if (arg === '--seconds') options.seconds = Number(value());
    else if (arg === '--no-write') options.write = false;
    else if (arg !== '--')
      throw new Error(`Unknown option ${arg} (see the header of bench/src/scale/run.ts)`);
  }
  return options;
}

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

function startServer(location: unknown, processes: number): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(SERVER, [JSON.stringify(location), String(processes)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => {
      const m = message as { port: number } | { error: string };
      if ('error' in m) reject(new Error(m.error));
      else resolve({ child, port: m.port });
    });
    child.once('exit', (code) => reject(new Error(`the scale server exited with ${code}`)));
  });
}

/** The issue's queries on a loaded store. */
function queries(population: Population, samples: number): Query[] {
  const pick = (k: number) => (k * 7919 + 13) % population.users;
  const one = (body: Record<string, unknown>) => {
    if (body['totalResults'] !== 1) throw new Error(`expected one match, got ${body['totalResults']}`);
  };
  const filter = (f: string, extra = '') => `filter=${encodeURIComponent(f)}${extra}`;
  let cursor = '';
  const big = groupId(0);
  // The big group's member PATCHes and the unindexed filter are slow today: fewer samples.
  const slow = Math.max(20, Math.floor(samples / 20));
  const outsider = userId(population.users - 1); // not among the big group's members
  return [
    {
      name: 'userName eq (case-insensitive)',
      samples,
      call: (k) => ({ path: `/Users?${filter(`userName eq "${userNameOf(pick(k)).toUpperCase()}"`)}` }),
      check: one,
    },
    {
      name: 'externalId eq (an indexedAttributes entry)',
      samples,
      call: (k) => ({ path: `/Users?${filter(`externalId eq "${generateUser(pick(k))['externalId']}"`)}` }),
      check: one,
    },
    {
      name: 'Groups members[value eq] (excludedAttributes=members)',
      samples,
      call: (k) => ({
        path: `/Groups?${filter(`members[value eq "${userId(pick(k))}"]`, '&excludedAttributes=members')}`,
      }),
    },
    {
      name: 'cursor page of 100 (walking the Users)',
      samples,
      call: () => ({ path: `/Users?count=100&cursor=${encodeURIComponent(cursor)}` }),
      check: (body) => {
        if ((body['Resources'] as unknown[]).length !== 100) throw new Error('a short cursor page');
        cursor = String(body['nextCursor'] ?? '');
      },
    },
    {
      name: `GET the ${population.bigGroup / 1000}k-member group, excludedAttributes=members`,
      samples,
      call: () => ({ path: `/Groups/${big}?excludedAttributes=members` }),
    },
    {
      name: `PATCH add or remove one member of the ${population.bigGroup / 1000}k-member group`,
      samples: slow,
      call: (k) => ({
        method: 'PATCH',
        path: `/Groups/${big}?excludedAttributes=members`,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations:
            k % 2 === 0
              ? [{ op: 'add', path: 'members', value: [{ value: outsider }] }]
              : [{ op: 'remove', path: `members[value eq "${outsider}"]` }],
        },
      }),
    },
    {
      name: 'title eq (not indexed: a scan), count=10',
      samples: slow,
      call: (k) => ({
        path: `/Users?${filter(`title eq "${generateUser(pick(k))['title']}"`, '&count=10')}`,
      }),
    },
  ];
}

/**
 * The one-client latencies of `list` on a loaded store, and one answer of each as it was sent
 * (for its floor, see {@link floorLatencies}).
 */
async function latencies(
  base: string,
  list: readonly Query[],
): Promise<{ measured: Latency[]; answers: RecordedAnswer[] }> {
  const measured: Latency[] = [];
  const answers: RecordedAnswer[] = [];
  for (const query of list) {
    measured.push(await latency(base, query.name, query.samples, query.call, query.check));
    const { status, text } = await send(base, query.call(query.samples), [200, 204, 400]);
    answers.push({ status, text });
  }
  return { measured, answers };
}

/** GET by id and PATCH with 1, 2, 4 … server processes on the one store. */
async function scaling(location: unknown, options: Options): Promise<Throughput[]> {
  const ids = Array.from({ length: 1000 }, (_, k) => userId((k * 104_729) % options.population.users));
  const gets: Call[] = ids.map((id) => ({ path: `/scim/v2/Users/${id}` }));
  const patches: Call[] = ids.map((id, k) => ({
    method: 'PATCH',
    path: `/scim/v2/Users/${id}`,
    body: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'title', value: `Title ${k}` }],
    },
  }));
  const results: Throughput[] = [];
  for (const processes of options.processes) {
    const { child, port } = await startServer(location, processes);
    try {
      await throughput(port, 'warm-up', processes, 2, gets);
      results.push(await throughput(port, 'GET /Users/{id}', processes, options.seconds, gets));
      results.push(
        await throughput(port, 'PATCH /Users/{id} (replace title)', processes, options.seconds, patches),
      );
      console.log(
        results
          .slice(-2)
          .map(
            (r) =>
              `${processes} × ${r.route}: ${r.requestsPerSecond} req/s, p99 ${r.p99} ms, ${r.errors} failed${r.failures ? ` ${JSON.stringify(r.failures)} first: ${r.firstFailure}` : ''}`,
          )
          .join('\n'),
      );
    } finally {
      await stopChild(child);
    }
  }
  return results;
}

async function runStore(kind: StoreKind, options: Options): Promise<ScaleResult> {
  const { location, remove, scratch } = await provision(kind);
  try {
    const store = openStore(location);
    const { users, groups } = options.population;
    console.log(`\n# ${kind}: loading ${users} users and ${groups} groups…`);
    const loading = performance.now();
    const loadSeconds = await load(store, kind, options.population, (done) => {
      if (done % 100_000 === 0)
        console.log(`  ${done} users (${Math.round(done / ((performance.now() - loading) / 1000))}/s)`);
    });
    console.log(`  loaded in ${loadSeconds.toFixed(1)} s (${Math.round(users / loadSeconds)} users/s)`);
    await store.close();
    let settings: Record<string, string> | undefined;
    if (kind === 'postgres') {
      vacuum(location);
      // The scratch cluster loads without durability; it measures with it, as production runs.
      if (scratch) makeDurable(location.target);
      settings = postgresSettings(location.target);
      console.log(`  measuring with ${JSON.stringify(settings)}`);
    }
    const { child, port } = await startServer(location, 1);
    const list = queries(options.population, options.samples);
    let served: Awaited<ReturnType<typeof latencies>>;
    try {
      const base = `http://127.0.0.1:${port}/scim/v2`;
      await send(base, { path: '/ServiceProviderConfig' });
      served = await latencies(base, list);
    } finally {
      await stopChild(child);
    }
    // With the server stopped: the floor has the machine to itself, as the server had.
    const measured = await withFloors(served.measured, list, served.answers);
    const latencyLoadAverage = machineInfo().loadAverage;
    const scaled = kind === 'postgres' ? await scaling(location, options) : [];
    return {
      store: kind,
      population: options.population,
      loadSeconds,
      ...(settings ? { settings } : {}),
      latencies: measured,
      latencyLoadAverage,
      throughput: scaled,
      date: new Date().toISOString(),
      machine: machineInfo(),
    };
  } finally {
    remove();
  }
}

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

async function main(): Promise<void> {
  const json = here('../../results/scale.json');
  if (process.argv[2] === '--render') {
    writeFileSync(here('../../../docs/scale.md'), scaleMarkdown(JSON.parse(readFileSync(json, 'utf8'))));
    console.log('wrote docs/scale.md from bench/results/scale.json');
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  let previous: ScaleResult[] = [];
  try {
    previous = JSON.parse(readFileSync(json, 'utf8')) as ScaleResult[];
  } catch {
    // first run
  }
  const results = new Map(previous.map((r) => [r.store, r]));
  for (const kind of options.stores) {
    results.set(kind, await runStore(kind, options));
    // Written after each store: a long run stopped later keeps what it measured.
    if (!options.write) continue;
    const all = [...results.values()];
    writeFileSync(json, `${JSON.stringify(all, null, 2)}\n`);
    writeFileSync(here('../../../docs/scale.md'), scaleMarkdown(all));
    console.log(`\nwrote the ${kind} figures to bench/results/scale.json and docs/scale.md`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
