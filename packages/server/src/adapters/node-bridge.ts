import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScimError } from '@scimkit/schema';
import {
  concat,
  coreOf,
  decodeUtf8,
  errorResult,
  fromWebRequest,
  type ScimReply,
  type ScimRequest,
  scimError,
  tooLarge,
  toReply,
} from '../internal/http.js';
import type { ScimServer } from '../server.js';

/** How the adapter sees a request that a framework may already have read (Express). */
export interface NodeRequestLike extends IncomingMessage {
  originalUrl?: string;
  body?: unknown;
}

/** A Host header value: a registered name, IPv4 or bracketed IPv6 address, and an optional port. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9._~%-]+)(?::\d{1,5})?$/i;

/**
 * The path and query of a request target: origin-form (`/scim/v2/Users?…`) as is, absolute-form
 * (`http://host/scim/v2/Users`) reduced to its path, anything else undefined.
 */
function pathOf(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  if (!/^https?:\/\//i.test(target)) return undefined;
  const url = new URL(target);
  return `${url.pathname}${url.search}`;
}

/**
 * Builds the Web `Request` for a Node request. Throws for a Host header or request target that
 * is not one (`Host: a b`, `Host: x/scim/v2/Bulk?`), so neither can change the routed path.
 */
function toWebRequest(request: NodeRequestLike): Request {
  const secure = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const host = request.headers.host ?? 'localhost';
  const path = pathOf(request.originalUrl ?? request.url ?? '/');
  if (!HOST.test(host) || path === undefined) throw new TypeError('Invalid request URL or Host header');
  const url = `${secure ? 'https' : 'http'}://${host}${path}`;
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // HTTP/2 pseudo-headers are not valid header names.
    if (name.charCodeAt(0) !== 58) headers.append(name, raw[i + 1]!);
  }
  const method = request.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  let stream: BodyInit;
  if (request.body !== undefined && request.readableEnded) {
    // A body parser (express.json()) consumed the stream: send its result on.
    stream =
      typeof request.body === 'string' || request.body instanceof Uint8Array
        ? (request.body as BodyInit)
        : JSON.stringify(request.body);
    headers.delete('content-length');
  } else {
    let detach = () => {};
    stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const onData = (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk));
        const onEnd = () => controller.close();
        request.on('data', onData);
        request.once('end', onEnd);
        request.on('error', (error) => controller.error(error));
        detach = () => {
          request.off('data', onData);
          request.off('end', onEnd);
        };
      },
      cancel() {
        // The server stopped reading (a body over the limit): discard the rest instead of
        // destroying the socket, so the 413 answer still reaches the client.
        detach();
        request.resume();
      },
    });
  }
  return new Request(url, { method, headers, body: stream, duplex: 'half' } as RequestInit);
}

/** Writes a Web `Response` to a Node response (a server that is not scimkit's). */
async function writeWebResponse(response: Response, target: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body) headers['content-length'] = String(body.byteLength);
  target.writeHead(response.status, headers);
  target.end(body);
}

/** Writes a reply of the server core. */
function writeReply(reply: ScimReply, target: ServerResponse): void {
  const { headers, text } = reply;
  // Encoded once: `Buffer.byteLength` and then `end(text)` would each walk the text (a page of
  // 100 Users is 170 kB, and a non-ASCII character makes both walks several times slower).
  const body = text === undefined ? undefined : Buffer.from(text, 'utf8');
  if (body !== undefined) headers['content-length'] = String(body.length);
  target.writeHead(reply.status, headers);
  target.end(body);
}

/** Methods the fast path serves; anything else (and pre-parsed bodies) goes through `fetch`. */
const FAST_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'POST', 'PUT', 'PATCH']);

/** A header of a Node request as Web `Headers` would give it: repeated ones joined with `, `. */
function headerOf(raw: readonly string[], name: string): string | null {
  let value: string | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    value = value === null ? raw[i + 1]! : `${value}, ${raw[i + 1]!}`;
  }
  return value;
}

