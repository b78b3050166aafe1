/**
 * Requests Node's HTTP parser refuses before any handler runs (headers over the limit, an
 * unknown method, malformed HTTP): answered with a SCIM Error body instead of Node's empty one.
 */
import type { Duplex } from 'node:stream';
import type { ScimError } from '@scimkit/schema';
import { errorResult, scimError, toReply } from '../internal/http.js';

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
};

/** The SCIM error for a parser error code of Node (`HPE_*` from llhttp, `ERR_HTTP_*`). */
function refusalOf(code: string | undefined): ScimError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return scimError(
        431,
        'The request line and headers are larger than this server accepts (16 KB by default); send a long filter or attribute list in the body of POST /.search (or POST /Users/.search) instead.',
      );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return scimError(413, 'The chunk extensions of the request body are larger than this server accepts.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return scimError(408, 'The request did not arrive completely in time.');
    case 'HPE_INVALID_METHOD':
      return scimError(
        501,
        'The request method is not one this server implements; SCIM uses GET, POST, PUT, PATCH and DELETE.',
      );
    default:
      return scimError(400, 'The request is not valid HTTP/1.1.', 'invalidSyntax');
  }
}

/**
 * A `clientError` listener for a `node:http` server: answers a request Node's parser refuses
 * before any handler runs (request line or headers over the limit → 431, an unknown method →
 * 501, malformed HTTP → 400 `invalidSyntax`, a timeout → 408) with a SCIM Error body, then
 * closes the connection. {@link serveNode} installs it; install it yourself next to
 * {@link createNodeHandler}.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { createNodeHandler, handleClientError } from '@scimkit/server/node';
 *
 * const scim = createScimServer({ store: createMemoryStore(), auth: { tokens: [process.env.SCIM_TOKEN!] } });
 * const http = createServer({ requireHostHeader: false }, createNodeHandler(scim));
 * http.on('clientError', handleClientError);
 * http.listen(8080);
 * ```
 * @see https://nodejs.org/api/http.html#event-clienterror
 */
export function handleClientError(error: Error, socket: Duplex): void {
  const code = (error as { code?: unknown }).code;
  // Node's own listener checks the same: a response already on its way cannot be replaced.
  const inFlight =
    (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (code === 'ECONNRESET' || !socket.writable || inFlight) {
    socket.destroy();
    return;
  }
  const reply = toReply(errorResult(refusalOf(typeof code === 'string' ? code : undefined), () => {}));
  const text = reply.text ?? '';
  const head = [
    `HTTP/1.1 ${reply.status} ${REASONS[reply.status] ?? 'Error'}`,
    `content-type: ${reply.headers['content-type']}`,
    `content-length: ${Buffer.byteLength(text)}`,
    'connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`);
}
