import type { BulkOperation, BulkOperationResponse, ScimErrorType } from '@scimkit/schema';
import { BULK_REQUEST_SCHEMA } from '@scimkit/schema/errors';
import type { Discoverer } from './discovery.js';
import { ScimClientError } from './errors.js';
import type { Transport } from './http.js';

/**
 * Options of `client.bulk()`.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7
 */
export interface BulkOptions {
  /**
   * Stop after this many failed operations, counted over every request the operations were
   * split into. Operations never sent then get `executed: false`.
   */
  failOnErrors?: number;
  /** Most operations per request; defaults to the server's `bulk.maxOperations`. */
  maxOperations?: number;
  /** Largest request body in bytes; defaults to the server's `bulk.maxPayloadSize`. */
  maxPayloadSize?: number;
  /** Cancels the requests. */
  signal?: AbortSignal;
}

/** The outcome of one operation of `client.bulk()`, in the order the operations were given. */
export interface BulkResult {
  /** The operation as given (before `bulkId:` references were replaced by ids). */
  operation: BulkOperation;
  /** Whether the server processed the operation; false when stopped by `failOnErrors` or a failed dependency. */
  executed: boolean;
  /** Whether the operation succeeded (HTTP 2xx). */
  ok: boolean;
  /** The operation's HTTP status; `undefined` when it was not executed. */
  status: number | undefined;
  /** The resource URI the server reported. */
  location: string | undefined;
  /** The resource version after the operation. */
  version: string | undefined;
  /** The resource id, taken from `location` (or the response). */
  id: string | undefined;
  /** The per-operation response body the server sent, if any. */
  response: unknown;
  /** Why the operation failed or was not executed. */
  error: ScimClientError | undefined;
}

const REFERENCE = /bulkId:([^\s"/\][,?&#]+)/g;
const encoder = new TextEncoder();

function byteLength(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

function collectReferences(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 64) return;
  if (typeof value === 'string') {
    for (const match of value.matchAll(REFERENCE)) if (match[1] !== undefined) into.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectReferences(item, into, depth + 1);
  }
}

function substitute(value: unknown, ids: ReadonlyMap<string, string>, depth = 0): unknown {
  if (depth > 64) return value;
  if (typeof value === 'string') {
    return value.replace(REFERENCE, (whole, bulkId: string) => ids.get(bulkId) ?? whole);
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, ids, depth + 1));
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so a "__proto__" key stays data.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substitute(item, ids, depth + 1)]),
    );
  }
  return value;
}

/**
 * Orders operations so that every operation comes after the operations creating the bulkIds
 * it references, keeping the given order otherwise. Operations in (or depending on) a
 * circular reference come last, as one group that must travel in a single request.
 */
function order(operations: readonly BulkOperation[]): { units: number[][] } {
  const creators = new Map<string, number>();
  operations.forEach((operation, index) => {
    if (operation.bulkId !== undefined && !creators.has(operation.bulkId))
      creators.set(operation.bulkId, index);
  });
  const dependencies = operations.map((operation, index) => {
    const references = new Set<string>();
    collectReferences(operation.path, references);
    collectReferences(operation.data, references);
    const depends = new Set<number>();
    for (const reference of references) {
      const creator = creators.get(reference);
      if (creator !== undefined && creator !== index) depends.add(creator);
    }
    return depends;
  });
  const placed = new Set<number>();
  const units: number[][] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (let index = 0; index < operations.length; index++) {
      if (placed.has(index)) continue;
      if ([...(dependencies[index] ?? [])].every((dependency) => placed.has(dependency))) {
        placed.add(index);
        units.push([index]);
        progress = true;
      }
    }
  }
  const rest = operations.map((_, index) => index).filter((index) => !placed.has(index));
  if (rest.length > 0) units.push(rest);
  return { units };
}

