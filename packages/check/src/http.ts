/**
 * The HTTP layer of a run: one recording `fetch` that both the typed client and the checks'
 * raw requests go through, so every exchange can be shown in a report (token redacted) and
 * every resource the run creates is seen by the cleanup.
 */
import type { RecordedExchange } from './types.js';

/** HTTP methods the checks send. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A bearer token, or a function returning it (called before every request). */
export type TokenSource = string | (() => string | Promise<string>);

/** Options of {@link Http}. */
export interface HttpOptions {
  /** The SCIM base URL, e.g. `https://example.com/scim/v2`. */
  baseUrl: string;
  token: TokenSource;
  /** @defaultValue `globalThis.fetch` */
  fetch?: typeof globalThis.fetch | undefined;
  /** Milliseconds to wait for each answer. @defaultValue 30_000 */
  timeout?: number | undefined;
  /** Extra headers for every request. */
  headers?: Record<string, string> | undefined;
  /** Refuse to send anything but GET (a programming error in a read-only run, never a request). */
  readOnly?: boolean | undefined;
  /** Stops the run: no request is sent once it is aborted (one already sent may finish). */
  signal?: AbortSignal | undefined;
}

/** One raw request of a check. */
export interface SendRequest {
  method: Method;
  /** A path under the base URL (`/Users/2819c223`), or an absolute URL on its origin. */
  path: string;
  /** Query parameters, encoded by the layer. */
  query?: Record<string, string | number>;
  /** A JSON body. */
  body?: unknown;
  /** A body sent exactly as given (malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** `null`: send no Authorization header; a string: send that token instead. */
  token?: string | null;
}

/** An answer with its body parsed, and the exchange as a report shows it. */
export interface Answer {
  status: number;
  headers: Headers;
  /** The body as text. */
  text: string;
  /**
   * The body parsed as JSON (`undefined` when empty or not JSON). Typed loosely on purpose:
   * checks read it through the helpers of expect.ts, which fail with a clear message instead
   * of throwing on an unexpected shape.
   */
  // biome-ignore lint/suspicious/noExplicitAny: see above
  body: any;
  exchange: RecordedExchange;
}

/** What every exchange tells its observers. */
export interface Observed {
  method: string;
  url: string;
  status: number;
  /** The parsed JSON body, if any. */
  body: unknown;
  headers: Headers;
  exchange: RecordedExchange;
}

/** The SCIM media type (RFC 7644 section 3.8). */
export const SCIM_JSON = 'application/scim+json';

const REQUEST_EXCERPT = 2000;
const RESPONSE_EXCERPT = 2000;
const SHOWN_RESPONSE_HEADERS = ['content-type', 'location', 'etag'];

/** Headers whose values reports never show: the token, and whatever else looks like a secret. */
const SECRET_HEADER = /authorization|cookie|token|secret|key|password|signature/i;

/** `Bearer <redacted>`: the scheme of a credential, never the credential. */
function redact(value: string): string {
  const scheme = /^[A-Za-z][\w-]*(?= )/.exec(value)?.[0];
  return scheme ? `${scheme} <redacted>` : '<redacted>';
}

