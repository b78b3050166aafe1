import { isScimErrorType, ScimError, type ScimErrorType } from '@scimkit/schema/errors';

const HTTP_ERROR_MARKER = Symbol.for('scimkit.client.httpError');
const PRECONDITION_FAILED_MARKER = Symbol.for('scimkit.client.preconditionFailed');
const NETWORK_ERROR_MARKER = Symbol.for('scimkit.client.networkError');
const TIMEOUT_ERROR_MARKER = Symbol.for('scimkit.client.timeoutError');

/** Options of {@link ScimClientError}. */
export interface ScimClientErrorOptions {
  /** HTTP status (of the response, or the one that describes the problem best). */
  status: number;
  /** The RFC 7644 `scimType`, where one applies. */
  scimType?: ScimErrorType;
  /** The underlying cause. */
  cause?: unknown;
}

/**
 * The base of the client's SCIM errors: a `ScimError` of `@scimkit/schema` (imported from its
 * zod-free `@scimkit/schema/errors` entry), with its `status`, `scimType`, `detail`, `toJSON()`
 * and the marker `isScimError()` recognises.
 * Thrown as is when a server misbehaves in a way the client detects (a ListResponse that is
 * not one, a paging loop) or a request cannot be sent as asked.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export class ScimClientError extends ScimError {
  constructor(detail: string, options: ScimClientErrorOptions) {
    super(detail, options);
    this.name = 'ScimClientError';
  }
}

/** What the client knows about a failed HTTP exchange, for {@link ScimHttpError}. */
export interface ScimHttpErrorOptions {
  /** HTTP status of the response. */
  status: number;
  /** The HTTP method of the request, upper case. */
  method: string;
  /** The full URL of the request. */
  url: string;
  /** The response body: parsed JSON when it was JSON, else the text (empty string if none). */
  body: unknown;
  /** The response, whose body has already been read. */
  response?: Response;
}

function describe(status: number, body: unknown): { detail: string; scimType: ScimErrorType | undefined } {
  let detail: string | undefined;
  let scimType: ScimErrorType | undefined;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const rawDetail = Object.hasOwn(record, 'detail') ? record.detail : undefined;
    if (typeof rawDetail === 'string' && rawDetail.length > 0) detail = rawDetail;
    const rawType = Object.hasOwn(record, 'scimType') ? record.scimType : undefined;
    if (isScimErrorType(rawType)) scimType = rawType;
  } else if (typeof body === 'string' && body.length > 0 && body.length <= 500) {
    detail = body;
  }
  return { detail: detail ?? `The server answered HTTP ${status} without an error detail.`, scimType };
}

/**
 * The server answered with an HTTP error status (4xx or 5xx). `detail` and `scimType` come from
 * the RFC 7644 Error body when the server sent one; `body` keeps whatever it sent.
 *
 * @example
 * ```ts
 * import { createScimClient, isScimHttpError } from '@scimkit/client';
 *
 * const client = createScimClient({ baseUrl: 'https://idm.example.com/scim/v2', token: process.env.SCIM_TOKEN ?? '' });
 * try {
 *   await client.users.create({ userName: 'bjensen' });
 * } catch (error) {
 *   if (isScimHttpError(error) && error.scimType === 'uniqueness') console.log('already there');
 *   else throw error;
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export class ScimHttpError extends ScimClientError {
  /** The HTTP method of the failed request, upper case. */
  readonly method: string;
  /** The full URL of the failed request. */
  readonly url: string;
  /** The response body: parsed JSON when it was JSON, else the text. */
  readonly body: unknown;
  /** The response (its body has already been read into {@link ScimHttpError.body}). */
  readonly response: Response | undefined;

  constructor(options: ScimHttpErrorOptions) {
    const { detail, scimType } = describe(options.status, options.body);
    super(detail, { status: options.status, ...(scimType ? { scimType } : {}) });
    this.name = 'ScimHttpError';
    this.message = `${options.method} ${options.url} failed with HTTP ${options.status}${scimType ? ` (${scimType})` : ''}: ${detail}`;
    this.method = options.method;
    this.url = options.url;
    this.body = options.body;
    this.response = options.response;
  }

  /** Marks this object for {@link isScimHttpError}, across duplicate installs. */
  get [HTTP_ERROR_MARKER](): true {
    return true;
  }
}