function idFrom(location: string | undefined, response: unknown): string | undefined {
  if (typeof response === 'object' && response !== null) {
    const id = (response as { id?: unknown }).id;
    if (typeof id === 'string' && id !== '') return id;
  }
  if (!location) return undefined;
  const segment = location.split('?')[0]?.replace(/\/+$/, '').split('/').pop();
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function operationError(status: number, response: unknown): ScimClientError {
  const body = (typeof response === 'object' && response !== null ? response : {}) as {
    detail?: unknown;
    scimType?: unknown;
  };
  const detail = typeof body.detail === 'string' && body.detail !== '' ? body.detail : `HTTP ${status}`;
  return new ScimClientError(detail, {
    status,
    ...(typeof body.scimType === 'string' ? { scimType: body.scimType as ScimErrorType } : {}),
  });
}

function notExecuted(operation: BulkOperation, error?: ScimClientError): BulkResult {
  return {
    operation,
    executed: false,
    ok: false,
    status: undefined,
    location: undefined,
    version: undefined,
    id: undefined,
    response: undefined,
    error,
  };
}

/** Sends bulk operations in as many requests as the server's limits require. */
export async function runBulk(
  transport: Transport,
  discoverer: Discoverer,
  operations: readonly BulkOperation[],
  options: BulkOptions = {},
): Promise<BulkResult[]> {
  const results: (BulkResult | undefined)[] = operations.map(() => undefined);
  if (operations.length === 0) return [];
  const capabilities = await discoverer.capabilities(options.signal);
  if (capabilities.bulk?.supported === false) {
    throw new ScimClientError(
      'The server does not support bulk requests (ServiceProviderConfig bulk.supported is false).',
      {
        status: 501,
      },
    );
  }
  const maxOperations = options.maxOperations ?? capabilities.bulk?.maxOperations ?? Number.POSITIVE_INFINITY;
  const maxPayloadSize =
    options.maxPayloadSize ?? capabilities.bulk?.maxPayloadSize ?? Number.POSITIVE_INFINITY;
  const failOnErrors = options.failOnErrors;
  const { units } = order(operations);
  const created = new Map<string, string>();
  const failed = new Set<string>();
  const bulkIdOf = new Map<number, string>();
  operations.forEach((operation, index) => {
    if (operation.bulkId !== undefined) bulkIdOf.set(index, operation.bulkId);
  });
  let errors = 0;
  let next = 0;

  const prepared = (index: number): BulkOperation => {
    const operation = operations[index] as BulkOperation;
    return {
      ...operation,
      path: substitute(operation.path, created) as string,
      ...(operation.data === undefined ? {} : { data: substitute(operation.data, created) }),
    };
  };

  while (next < units.length) {
    if (failOnErrors !== undefined && errors >= failOnErrors) break;
    const envelope = {
      schemas: [BULK_REQUEST_SCHEMA],
      ...(failOnErrors === undefined ? {} : { failOnErrors: failOnErrors - errors }),
      Operations: [] as BulkOperation[],
    };
    const baseSize = byteLength(envelope);
    let size = baseSize;
    const chunk: number[] = [];
    while (next < units.length) {
      const unit = units[next] as number[];
      // An operation whose dependency failed in an earlier request cannot succeed: skip it.
      const sendable: number[] = [];
      for (const index of unit) {
        const references = new Set<string>();
        collectReferences(operations[index]?.path, references);
        collectReferences(operations[index]?.data, references);
        const broken = [...references].find((reference) => failed.has(reference));
        if (broken !== undefined) {
          results[index] = notExecuted(
            operations[index] as BulkOperation,
            new ScimClientError(
              `The operation creating bulkId "${broken}" failed, so this operation was not sent.`,
              {
                status: 409,
              },
            ),
          );
          const own = bulkIdOf.get(index);
          if (own !== undefined) failed.add(own);
        } else {
          sendable.push(index);
        }
      }
      const bodies = sendable.map(prepared);
      const unitSize = bodies.reduce((total, body) => total + byteLength(body) + 1, 0);
      if (bodies.length > maxOperations || baseSize + unitSize > maxPayloadSize) {
        throw new ScimClientError(
          bodies.length > 1
            ? `${bodies.length} operations referencing each other in a cycle must travel in one bulk request, which exceeds the server's limits (maxOperations ${maxOperations}, maxPayloadSize ${maxPayloadSize} bytes).`
            : `Bulk operation ${sendable[0] ?? 0} alone exceeds the server's maxPayloadSize of ${maxPayloadSize} bytes.`,
          { status: 413, scimType: 'tooMany' },
        );
      }
      if (
        chunk.length > 0 &&
        (chunk.length + bodies.length > maxOperations || size + unitSize > maxPayloadSize)
      )
        break;
      // Operations depending on an operation in this same chunk are resolved by the server.
      chunk.push(...sendable);
      envelope.Operations.push(...bodies);
      size += unitSize;
      next++;
    }
    if (chunk.length === 0) continue;
    const response = await transport({
      method: 'POST',
      path: '/Bulk',
      body: envelope,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const answered = (response.body as { Operations?: unknown } | undefined)?.Operations;
    const answers = Array.isArray(answered) ? (answered as BulkOperationResponse[]) : [];
    const unmatched = [...chunk];
    for (const answer of answers) {
      if (typeof answer !== 'object' || answer === null) continue;
      let position = -1;
      if (typeof answer.bulkId === 'string') {
        position = unmatched.findIndex((index) => operations[index]?.bulkId === answer.bulkId);
      }
      if (position < 0 && typeof answer.method === 'string') {
        position = unmatched.findIndex(
          (index) => operations[index]?.method.toUpperCase() === String(answer.method).toUpperCase(),
        );
      }
      if (position < 0) position = 0;
      const index = unmatched[position];
      if (index === undefined) break;
      unmatched.splice(position, 1);
      const status = Number(answer.status);
      const ok = status >= 200 && status < 300;
      const location = typeof answer.location === 'string' ? answer.location : undefined;
      const id = idFrom(location, answer.response);
      const operation = operations[index] as BulkOperation;
      if (!ok) errors++;
      if (operation.bulkId !== undefined) {
        if (ok && id !== undefined) created.set(operation.bulkId, id);
        else if (!ok) failed.add(operation.bulkId);
      }
      results[index] = {
        operation,
        executed: true,
        ok,
        status: Number.isFinite(status) ? status : undefined,
        location,
        version: typeof answer.version === 'string' ? answer.version : undefined,
        id,
        response: answer.response,
        error: ok ? undefined : operationError(status, answer.response),
      };
    }
    for (const index of unmatched) {
      const own = bulkIdOf.get(index);
      if (own !== undefined) failed.add(own);
    }
  }
  const stopped = new ScimClientError(
    `Not sent: failOnErrors (${failOnErrors}) was reached or the server stopped before this operation.`,
    { status: 409 },
  );
  return results.map((result, index) => result ?? notExecuted(operations[index] as BulkOperation, stopped));
}
