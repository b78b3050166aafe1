/**
 * Watching a SCIM server at its HTTP boundary: {@link Recorder.observe} wraps its `fetch`, copies
 * each request and response, and correlates the server's event hooks (which carry the same Web
 * `Request`) to learn what the exchange changed in the store. Everything is redacted before it
 * is kept; the exchange itself is never delayed by the bodies being read, nor changed.
 */
import type { ResourceTypeDefinition, ScimResource } from '@scimkit/schema';
import type { ScimEvent, ScimIgnoredAttributesEvent, ScimServer } from '@scimkit/server';
import { cutBody, type RawBody, readCapped, redactBody } from './capture.js';
import { diffResources } from './diff.js';
import type {
  CapturedMessage,
  ExchangeRecord,
  ExchangeSource,
  ScimErrorSummary,
  StoreChange,
  StoreChangeKind,
} from './exchange.js';
import type { ExchangeHistory } from './history.js';
import {
  redactHeaders,
  redactMessage,
  redactUrl,
  redactValueAt,
  Secrets,
  type SensitiveAttributes,
  sensitiveAttributes,
} from './redaction.js';
import { type StoryStep, storyStepOf } from './story.js';
import type { TokenLabeler } from './token-labels.js';

/** The event hooks of `createScimServer` the recorder listens to. */
export interface RecorderHooks {
  onCreated(event: ScimEvent): void;
  onReplaced(event: ScimEvent): void;
  onPatched(event: ScimEvent): void;
  onDeactivated(event: ScimEvent): void;
  onDeleted(event: ScimEvent): void;
  onIgnoredAttributes(event: ScimIgnoredAttributesEvent): void;
}

/** Who sent a request the console itself made (the demo), and which step it is. */
export interface RequestTag {
  source: ExchangeSource;
  step: StoryStep;
}

type PendingChange =
  | { kind: StoreChangeKind | 'deactivated'; event: ScimEvent }
  | { kind: 'ignored'; event: ScimIgnoredAttributesEvent };

/** Options of {@link Recorder}. */
export interface RecorderOptions {
  history: ExchangeHistory;
  labeler: TokenLabeler;
  /** Characters kept of each body (and of each resource before/after). */
  maxBodyLength: number;
  resourceTypes: readonly ResourceTypeDefinition[];
}

const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

function scimErrorOf(status: number, parsed: unknown): ScimErrorSummary | undefined {
  if (status < 400 || typeof parsed !== 'object' || parsed === null) return undefined;
  const body = parsed as Record<string, unknown>;
  const schemas = Array.isArray(body['schemas']) ? body['schemas'] : [];
  if (!schemas.includes(ERROR_URN) && body['status'] === undefined) return undefined;
  return {
    status: String(body['status'] ?? status),
    ...(typeof body['scimType'] === 'string' ? { scimType: body['scimType'] } : {}),
    ...(typeof body['detail'] === 'string' ? { detail: body['detail'] } : {}),
  };
}

/** Records the exchanges of the servers it observes into a history. */
export class Recorder {
  readonly #options: RecorderOptions;
  #sensitive: SensitiveAttributes;
  /** Changes the server reported for requests still being answered. */
  readonly #pending = new WeakMap<Request, PendingChange[]>();
  /** Requests the console sent itself. */
  readonly #tags = new WeakMap<Request, RequestTag>();
  /**
   * Records are added in the order the responses were given (reading a large body must not
   * let a later exchange overtake an earlier one): `#answered` numbers responses, and a record
   * waits in `#ready` until every earlier one is added (or failed to be made: `undefined`).
   */
  #answered = 0;
  #added = 0;
  readonly #ready = new Map<number, Omit<ExchangeRecord, 'id'> | undefined>();

  constructor(options: RecorderOptions) {
    this.#options = options;
    this.#sensitive = sensitiveAttributes(options.resourceTypes);
  }

  /** Redacts by the attributes of these resource types from now on. */
  setResourceTypes(resourceTypes: readonly ResourceTypeDefinition[]): void {
    this.#sensitive = sensitiveAttributes(resourceTypes);
  }

  /** Marks a request the console sends itself, before it goes to an observed server. */
  tag(request: Request, tag: RequestTag): void {
    this.#tags.set(request, tag);
  }

  /** The hooks to give `createScimServer`, so that exchanges show what they changed in the store. */
  readonly hooks: RecorderHooks = {
    onCreated: (event) => this.#note('created', event),
    onReplaced: (event) => this.#note('replaced', event),
    onPatched: (event) => this.#note('patched', event),
    onDeactivated: (event) => this.#note('deactivated', event),
    onDeleted: (event) => this.#note('deleted', event),
    onIgnoredAttributes: (event) => void this.#pending.get(event.request)?.push({ kind: 'ignored', event }),
  };

