/**
 * @packageDocumentation
 * Node.js `http` adapter of `@scimkit/server`: a request listener and a one-call server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScimServer } from '../server.js';
import { handleNode } from './node-bridge.js';
import { handleClientError } from './node-client-error.js';

export { handleClientError };

/** A `node:http` request listener. */
export type NodeRequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * A `node:http` request listener serving a SCIM server. Some requests never reach it: Node's
 * parser answers them itself with an empty body (a missing `Host`, a request line or headers
 * over 16 KB, an unknown method). For SCIM Error bodies there too, as {@link serveNode} gives,
 * create the server with `requireHostHeader: false` (the handler then answers a missing Host
 * with a SCIM 400) and install {@link handleClientError} as its `clientError` listener.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { createNodeHandler, handleClientError } from '@scimkit/server/node';
 *
 * const scim = createScimServer({
 *   store: createMemoryStore(),
 *   auth: { tokens: [process.env.SCIM_TOKEN!] },
 * });
 * const http = createServer({ requireHostHeader: false }, createNodeHandler(scim));
 * http.on('clientError', handleClientError);
 * http.listen(8080);
 * ```
 */
export function createNodeHandler(server: ScimServer): NodeRequestListener {
  return (request, response) => {
    void handleNode(server, request, response);
  };
}

/** Options of {@link serveNode}. */
export interface ServeNodeOptions {
  /** The SCIM server to serve. */
  server: ScimServer;
  /** TCP port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Interface to listen on. @defaultValue `127.0.0.1` */
  host?: string;
}

/** A running Node server. */
export interface RunningServer {
  /**
   * `http://host:port` (without the base path), reachable from this machine: for a server
   * listening on every interface (`0.0.0.0`, `::`) the loopback address (`127.0.0.1`, `[::1]`),
   * since a wildcard is no address to connect to. Identity providers such as Entra ID and Okta
   * need the public `https://` URL that your TLS proxy serves this port at.
   */
  url: string;
  /**
   * Shuts down gracefully: stops accepting connections, closes idle keep-alive connections, and
   * resolves once the requests in progress are answered (also those whose client went away:
   * their store calls are over too). Connections still busy after `timeout` ms are cut, and it
   * resolves then at the latest. Close your store after this resolves.
   */
  close(options?: CloseOptions): Promise<void>;
}

/** Options of {@link RunningServer.close}. */
export interface CloseOptions {
  /** How long requests in progress may take to finish, in ms. @defaultValue `10000` */
  timeout?: number;
}

/** The host part of a URL that reaches a server listening on `host` from this machine. */
function reachableHost(host: string): string {
  const shown = host.includes(':') ? `[${host.replace(/^\[|\]$/g, '')}]` : host;
  if (shown === '0.0.0.0' || shown === '') return '127.0.0.1';
  if (shown.startsWith('[') && new URL(`http://${shown}`).hostname === '[::]') return '[::1]';
  return shown;
}

/**
 * Starts a `node:http` server for a SCIM server and resolves once it listens; every request
 * Node's parser refuses is answered with a SCIM Error body too ({@link handleClientError}). The guide
 * [Expose /scim/v2 for Entra ID and Okta](../../../../docs/server.md) goes on from here.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { serveNode } from '@scimkit/server/node';
 *
 * const scim = createScimServer({
 *   store: createMemoryStore(),
 *   auth: { tokens: [process.env.SCIM_TOKEN!] },
 * });
 * const { url, close } = await serveNode({ server: scim, port: 8080, host: '0.0.0.0' });
 * // A URL this machine reaches (127.0.0.1 when listening on every interface); Entra ID and
 * // Okta need the public https:// URL that your TLS proxy serves it at.
 * console.log(`SCIM at ${url}/scim/v2`);
 * process.once('SIGTERM', () => void close());
 * ```
 */
export function serveNode(options: ServeNodeOptions): Promise<RunningServer> {
  // Every refusal as a SCIM Error: a missing Host is answered by the handler, not by Node.
  // The requests being handled: a client that went away leaves its request running, and close()
  // waits for it too, so that the store is closed only after its last call.
  const handling = new Set<Promise<void>>();
  const http = createServer({ requireHostHeader: false }, (request, response) => {
    const handled = handleNode(options.server, request, response);
    handling.add(handled);
    void handled.finally(() => handling.delete(handled));
  });
  http.on('clientError', handleClientError);
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      const { port } = http.address() as AddressInfo;
      resolve({
        url: `http://${reachableHost(host)}:${port}`,
        close: ({ timeout = 10_000 } = {}) =>
          new Promise<void>((done, fail) => {
            // A rolling deploy's SIGTERM: requests in flight get their answers, then the sockets go.
            // Keep-alive connections turn idle as their last response ends: sweep them then.
            const sweep = setInterval(() => http.closeIdleConnections(), 50);
            const cut = setTimeout(() => http.closeAllConnections(), timeout);
            let late: () => void = () => {};
            const deadline = new Promise<void>((resolve) => {
              late = resolve;
              setTimeout(resolve, timeout).unref();
            });
            http.close((error) => {
              clearInterval(sweep);
              void Promise.race([Promise.allSettled([...handling]), deadline]).then(() => {
                clearTimeout(cut);
                late();
                if (error) fail(error);
                else done();
              });
            });
            http.closeIdleConnections();
          }),
      });
    });
  });
}