/** Cuts text to `limit` characters, saying how much was left out. */
export function excerpt(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Milliseconds a 429's `Retry-After` asks for, when it is at most 30 s (1 s without one). */
function retryAfter(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return 1000;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms <= 30_000 ? Math.max(0, ms) : undefined;
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'no answer within the timeout';
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message ? `${error.message}: ${cause.message}` : error.message;
}

/**
 * The recording HTTP layer of one run. `fetch` is handed to `@scimkit/client`; `send` is how
 * checks make requests whose exact shape matters.
 */
export class Http {
  readonly baseUrl: string;
  readonly #origin: string;
  readonly #options: HttpOptions;
  readonly #observers: Array<(observed: Observed) => void> = [];

  constructor(options: HttpOptions) {
    this.#options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#origin = new URL(this.baseUrl).origin;
  }

  /**
   * The same layer without the run's abort signal and observers: what cleanup sends after a
   * stopped run must still go out.
   */
  detached(): Http {
    const { signal: _signal, ...options } = this.#options;
    return new Http(options);
  }

  /** Registers a function told about every exchange (recording, cleanup tracking). */
  observe(observer: (observed: Observed) => void): void {
    this.#observers.push(observer);
  }

  /** The URL of `path` under the base URL. */
  url(path: string, query?: Record<string, string | number>): string {
    const url = /^https?:\/\//i.test(path) ? path : `${this.baseUrl}/${path.replace(/^\/+/, '')}`;
    if (!query) return url;
    const parameters = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) parameters.set(name, String(value));
    return `${url}${url.includes('?') ? '&' : '?'}${parameters.toString()}`;
  }

  /** A `fetch` that records: give it to `createScimClient`. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const { response, text } = await this.#exchange(request);
    return new Response(text === '' ? null : text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  /** Sends one request and records it. A network failure rejects with the exchange attached. */
  async send(request: SendRequest): Promise<Answer> {
    const url = this.url(request.path, request.query);
    if (new URL(url).origin !== this.#origin) {
      throw new Error(`refusing to send the token to another origin: ${url}`);
    }
    const headers = new Headers({ accept: `${SCIM_JSON}, application/json;q=0.9`, ...request.headers });
    let body: string | undefined;
    if (request.rawBody !== undefined) body = request.rawBody;
    else if (request.body !== undefined) body = JSON.stringify(request.body);
    if (body !== undefined && !headers.has('content-type')) headers.set('content-type', SCIM_JSON);
    if (typeof request.token === 'string') headers.set('authorization', `Bearer ${request.token}`);
    const { response, text, exchange } = await this.#exchange(
      new Request(url, { method: request.method, headers, ...(body === undefined ? {} : { body }) }),
      request.token !== null,
    );
    return { status: response.status, headers: response.headers, text, body: parseJson(text), exchange };
  }

  async #exchange(
    request: Request,
    authenticate = true,
  ): Promise<{ response: Response; text: string; exchange: RecordedExchange }> {
    const method = request.method.toUpperCase();
    // A stopped run sends nothing more, but lets a request already sent finish: an aborted POST
    // may still create a resource on the server, which cleanup could then never see.
    this.#options.signal?.throwIfAborted();
    if (this.#options.readOnly && method !== 'GET') {
      throw new Error(`refusing to send ${method} ${request.url} in a read-only run`);
    }
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(this.#options.headers ?? {})) {
      if (!headers.has(name)) headers.set(name, value);
    }
    if (authenticate && !headers.has('authorization')) {
      const source = this.#options.token;
      const token = typeof source === 'function' ? await source() : source;
      if (token) headers.set('authorization', `Bearer ${token}`);
    }
    const body = request.body === null ? undefined : await request.clone().text();
    const shownHeaders: Record<string, string> = {};
    headers.forEach((value, name) => {
      shownHeaders[name] = SECRET_HEADER.test(name) ? redact(value) : value;
    });
    const requestRecord = {
      method,
      url: request.url,
      headers: shownHeaders,
      ...(body === undefined || body === '' ? {} : { body: excerpt(body, REQUEST_EXCERPT) }),
    };
    let response: Response;
    let text: string;
    try {
      for (let attempt = 1; ; attempt++) {
        response = await (this.#options.fetch ?? globalThis.fetch)(request.url, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          redirect: 'manual',
          signal: AbortSignal.timeout(this.#options.timeout ?? 30_000),
        });
        text = await response.text();
        // A rate limit is not a finding: wait as asked (up to 30 s, 3 times) and ask again.
        const wait = retryAfter(response);
        if (response.status !== 429 || wait === undefined || attempt > 3) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    } catch (error) {
      const exchange: RecordedExchange = { request: requestRecord, error: reasonOf(error) };
      throw Object.assign(new Error(`${method} ${request.url}: ${exchange.error}`), { exchange });
    }
    const responseHeaders: Record<string, string> = {};
    for (const name of SHOWN_RESPONSE_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) responseHeaders[name] = value;
    }
    const exchange: RecordedExchange = {
      request: requestRecord,
      response: { status: response.status, headers: responseHeaders, body: excerpt(text, RESPONSE_EXCERPT) },
    };
    const observed: Observed = {
      method,
      url: request.url,
      status: response.status,
      body: parseJson(text),
      headers: response.headers,
      exchange,
    };
    for (const observer of this.#observers) observer(observed);
    return { response, text, exchange };
  }
}

/** The exchange a failed `send` carries, if any. */
export function exchangeOf(error: unknown): RecordedExchange | undefined {
  const exchange = (error as { exchange?: unknown } | undefined)?.exchange;
  return typeof exchange === 'object' && exchange !== null ? (exchange as RecordedExchange) : undefined;
}
