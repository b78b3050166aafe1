/**
 * @packageDocumentation
 * Node.js `http` adapter of `@scimkit/server`: a request listener and a one-call server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { responseText } from '../internal/http.js';
import type { ScimServer } from '../server.js';

/** A `node:http` request listener. */
export type NodeRequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** How the adapter sees a request that a framework may already have read (Express). */
interface NodeRequestLike extends IncomingMessage {
  originalUrl?: string;
  body?: unknown;
}

/** Builds the Web `Request` for a Node request. */
export function toWebRequest(request: NodeRequestLike): Request {
  const secure = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const host = request.headers.host ?? 'localhost';
  const url = `${secure ? 'https' : 'http'}://${host}${request.originalUrl ?? request.url ?? '/'}`;
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // HTTP/2 pseudo-headers are not valid header names.
    if (name.charCodeAt(0) !== 58) headers.append(name, raw[i + 1]!);
  }
  const method = request.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  let body: BodyInit;
  if (request.body !== undefined && request.readableEnded) {
    // A body parser (express.json()) consumed the stream: send its result on.
    body =
      typeof request.body === 'string' || request.body instanceof Uint8Array
        ? (request.body as BodyInit)
        : JSON.stringify(request.body);
    headers.delete('content-length');
  } else {
    body = new ReadableStream<Uint8Array>({
      start(controller) {
        request.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
        request.on('end', () => controller.close());
        request.on('error', (error) => controller.error(error));
      },
      cancel() {
        request.destroy();
      },
    });
  }
  return new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
}

/** Writes a Web `Response` to a Node response. */
export async function writeWebResponse(response: Response, target: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const text = responseText.get(response);
  if (text !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(text));
    target.writeHead(response.status, headers);
    target.end(text);
    return;
  }
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body) headers['content-length'] = String(body.byteLength);
  target.writeHead(response.status, headers);
  target.end(body);
}

/** Runs the server for one Node request; never rejects (a failed write ends the socket). */
export function handleNode(
  server: ScimServer,
  request: NodeRequestLike,
  response: ServerResponse,
): Promise<void> {
  return server
    .fetch(toWebRequest(request))
    .then((webResponse) => writeWebResponse(webResponse, response))
    .catch(() => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/scim+json; charset=utf-8' });
        response.end('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500"}');
      } else response.destroy();
    });
}

/**
 * A `node:http` request listener serving a SCIM server.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(createNodeHandler(scim)).listen(8080);
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
  /** `http://host:port` (without the base path). */
  url: string;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server for a SCIM server and resolves once it listens.
 *
 * @example
 * ```ts
 * const { url, close } = await serveNode({ server: scim, port: 8080, host: '0.0.0.0' });
 * ```
 */
export function serveNode(options: ServeNodeOptions): Promise<RunningServer> {
  const http = createServer(createNodeHandler(options.server));
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      const { port } = http.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            http.close((error) => (error ? fail(error) : done()));
            http.closeAllConnections();
          }),
      });
    });
  });
}
