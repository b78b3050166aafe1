/**
 * Starts the reference server (`@scimkit/server` on Node's http) with the SQLite store, the
 * PostgreSQL store or the in-memory store, for `serve` and `demo`.
 */
import type { ScimServer, ScimServerOptions, ScimStore } from '@scimkit/server';
import { importOptional } from './optional-import.js';

/** Options of {@link startReferenceServer}. */
export interface ReferenceServerOptions {
  port: number;
  host: string;
  tokens: string[];
  /** SQLite database file; the in-memory store when absent (and no `database`). */
  db?: string;
  /** PostgreSQL connection string (`postgres://…`): the PostgreSQL store. */
  database?: string;
  /** The server's `baseUrl`: where clients reach the service (every `meta.location` is built from it). */
  publicUrl?: string;
  /** RFC 7644 only: every identity-provider compatibility behaviour off (the server's `strict`). */
  strict?: boolean;
  /** `false` leaves the RFC 9865 `pagination` block out of /ServiceProviderConfig. */
  paginationDiscovery?: boolean;
  /** The server's `memberPatchResponse`: `'noContent'` answers a members-only Group PATCH 204. */
  memberPatchResponse?: 'resource' | 'noContent';
  /** Watches the server (`serve --console`): adds its event hooks, then wraps the server's `fetch`. */
  observer?: {
    serverOptions<T extends ScimServerOptions>(options: T): T;
    observe(server: ScimServer): ScimServer;
  };
}

/** A running reference server. */
export interface ReferenceServer {
  /** `http://<host>:<port>/scim/v2`. */
  baseUrl: string;
  /** `sqlite`, `postgres` or `memory`. */
  storeKind: 'sqlite' | 'postgres' | 'memory';
  /** Stops accepting connections, then closes the store. */
  close(): Promise<void>;
}

/** The base path the reference server serves. */
export const BASE_PATH = '/scim/v2';

/** Starts the reference server and resolves once it listens. */
export async function startReferenceServer(options: ReferenceServerOptions): Promise<ReferenceServer> {
  // Loaded on demand, so that commands talking to remote servers never load the server or
  // the native SQLite module. The stores are optional peer dependencies: a missing one is
  // named in the error, with the command that installs it.
  const [{ createMemoryStore, createScimServer }, { serveNode }] = await Promise.all([
    import('@scimkit/server'),
    import('@scimkit/server/node'),
  ]);
  const store: ScimStore = options.database
    ? (
        await importOptional(
          '@scimkit/store-postgres',
          'the PostgreSQL store (--database)',
          () => import('@scimkit/store-postgres'),
        )
      ).createPostgresStore({ connection: options.database })
    : options.db
      ? (
          await importOptional(
            '@scimkit/store-sqlite',
            'the SQLite store (--db)',
            () => import('@scimkit/store-sqlite'),
          )
        ).createSqliteStore({ filename: options.db })
      : createMemoryStore();
  try {
    // PostgreSQL: connect and migrate before listening, so a wrong URL fails at start-up.
    if ('ready' in store && typeof store.ready === 'function') await store.ready();
    const serverOptions = {
      store,
      auth: { tokens: options.tokens },
      basePath: BASE_PATH,
      ...(options.publicUrl ? { baseUrl: options.publicUrl } : {}),
      ...(options.strict ? { strict: true } : {}),
      ...(options.paginationDiscovery === false ? { discovery: { pagination: false } } : {}),
      ...(options.memberPatchResponse ? { memberPatchResponse: options.memberPatchResponse } : {}),
    };
    const { observer } = options;
    const server = observer
      ? observer.observe(createScimServer(observer.serverOptions(serverOptions)))
      : createScimServer(serverOptions);
    const running = await serveNode({ server, port: options.port, host: options.host });
    const url = new URL(running.url);
    const host =
      url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname;
    const baseUrl = `${url.protocol}//${host}:${url.port}${BASE_PATH}`;
    let closed: Promise<void> | undefined;
    return {
      baseUrl,
      storeKind: options.database ? 'postgres' : options.db ? 'sqlite' : 'memory',
      close() {
        closed ??= (async () => {
          try {
            await running.close();
          } finally {
            await store.close?.();
          }
        })();
        return closed;
      },
    };
  } catch (error) {
    await store.close?.();
    throw error;
  }
}
