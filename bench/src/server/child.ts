/**
 * One HTTP server under test, in its own process so that it does not share an event loop with
 * autocannon. `node --import tsx child.ts <kind> <users>` (on the built packages; add
 * `--conditions=@scimkit/source` for the sources); it seeds
 * `<users>` generated users, then sends `{ port, userId }` to the parent over IPC and runs until
 * the parent sends `close` (or disconnects).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryStore, createScimServer } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import express from 'express';
import SCIMMYRouters from 'scimmy-routers';
import { scimmyWithEnterprise } from '../adapters/peers.js';
import { generateUser, type Json, userToCreate } from '../corpus/users.js';
import { type ChildReady, type ServerKind, TOKEN } from './protocol.js';

type Started = { ready: Omit<ChildReady, 'port'>; port: number; close: () => Promise<void> };

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * A node:http handler that drains the body and answers a fixed user: the ceiling. With
 * `workMicros`, it first keeps the CPU busy that long (a calibration: what a fixed amount of
 * work per request costs a share of the ceiling on this machine).
 */
async function startBare(workMicros = 0): Promise<Started> {
  const body = JSON.stringify(generateUser(1));
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (workMicros > 0) {
        const until = performance.now() + workMicros / 1000;
        while (performance.now() < until);
      }
      response.writeHead(request.method === 'POST' ? 201 : 200, {
        'content-type': 'application/scim+json',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
  const port = await listen(server);
  const user = generateUser(1) as { id: string; userName: string };
  return {
    port,
    ready: { basePath: '/scim/v2', userId: user.id, userName: user.userName },
    close: () => closeServer(server),
  };
}

/** scimmy-routers on express 5 with an in-memory Map behind SCIMMY's ingress/egress/degress. */
async function startScimmy(seed: number): Promise<Started> {
  const SCIMMY = scimmyWithEnterprise();
  // The same bookkeeping scimkit's memory store does: a Map by id and one by userName.
  const users = new Map<string, Json>();
  const byUserName = new Map<string, string>();
  let next = 0;
  SCIMMY.Resources.declare(
    SCIMMY.Resources.User.ingress((resource, instance) => {
      const data = JSON.parse(JSON.stringify(instance)) as Json;
      const { id: _id, meta: _meta, ...rest } = data;
      const id = resource.id ?? `scimmy-${next++}`;
      const existing = resource.id ? users.get(resource.id) : undefined;
      if (resource.id && !existing) throw new Error('not found');
      const userName = String(rest.userName).toLowerCase();
      const holder = byUserName.get(userName);
      if (holder !== undefined && holder !== id)
        throw new SCIMMY.Types.Error(409, 'uniqueness', 'userName taken');
      const now = new Date().toISOString();
      const stored: Json = {
        ...rest,
        id,
        meta: {
          resourceType: 'User',
          created: (existing?.meta as Json | undefined)?.created ?? now,
          lastModified: now,
        },
      };
      if (existing) byUserName.delete(String(existing.userName).toLowerCase());
      byUserName.set(userName, id);
      users.set(id, stored);
      return stored as never;
    })
      .egress((resource) => {
        if (resource.id) {
          const user = users.get(resource.id);
          if (!user) throw new Error('not found');
          return user as never;
        }
        const all = [...users.values()];
        return (resource.filter ? resource.filter.match(all) : all) as never;
      })
      .degress((resource) => {
        const user = resource.id ? users.get(resource.id) : undefined;
        if (!user || !resource.id) throw new Error('not found');
        users.delete(resource.id);
        byUserName.delete(String(user.userName).toLowerCase());
      }),
  );
  for (let i = 0; i < seed; i++) {
    const u = generateUser(i);
    users.set(u.id as string, u);
    byUserName.set(String(u.userName).toLowerCase(), u.id as string);
  }
  const app = express();
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (request) => {
        if (request.header('authorization') !== `Bearer ${TOKEN}`)
          throw new Error('Authorization not detected!');
        return 'bench';
      },
    }) as unknown as express.Router,
  );
  const server = createServer(app);
  const port = await listen(server);
  const user = generateUser(Math.floor(seed / 2)) as { id: string; userName: string };
  return {
    port,
    ready: { basePath: '/scim/v2', userId: user.id, userName: user.userName },
    close: () => closeServer(server),
  };
}

/** scimkit: createScimServer + createMemoryStore behind @scimkit/server/node. */
async function startScimkit(seed: number): Promise<Started> {
  const scim = createScimServer({
    store: createMemoryStore(),
    auth: { tokens: [TOKEN] },
    basePath: '/scim/v2',
  });
  let middle: { id: string; userName: string } | undefined;
  for (let i = 0; i < seed; i++) {
    const response = await scim.fetch(
      new Request('http://127.0.0.1/scim/v2/Users', {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify(userToCreate(i)),
      }),
    );
    if (response.status !== 201)
      throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
    const created = (await response.json()) as { id: string; userName: string };
    if (i === Math.floor(seed / 2)) middle = created;
  }
  const handle = (await serveNode({ server: scim, port: 0, host: '127.0.0.1' })) as {
    url: string;
    close(): Promise<void>;
  };
  const port = Number(new URL(handle.url).port);
  if (!middle) throw new Error('no seeded user');
  return {
    port,
    ready: { basePath: '/scim/v2', userId: middle.id, userName: middle.userName },
    close: () => handle.close(),
  };
}

async function main(): Promise<void> {
  const kind = process.argv[2] as ServerKind;
  const seed = Number(process.argv[3] ?? '1000');
  const started =
    kind === 'bare'
      ? await startBare()
      : kind.startsWith('bare-')
        ? await startBare(Number(kind.slice('bare-'.length)))
        : kind === 'scimmy'
          ? await startScimmy(seed)
          : await startScimkit(seed);
  const ready: ChildReady = { ...started.ready, port: started.port };
  const shutdown = (): void => {
    started.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message) => {
    if (message === 'close') shutdown();
  });
  process.on('disconnect', shutdown);
  process.send?.(ready);
}

main().catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  console.error(error);
  process.exit(1);
});
