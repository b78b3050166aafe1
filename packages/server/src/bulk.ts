import { BULK_REQUEST_SCHEMA, BULK_RESPONSE_SCHEMA, isScimError, type ScimError } from '@scimkit/schema';
import { type Call, reportError } from './context.js';
import { readJsonBody, type ScimResult, scimError } from './internal/http.js';
import type { TypeInfo } from './internal/type-info.js';
import { locationOf } from './presentation.js';
import { createResource, deleteResource, patchResource, replaceResource } from './resources.js';

/** Bulk HTTP methods (RFC 7644 section 3.7). */
type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What bulk needs from the server: endpoint lookup and the shared resource operations. */
interface BulkExecutor {
  resolve(endpoint: string): TypeInfo | undefined;
  /** Reports an unexpected exception (the operation answers 500). */
  report(error: unknown): void;
  /** The URL of a resource, for the `location` of PUT, PATCH and DELETE results. */
  locate(info: TypeInfo, id: string): string;
  execute(
    method: BulkMethod,
    info: TypeInfo,
    id: string | undefined,
    data: Record<string, unknown> | undefined,
    version: string | undefined,
  ): Promise<ScimResult>;
}

interface PendingOperation {
  index: number;
  method: BulkMethod;
  path: string;
  bulkId?: string;
  version?: string;
  data?: Record<string, unknown>;
  /** The bulkIds this operation refers to (in its path or in any string of its data). */
  references: Set<string>;
  /** Set for a malformed operation: its result, reported when its turn comes. */
  invalid?: Record<string, unknown>;
}

/**
 * A `bulkId:x` reference anywhere inside a string (`"bulkId:u1"`, `/Users/bulkId:u1`,
 * `members[value eq "bulkId:u1"]`), as @scimkit/client's bulk writes and resolves them.
 */
