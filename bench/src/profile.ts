/**
 * `pnpm --filter @scimkit/bench run profile <target> [seconds]`: runs one hot path under the V8
 * CPU profiler (the same profile `node --cpu-prof` writes), saves
 * bench/results/<target>.cpuprofile (open it in Chrome DevTools) and prints the functions with
 * the most self time. Targets: parse, eval, patch (every PATCH case), patch:<case id> (one case, ids
 * in corpus/patches.ts), scim-patch:<case id> (the same case through scim-patch, mutateDocument:
 * false), patch-group, validate, server-get, server-list, server-post, server-patch
 * (the server core through `fetch`, without HTTP), core-get, core-list, core-post, core-patch
 * (the same through the core the Node adapter calls, without Web `Request`/`Response`;
 * core-list asks for a different userName on each request, as clients do), sqlite-page (a cursor page of 100 Users from a
 * SQLite file of 10k Users and 100 groups, through `fetch`), core-sqlite-page (the same walk through the
 * core, on 2000 Users, for callgrind), shape-page (what a list page of 100
 * stored Users costs without the store and HTTP: JSON.parse of each row, the default view's
 * shaping, JSON.stringify of the page; synchronous, so callgrind counts all of it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createResourceShaper, LIST_RESPONSE_SCHEMA, userResourceType } from '@scimkit/schema';
import { createMemoryStore, createScimServer, type ScimServer } from '@scimkit/server';
import { PEER_PATCHERS } from './adapters/peers.js';
import { scimkitEvaluator, scimkitParser, scimkitPatcher, scimkitValidator } from './adapters/scimkit.js';
import { EVAL_CASES, filterCorpus } from './corpus/filters.js';
import { memberOperations, NEW_MEMBER_ID, PATCH_CASES, patchInput } from './corpus/patches.js';
import { generateGroup, generateUser, generateUsers, userToCreate } from './corpus/users.js';
import { load, openStore, type Population, provision } from './scale/stores.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const TOKEN = 'profile-token';
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };

/** A server on a scratch SQLite file loaded as the scale bench loads it (removed on exit). */
async function loadedSqliteServer(population: Population): Promise<ScimServer> {
  const { location, remove } = await provision('sqlite');
  process.on('exit', remove);
  const loading = openStore(location);
  await load(loading, 'sqlite', population, () => {});
  await loading.close();
  return createScimServer({ store: openStore(location), auth: { tokens: [TOKEN] }, basePath: '/scim/v2' });
}

/** The `nextCursor` of a page's text, without parsing it (the client's JSON.parse is not the server's work). */
function nextCursorOf(text: string): string {
  return /"nextCursor":"([^"]*)"/.exec(text)?.[1] ?? '';
}

/**
 * scimkit's server core (no HTTP) with 1000 users, the id and userName of one of them, and the
 * userNames of all of them.
 */
async function seededServer(): Promise<{
  scim: ScimServer;
  id: string;
  userName: string;
  userNames: string[];
}> {
  const scim = createScimServer({
    store: createMemoryStore(),
    auth: { tokens: [TOKEN] },
    basePath: '/scim/v2',
  });
  let id = '';
  let userName = '';
  const userNames: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const response = await scim.fetch(
      new Request('http://localhost/scim/v2/Users', {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify(userToCreate(i)),
      }),
    );
    const created = (await response.json()) as { id: string; userName: string };
    userNames.push(created.userName);
    if (i === 500) ({ id, userName } = created);
  }
  return { scim, id, userName, userNames };
}

let posted = 0;
let patched = 0;

/** The request the Node adapter builds, minus the socket: what the server core reads. */
interface CoreRequest {
  method: string;
  url: URL;
  header(name: string): string | null;
  text(limit: number): Promise<string>;
  request(): Request;
}
type Core = { handle(request: CoreRequest): Promise<{ status: number; text?: string }> };

/** The headers the core reads, by lower-case name. */
const LOWER_HEADERS: Record<string, string> = {
  authorization: HEADERS.authorization,
  'content-type': HEADERS['content-type'],
};

/**
 * One request to the core, its methods on the prototype: closures made per request would be
 * counted too (tsx names each one with `Object.defineProperty`), work the Node adapter never does.
 */
class BenchRequest implements CoreRequest {
  constructor(
    readonly method: string,
    readonly url: URL,
    private readonly body: string,
  ) {}
  header(name: string): string | null {
    return LOWER_HEADERS[name] ?? null;
  }
  text(): Promise<string> {
    return Promise.resolve(this.body);
  }
  request(): Request {
    return new Request(this.url, { method: this.method, headers: HEADERS });
  }
}

