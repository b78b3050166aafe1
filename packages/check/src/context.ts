/**
 * What a check runs with: the recording HTTP layer, the typed client on top of it, what
 * discovery found, unique names, shared fixtures created once per run, and the definition
 * helper of the catalogue.
 */
import { isScimHttpError, isScimNetworkError, type ScimClient } from '@scimkit/client';
import type { FilterSchemaDefinition } from '@scimkit/filter';
import { CheckFailure, record, resourceOf } from './expect.js';
import type { Answer, Http, SendRequest } from './http.js';
import { filterSchemas, type ServerInfo } from './server-info.js';
import type { CheckInfo, Feature, RecordedExchange } from './types.js';

/** Thrown by a check that cannot be judged on this server (no user to read, say). */
export class CheckSkipped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CheckSkipped';
  }
}

/** Something several checks need, created once per run on first use. */
export interface Fixture<T> {
  /** Named in failures: "could not create the fixture <name>". */
  readonly name: string;
  create(context: CheckContext): Promise<T>;
}

/** A check of the catalogue. */
export interface CheckDefinition extends CheckInfo {
  run(context: CheckContext): Promise<void>;
}

/** {@link CheckDefinition} with defaults: required, writes, no IdP, no feature. */
export function defineCheck(
  check: Omit<CheckDefinition, 'level' | 'idps' | 'requires' | 'writes'> & Partial<CheckDefinition>,
): CheckDefinition {
  return { level: 'required', idps: [], requires: [], writes: true, ...check };
}

/** The RFC section links the catalogue cites. */
export const rfc7643 = (section: string): string =>
  `https://www.rfc-editor.org/rfc/rfc7643#section-${section}`;
/** @see rfc7643 */
export const rfc7644 = (section: string): string =>
  `https://www.rfc-editor.org/rfc/rfc7644#section-${section}`;
/** RFC 9865 (cursor paging). */
export const RFC9865 = 'https://www.rfc-editor.org/rfc/rfc9865';

/** The context every check runs with. */
export class CheckContext {
  readonly http: Http;
  readonly client: ScimClient;
  readonly server: ServerInfo;
  /** Every name the run gives starts with it. */
  readonly prefix: string;
  readonly readOnly: boolean;
  readonly #fixtures = new Map<Fixture<unknown>, Promise<unknown>>();
  #counter = 0;
  /** The last exchange, for failures of client calls. */
  lastExchange: RecordedExchange | undefined;

  constructor(options: {
    http: Http;
    client: ScimClient;
    server: ServerInfo;
    prefix: string;
    readOnly: boolean;
  }) {
    this.http = options.http;
    this.client = options.client;
    this.server = options.server;
    this.prefix = options.prefix;
    this.readOnly = options.readOnly;
    this.http.observe((observed) => {
      this.lastExchange = observed.exchange;
    });
  }

  /** Whether the server advertises `feature`. */
  has(feature: Feature): boolean {
    return this.server.features[feature];
  }

  /** Sends a raw request (see {@link Http.send}). */
  send(request: SendRequest): Promise<Answer> {
    return this.http.send(request);
  }

  /** A unique name for this run: `<prefix>-<label><n>`. */
  unique(label: string): string {
    this.#counter++;
    return `${this.prefix}-${label}${this.#counter}`;
  }

  /** A unique userName: `<prefix>-<label><n>@example.com`. */
  userName(label = 'user'): string {
    return `${this.unique(label)}@example.com`;
  }

  /** The schemas a filter on `type` is evaluated against (the server's declarations). */
  filterSchemas(type: 'User' | 'Group'): FilterSchemaDefinition[] {
    return filterSchemas(this.server, type);
  }

  /** The fixture's value, created on first use; a failed creation fails every check using it. */
  fixture<T>(fixture: Fixture<T>): Promise<T> {
    let pending = this.#fixtures.get(fixture) as Promise<T> | undefined;
    if (!pending) {
      pending = this.#create(fixture);
      this.#fixtures.set(fixture, pending);
    }
    return pending;
  }

  async #create<T>(fixture: Fixture<T>): Promise<T> {
    try {
      return await fixture.create(this);
    } catch (error) {
      const reason = error instanceof CheckFailure ? error.details.message : errorText(error);
      throw new CheckFailure({
        message: `could not create the fixture ${fixture.name}: ${reason}`,
        expected: `the fixture ${fixture.name} to be created`,
        ...(error instanceof CheckFailure && error.details.exchange
          ? { exchange: error.details.exchange }
          : this.lastExchange
            ? { exchange: this.lastExchange }
            : {}),
      });
    }
  }

  /**
   * Runs a client call, turning its errors into a failure with the exchange behind them (the
   * client is used where the exact shape of the exchange is not what is checked).
   */
  async viaClient<T>(what: string, call: (client: ScimClient) => Promise<T>): Promise<T> {
    try {
      return await call(this.client);
    } catch (error) {
      throw new CheckFailure({
        message: `${what} failed: ${errorText(error)}`,
        expected: `${what} to succeed`,
        ...(this.lastExchange ? { exchange: this.lastExchange } : {}),
      });
    }
  }

  /**
   * The resource a write produced: the body, or (after a 204 or an empty 201) a GET of it, so
   * checks judge the state and not whether the server chose to echo it.
   */
  async afterWrite(answer: Answer, endpoint: string, id?: string): Promise<Record<string, unknown>> {
    const body = record(answer.body);
    if (body && answer.status !== 204) return body;
    const location = answer.headers.get('location');
    const path = id !== undefined ? `${endpoint}/${encodeURIComponent(id)}` : location;
    if (!path) return resourceOf(answer);
    const read = await this.send({ method: 'GET', path });
    return resourceOf(read);
  }

  /** GETs a resource and returns its body (200 expected). */
  async read(endpoint: string, id: string, query?: Record<string, string>): Promise<Answer> {
    return this.send({
      method: 'GET',
      path: `${endpoint}/${encodeURIComponent(id)}`,
      ...(query ? { query } : {}),
    });
  }
}

/** A one-line description of any error. */
export function errorText(error: unknown): string {
  if (isScimHttpError(error)) return `${error.method} ${error.url} answered ${error.status}: ${error.detail}`;
  if (isScimNetworkError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}