  #note(kind: StoreChangeKind | 'deactivated', event: ScimEvent): void {
    this.#pending.get(event.request)?.push({ kind, event });
  }

  /** A server whose `fetch` records every exchange and then answers exactly as `server` does. */
  observe(server: ScimServer): ScimServer {
    return {
      basePath: server.basePath,
      fetch: (request) => this.#exchange(server, request),
    };
  }

  async #exchange(server: ScimServer, request: Request): Promise<Response> {
    const time = new Date().toISOString();
    const started = performance.now();
    let requestBody: Promise<RawBody | undefined> = Promise.resolve(undefined);
    try {
      requestBody = readCapped(request.body ? request.clone().body : null);
    } catch {
      // A body already read by someone else: record the exchange without it.
    }
    const changes: PendingChange[] = [];
    this.#pending.set(request, changes);
    const response = await server.fetch(request);
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    this.#pending.delete(request);
    let responseBody: Promise<RawBody | undefined> = Promise.resolve(undefined);
    try {
      responseBody = readCapped(response.body ? response.clone().body : null);
    } catch {
      // As above.
    }
    const order = ++this.#answered;
    void Promise.all([requestBody, responseBody])
      .then(([sent, answered]) =>
        this.#record({ server, request, response, time, durationMs, changes, sent, answered }),
      )
      // Recording must never disturb the server; a failure loses one record, nothing else.
      .catch(() => undefined)
      .then((record) => {
        this.#ready.set(order, record);
        while (this.#ready.has(this.#added + 1)) {
          const next = this.#ready.get(++this.#added);
          this.#ready.delete(this.#added);
          if (next) this.#options.history.add(next);
        }
      });
    return response;
  }

  async #record(exchange: {
    server: ScimServer;
    request: Request;
    response: Response;
    time: string;
    durationMs: number;
    changes: PendingChange[];
    sent: RawBody | undefined;
    answered: RawBody | undefined;
  }): Promise<Omit<ExchangeRecord, 'id'>> {
    const { request, response, changes } = exchange;
    const sensitive = this.#sensitive;
    const secrets = new Secrets();
    const url = new URL(request.url);
    // Everything that may carry a secret is redacted first (which collects the secrets), then
    // the whole record is scrubbed of their echoes, and only then are long texts cut.
    const requestHeaders = redactHeaders(request.headers, secrets);
    const responseHeaders = redactHeaders(response.headers, secrets);
    const path = redactUrl(sensitive, url, secrets);
    const sent = exchange.sent ? redactBody(sensitive, exchange.sent, secrets) : undefined;
    const answered = exchange.answered ? redactBody(sensitive, exchange.answered, secrets) : undefined;
    const storeChanges = this.#storeChanges(sensitive, changes, secrets);
    const error = scimErrorOf(response.status, answered?.parsed);
    const base = exchange.server.basePath;
    const relative = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname;
    const segments = relative
      .split('/')
      .filter((segment) => segment !== '')
      .map(safeDecode);
    const tag = this.#tags.get(request);
    const principal = changes.find((change) => typeof change.event.principal.id === 'string')?.event.principal
      .id;
    const record: Omit<ExchangeRecord, 'id'> = secrets.scrubDeep({
      time: exchange.time,
      durationMs: exchange.durationMs,
      method: request.method,
      path,
      resource: segments[0] ?? '',
      status: response.status,
      principal:
        tag?.source === 'demo'
          ? 'console demo'
          : typeof principal === 'string'
            ? principal
            : await this.#options.labeler.label(request.headers.get('authorization')),
      source: tag?.source ?? 'client',
      step:
        tag?.step ??
        storyStepOf({
          method: request.method,
          segments,
          requestBody: sent?.body.text ?? '',
          deactivated: storeChanges.some((change) => change.deactivated),
        }),
      ...(error ? { error } : {}),
      request: { headers: requestHeaders, ...(sent ? { body: sent.body } : {}) },
      response: { headers: responseHeaders, ...(answered ? { body: answered.body } : {}) },
      changes: storeChanges,
    });
    const limit = this.#options.maxBodyLength;
    const cutMessage = (message: CapturedMessage): CapturedMessage =>
      message.body ? { ...message, body: cutBody(message.body, limit) } : message;
    return {
      ...record,
      request: cutMessage(record.request),
      response: cutMessage(record.response),
      changes: record.changes.map((change) => ({
        ...change,
        ...(change.before === undefined ? {} : { before: cut(change.before, limit) }),
        ...(change.after === undefined ? {} : { after: cut(change.after, limit) }),
      })),
    };
  }

  /** The store changes of one exchange: one per resource write, `deactivated` folded into the write it came with. */
  #storeChanges(sensitive: SensitiveAttributes, pending: PendingChange[], secrets: Secrets): StoreChange[] {
    const changes: StoreChange[] = [];
    for (const { kind, event } of pending) {
      if (kind === 'ignored') continue;
      if (kind === 'deactivated') {
        const write = changes.findLast(
          (change) => change.resourceType === event.resourceType && change.id === event.id,
        );
        if (write) {
          write.deactivated = true;
          continue;
        }
      }
      const { changes: diff, omitted } = diffResources(event.previous, event.resource);
      const json = (resource: ScimResource | undefined) =>
        resource === undefined
          ? undefined
          : JSON.stringify(redactMessage(sensitive, resource, secrets), null, 2);
      const before = json(event.previous);
      const after = json(event.resource);
      changes.push({
        kind: kind === 'deactivated' ? 'patched' : kind,
        deactivated: kind === 'deactivated',
        resourceType: event.resourceType,
        id: event.id,
        diff: diff.map((change) => ({
          ...change,
          ...('before' in change
            ? { before: redactValueAt(sensitive, change.path, change.before, secrets) }
            : {}),
          ...('after' in change
            ? { after: redactValueAt(sensitive, change.path, change.after, secrets) }
            : {}),
        })),
        omitted,
        ...(before === undefined ? {} : { before }),
        ...(after === undefined ? {} : { after }),
      });
    }
    // What the server dropped goes with the write it was dropped from (reported once it succeeded).
    for (const entry of pending) {
      if (entry.kind !== 'ignored') continue;
      const { resourceType, id, paths } = entry.event;
      const write = changes.findLast((change) => change.resourceType === resourceType && change.id === id);
      if (write) write.ignored = [...(write.ignored ?? []), ...paths];
    }
    return changes;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n…`;
}