/**
 * The core the Node adapter calls (the `Symbol.for` key of packages/server/src/internal/http.ts):
 * a request measured without Web `Request`/`Response` objects, as `@scimkit/server/node` runs it.
 * The returned function sends `body` (empty for a GET) to `path`, or to `url` when given (a URL
 * built beforehand, so that its parsing is not counted).
 */
function coreHandle(
  scim: ScimServer,
  method: string,
  path: string,
): (body?: string, url?: URL) => Promise<unknown> {
  const core = (scim as unknown as Record<symbol, Core>)[Symbol.for('scimkit.server.core')];
  if (!core) throw new Error('no server core');
  const fixed = new URL(`http://localhost${path}`);
  const check = (reply: { status: number; text?: string }) => {
    if (reply.status >= 300) throw new Error(`${method} answered ${reply.status}: ${reply.text}`);
  };
  return (body = '', url = fixed) => core.handle(new BenchRequest(method, url, body)).then(check);
}

/** The PATCH of the server suite: a new title on every request, so every one stores a version. */
const patchBody = (n: number): string =>
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [
      { op: 'replace', path: 'displayName', value: 'Barbara J. Jensen' },
      { op: 'replace', path: 'title', value: `Senior Tour Guide ${n}` },
    ],
  });

/** scim-patch with `mutateDocument: false`: it leaves the input untouched, as scimkit does. */
const scimPatchImmutable = PEER_PATCHERS.find(
  (p) => p.name === 'scim-patch (mutateDocument: false)',
) as (typeof PEER_PATCHERS)[number];

