import { BULK_REQUEST_SCHEMA, BULK_RESPONSE_SCHEMA, isScimError, type ScimErrorType } from '@scimkit/schema';
import { type ScimResult, scimError } from './internal/http.js';
import type { TypeInfo } from './internal/type-info.js';

/** Bulk HTTP methods (RFC 7644 section 3.7). */
export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What bulk needs from the server: endpoint lookup and the shared resource operations. */
export interface BulkExecutor {
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
  references: Set<string>;
}

const BULK_ID = /^bulkId:(.+)$/;

/** Thrown inside the store transaction to roll a failed bulk request back. */
class BulkRollback extends Error {}

function collectReferences(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 64) return;
  if (typeof value === 'string') {
    const match = BULK_ID.exec(value);
    if (match) into.add(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into, depth + 1);
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value))
      collectReferences((value as Record<string, unknown>)[key], into, depth + 1);
  }
}

/** Replaces `bulkId:x` strings, as deep as {@link collectReferences} looks (deeper data is left as is). */
function substitute(value: unknown, ids: Map<string, string>, depth = 0): unknown {
  if (depth > 64) return value;
  if (typeof value === 'string') {
    const match = BULK_ID.exec(value);
    return match ? (ids.get(match[1]!) ?? value) : value;
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

/**
 * Runs a BulkRequest: operations in order, except that an operation referring to `bulkId:x`
 * waits for the operation that creates `x` (references may point forwards). Stops once
 * `failOnErrors` errors occurred. Circular or unresolvable references fail with 409.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7
 */
export async function runBulk(
  body: Record<string, unknown>,
  executor: BulkExecutor,
  options: {
    strict: boolean;
    maxOperations: number;
    maxPayloadSize: number;
    /** The store's transaction, used when `failOnErrors` is set (all or nothing). */
    transaction?: (<T>(work: () => Promise<T>) => Promise<T>) | undefined;
  },
): Promise<ScimResult> {
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
  const pending: PendingOperation[] = [];
  const results: Record<string, unknown>[] = [];
  const declared = new Set<string>();
  const invalid: { index: number; result: Record<string, unknown> }[] = [];
  operations.forEach((raw, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      invalid.push({
        index,
        result: failure(
          undefined,
          undefined,
          scimError(400, `Operation ${index} is not an object.`, 'invalidSyntax'),
        ),
      });
      return;
    }
    const operation = raw as Record<string, unknown>;
    const method = typeof operation.method === 'string' ? operation.method.toUpperCase() : '';
    const bulkId = typeof operation.bulkId === 'string' ? operation.bulkId : undefined;
    if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH' && method !== 'DELETE') {
      invalid.push({
        index,
        result: failure(
          operation.method,
          bulkId,
          scimError(400, `Operation ${index} has no valid "method".`, 'invalidSyntax'),
        ),
      });
      return;
    }
    if (typeof operation.path !== 'string') {
      invalid.push({
        index,
        result: failure(method, bulkId, scimError(400, `Operation ${index} has no "path".`, 'invalidSyntax')),
      });
      return;
    }
    if (method === 'POST' && bulkId === undefined) {
      invalid.push({
        index,
        result: failure(
          method,
          bulkId,
          scimError(400, `POST operation ${index} needs a "bulkId".`, 'invalidSyntax'),
        ),
      });
      return;
    }
    if (method === 'POST' && bulkId !== undefined && declared.has(bulkId)) {
      // "bulkId:x" must name one resource: a second POST with the same bulkId is refused.
      invalid.push({
        index,
        result: failure(
          method,
          bulkId,
          scimError(
            400,
            `bulkId "${bulkId}" of operation ${index} is already used by an earlier POST of this request; bulkIds must be unique.`,
            'invalidValue',
          ),
        ),
      });
      return;
    }
    const data = operation.data;
    if (method !== 'DELETE' && (typeof data !== 'object' || data === null || Array.isArray(data))) {
      invalid.push({
        index,
        result: failure(
          method,
          bulkId,
          scimError(400, `Operation ${index} needs a "data" object.`, 'invalidSyntax'),
        ),
      });
      return;
    }
    const references = new Set<string>();
    const target = BULK_ID.exec(operation.path.replace(/^\/+/, '').split('/')[1] ?? '');
    if (target) references.add(target[1]!);
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

  const execute = async (): Promise<Record<string, unknown>[]> => {
    const ids = new Map<string, string>();
    const failed = new Set<string>();
    let errors = 0;
    const stop = () => failOnErrors !== undefined && errors >= failOnErrors;
    const record = (result: Record<string, unknown>) => {
      results.push(result);
      if (Number(result.status) >= 400) errors++;
    };
    for (const { result } of invalid) {
      if (stop()) break;
      record(result);
    }

    while (pending.length > 0 && !stop()) {
      const readyIndex = pending.findIndex((op) =>
        [...op.references].every((ref) => ids.has(ref) || !declared.has(ref) || failed.has(ref)),
      );
      if (readyIndex === -1) {
        // Only circular references are left.
        for (const op of pending.splice(0)) {
          if (stop()) break;
          if (op.bulkId) failed.add(op.bulkId);
          record(
            failure(
              op.method,
              op.bulkId,
              scimError(409, `Operation ${op.index} is part of a circular bulkId reference.`, 'invalidValue'),
            ),
          );
        }
        break;
      }
      const op = pending.splice(readyIndex, 1)[0]!;
      const missing = [...op.references].find((ref) => !ids.has(ref));
      if (missing !== undefined) {
        if (op.bulkId) failed.add(op.bulkId);
        const reason = declared.has(missing) ? 'failed' : 'is not defined in this request';
        record(
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
      const result = await runOne(op, ids, executor);
      if (op.bulkId && Number(result.status) >= 400) failed.add(op.bulkId);
      record(result);
    }
    return results;
  };

  const response = (operations: Record<string, unknown>[]): ScimResult => ({
    status: 200,
    body: { schemas: [BULK_RESPONSE_SCHEMA], Operations: operations },
  });
  if (failOnErrors === undefined || !options.transaction) return response(await execute());
  // With failOnErrors and a transactional store the request is all or nothing: reaching the
  // limit rolls every operation back and answers an error response (RFC 7644 section 3.7.3).
  let aborted: Record<string, unknown> | undefined;
  try {
    return response(
      await options.transaction(async () => {
        const operations = await execute();
        const failures = operations.filter((operation) => Number(operation.status) >= 400);
        if (failures.length >= failOnErrors) {
          aborted = failures.at(-1);
          throw new BulkRollback();
        }
        return operations;
      }),
    );
  } catch (error) {
    if (!(error instanceof BulkRollback) || !aborted) throw error;
    const status = Number(aborted.status);
    const cause = aborted.response as { scimType?: ScimErrorType; detail?: string } | undefined;
    const which =
      typeof aborted.bulkId === 'string'
        ? `bulkId "${aborted.bulkId}"`
        : `a ${String(aborted.method)} operation`;
    throw scimError(
      status,
      `The bulk request stopped after ${failOnErrors} error(s) and no operation was applied; ${which} failed: ${cause?.detail ?? 'error'}`,
      cause?.scimType,
    );
  }
}

async function runOne(
  op: PendingOperation,
  ids: Map<string, string>,
  executor: BulkExecutor,
): Promise<Record<string, unknown>> {
  // `location` is required in every result but a failed POST's (RFC 7644 section 3.7.3).
  let resourceUrl: string | undefined;
  try {
    const segments = op.path.replace(/^\/+/, '').split('/');
    const target = BULK_ID.exec(segments[1] ?? '');
    if (target) segments[1] = ids.get(target[1]!) ?? segments[1]!;
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
