/**
 * Concurrent writes to one resource: a per-resource queue inside this process, retries of a
 * lost optimistic-concurrency race, and the ETag preconditions (RFC 7644 section 3.14).
 */
import type { ScimResource } from '@scimkit/schema';
import { isScimError } from '@scimkit/schema';
import type { Call } from './context.js';
import { scimError } from './internal/http.js';
import type { TypeInfo } from './internal/type-info.js';

/** The queue key of one resource: tenant, type and id. */
export function lockKey(call: Call, info: TypeInfo, id: string): string {
  return `${call.context.tenant ?? ''}\0${info.name}\0${id}`;
}

/** Serialises writes to one resource inside this process, so concurrent PATCHes rarely conflict. */
export async function withLock<T>(call: Call, key: string, work: () => Promise<T>): Promise<T> {
  // Inside a bulk transaction the store already serialises writers; waiting here for a
  // request that waits for the transaction would deadlock.
  if (call.deferred) return work();
  const { locks } = call.server;
  const previous = locks.get(key);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous ? previous.then(() => mine) : mine;
  locks.set(key, tail);
  if (previous) await previous;
  try {
    return await work();
  } finally {
    release();
    if (locks.get(key) === tail) locks.delete(key);
  }
}

/**
 * Runs a read-modify-write, retrying lost optimistic-concurrency races (a 412 from the store)
 * when the client sent no If-Match, at most `limits.maxConflictRetries` times.
 */
export async function retrying<T>(
  call: Call,
  ifMatch: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const { maxConflictRetries } = call.server.limits;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const conflict = isScimError(error) && error.status === 412;
      if (!conflict || ifMatch !== undefined || attempt >= maxConflictRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 20)));
    }
  }
}

/** Whether an If-Match / If-None-Match header value names `version` (weak comparison, `*` matches any). */
export function etagMatches(header: string, version: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//i, '');
  const target = opaque(version);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === target);
}

/** Throws 412 when an If-Match header does not name the resource's version. */
export function checkIfMatch(resource: ScimResource, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  if (!etagMatches(ifMatch, resource.meta.version)) {
    throw scimError(
      412,
      `${resource.meta.resourceType} ${resource.id} is at version ${resource.meta.version}, not ${ifMatch}; read it again and retry.`,
    );
  }
}