/** The hot loops that can be profiled (each returns one unit of work). */
export const TARGETS: Record<string, () => Promise<() => unknown>> = {
  'server-get': async () => {
    const { scim, id } = await seededServer();
    return () =>
      scim
        .fetch(new Request(`http://localhost/scim/v2/Users/${id}`, { headers: HEADERS }))
        .then((r) => r.text());
  },
  'server-list': async () => {
    const { scim, userName } = await seededServer();
    const url = `http://localhost/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
    return () => scim.fetch(new Request(url, { headers: HEADERS })).then((r) => r.text());
  },
  'server-post': async () => {
    const { scim } = await seededServer();
    const template = JSON.stringify(userToCreate(424_242)).replace('user424242@example.com', '__USERNAME__');
    return () =>
      scim
        .fetch(
          new Request('http://localhost/scim/v2/Users', {
            method: 'POST',
            headers: HEADERS,
            body: template.replace('__USERNAME__', `p${posted++}@example.com`),
          }),
        )
        .then((r) => r.text());
  },
  // The server suite's routes through the core the Node adapter calls (no HTTP, no Web Request).
  'core-get': async () => {
    const { scim, id } = await seededServer();
    const get = coreHandle(scim, 'GET', `/scim/v2/Users/${id}`);
    return () => get();
  },
  'core-list': async () => {
    // The server suite's list request, with a different userName on each request (one filter
    // text repeated would flatter a cache keyed by the text, which clients do not repeat).
    const { scim, userNames } = await seededServer();
    const get = coreHandle(scim, 'GET', '/scim/v2/Users');
    const urls = userNames.map(
      (userName) =>
        new URL(
          `http://localhost/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`,
        ),
    );
    let listed = 0;
    return () => get('', urls[listed++ % urls.length]);
  },
  'core-post': async () => {
    const { scim } = await seededServer();
    const template = JSON.stringify(userToCreate(424_242)).replace('user424242@example.com', '__USERNAME__');
    const post = coreHandle(scim, 'POST', '/scim/v2/Users');
    return () => post(template.replace('__USERNAME__', `p${posted++}@example.com`));
  },
  'core-patch': async () => {
    const { scim, id } = await seededServer();
    const patch = coreHandle(scim, 'PATCH', `/scim/v2/Users/${id}`);
    return () => patch(patchBody(patched++));
  },
  'server-patch': async () => {
    const { scim, id } = await seededServer();
    const body = JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'Barbara J. Jensen' },
        { op: 'replace', path: 'title', value: 'Senior Tour Guide' },
      ],
    });
    return () =>
      scim
        .fetch(
          new Request(`http://localhost/scim/v2/Users/${id}`, { method: 'PATCH', headers: HEADERS, body }),
        )
        .then((r) => r.text());
  },
  // The scale bench's cursor walk over the Users, on a smaller SQLite file (the same rows per page).
  'sqlite-page': async () => {
    const scim = await loadedSqliteServer({ users: 10_000, groups: 100, bigGroup: 2000 });
    let cursor = '';
    return async () => {
      const url = `http://localhost/scim/v2/Users?count=100&cursor=${encodeURIComponent(cursor)}`;
      cursor = nextCursorOf(await (await scim.fetch(new Request(url, { headers: HEADERS }))).text());
    };
  },
  // The same walk through the core the Node adapter calls (no Web Request/Response), on 2000
  // Users so that callgrind loads them in seconds, all in one big group as the first 100k Users
  // of the scale bench are; the walk skips the first page (its count of every row is not a
  // cursor page's work): every unit is a full page after the first.
  'core-sqlite-page': async () => {
    const scim = await loadedSqliteServer({ users: 2000, groups: 20, bigGroup: 2000 });
    const core = (scim as unknown as Record<symbol, Core>)[Symbol.for('scimkit.server.core')];
    if (!core) throw new Error('no server core');
    const page = async (cursor: string): Promise<string> => {
      const url = new URL(`http://localhost/scim/v2/Users?count=100&cursor=${encodeURIComponent(cursor)}`);
      const reply = await core.handle(new BenchRequest('GET', url, ''));
      if (reply.status !== 200 || reply.text === undefined) throw new Error(`GET answered ${reply.status}`);
      return nextCursorOf(reply.text);
    };
    const second = await page('');
    let cursor = second;
    return async () => {
      cursor = (await page(cursor)) || second;
    };
  },
  'shape-page': async () => {
    const rows = Array.from({ length: 100 }, (_, k) => JSON.stringify(generateUser(k)));
    const shape = createResourceShaper({ resourceType: userResourceType });
    return () => {
      const Resources = rows.map((row) => shape(JSON.parse(row) as Record<string, unknown>));
      return JSON.stringify({ schemas: [LIST_RESPONSE_SCHEMA], totalResults: 100, Resources });
    };
  },
  parse: async () => {
    const texts = filterCorpus().map((f) => f.text);
    return () => {
      for (const t of texts) scimkitParser.parse(t);
    };
  },
  eval: async () => {
    const users = generateUsers(20_000);
    const counts = EVAL_CASES.map((c) => scimkitEvaluator.compile(c.text));
    return () => {
      for (const count of counts) count(users);
    };
  },
  patch: async () => {
    const cases = PATCH_CASES.map((c) => ({ c, input: patchInput(c) }));
    return () => {
      for (const { c, input } of cases) scimkitPatcher.apply(input, c.operations, c.resourceType);
    };
  },
  // One target per PATCH case: `patch:mixed`, `patch:value-filter`, … (ids in corpus/patches.ts).
  ...Object.fromEntries(
    PATCH_CASES.map((c) => [
      `patch:${c.id}`,
      async () => {
        const input = patchInput(c);
        return () => scimkitPatcher.apply(input, c.operations, c.resourceType);
      },
    ]),
  ),
  // The same cases through scim-patch in its non-mutating mode (`scim-patch:<case id>`), the
  // peer of issue #20's target: the callgrind ratio needs no wall clock.
  ...Object.fromEntries(
    PATCH_CASES.map((c) => [
      `scim-patch:${c.id}`,
      async () => {
        const input = patchInput(c);
        return () => scimPatchImmutable.apply(input, c.operations, c.resourceType);
      },
    ]),
  ),
  'patch-group': async () => {
    const group = generateGroup(1, 10_000);
    const ops = memberOperations(10_000);
    const remove = [{ op: 'remove', path: `members[value eq "${NEW_MEMBER_ID}"]` }];
    return () => {
      const added = scimkitPatcher.apply(group, ops.add, 'Group') as Record<string, unknown>;
      scimkitPatcher.apply(added, remove, 'Group');
    };
  },
  validate: async () => {
    const user = userToCreate(3);
    return () => {
      scimkitValidator.validate(user);
    };
  },
};

/** Self time per function, most first. */
export function hotSpots(profile: Profile, top = 15): { name: string; selfMs: number; percent: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '');
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, selfMs: Math.round(ms), percent: Math.round((1000 * ms) / total) / 10 }));
}

async function main(): Promise<void> {
  const target = process.argv[2] ?? '';
  const seconds = Number(process.argv[3] ?? '3');
  const make = TARGETS[target];
  if (!make) throw new Error(`Unknown target "${target}"; targets: ${Object.keys(TARGETS).join(', ')}`);
  const work = await make();
  for (let i = 0; i < 3; i++) await work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const end = performance.now() + seconds * 1000;
  let runs = 0;
  while (performance.now() < end) {
    await work();
    runs++;
  }
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  const file = fileURLToPath(new URL(`../results/${target}.cpuprofile`, import.meta.url));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  console.log(`${target}: ${runs} runs in ${seconds} s; profile in ${file}`);
  for (const h of hotSpots(profile))
    console.log(`${String(h.percent).padStart(5)}%  ${String(h.selfMs).padStart(6)} ms  ${h.name}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
