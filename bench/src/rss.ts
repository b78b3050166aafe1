/**
 * `pnpm bench:rss [--requests N] [--store memory,sqlite] [--no-write]`: the memory of the
 * reference server as users install it (`scimkit serve` from the built CLI's bin) under
 * sustained load. For each store it seeds 1000 users, warms up, then sends `--requests`
 * (default 1,000,000) requests with autocannon (10 connections, loopback) in a fixed mix: per
 * connection GET by id, GET by id, a `userName eq` list and a PATCH (replace `title` and
 * `emails[type eq "work"].value`, alternating values so that resources do not grow), each on
 * a different user. The server's RSS (VmRSS of /proc/<pid>/status) is sampled every 500 ms.
 *
 * It reports RSS after seeding, after the warm-up (the start of the measured run), its peak and
 * its end, the slope of a least-squares line through the second half (for information), and
 * whether it is flat: the median RSS of the last fifth of the run is within 10% (at least 16 MB)
 * of the median of the first fifth.
 * Writes bench/results/rss.json after each store (replacing that store's previous run), which
 * `pnpm bench --render` adds to docs/performance.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { userToCreate } from './corpus/users.js';
import { machineInfo } from './machine.js';
import {
  describeRun,
  RSS_STORES,
  type RssResults,
  type RssRun,
  type RssSample,
  type RssStore,
} from './rss-report.js';
import { stopChild } from './suites/server.js';

const TOKEN = 'rss-bench-token';
const SEEDED_USERS = 1000;
const WARMUP_REQUESTS = 50_000;
const SAMPLE_MS = 500;
const MB = 1024 * 1024;

interface Options {
  requests: number;
  stores: RssStore[];
  noWrite: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { requests: 1_000_000, stores: [...RSS_STORES], noWrite: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--requests') options.requests = Number(argv[++i]);
    else if (arg === '--store') options.stores = (argv[++i] ?? '').split(',') as RssStore[];
    else if (arg === '--no-write') options.noWrite = true;
    else if (arg !== '--')
      throw new Error(`Unknown option ${arg}. Options: --requests N --store memory,sqlite --no-write`);
  }
  if (!Number.isInteger(options.requests) || options.requests < 1000)
    throw new Error('--requests must be an integer of at least 1000');
  for (const store of options.stores)
    if (!(RSS_STORES as readonly string[]).includes(store)) throw new Error(`Unknown store ${store}`);
  return options;
}

/** The resident set of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Starts `scimkit serve` from the built bin and resolves with its base URL (its first stdout line). */
function serve(db: string | undefined): Promise<{ child: ChildProcess; baseUrl: string }> {
  const bin = join(
    dirname(createRequire(import.meta.url).resolve('@scimkit/cli/package.json')),
    'dist/bin.js',
  );
  const args = [bin, 'serve', '--port', '0', '--token', TOKEN, ...(db ? ['--db', db] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve({ child, baseUrl: stdout.slice(0, newline).trim() });
    });
    child.once('exit', (code) => reject(new Error(`scimkit serve exited with ${code}: ${stderr}`)));
  });
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };

