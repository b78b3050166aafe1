// scimmy + scimmy-routers (npm, an Express SCIM server nobody here wrote) with in-memory
// handlers for Users and Groups, on 127.0.0.1:0. SCIMMY is a process-wide singleton: start
// one per test file.
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

export const SCIMMY_TOKEN = 'scimmy-token';

export interface RunningScimmy {
  /** The SCIM base URL, e.g. `http://127.0.0.1:1234/scim`. */
  url: string;
  users: Map<string, Record<string, unknown>>;
  groups: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

type Stored = Record<string, unknown> & { id: string };

/** The part of a declared SCIMMY resource type used here (its own types are per class). */
interface Declared {
  ingress(handler: (resource: { id?: string }, instance: unknown) => Stored): Declared;
  egress(
    handler: (resource: { id?: string; filter?: { match(values: Stored[]): Stored[] } }) => Stored | Stored[],
  ): Declared;
  degress(handler: (resource: { id?: string }) => void): Declared;
}

function declare(
  resourceType: typeof SCIMMY.Resources.User | typeof SCIMMY.Resources.Group,
  store: Map<string, Stored>,
  unique: string,
  nextId: () => string,
): void {
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const clash = (data: Record<string, unknown>, except?: string) =>
    [...store.values()].some(
      (existing) =>
        existing.id !== except &&
        String(existing[unique]).toLowerCase() === String(data[unique] ?? '').toLowerCase(),
    );
  (SCIMMY.Resources.declare(resourceType) as unknown as Declared)
    .ingress((resource, instance) => {
      const data = plain(instance);
      const now = new Date().toISOString();
      if (resource.id) {
        const existing = store.get(resource.id);
        if (!existing) throw new Error('not found');
        if (clash(data, resource.id)) throw new SCIMMY.Types.Error(409, 'uniqueness', `${unique} is taken`);
        const meta = existing.meta as Record<string, unknown>;
        const updated: Stored = { ...data, id: resource.id, meta: { ...meta, lastModified: now } };
        store.set(resource.id, updated);
        return updated;
      }
      if (clash(data)) throw new SCIMMY.Types.Error(409, 'uniqueness', `${unique} is taken`);
      const created: Stored = { ...data, id: nextId(), meta: { created: now, lastModified: now } };
      store.set(created.id, created);
      return created;
    })
    .egress((resource) => {
      if (resource.id) {
        const found = store.get(resource.id);
        if (!found) throw new Error('not found');
        return found;
      }
      const all = [...store.values()];
      return resource.filter ? resource.filter.match(all) : all;
    })
    .degress((resource) => {
      if (!resource.id || !store.delete(resource.id)) throw new Error('not found');
    });
}

export async function startScimmy(): Promise<RunningScimmy> {
  let counter = 0;
  const nextId = () => `s${String(++counter).padStart(4, '0')}`;
  const users = new Map<string, Stored>();
  const groups = new Map<string, Stored>();
  declare(SCIMMY.Resources.User, users, 'userName', nextId);
  declare(SCIMMY.Resources.Group, groups, 'displayName', nextId);

  const app = express();
  app.use(
    '/scim',
    new SCIMMYRouters({
      type: 'bearer',
      docUri: 'https://example.com/help/oauth.html',
      handler: (request) => {
        if (request.header('Authorization') !== `Bearer ${SCIMMY_TOKEN}`)
          throw new Error('Authorization not detected!');
        return 'integration';
      },
    }) as unknown as express.Router,
  );
  const http = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    http.once('listening', resolve);
    http.once('error', reject);
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim`,
    users,
    groups,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
