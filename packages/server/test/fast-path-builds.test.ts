import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

// Each entry point of the build (dist/index.js, dist/node.js, their .cjs twins) is a module of
// its own, and a user may even load @scimkit/server with `import` and the adapter with
// `require`. The Node adapter must still recognise every server createScimServer made and answer
// it without Web Request/Response objects, that is without calling its `fetch`.

type ServerModule = typeof import('@scimkit/server');
type NodeModule = typeof import('@scimkit/server/node');

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@scimkit/server/package.json'));
const { exports } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  exports: Record<string, { import: { default: string }; require: { default: string } }>;
};
/** An entry point as `import` resolves it, loaded from that file. */
const imported = (subpath: '.' | './node') =>
  import(pathToFileURL(join(packageDir, exports[subpath]!.import.default)).href);
/** An entry point as `require` resolves it. */
const required = (name: string) => ({ file: require.resolve(name), module: require(name) });

const TOKEN = 'built-fast-path-token';
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

async function builds() {
  const cjsServer = required('@scimkit/server');
  const cjsNode = required('@scimkit/server/node');
  expect(cjsServer.file).toBe(join(packageDir, 'dist/index.cjs'));
  expect(cjsNode.file).toBe(join(packageDir, 'dist/node.cjs'));
  expect(exports['.']!.import.default).toBe('./dist/index.js');
  expect(exports['./node']!.import.default).toBe('./dist/node.js');
  const servers: Record<string, ServerModule> = {
    'dist/index.js': (await imported('.')) as ServerModule,
    'dist/index.cjs': cjsServer.module as ServerModule,
  };
  const adapters: Record<string, NodeModule> = {
    'dist/node.js': (await imported('./node')) as NodeModule,
    'dist/node.cjs': cjsNode.module as NodeModule,
  };
  return { servers, adapters };
}

/** Creates, reads and lists a user through the adapter; returns how often `fetch` was called. */
async function roundTrip(
  adapter: NodeModule,
  server: { basePath: string; fetch(request: Request): Promise<Response> },
): Promise<number> {
  const fetchCalls = vi.spyOn(server, 'fetch');
  const running = await adapter.serveNode({ server });
  try {
    const created = await fetch(`${running.url}/scim/v2/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ schemas: [USER_SCHEMA], userName: 'built@example.com' }),
    });
    expect(created.status).toBe(201);
    const { meta } = (await created.json()) as { meta: { location: string } };
    const read = await fetch(meta.location, { headers });
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(((await read.json()) as { userName: string }).userName).toBe('built@example.com');
    const listed = await fetch(
      `${running.url}/scim/v2/Users?filter=userName%20eq%20%22BUILT@example.com%22`,
      {
        headers,
      },
    );
    expect(((await listed.json()) as { totalResults: number }).totalResults).toBe(1);
    return fetchCalls.mock.calls.length;
  } finally {
    await running.close();
  }
}

describe('the built Node adapter', async () => {
  const { servers, adapters } = await builds();
  for (const [serverFile, serverModule] of Object.entries(servers)) {
    for (const [adapterFile, adapter] of Object.entries(adapters)) {
      it(`answers a server of ${serverFile} through ${adapterFile} on the fast path, without fetch`, async () => {
        const { createMemoryStore, createScimServer } = serverModule;
        const server = createScimServer({ store: createMemoryStore(), auth: { tokens: [TOKEN] } });
        expect(await roundTrip(adapter, server)).toBe(0);
        // Hooks see the Web Request, and still no Response is made.
        const created: Request[] = [];
        const hooked = createScimServer({
          store: createMemoryStore(),
          auth: { tokens: [TOKEN] },
          onCreated: (event) => void created.push(event.request),
        });
        expect(await roundTrip(adapter, hooked)).toBe(0);
        expect(created[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      });
    }
  }

  it('answers any other server object through its fetch', async () => {
    const { createMemoryStore, createScimServer } = servers['dist/index.js']!;
    const inner = createScimServer({ store: createMemoryStore(), auth: { tokens: [TOKEN] } });
    // A wrapper made by spreading the server is not the server: its own fetch answers.
    const wrapper = { ...inner, fetch: (request: Request) => inner.fetch(request) };
    expect(await roundTrip(adapters['dist/node.js']!, wrapper)).toBe(3);
  });
});
