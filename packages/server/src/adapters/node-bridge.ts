import type { IncomingMessage, ServerResponse } from 'node:http';
import { responseText } from '../internal/http.js';
import type { ScimServer } from '../server.js';

/** How the adapter sees a request that a framework may already have read (Express). */
export interface NodeRequestLike extends IncomingMessage {
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
