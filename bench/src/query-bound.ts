/**
 * How well the SQLite store's `queryTimeout` bounds a hostile query (issue 19): the server (the
 * built packages) runs in a child process on a SQLite file holding two groups of `--members`
 * members each; the parent sends a 4 kB filter of `members[value co "…"] or …` on /Groups and,
 * meanwhile, one `GET /ServiceProviderConfig` after another, and prints how long the hostile
 * request took and the slowest of the concurrent ones. Wall-clock figures: on a busy machine
 * they are noisy, so compare runs made one after the other.
 *
 * `pnpm --filter @scimkit/bench run query-bound [--members 60000] [--timeout 2000]`
 * (`--timeout 0` sets no bound: the time the query takes unbounded).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { groupResourceType, type ScimResource } from '@scimkit/schema';
import { createScimServer } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { createSqliteStore } from '@scimkit/store-sqlite';
import { TOKEN } from './server/protocol.js';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '60000' },
    timeout: { type: 'string', default: '2000' },
    serve: { type: 'string' },
  },
});

function group(id: string, members: number): ScimResource {
  const meta = {
    resourceType: 'Group',
    created: '2026-01-01T00:00:00Z',
    lastModified: '2026-01-01T00:00:00Z',
    version: 'W/"1"',
  };
  return {
    schemas: [groupResourceType.schema.id],
    id,
    displayName: id,
    members: Array.from({ length: members }, (_, index) => ({ value: `member-${index}`, type: 'User' })),
    meta: { ...meta, location: `https://example.com/Groups/${id}` },
  };
}

/** The child: seeds the file, serves it, reports its URL. */
async function serve(file: string): Promise<void> {
  const store = createSqliteStore({ filename: file, queryTimeout: Number(values.timeout) });
  for (const id of ['g1', 'g2'])
    await store.create(groupResourceType, group(id, Number(values.members)), { context: {} });
  const running = await serveNode({ server: createScimServer({ store, auth: { tokens: [TOKEN] } }) });
  process.send?.({ url: running.url });
  process.on('disconnect', () => void running.close().then(() => store.close()));
}

/** Under the server's default maxFilterLength (4096 characters). */
function hostileFilter(): string {
  const parts: string[] = [];
  for (let index = 0; parts.join(' or ').length < 4000; index += 1)
    parts.push(`members[value co "q${index}"]`);
  return parts.join(' or ');
}

async function measure(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scimkit-query-bound-'));
  const child = fork(
    new URL(import.meta.url).pathname,
    ['--serve', join(dir, 'scim.db'), ...process.argv.slice(2)],
    {
      execArgv: process.execArgv,
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { url: string }).url));
      child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
    });
    const get = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${url}/scim/v2${path}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const body = (await response.json()) as { scimType?: string; totalResults?: number };
      return { status: response.status, body, ms: performance.now() - started };
    };
    let done = false;
    const hostile = get(`/Groups?filter=${encodeURIComponent(hostileFilter())}`).finally(() => {
      done = true;
    });
    const others: number[] = [];
    while (!done) {
      others.push((await get('/ServiceProviderConfig')).ms);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const answer = await hostile;
    console.log(
      JSON.stringify({
        members: Number(values.members),
        queryTimeout: Number(values.timeout),
        hostile: { status: answer.status, scimType: answer.body.scimType, ms: Math.round(answer.ms) },
        serviceProviderConfig: { requests: others.length, slowestMs: Math.round(Math.max(0, ...others)) },
      }),
    );
  } finally {
    child.disconnect();
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.serve) await serve(values.serve);
else await measure();
