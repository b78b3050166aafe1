/**
 * Sends import operations: as bulk requests when the server supports them, else one request
 * per operation. Failures never throw; each operation gets a result.
 */
import type { ScimClient } from '@scimkit/client';
import type { BulkOperation, PatchOperation } from '@scimkit/schema';
import { describeError } from './errors.js';

/** One operation of an import (a bulk operation for /Users or /Groups). */
export type ImportOperation = BulkOperation & { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' };

/** The outcome of one operation. */
export interface OperationResult {
  ok: boolean;
  status?: number;
  scimType?: string;
  detail: string;
}

/** Sends batches of operations. */
export interface Sender {
  /** Whether bulk requests are used. */
  readonly bulk: boolean;
  /** Operations per batch (one state checkpoint per batch). */
  readonly batchSize: number;
  /** Sends one batch; resolves to one result per operation, in order. */
  send(operations: readonly ImportOperation[]): Promise<OperationResult[]>;
}

function failure(error: unknown): OperationResult {
  const record = error as { status?: unknown; scimType?: unknown; detail?: unknown };
  return {
    ok: false,
    ...(typeof record?.status === 'number' ? { status: record.status } : {}),
    ...(typeof record?.scimType === 'string' ? { scimType: record.scimType } : {}),
    detail: typeof record?.detail === 'string' ? record.detail : describeError(error),
  };
}

async function sendOne(client: ScimClient, operation: ImportOperation): Promise<OperationResult> {
  const match = /^\/(Users|Groups)(?:\/([^/?#]+))?$/.exec(operation.path);
  if (!match) return { ok: false, detail: `unsupported path "${operation.path}"` };
  const endpoint = match[1] === 'Users' ? client.users : client.groups;
  const id = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  const options = operation.version !== undefined ? { ifMatch: operation.version } : {};
  try {
    if (operation.method === 'POST') {
      await endpoint.create(operation.data as never);
      return { ok: true, status: 201, detail: 'created' };
    }
    if (id === undefined) return { ok: false, detail: `${operation.method} needs a resource id in the path` };
    if (operation.method === 'PUT') await endpoint.replace(id, operation.data as never, options);
    else if (operation.method === 'PATCH') {
      const operations = (operation.data as { Operations?: unknown } | undefined)?.Operations;
      if (!Array.isArray(operations)) return { ok: false, detail: 'PATCH data needs "Operations"' };
      await endpoint.patch(id, operations as PatchOperation[], options);
    } else await endpoint.delete(id, options);
    return { ok: true, status: operation.method === 'DELETE' ? 204 : 200, detail: 'ok' };
  } catch (error) {
    return failure(error);
  }
}

/** Picks bulk or single requests from the server's ServiceProviderConfig (or `bulk: false`). */
export async function createSender(
  client: ScimClient,
  options: { bulk: boolean; batchSize: number },
): Promise<Sender> {
  let bulk = false;
  let batchSize = options.batchSize;
  if (options.bulk) {
    const discovery = await client.discover().catch(() => undefined);
    const config = discovery?.serviceProviderConfig as
      | { bulk?: { supported?: unknown; maxOperations?: unknown } }
      | undefined;
    bulk = config?.bulk?.supported === true;
    const max = Number(config?.bulk?.maxOperations);
    if (bulk && Number.isInteger(max) && max > 0) batchSize = Math.min(batchSize, max);
  }
  return {
    bulk,
    batchSize,
    async send(operations) {
      if (!bulk) {
        const results: OperationResult[] = [];
        for (const operation of operations) results.push(await sendOne(client, operation));
        return results;
      }
      // No signal: a bulk request cut off mid-flight would leave its outcome unknown, so the
      // state file could not say which lines were done. Interrupts stop between batches.
      const results = await client.bulk(operations);
      return results.map((result) =>
        result.ok
          ? { ok: true, ...(result.status !== undefined ? { status: result.status } : {}), detail: 'ok' }
          : {
              ...failure(result.error),
              ...(result.status !== undefined ? { status: result.status } : {}),
              ...(result.executed ? {} : { detail: `not executed: ${result.error?.detail ?? 'stopped'}` }),
            },
      );
    },
  };
}