const BULK_ID = /bulkId:([^\s"/\][,?&#]+)/g;

/** A bulkId {@link BULK_ID} can find whole: any other could be declared but never referenced. */
const REFERENCEABLE_BULK_ID = /^[^\s"/\][,?&#]+$/;

/** Thrown inside the store transaction to roll a failed atomic bulk request back. */
class BulkRollback extends Error {}

function collectReferences(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 64) return;
  if (typeof value === 'string') {
    for (const match of value.matchAll(BULK_ID)) into.add(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value))
      collectReferences((value as Record<string, unknown>)[key], into, depth + 1);
  }
}

/** Replaces `bulkId:x` references in strings, as deep as {@link collectReferences} looks (deeper data is left as is). */
function substitute(value: unknown, ids: Map<string, string>, depth = 0): unknown {
  if (depth > 64) return value;
  if (typeof value === 'string') {
    return value.includes('bulkId:')
      ? value.replace(BULK_ID, (whole, bulkId: string) => ids.get(bulkId) ?? whole)
      : value;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, ids, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, {
        value: substitute((value as Record<string, unknown>)[key], ids, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** Options of {@link runBulk}. */
interface BulkOptions {
  strict: boolean;
  maxOperations: number;
  maxPayloadSize: number;
  /**
   * The store's transaction when the server runs bulk requests atomically: a request that
   * reaches `failOnErrors` is rolled back as a whole.
   */
  atomic?: (<T>(work: () => Promise<T>) => Promise<T>) | undefined;
}

/** The BulkResponse, and whether its operations were rolled back (their audit events must not fire). */
interface BulkOutcome {
  result: ScimResult;
  rolledBack: boolean;
}

/**
 * Runs a BulkRequest: operations in request order, except that an operation referring to
 * `bulkId:x` (in its path or anywhere in a string of its data) waits for the operation that
 * creates `x` (references may point forwards). Stops once `failOnErrors` errors occurred.
 * Circular or unresolvable references fail with 409. The results are listed in request order;
 * operations never run (after the stop) are left out.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7
 */
async function runBulk(
  body: Record<string, unknown>,
  executor: BulkExecutor,
  options: BulkOptions,
): Promise<BulkOutcome> {
  if (options.strict) {
    const schemas = body.schemas;
    if (!Array.isArray(schemas) || !schemas.includes(BULK_REQUEST_SCHEMA)) {
      throw scimError(400, `A bulk body must list "${BULK_REQUEST_SCHEMA}" in "schemas".`, 'invalidSyntax');
    }
  }
  const operations = body.Operations ?? (options.strict ? undefined : body.operations);
  if (!Array.isArray(operations))
    throw scimError(400, 'A bulk body needs an "Operations" list.', 'invalidSyntax');
  if (operations.length > options.maxOperations) {
    throw scimError(
      413,
      `The bulk request has ${operations.length} operations; the limit is ${options.maxOperations} (maxPayloadSize ${options.maxPayloadSize} bytes).`,
    );
  }
  const failOnErrors = body.failOnErrors;
  if (
    failOnErrors !== undefined &&
    (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)
  ) {
    throw scimError(400, '"failOnErrors" must be a positive integer.', 'invalidValue');
  }
  const { pending, declared } = parseOperations(operations);
  const execute = () => executeOperations(pending, declared, failOnErrors, executor);

  const response = (results: Record<string, unknown>[]): ScimResult => ({
    status: 200,
    body: { schemas: [BULK_RESPONSE_SCHEMA], Operations: results },
  });
  if (failOnErrors === undefined || !options.atomic) {
    return { result: response((await execute()).results), rolledBack: false };
  }
  // Atomic: reaching failOnErrors rolls every operation back. The response is still a
  // BulkResponse: the failures as they happened, every other operation run as 424 "rolled back".
  let outcome: Awaited<ReturnType<typeof execute>> | undefined;
  try {
    await options.atomic(async () => {
      outcome = await execute();
      if (outcome.errors >= failOnErrors) throw new BulkRollback();
    });
    return { result: response(outcome!.results), rolledBack: false };
  } catch (error) {
    if (!(error instanceof BulkRollback) || !outcome) throw error;
    const results = outcome.results.map((result) =>
      Number(result.status) >= 400 ? result : rolledBack(result, failOnErrors),
    );
    return { result: response(results), rolledBack: true };
  }
}

/**
 * Checks each operation on its own (method, path, bulkId, data) and collects the bulkIds it
 * refers to; a malformed one keeps its place with the error it answers.
 */
function parseOperations(operations: readonly unknown[]): {
  pending: PendingOperation[];
  declared: Set<string>;
} {
  const pending: PendingOperation[] = [];
  const declared = new Set<string>();
  operations.forEach((raw, index) => {
    const reject = (method: unknown, bulkId: string | undefined, error: ScimError) => {
      pending.push({
        index,
        method: 'POST',
        path: '',
        references: new Set(),
        invalid: failure(method, bulkId, error),
      });
    };
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      reject(undefined, undefined, scimError(400, `Operation ${index} is not an object.`, 'invalidSyntax'));
      return;
    }
    const operation = raw as Record<string, unknown>;
    const method = typeof operation.method === 'string' ? operation.method.toUpperCase() : '';
    const bulkId = typeof operation.bulkId === 'string' ? operation.bulkId : undefined;
    if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH' && method !== 'DELETE') {
      reject(
        operation.method,
        bulkId,
        scimError(400, `Operation ${index} has no valid "method".`, 'invalidSyntax'),
      );
      return;
    }
    if (typeof operation.path !== 'string') {
      reject(method, bulkId, scimError(400, `Operation ${index} has no "path".`, 'invalidSyntax'));
      return;
    }
    if (method === 'POST' && bulkId === undefined) {
      reject(method, bulkId, scimError(400, `POST operation ${index} needs a "bulkId".`, 'invalidSyntax'));
      return;
    }
    if (method === 'POST' && bulkId !== undefined && !REFERENCEABLE_BULK_ID.test(bulkId)) {
      // Refused up front: "/Users/bulkId:a/b" would otherwise fail later as an unknown "a".
      reject(
        method,
        bulkId,
        scimError(
          400,
          `bulkId "${bulkId}" of operation ${index} cannot be referenced as "bulkId:${bulkId}": a bulkId must not be empty nor contain whitespace or any of / [ ] , ? & # ".`,
          'invalidValue',
        ),
      );
      return;
    }
    if (method === 'POST' && bulkId !== undefined && declared.has(bulkId)) {
      // "bulkId:x" must name one resource: a second POST with the same bulkId is refused.
      reject(
        method,
        bulkId,
        scimError(
          400,
          `bulkId "${bulkId}" of operation ${index} is already used by an earlier POST of this request; bulkIds must be unique.`,
          'invalidValue',
        ),
      );
      return;
    }
    const data = operation.data;
    if (method !== 'DELETE' && (typeof data !== 'object' || data === null || Array.isArray(data))) {
      reject(method, bulkId, scimError(400, `Operation ${index} needs a "data" object.`, 'invalidSyntax'));
      return;
    }
    const references = new Set<string>();
    collectReferences(operation.path, references);
    if (method !== 'DELETE') collectReferences(data, references);
    if (method === 'POST' && bulkId !== undefined) declared.add(bulkId);
    pending.push({
      index,
      method,
      path: operation.path,
      references,
      ...(bulkId !== undefined ? { bulkId } : {}),
      ...(typeof operation.version === 'string' ? { version: operation.version } : {}),
      ...(method !== 'DELETE' ? { data: data as Record<string, unknown> } : {}),
    });
  });
  return { pending, declared };
}

/**
 * Runs the operations in request order, each once the operations creating the bulkIds it
 * refers to have run, until `failOnErrors` errors occurred. The results leave out operations
 * never run.
 */
async function executeOperations(
  pending: readonly PendingOperation[],
  declared: ReadonlySet<string>,
  failOnErrors: number | undefined,
  executor: BulkExecutor,
): Promise<{ results: Record<string, unknown>[]; errors: number }> {
  const queue = [...pending];
  const results: Record<string, unknown>[] = [];
  const ids = new Map<string, string>();
  const failed = new Set<string>();
  let errors = 0;
  const stop = () => failOnErrors !== undefined && errors >= failOnErrors;
  const record = (op: PendingOperation, result: Record<string, unknown>) => {
    results[op.index] = result;
    if (Number(result.status) >= 400) {
      errors++;
      if (op.bulkId !== undefined && !op.invalid) failed.add(op.bulkId);
    }
  };

  while (queue.length > 0 && !stop()) {
    // The first operation in request order whose references are settled.
    const readyIndex = queue.findIndex(
      (op) =>
        op.invalid !== undefined ||
        [...op.references].every((ref) => ids.has(ref) || !declared.has(ref) || failed.has(ref)),
    );
    if (readyIndex === -1) {
      // Only circular references are left.
      for (const op of queue.splice(0)) {
        if (stop()) break;
        record(
          op,
          failure(
            op.method,
            op.bulkId,
            scimError(409, `Operation ${op.index} is part of a circular bulkId reference.`, 'invalidValue'),
          ),
        );
      }
      break;
    }
    const op = queue.splice(readyIndex, 1)[0]!;
    if (op.invalid) {
      record(op, op.invalid);
      continue;
    }
    const missing = [...op.references].find((ref) => !ids.has(ref));
    if (missing !== undefined) {
      const reason = declared.has(missing) ? 'failed' : 'is not defined in this request';
      record(
        op,
        failure(
          op.method,
          op.bulkId,
          scimError(
            409,
            `bulkId "${missing}" ${reason}, so operation ${op.index} cannot run.`,
            'invalidValue',
          ),
        ),
      );
      continue;
    }
    record(op, await runOne(op, ids, executor));
  }
  return { results: results.filter((result) => result !== undefined), errors };
}

/** The result of an operation that succeeded but was rolled back with its atomic bulk request. */
function rolledBack(result: Record<string, unknown>, failOnErrors: number): Record<string, unknown> {
  const { version: _version, location, status: _status, ...rest } = result;
  const error = scimError(
    424,
    `Rolled back: the bulk request reached failOnErrors (${failOnErrors}) and is applied all or nothing, so this operation was undone.`,
  );
  // A rolled-back POST created nothing, so it has no location (RFC 7644 section 3.7.3).
  return failure(
    rest.method,
    typeof rest.bulkId === 'string' ? rest.bulkId : undefined,
    error,
    rest.method !== 'POST' && typeof location === 'string' ? location : undefined,
  );
}

async function runOne(
  op: PendingOperation,
  ids: Map<string, string>,
  executor: BulkExecutor,
): Promise<Record<string, unknown>> {
  // `location` is required in every result but a failed POST's (RFC 7644 section 3.7.3).
  let resourceUrl: string | undefined;
  try {
    const segments = (substitute(op.path, ids) as string).replace(/^\/+/, '').split('/');
    const info = executor.resolve(segments[0] ?? '');
    if (!info) throw scimError(404, `No resource type at "${op.path}".`, 'invalidPath');
    if (op.method === 'POST' ? segments.length !== 1 : segments.length !== 2 || segments[1] === '') {
      throw scimError(400, `"${op.path}" is not a valid path for ${op.method}.`, 'invalidPath');
    }
    if (op.method !== 'POST') resourceUrl = executor.locate(info, segments[1]!);
    const data = op.data ? (substitute(op.data, ids) as Record<string, unknown>) : undefined;
    const result = await executor.execute(op.method, info, segments[1], data, op.version);
    const headers = result.headers ?? {};
    const body = result.body as { id?: string; meta?: { location?: string; version?: string } } | undefined;
    if (op.bulkId && op.method === 'POST' && typeof body?.id === 'string') ids.set(op.bulkId, body.id);
    const location = headers.location ?? body?.meta?.location ?? resourceUrl;
    const version = headers.etag ?? body?.meta?.version;
    return {
      method: op.method,
      ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}),
      ...(version !== undefined && op.method !== 'DELETE' ? { version } : {}),
      ...(location !== undefined ? { location } : {}),
      status: String(result.status),
    };
  } catch (error) {
    if (isScimError(error)) return failure(op.method, op.bulkId, error, resourceUrl);
    executor.report(error);
    return failure(
      op.method,
      op.bulkId,
      scimError(500, 'The service provider failed to process this operation.'),
      resourceUrl,
    );
  }
}

function failure(
  method: unknown,
  bulkId: string | undefined,
  error: { status: number; toJSON(): unknown },
  location?: string,
) {
  return {
    ...(typeof method === 'string' ? { method } : {}),
    ...(bulkId !== undefined ? { bulkId } : {}),
    ...(location !== undefined ? { location } : {}),
    status: String(error.status),
    response: error.toJSON(),
  };
}

/** The resource operations behind a bulk request's operations, run as `call`. */
function bulkExecutor(call: Call): BulkExecutor {
  return {
    resolve: (endpoint) => call.server.byEndpoint.get(endpoint),
    report: (error) => reportError(call.server, error, call.request.request()),
    locate: (info, id) => locationOf(call, info, id),
    execute: async (method, info, id, data, version) => {
      switch (method) {
        case 'POST':
          return createResource(call, info, data ?? {}, {});
        case 'PUT':
          return replaceResource(call, { info, id: id!, ifMatch: version, projection: {} }, data ?? {});
        case 'PATCH':
          return patchResource(call, { info, id: id!, ifMatch: version, projection: {} }, data ?? {});
        default:
          return deleteResource(call, { info, id: id!, ifMatch: version });
      }
    },
  };
}

/**
 * POST /Bulk. With `bulk.atomic`, a request carrying `failOnErrors` runs in one store
 * transaction, and its audit events wait for the commit.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7
 */
export async function serveBulk(call: Call): Promise<ScimResult> {
  const { server } = call;
  const body = await readJsonBody(call.request, server.limits.bulkMaxPayloadSize);
  const atomic = server.atomicBulk && body.failOnErrors !== undefined;
  const bulkCall: Call = atomic ? { ...call, deferred: [] } : call;
  const { store } = server;
  const { result, rolledBack } = await runBulk(body, bulkExecutor(bulkCall), {
    strict: !server.compat.missingMessageSchemas,
    maxOperations: server.limits.bulkMaxOperations,
    maxPayloadSize: server.limits.bulkMaxPayloadSize,
    ...(atomic
      ? {
          // The store may run the work again (after a deadlock): only the last run's events count.
          atomic: <T>(work: () => Promise<T>) =>
            store.transaction!(() => {
              bulkCall.deferred!.length = 0;
              return work();
            }),
        }
      : {}),
  });
  // Committed: the audit hooks of its operations run now.
  if (!rolledBack) for (const event of bulkCall.deferred ?? []) await event();
  return result;
}