/**
 * HTTP 412: the resource changed since the version given in `ifMatch` was read. Read it again,
 * reapply the change and retry.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14
 */
export class ScimPreconditionFailedError extends ScimHttpError {
  constructor(options: ScimHttpErrorOptions) {
    super(options);
    this.name = 'ScimPreconditionFailedError';
  }

  /** Marks this object for {@link isScimPreconditionFailedError}, across duplicate installs. */
  get [PRECONDITION_FAILED_MARKER](): true {
    return true;
  }
}

/** Options of {@link ScimNetworkError}. */
export interface ScimNetworkErrorOptions {
  /** The HTTP method of the request, upper case. */
  method: string;
  /** The full URL of the request. */
  url: string;
  /** The error `fetch` threw. */
  cause?: unknown;
}

/**
 * The request never got an HTTP answer: connection refused or reset, DNS failure, TLS error,
 * or a response body that could not be read. Not a {@link ScimClientError}: there is no status.
 */
export class ScimNetworkError extends Error {
  /** The HTTP method of the failed request, upper case. */
  readonly method: string;
  /** The full URL of the failed request. */
  readonly url: string;

  constructor(detail: string, options: ScimNetworkErrorOptions) {
    super(
      `${options.method} ${options.url} failed: ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ScimNetworkError';
    this.method = options.method;
    this.url = options.url;
  }

  /** Marks this object for {@link isScimNetworkError}, across duplicate installs. */
  get [NETWORK_ERROR_MARKER](): true {
    return true;
  }
}

/** The server did not answer within the client's `timeout` (a kind of {@link ScimNetworkError}). */
export class ScimTimeoutError extends ScimNetworkError {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeout: number;

  constructor(options: ScimNetworkErrorOptions & { timeout: number }) {
    super(`no response within ${options.timeout} ms`, options);
    this.name = 'ScimTimeoutError';
    this.timeout = options.timeout;
  }

  /** Marks this object for {@link isScimTimeoutError}, across duplicate installs. */
  get [TIMEOUT_ERROR_MARKER](): true {
    return true;
  }
}

function hasMarker(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}

/**
 * Whether `value` is a {@link ScimHttpError} from any installed copy of `@scimkit/client`.
 * @example
 * ```ts
 * import { isScimHttpError, type ScimClient } from '@scimkit/client';
 * import type { User } from '@scimkit/schema';
 *
 * async function findUser(client: ScimClient, id: string): Promise<User | undefined> {
 *   try {
 *     return await client.users.get(id);
 *   } catch (error) {
 *     if (isScimHttpError(error) && error.status === 404) return undefined;
 *     throw error;
 *   }
 * }
 * ```
 */
export function isScimHttpError(value: unknown): value is ScimHttpError {
  return hasMarker(value, HTTP_ERROR_MARKER);
}

/** Whether `value` is a {@link ScimPreconditionFailedError} (HTTP 412) from any installed copy. */
export function isScimPreconditionFailedError(value: unknown): value is ScimPreconditionFailedError {
  return hasMarker(value, PRECONDITION_FAILED_MARKER);
}

/** Whether `value` is a {@link ScimNetworkError} (timeouts included) from any installed copy. */
export function isScimNetworkError(value: unknown): value is ScimNetworkError {
  return hasMarker(value, NETWORK_ERROR_MARKER);
}

/** Whether `value` is a {@link ScimTimeoutError} from any installed copy. */
export function isScimTimeoutError(value: unknown): value is ScimTimeoutError {
  return hasMarker(value, TIMEOUT_ERROR_MARKER);
}

/** Builds the right HTTP error class for a status. */
export function httpError(options: ScimHttpErrorOptions): ScimHttpError {
  return options.status === 412 ? new ScimPreconditionFailedError(options) : new ScimHttpError(options);
}