/** Creates the users over HTTP; returns their ids and userNames. */
async function seed(baseUrl: string): Promise<{ id: string; userName: string }[]> {
  const users: { id: string; userName: string }[] = [];
  for (let i = 0; i < SEEDED_USERS; i++) {
    const response = await fetch(`${baseUrl}/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify(userToCreate(i)),
    });
    if (response.status !== 201) throw new Error(`seeding: POST answered ${response.status}`);
    const { id, userName } = (await response.json()) as { id: string; userName: string };
    users.push({ id, userName });
  }
  return users;
}

/** The request mix of every connection: GET, GET, list, PATCH, each on the next user. */
function mix(basePath: string, users: readonly { id: string; userName: string }[]): autocannon.Request[] {
  let next = 0;
  let patches = 0;
  const user = () => users[next++ % users.length] as { id: string; userName: string };
  const get: autocannon.Request = {
    method: 'GET',
    headers,
    setupRequest: (request) => ({ ...request, path: `${basePath}/Users/${user().id}` }),
  };
  return [
    get,
    get,
    {
      method: 'GET',
      headers,
      setupRequest: (request) => ({
        ...request,
        path: `${basePath}/Users?filter=${encodeURIComponent(`userName eq "${user().userName}"`)}&startIndex=1&count=100`,
      }),
    },
    {
      method: 'PATCH',
      headers,
      setupRequest: (request) => {
        const n = patches++ % 2;
        return {
          ...request,
          path: `${basePath}/Users/${user().id}`,
          body: JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [
              { op: 'replace', path: 'title', value: n ? 'Tour Guide' : 'Senior Tour Guide' },
              { op: 'replace', path: 'emails[type eq "work"].value', value: `rss${n}@example.com` },
            ],
          }),
        };
      },
    },
  ];
}

/** Sends `amount` requests of the mix; calls `onResponse` with a running count; resolves with the failures. */
function load(
  url: URL,
  requests: autocannon.Request[],
  amount: number,
  onResponse: (count: number) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let count = 0;
    const instance = autocannon(
      { url: url.origin, connections: 10, amount, requests },
      (error: Error | null, result: autocannon.Result) => {
        if (error) reject(error);
        else resolve(result.non2xx + result.errors + result.timeouts);
      },
    );
    instance.on('response', () => onResponse(++count));
  });
}

/** Least-squares slope of RSS against requests, in bytes per request. */
export function slope(samples: readonly RssSample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (const s of samples) {
    sx += s.requests;
    sy += s.rss;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.requests - mx) * (s.rss - my);
    den += (s.requests - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** The median RSS of some samples. */
function medianRss(samples: readonly RssSample[]): number {
  const sorted = samples.map((s) => s.rss).sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * The verdict on a run's samples (see the file comment): flat when the median RSS of the last
 * fifth of the run is within 10% (at least 16 MB) of the median of the first fifth. Medians, not
 * single samples or a fitted line: the garbage collector's sawtooth swings RSS by tens of MB.
 */
export function verdict(
  start: number,
  samples: readonly RssSample[],
): { end: number; peak: number; slopePer100k: number; flat: boolean } {
  const last = samples.at(-1);
  const end = last ? last.rss : start;
  const peak = Math.max(start, ...samples.map((s) => s.rss));
  const slopePer100k = slope(samples.slice(Math.floor(samples.length / 2))) * 100_000;
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const early = medianRss(samples.slice(0, fifth));
  const late = medianRss(samples.slice(-fifth));
  const flat = samples.length === 0 || late - early <= Math.max(0.1 * early, 16 * MB);
  return { end, peak, slopePer100k, flat };
}

async function runStore(store: RssStore, requests: number): Promise<RssRun> {
  const directory = mkdtempSync(join(tmpdir(), 'scimkit-rss-'));
  const { child, baseUrl } = await serve(store === 'sqlite' ? join(directory, 'scim.db') : undefined);
  try {
    const url = new URL(baseUrl);
    const users = await seed(baseUrl);
    const pid = child.pid as number;
    const seeded = rssOf(pid);
    console.log(`${store}: ${SEEDED_USERS} users seeded, RSS ${(seeded / MB).toFixed(1)} MB; warming up`);
    const requestMix = mix(url.pathname, users);
    const warmFailures = await load(url, requestMix, WARMUP_REQUESTS, () => {});
    if (warmFailures > 0) throw new Error(`${store}: ${warmFailures} requests of the warm-up failed`);
    const start = rssOf(pid);
    const samples: RssSample[] = [];
    let done = 0;
    const began = performance.now();
    const timer = setInterval(() => {
      samples.push({ requests: done, seconds: (performance.now() - began) / 1000, rss: rssOf(pid) });
      if (samples.length % 20 === 0) {
        const s = samples.at(-1) as RssSample;
        console.log(`  ${s.requests.toLocaleString('en')} requests, RSS ${(s.rss / MB).toFixed(1)} MB`);
      }
    }, SAMPLE_MS);
    let failed: number;
    try {
      failed = await load(url, requestMix, requests, (count) => {
        done = count;
      });
    } finally {
      clearInterval(timer);
    }
    const seconds = (performance.now() - began) / 1000;
    samples.push({ requests: done, seconds, rss: rssOf(pid) });
    return { store, requests: done, seconds, failed, seeded, start, ...verdict(start, samples), samples };
  } finally {
    await stopChild(child);
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  console.log(
    `${machine.cpu} × ${machine.cores}, Node ${machine.node}, load ${machine.loadAverage.join(' ')}; ` +
      `${options.requests.toLocaleString('en')} requests per store`,
  );
  const runs: RssRun[] = [];
  const file = fileURLToPath(new URL('../results/rss.json', import.meta.url));
  for (const store of options.stores) {
    const run = await runStore(store, options.requests);
    console.log(describeRun(run));
    runs.push(run);
    // Written after each store (a run of both takes long), replacing that store's previous run.
    if (!options.noWrite) {
      const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RssResults).runs : [];
      const kept = previous.filter((old) => !runs.some((fresh) => fresh.store === old.store));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(
        file,
        `${JSON.stringify({ machine, runs: [...kept, ...runs] } satisfies RssResults, null, 2)}\n`,
      );
      console.log(`wrote ${file} (pnpm bench --render adds it to docs/performance.md)`);
    }
  }
  if (runs.some((run) => run.failed > 0 || !run.flat)) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
