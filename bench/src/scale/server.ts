/**
 * The server under the scale bench: `node --import tsx scale/server.ts <location-json> <processes>`.
 * The primary forks `processes` workers (node:cluster); each opens the store and serves
 * createScimServer behind @scimkit/server/node on one shared port, which the primary hands out
 * round-robin: the "several stateless processes behind a balancer" of docs/postgres-store.md.
 * The primary reports `{ port }` over IPC once every worker listens, and stops them on `close`.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { createScimServer } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { TOKEN } from '../server/protocol.js';
import { openStore, type StoreLocation } from './stores.js';

/** Connections all processes together keep to PostgreSQL (each gets its share). */
const TOTAL_CONNECTIONS = 20;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function primary(processes: number): Promise<void> {
  const port = await freePort();
  let listening = 0;
  for (let i = 0; i < processes; i++) {
    const worker = cluster.fork({ SCALE_PORT: String(port), SCALE_PROCESSES: String(processes) });
    worker.on('message', (message: unknown) => {
      if (message === 'listening' && ++listening === processes) process.send?.({ port });
      else if (typeof message === 'object' && message && 'error' in message) process.send?.(message);
    });
  }
  const stop = (): void => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send('close');
    setTimeout(() => process.exit(0), 2000).unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on('message', (message) => {
    if (message === 'close') stop();
  });
  process.on('disconnect', stop);
}

async function worker(location: StoreLocation): Promise<void> {
  const processes = Number(process.env['SCALE_PROCESSES']);
  const store = openStore(location, Math.max(2, Math.ceil(TOTAL_CONNECTIONS / processes)));
  const scim = createScimServer({ store, auth: { tokens: [TOKEN] }, basePath: '/scim/v2' });
  const running = await serveNode({
    server: scim,
    port: Number(process.env['SCALE_PORT']),
    host: '127.0.0.1',
  });
  process.send?.('listening');
  process.on('message', (message) => {
    if (message !== 'close') return;
    void running
      .close()
      .then(() => store.close())
      .finally(() => process.exit(0));
  });
}

const location = JSON.parse(process.argv[2] ?? '{}') as StoreLocation;
const started = cluster.isPrimary ? primary(Number(process.argv[3] ?? '1')) : worker(location);
started.catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  console.error(error);
  process.exit(1);
});
