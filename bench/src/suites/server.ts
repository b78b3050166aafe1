import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SCIMKIT } from '../adapters/scimkit.js';
import { userToCreate } from '../corpus/users.js';
import type { Recorder, RunOptions } from '../harness.js';
import { type ChildReady, type ServerKind, TOKEN } from '../server/protocol.js';

const SUITE = 'server';
const CHILD = fileURLToPath(new URL('../server/child.ts', import.meta.url));

/** Library names of the three servers. */
export const SERVERS: readonly { kind: ServerKind; library: string }[] = [
  { kind: 'scimkit', library: SCIMKIT },
  { kind: 'scimmy', library: 'scimmy-routers (express)' },
  { kind: 'bare', library: 'bare node:http (ceiling)' },
];

/** Starts a server child process and waits for its address. */
export function startChild(
  kind: ServerKind,
  users: number,
): Promise<{ child: ChildProcess; ready: ChildReady }> {
  const child = fork(CHILD, [kind, String(users)], {
    execArgv: ['--conditions=@scimkit/source', '--import', 'tsx'],
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

interface Route {
  name: string;
  request: (ready: ChildReady) => autocannon.Request;
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };

let postCounter = 0;
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
    request: (r) => ({
      method: 'PATCH',
      path: `${r.basePath}/Users/${r.userId}`,
      headers,
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'replace', path: 'displayName', value: 'Barbara J. Jensen' },
          { op: 'replace', path: 'title', value: 'Senior Tour Guide' },
        ],
      }),
    }),
  },
];

function cannon(ready: ChildReady, route: Route, seconds: number): Promise<autocannon.Result> {
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
 * seeded with 1000 users.
 */
export async function runServer(recorder: Recorder, options: RunOptions): Promise<void> {
  const seconds = options.quick ? 1 : 4;
  const users = options.quick ? 200 : 1000;
  console.log(`\n# ${SUITE}: ${seconds} s per case, 10 connections, ${users} seeded users`);
  for (const { kind, library } of SERVERS) {
    let started: { child: ChildProcess; ready: ChildReady };
    try {
      started = await startChild(kind, users);
    } catch (error) {
      for (const route of ROUTES) {
        recorder.skip(
          { suite: SUITE, case: route.name, library, unit: 'HTTP request' },
          `error: ${(error as Error).message}`,
        );
      }
      continue;
    }
    try {
      // Warm up the JIT on the GET route before measuring.
      await cannon(started.ready, ROUTES[0]!, options.quick ? 0.5 : 1);
      for (const route of ROUTES) {
        const result = await cannon(started.ready, route, seconds);
        const bad = result.non2xx + result.errors + result.timeouts;
        const total = result.requests.total;
        const base = { suite: SUITE, case: route.name, library, unit: 'HTTP request' };
        if (total === 0 || bad > total * 0.01) {
          recorder.skip(
            base,
            `error: ${bad} of ${total} requests failed (non-2xx ${result.non2xx}, errors ${result.errors})`,
          );
          continue;
        }
        recorder.add({
          ...base,
          opsPerSec: result.requests.average,
          rme: result.requests.average > 0 ? (100 * result.requests.stddev) / result.requests.average : 0,
          samples: result.requests.total,
          note: `p99 latency ${result.latency.p99} ms`,
        });
      }
    } finally {
      await stopChild(started.child);
    }
  }
}
