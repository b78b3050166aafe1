/**
 * {@link applyPatch} with the resource and the request deep-frozen: values of the request end up
 * in the result without a copy when they need no change, so the engine must never write into
 * either (a write into a frozen object throws in strict mode).
 */
import { PATCH_OP_SCHEMA } from '@scimkit/schema';
import { applyPatch } from '../apply.js';
import type { PatchOperation, PatchOptions } from '../types.js';

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/** Applies `operations` to `resource`, both deep-frozen first. */
export function patch(
  resource: Record<string, unknown>,
  operations: PatchOperation[],
  options?: PatchOptions,
) {
  return applyPatch(
    deepFreeze(resource),
    deepFreeze({ schemas: [PATCH_OP_SCHEMA], Operations: operations }),
    options,
  );
}