/** Reads a Node request body up to `limit` bytes, discarding the rest beyond it (413). */
function readNodeBody(request: IncomingMessage, limit: number, declared: string | null): Promise<string> {
  if (declared !== null && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        detach();
        // Discard the rest instead of destroying the socket, so the 413 answer reaches the client.
        request.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      detach();
      if (size === 0) resolve('');
      else {
        try {
          resolve(decodeUtf8(chunks.length === 1 ? chunks[0]! : concat(chunks, size)));
        } catch (error) {
          reject(error);
        }
      }
    };
    // Stays attached: a late stream error must not go unhandled.
    const onError = (error: Error) => {
      detach();
      reject(error);
    };
    const detach = () => {
      request.off('data', onData);
      request.off('end', onEnd);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

/**
 * A {@link ScimRequest} straight from a Node request, without Web `Request`/`Headers` objects;
 * undefined when the request target or Host header is not valid (the slow path answers those).
 */
function toScimRequest(request: NodeRequestLike, method: string): ScimRequest | undefined {
  const secure = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const host = request.headers.host ?? 'localhost';
  const path = pathOf(request.originalUrl ?? request.url ?? '/');
  if (!HOST.test(host) || path === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(`${secure ? 'https' : 'http'}://${host}${path}`);
  } catch {
    return undefined;
  }
  return new NodeScimRequest(request, method, url);
}

/**
 * The {@link ScimRequest} of a Node request. A class, its methods on the prototype: an object
 * literal with three closures cost three allocations per request, and each closure's first call
 * went through V8's lazy compilation stub.
 */
class NodeScimRequest implements ScimRequest {
  #web: Request | undefined;

  constructor(
    private readonly source: NodeRequestLike,
    readonly method: string,
    readonly url: URL,
  ) {}

  header(name: string): string | null {
    return headerOf(this.source.rawHeaders, name);
  }

  text(limit: number): Promise<string> {
    // A Web Request of GET or HEAD has no body.
    if (this.method === 'GET' || this.method === 'HEAD') return Promise.resolve('');
    return readNodeBody(this.source, limit, this.header('content-length'));
  }

  request(): Request {
    if (!this.#web) {
      const headers = new Headers();
      const raw = this.source.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = raw[i]!;
        if (name.charCodeAt(0) !== 58) headers.append(name, raw[i + 1]!);
      }
      // Only error reports ask for it here: the body, if any, is read or being read already.
      this.#web = new Request(this.url, { method: this.method, headers });
    }
    return this.#web;
  }
}

function fail(response: ServerResponse): void {
  if (!response.headersSent) {
    response.writeHead(500, { 'content-type': 'application/scim+json; charset=utf-8' });
    response.end('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500"}');
  } else response.destroy();
}

/**
 * Runs the server for one Node request; never rejects (a failed write ends the socket). A server
 * made by `createScimServer` is answered by its core, without Web `Request`/`Response` objects
 * where nothing needs them (the fast path); any other goes through `fetch`.
 */
export function handleNode(
  server: ScimServer,
  request: NodeRequestLike,
  response: ServerResponse,
): Promise<void> {
  if (request.headers.host === undefined && request.httpVersion === '1.1') {
    // Reached only on a server made with `requireHostHeader: false` (Node answers it otherwise).
    answerRefusal(
      response,
      scimError(400, 'An HTTP/1.1 request must carry a Host header (RFC 9112 section 3.2).'),
    );
    return Promise.resolve();
  }
  const core = coreOf(server);
  if (!core) return handleWeb(server, request, response);
  const method = request.method ?? 'GET';
  let scimRequest: ScimRequest | undefined;
  if (!core.usesWebRequest && request.body === undefined && FAST_METHODS.has(method)) {
    scimRequest = toScimRequest(request, method);
  }
  if (!scimRequest) {
    const webRequest = webRequestOrReply(request, response);
    if (!webRequest) return Promise.resolve();
    scimRequest = fromWebRequest(webRequest);
  }
  return core.handle(scimRequest).then(
    (reply) => {
      try {
        writeReply(reply, response);
      } catch {
        fail(response);
      }
    },
    () => fail(response),
  );
}

/**
 * The Web `Request` of a Node request, or undefined once the error is answered: a method the
 * Fetch API forbids (TRACE), or a Host header or request target no URL can be built from
 * (`Host: a b`), is a client error answered here; thrown from the request listener it would end
 * the process.
 */
function webRequestOrReply(request: NodeRequestLike, response: ServerResponse): Request | undefined {
  try {
    return toWebRequest(request);
  } catch {
    const method = request.method ?? '';
    const invalid = /^(?:CONNECT|TRACE|TRACK)$/i.test(method)
      ? scimError(405, `The ${method} method is not supported.`)
      : scimError(400, 'The request URL or Host header is not valid.');
    answerRefusal(response, invalid);
    return undefined;
  }
}

/** Answers a request refused before the server sees it with its SCIM Error. */
function answerRefusal(response: ServerResponse, error: ScimError): void {
  try {
    writeReply(toReply(errorResult(error, () => {})), response);
  } catch {
    response.destroy();
  }
}

/** The portable path, for servers that are not scimkit's: a Web `Request` through `server.fetch`. */
function handleWeb(server: ScimServer, request: NodeRequestLike, response: ServerResponse): Promise<void> {
  const webRequest = webRequestOrReply(request, response);
  if (!webRequest) return Promise.resolve();
  return server
    .fetch(webRequest)
    .then((webResponse) => writeWebResponse(webResponse, response))
    .catch(() => fail(response));
}
