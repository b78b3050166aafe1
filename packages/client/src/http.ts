import ky, { type Hooks, HTTPError, type KyInstance, type Options as KyOptions, TimeoutError } from 'ky';
import { httpError, ScimNetworkError, ScimTimeoutError } from './errors.js';
import type { ScimResourceEndpoints } from './resource-map.js';

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Retry policy: which failed requests are sent again and how long to wait in between.
 * `Retry-After` on 429 and 503 answers always wins over `backoff`.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export interface RetryOptions {
  /**
   * How many times a request is retried after the first attempt; 0 turns retries off.
   * @defaultValue 2
   */
  limit?: number;
  /**
   * Methods that are retried. Only idempotent ones by default: a retried POST could create a
   * resource twice. `POST …/.search` only reads and is retried whenever GET is.
   * @defaultValue ['GET', 'PUT', 'DELETE']
   */
  methods?: readonly HttpMethod[];
  /**
   * Response statuses that are retried.
   * @defaultValue [408, 429, 502, 503, 504]
   */
  statusCodes?: readonly number[];
  /**
   * Milliseconds to wait before retry number `attempt` (1-based) when the server sent no
   * `Retry-After`.
   * @defaultValue attempt => 300 * 2 ** (attempt - 1), at most 10 s
   */
  backoff?: (attempt: number) => number;
  /**
   * Longest `Retry-After` (in ms) the client waits; a longer one fails the request at once.
   * @defaultValue 60_000
   */
  maxRetryAfter?: number;
}

/**
 * Options of `createScimClient`.
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export interface ScimClientOptions {
  /** The SCIM base URL, e.g. `https://example.com/scim/v2` (endpoints are appended to it). */
  baseUrl: string;
  /**
   * The bearer token, or a function returning it (called before every request, retries
   * included, so it can refresh an expiring token). An empty string sends no Authorization.
   */
  token: string | (() => string | Promise<string>);
  /**
   * The `fetch` to use: a test double, an instrumented fetch, undici with a proxy.
   * @defaultValue globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Milliseconds to wait for each response (per attempt) before failing with
   * {@link ScimTimeoutError}.
   * @defaultValue 30_000
   */
  timeout?: number;
  /**
   * Retry policy, or just the number of retries. By default idempotent requests (GET, PUT,
   * DELETE and `/.search`) are retried twice on 408, 429, 502, 503 and 504, honouring
   * `Retry-After`.
   */
  retry?: RetryOptions | number;
  /** ky hooks (`beforeRequest`, `afterResponse`, `beforeRetry`, `beforeError`) for logging or tracing. */
  hooks?: Hooks;
  /**
   * The endpoints and core schema URNs of the server's resource types: the `scimResources`
   * constant of a module `scimkit codegen` wrote. `client.resource(endpoint)` then puts the
   * right URN into `schemas` when create or replace input has none.
   */
  resources?: ScimResourceEndpoints;
}

/** One request as resource clients describe it. */
export interface TransportRequest {
  method: HttpMethod;
  /** Path relative to the base URL, e.g. `/Users/2819c223`. */
  path: string;
  /** An absolute URL on the server's origin to use instead of `path` (a `Location` to follow). */
  url?: string;
  query?: URLSearchParams;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A read-only POST (`/.search`): retried like GET. */
  safe?: boolean;
}

/** A response with its parsed body. */
export interface TransportResponse {
  /** The URL that was requested. */
  url: string;
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

/** Sends one request and parses the answer; throws the client's error classes. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

const SCIM_MEDIA_TYPE = 'application/scim+json';
const DEFAULT_TIMEOUT = 30_000;

function defaultBackoff(attempt: number): number {
  return Math.min(300 * 2 ** (attempt - 1), 10_000);
}

/** Milliseconds a response's `Retry-After` asks for (seconds or an HTTP date); 0 without one. */
function retryAfterMs(response: Response): number {
  const value = response.headers.get('retry-after');
  if (!value) return 0;
  const seconds = Number(value);
  const ms = Number.isNaN(seconds) ? Date.parse(value) - Date.now() : seconds * 1000;
  return Number.isFinite(ms) ? ms : 0;
}

/** Joins the base URL and a path with exactly one slash. */
function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Creates the ky-based transport shared by every resource client of one SCIM client. */
export function createTransport(options: ScimClientOptions): Transport {
  const retry: RetryOptions =
    typeof options.retry === 'number' ? { limit: options.retry } : (options.retry ?? {});
  const methods = (retry.methods ?? ['GET', 'PUT', 'DELETE']).map((method) => method.toLowerCase());
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const maxRetryAfter = retry.maxRetryAfter ?? 60_000;
  const kyRetry = {
    limit: retry.limit ?? 2,
    methods,
    statusCodes: [...(retry.statusCodes ?? [408, 429, 502, 503, 504])],
    afterStatusCodes: [413, 429, 503],
    delay: retry.backoff ?? defaultBackoff,
    // ky would wait maxRetryAfter and retry early; a server asking for a longer pause is
    // better answered with the error at once.
    shouldRetry: ({ error }: { error: Error }) =>
      error instanceof HTTPError && retryAfterMs(error.response) > maxRetryAfter ? false : undefined,
  };
  const token = options.token;
  const instance: KyInstance = ky.create({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeout,
    retry: kyRetry,
    throwHttpErrors: true,
    headers: { accept: `${SCIM_MEDIA_TYPE}, application/json;q=0.9`, ...options.headers },
    hooks: {
      ...options.hooks,
      beforeRequest: [
        async (request) => {
          const value = typeof token === 'function' ? await token() : token;
          if (value) request.headers.set('authorization', `Bearer ${value}`);
        },
        ...(options.hooks?.beforeRequest ?? []),
      ],
    },
  });

  return async (request) => {
    const url =
      request.url ??
      joinUrl(options.baseUrl, request.path) +
        (request.query && request.query.toString() !== '' ? `?${request.query.toString()}` : '');
    const kyOptions: KyOptions = {
      method: request.method,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.safe && methods.includes('get') && !methods.includes('post')
        ? { retry: { ...kyRetry, methods: [...methods, 'post'] } }
        : {}),
    };
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) {
      headers['content-type'] = SCIM_MEDIA_TYPE;
      kyOptions.body = JSON.stringify(request.body);
    }
    kyOptions.headers = headers;
    let response: Response;
    try {
      response = await instance(url, kyOptions);
    } catch (error) {
      if (error instanceof HTTPError) {
        let body: unknown;
        try {
          body = await readBody(error.response);
        } catch {
          body = '';
        }
        throw httpError({
          status: error.response.status,
          method: request.method,
          url,
          body,
          response: error.response,
        });
      }
      if (error instanceof TimeoutError)
        throw new ScimTimeoutError({ method: request.method, url, timeout, cause: error });
      if (request.signal?.aborted) throw error;
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw new ScimNetworkError(error instanceof Error ? error.message : String(error), {
        method: request.method,
        url,
        cause: error,
      });
    }
    let body: unknown;
    try {
      body = await readBody(response);
    } catch (error) {
      throw new ScimNetworkError('the response body could not be read', {
        method: request.method,
        url,
        cause: error,
      });
    }
    return { url, status: response.status, headers: response.headers, body };
  };
}
