import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SCIMKIT } from '../adapters/scimkit.js';
import { userToCreate } from '../corpus/users.js';
import type { Measurement, Recorder, RunOptions } from '../harness.js';
import { CALIBRATIONS, type ChildReady, type ServerKind, TOKEN } from '../server/protocol.js';

const SUITE = 'server';
const CHILD = fileURLToPath(new URL('../server/child.ts', import.meta.url));

/** Library names of the servers. */
export const SERVERS: readonly { kind: ServerKind; library: string }[] = [
  { kind: 'scimkit', library: SCIMKIT },
  { kind: 'scimmy', library: 'scimmy-routers (express)' },
  { kind: 'bare', library: 'bare node:http (ceiling)' },
  ...CALIBRATIONS,
];

/**
 * Starts a server child process and waits for its address. The child loads the built packages,
 * as users get them, or with `source` their TypeScript sources (the `@scimkit/source` condition).
 */
export function startChild(
  kind: ServerKind,
  users: number,
  options: { source?: boolean } = {},
): Promise<{ child: ChildProcess; ready: ChildReady }> {
  const child = fork(CHILD, [kind, String(users)], {
    execArgv: [...(options.source ? ['--conditions=@scimkit/source'] : []), '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${kind} server did not start within 60 s`));
    }, 60_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      const m = message as ChildReady | { error: string };
      if ('error' in m) {
        child.kill();
        reject(new Error(m.error));
      } else resolve({ child, ready: m });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited with ${code}`));
    });
  });
}

/** Asks a child to close its server, and kills it if it does not exit within 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send('close');
    else child.kill();
  });
}

/** One request of the suite. */
export interface Route {
  name: string;
  request: (ready: ChildReady) => autocannon.Request;
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };

let postCounter = 0;
let patchCounter = 0;
const POST_TEMPLATE = JSON.stringify(userToCreate(424_242)).replace('user424242@example.com', '__USERNAME__');

/** The four routes of the suite. */
export const ROUTES: readonly Route[] = [
  {
    name: 'GET /Users/{id}',
    request: (r) => ({ method: 'GET', path: `${r.basePath}/Users/${r.userId}`, headers }),
  },
  {
    name: 'GET /Users?filter=userName eq …',
    request: (r) => ({
      method: 'GET',
      path: `${r.basePath}/Users?filter=${encodeURIComponent(`userName eq "${r.userName}"`)}&startIndex=1&count=100`,
      headers,
    }),
  },
  {
    name: 'POST /Users (full Enterprise user)',
    request: (r) => ({
      method: 'POST',
      path: `${r.basePath}/Users`,
      headers,
      setupRequest: (request) => ({
        ...request,
        body: POST_TEMPLATE.replace('__USERNAME__', `bench-${process.pid}-${postCounter++}@example.com`),
      }),
    }),
  },
  {
    name: 'PATCH /Users/{id} (Entra attribute sync)',
    // Every request changes the title, so that every server stores a new version each time: a
    // PATCH that changes nothing is answered without a write by scimkit, while scimmy writes
    // anyway, and a benchmark of no-ops would compare different work.
    request: (r) => ({
      method: 'PATCH',
      path: `${r.basePath}/Users/${r.userId}`,
      headers,
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [
            { op: 'replace', path: 'displayName', value: 'Barbara J. Jensen' },
            { op: 'replace', path: 'title', value: `Senior Tour Guide ${patchCounter++}` },
          ],
        }),
      }),
    }),
  },
];

/** Runs autocannon with 10 connections against one route of a child's server. */
export function cannon(ready: ChildReady, route: Route, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${ready.port}`,
    connections: 10,
    duration: seconds,
    requests: [route.request(ready)],
  });
}

/**
 * autocannon (10 connections, loopback) against scimkit (node adapter, memory store),
 * scimmy-routers (express 5) and a bare node:http handler, each in its own process, each
 * seeded with 1000 users. The three run side by side; each route is measured in interleaved
 * rounds (scimkit, scimmy, bare, scimkit, …) and the best round counts.
 */
export async function runServer(recorder: Recorder, options: RunOptions): Promise<void> {
  const seconds = options.quick ? 1 : 2;
  const rounds = options.quick ? 1 : 2;
  const users = options.quick ? 200 : 1000;
  console.log(`\n# ${SUITE}: ${rounds} × ${seconds} s per case, 10 connections, ${users} seeded users`);
  const running: { library: string; child: ChildProcess; ready: ChildReady }[] = [];
  const failed = new Map<string, string>();
  try {
    for (const { kind, library } of SERVERS) {
      try {
        running.push({ library, ...(await startChild(kind, users)) });
      } catch (error) {
        failed.set(library, `error: ${(error as Error).message}`);
      }
    }
    // Warm up the JIT of each server on the GET route before measuring.
    for (const server of running) await cannon(server.ready, ROUTES[0]!, options.quick ? 0.5 : 1);
    for (const route of ROUTES) {
      const best = new Map<string, Measurement>();
      for (let round = 0; round < rounds; round++) {
        for (const server of running) {
          if (best.get(server.library)?.failed) continue;
          const result = await cannon(server.ready, route, seconds);
          const m = toMeasurement(server.library, route, result);
          const previous = best.get(server.library);
          if (!previous || m.failed || m.opsPerSec > previous.opsPerSec) best.set(server.library, m);
        }
      }
      for (const { library } of SERVERS) {
        const m = best.get(library);
        if (m) recorder.add(m);
        else
          recorder.skip(
            { suite: SUITE, case: route.name, library, unit: 'HTTP request' },
            failed.get(library) ?? 'not run',
          );
      }
    }
  } finally {
    await Promise.all(running.map((server) => stopChild(server.child)));
  }
}

function toMeasurement(library: string, route: Route, result: autocannon.Result): Measurement {
  const bad = result.non2xx + result.errors + result.timeouts;
  const total = result.requests.total;
  const base = { suite: SUITE, case: route.name, library, unit: 'HTTP request' };
  if (total === 0 || bad > total * 0.01) {
    const codes = Object.entries(result.statusCodeStats ?? {})
      .map(([code, stat]) => `${code}×${(stat as { count: number }).count}`)
      .join(' ');
    return {
      ...base,
      opsPerSec: 0,
      rme: 0,
      samples: 0,
      failed: true,
      note: `error: ${bad} of ${total} requests failed (status ${codes}, errors ${result.errors})`,
    };
  }
  return {
    ...base,
    opsPerSec: result.requests.average,
    rme: result.requests.average > 0 ? (100 * result.requests.stddev) / result.requests.average : 0,
    samples: result.requests.total,
    note: `p99 latency ${result.latency.p99} ms`,
  };
}
