/**
 * @packageDocumentation
 * Node.js `http` adapter of `@scimkit/console`: the console on a listener of its own, on
 * 127.0.0.1 unless told otherwise, streaming its live updates.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScimConsole } from './console.js';

/** A `node:http` request listener. */
export type ConsoleRequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** A Host header value: a name, IPv4 or bracketed IPv6 address, and an optional port. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9._~%-]+)(?::\d{1,5})?$/i;
/** Largest request body read (the console's API takes a few bytes). */
const MAX_BODY = 8192;

/** Whether `host` is a loopback address to listen on (`127.0.0.1`, `::1`, `localhost`). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_BODY + 1) chunks.push(chunk);
    });
    request.on('end', () => resolve(size === 0 ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify({ message }));
}

async function writeResponse(webResponse: Response, response: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  webResponse.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = webResponse.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  response.writeHead(webResponse.status, headers);
  if (!webResponse.body) {
    response.end();
    return;
  }
  // Streamed chunk by chunk: the live stream never ends on its own.
  const reader = webResponse.body.getReader();
  response.once('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!response.write(value)) await new Promise((resolve) => response.once('drain', resolve));
    }
  } catch {
    // The page went away.
  }
  response.end();
}

/**
 * A `node:http` request listener serving the console; with `loopbackOnly`, requests addressed
 * to any other host name are refused (421), against DNS rebinding.
 */
export function createConsoleNodeHandler(
  scimConsole: ScimConsole,
  options: { loopbackOnly?: boolean } = {},
): ConsoleRequestListener {
  return (request, response) => {
    void (async () => {
      const host = request.headers.host ?? '';
      const target = request.url ?? '/';
      if (!HOST.test(host) || !target.startsWith('/'))
        return send(response, 400, 'Bad request target or Host.');
      const url = new URL(`http://${host}${target}`);
      if (options.loopbackOnly && !isLoopback(url.hostname)) {
        return send(response, 421, 'This console answers requests to localhost or 127.0.0.1 only.');
      }
      const method = request.method ?? 'GET';
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(request);
      const headers = new Headers();
      const raw = request.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2)
        if (raw[i]!.charCodeAt(0) !== 58) headers.append(raw[i]!, raw[i + 1]!);
      const webRequest = new Request(url, { method, headers, ...(body ? { body } : {}) });
      await writeResponse(await scimConsole.fetch(webRequest), response);
    })().catch(() => {
      if (!response.headersSent) send(response, 500, 'The console failed to answer.');
      else response.destroy();
    });
  };
}

/** Options of {@link serveConsole}. */
export interface ServeConsoleOptions {
  /** The console to serve. */
  console: ScimConsole;
  /** TCP port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /**
   * Interface to listen on. Anything but a loopback address lets other machines reach the
   * console (its token still guards it): do that only on a network you trust, behind TLS.
   * @defaultValue `127.0.0.1`
   */
  host?: string;
}

/** A running console listener. */
export interface RunningConsole {
  /** `http://host:port/console/`. */
  url: string;
  /** {@link url} with the console token in its fragment: opens the console signed in. */
  link: string;
  /** Ends the live streams, stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

/**
 * Serves a console on its own `node:http` listener (never beside `/scim/v2`, so no console
 * route answers SCIM clients) and resolves once it listens.
 *
 * @example
 * ```ts
 * import { createScimConsole } from '@scimkit/console';
 * import { serveConsole } from '@scimkit/console/node';
 *
 * const scimConsole = createScimConsole();
 * const { link } = await serveConsole({ console: scimConsole, port: 8081 });
 * console.log(`Open ${link}`);
 * ```
 */
export function serveConsole(options: ServeConsoleOptions): Promise<RunningConsole> {
  const host = options.host ?? '127.0.0.1';
  const http = createServer(createConsoleNodeHandler(options.console, { loopbackOnly: isLoopback(host) }));
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      const { port } = http.address() as AddressInfo;
      const bare = host.replace(/^\[|\]$/g, '');
      // A wildcard address is one to listen on, not to open: show the loopback one.
      const reachable = bare === '0.0.0.0' ? '127.0.0.1' : bare === '::' ? '::1' : bare;
      const shown = reachable.includes(':') ? `[${reachable}]` : reachable;
      const origin = `http://${shown}:${port}`;
      resolve({
        url: `${origin}${options.console.path}/`,
        link: options.console.link(origin),
        close: () =>
          new Promise<void>((done, fail) => {
            options.console.close();
            http.close((error) => (error ? fail(error) : done()));
            http.closeAllConnections();
          }),
      });
    });
  });
}
