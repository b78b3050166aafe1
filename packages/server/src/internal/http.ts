import { isScimError, ScimError, type ScimErrorType } from '@scimkit/schema';
import { bodyText } from './body-text.js';

/** The SCIM media type. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.1 */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** A handler's answer before it becomes a `Response` (bulk reuses it without HTTP). */
export interface ScimResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A result ready to send: header names lower-case, the body as JSON text with its content type (SCIM's unless the result names one). */
export interface ScimReply {
  status: number;
  headers: Record<string, string>;
  /** The body, absent for 204 and 304. */
  text?: string;
}

/** Turns a result into a {@link ScimReply}. */
export function toReply(result: ScimResult): ScimReply {
  const headers: Record<string, string> = {};
  if (result.headers)
    for (const name of Object.keys(result.headers)) headers[name.toLowerCase()] = result.headers[name]!;
  if (result.body === undefined) return { status: result.status, headers };
  // SCIM bodies unless the result says otherwise (openapi.json is plain JSON).
  headers['content-type'] ??= SCIM_CONTENT_TYPE;
  return { status: result.status, headers, text: bodyText(result.body) };
}

/** Turns a result into a Web `Response` with the SCIM content type. */
export function toResponse(result: ScimResult): Response {
  const { status, headers, text } = toReply(result);
  return new Response(text ?? null, { status, headers });
}

/** A SCIM error. */
export function scimError(status: number, detail: string, scimType?: ScimErrorType): ScimError {
  return new ScimError(detail, { status, ...(scimType ? { scimType } : {}) });
}

/**
 * 405 Method Not Allowed, with the methods the endpoint accepts for the `Allow` header that
 * must come with it.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6
 */
export class MethodNotAllowedError extends ScimError {
  /** The methods the endpoint accepts, as the `Allow` header lists them (`GET, POST`). */
  readonly allow: string;

  constructor(allow: string) {
    super(`This endpoint accepts ${allow} only.`, { status: 405 });
    this.name = 'MethodNotAllowedError';
    this.allow = allow;
  }
}

/**
 * The result for a thrown value: scimkit errors (of any package or copy) keep their status,
 * scimType and detail; anything else becomes a 500 with a generic detail (never a stack).
 */
export function errorResult(error: unknown, onUnexpected: (error: unknown) => void): ScimResult {
  if (isScimError(error)) {
    const status =
      Number.isInteger(error.status) && error.status >= 400 && error.status < 600 ? error.status : 500;
    const body = error.toJSON();
    const headers = extraHeaders(error, status);
    return { status, body: { ...body, status: String(status) }, ...(headers ? { headers } : {}) };
  }
  onUnexpected(error);
  return {
    status: 500,
    body: new ScimError('The service provider failed to process the request.', { status: 500 }).toJSON(),
  };
}

function extraHeaders(error: unknown, status: number): Record<string, string> | undefined {
  if (status === 401) return { 'www-authenticate': 'Bearer realm="scim"' };
  if (error instanceof MethodNotAllowedError) return { allow: error.allow };
  return undefined;
}

/**
 * The request as the server core reads it. `fetch` wraps a Web `Request` in one; the Node
 * adapter builds one straight from `IncomingMessage`, so the hot routes need no Web
 * `Request`/`Headers` objects (the `Request` is built only when a hook or callback asks for it).
 */
export interface ScimRequest {
  /** The method as sent (the core upper-cases it). */
  readonly method: string;
  /** The absolute request URL. */
  readonly url: URL;
  /** A header value by lower-case name (repeated headers joined with `, `), or null. */
  header(name: string): string | null;
  /** The body as UTF-8 text, at most `limit` bytes (413 beyond it, whatever Content-Length says). */
  text(limit: number): Promise<string>;
  /** The Web `Request` handed to hooks and callbacks (built once, on first use). */
  request(): Request;
}

/** What the Node adapter needs from a server to skip Web `Request`/`Response` objects. */
export interface ScimCore {
  /** {@link CORE_VERSION} of the scimkit that made the server. */
  readonly version: number;
  /** Answers one request; never rejects (failures are Error replies). */
  handle(request: ScimRequest): Promise<ScimReply>;
  /**
   * Whether hooks or callbacks will see the Web `Request` (event hooks, `auth.verify`): the Node
   * adapter then builds it as before, body stream included.
   */
  readonly usesWebRequest: boolean;
}

/**
 * Where a server made by `createScimServer` keeps its core: a property of the server object
 * under a `Symbol.for` key, never module state. Each entry point of the build (`dist/index.js`,
 * `dist/node.js`, their `.cjs` twins) is a module of its own, a program may load one with
 * `import` and another with `require`, and an app may even hold two installs: a registry
 * (a WeakMap) in one copy of this module is empty in every other, while the symbol is the same
 * everywhere. Not enumerable, so `{ ...server, fetch }` makes a server of its own.
 */
const CORE = Symbol.for('scimkit.server.core');

/** Bumped whenever {@link ScimCore} or {@link ScimRequest} change: adapters of another version use `fetch`. */
const CORE_VERSION = 1;

/** Gives a server its core (internal; `fetch` stays the public contract). */
export function attachCore(server: object, core: Omit<ScimCore, 'version'>): void {
  Object.defineProperty(server, CORE, { value: { ...core, version: CORE_VERSION } });
}

/** The core of a server made by `createScimServer` of this version, if it is one. */
export function coreOf(server: object): ScimCore | undefined {
  const core = (server as { [CORE]?: ScimCore })[CORE];
  return core?.version === CORE_VERSION ? core : undefined;
}

/** A {@link ScimRequest} over a Web `Request`. */
export function fromWebRequest(request: Request): ScimRequest {
  return {
    method: request.method,
    url: new URL(request.url),
    header: (name) => request.headers.get(name),
    text: (limit) => readBody(request, limit),
    request: () => request,
  };
}

/** Reads a request body up to `limit` bytes: 413 beyond it, whatever Content-Length says. */
async function readBody(request: Request, limit: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return decodeUtf8(chunks.length === 1 ? chunks[0]! : concat(chunks, size));
}

/**
 * One strict decoder for every body: a call to `decode` without `stream` starts afresh (also
 * after a failed one), so the instance is shared instead of built per request.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a JSON body: invalid UTF-8 is 400 invalidSyntax. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    // JSON text is UTF-8 (RFC 8259 section 8.1): never store replacement characters instead.
    return utf8.decode(bytes);
  } catch {
    throw scimError(400, 'The request body is not valid UTF-8; send JSON encoded as UTF-8.', 'invalidSyntax');
  }
}

/** Whether percent-decoding gives valid UTF-8 (a `%` that starts no escape stays literal, as in URLSearchParams). */
function decodesToUtf8(text: string): boolean {
  if (!text.includes('%')) return true;
  try {
    decodeURIComponent(text.replace(/%(?![0-9a-f]{2})/gi, '%25'));
    return true;
  } catch {
    return false;
  }
}

/** A percent-escape of a byte from 0x80 up: the only kind that can be invalid UTF-8. */
const NON_ASCII_ESCAPE = /%[89a-f][0-9a-f]/i;

/**
 * Refuses a query string whose percent-encoded bytes are not UTF-8
 * (`?filter=userName%20eq%20%22%FF%22`): URLSearchParams would silently read U+FFFD instead,
 * and a filter would then match (or store) something the client never sent. 400
 * `invalidFilter` for `filter`, `invalidSyntax` for any other parameter.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-2.5
 */
export function checkQueryEncoding(url: URL): void {
  const { search } = url;
  // Escapes of ASCII bytes only (the usual query: `%20`, `%22`, `%40`) always decode to UTF-8,
  // and a malformed escape is read literally: only a byte from %80 up can be invalid.
  if (!NON_ASCII_ESCAPE.test(search)) return;
  // Escapes of UTF-8 decode whole: one call instead of one per part (an escape sequence never
  // spans the literal `&` and `=` that separate the parts).
  try {
    decodeURIComponent(search);
    return;
  } catch {}
  for (const pair of search.slice(1).split('&')) {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    if (!decodesToUtf8(name)) {
      throw scimError(
        400,
        'A query parameter name is not valid UTF-8 once percent-decoded; percent-encode UTF-8 bytes only.',
        'invalidSyntax',
      );
    }
    if (equals < 0 || decodesToUtf8(pair.slice(equals + 1))) continue;
    const parameter = decodeURIComponent(name.replace(/\+/g, ' ').replace(/%(?![0-9a-f]{2})/gi, '%25'));
    throw scimError(
      400,
      `The query parameter "${parameter.slice(0, 64)}" is not valid UTF-8 once percent-decoded; percent-encode UTF-8 bytes only.`,
      parameter.toLowerCase() === 'filter' ? 'invalidFilter' : 'invalidSyntax',
    );
  }
}

export function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The 413 error for a body over `limit` bytes. */
export function tooLarge(limit: number): ScimError {
  return scimError(413, `The request body is larger than the limit of ${limit} bytes.`);
}

/** Parses a JSON object body: malformed JSON or a non-object is 400 invalidSyntax. */
function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '')
    throw scimError(400, 'The request body is empty; a JSON object is required.', 'invalidSyntax');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw scimError(
      400,
      `The request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}.`,
      'invalidSyntax',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw scimError(400, 'The request body must be a JSON object.', 'invalidSyntax');
  }
  return value as Record<string, unknown>;
}

/**
 * Reads a JSON object body of at most `limit` bytes: 415 for a Content-Type that is not JSON,
 * 413 beyond the limit, 400 invalidSyntax for anything but a JSON object.
 */
export async function readJsonBody(request: ScimRequest, limit: number): Promise<Record<string, unknown>> {
  if (!isJsonContentType(request.header('content-type'))) {
    throw scimError(415, 'Send the body as application/scim+json (or application/json).');
  }
  return parseJsonObject(await request.text(limit));
}

/** Whether a Content-Type is JSON (`application/scim+json`, `application/json`, any `+json`). */
function isJsonContentType(value: string | null): boolean {
  if (value === null) return true;
  const type = value.split(';', 1)[0]!.trim().toLowerCase();
  return type === '' || type === 'application/json' || type.endsWith('+json');
}
