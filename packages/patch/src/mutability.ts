/**
 * The mutability rules of RFC 7643 section 7 for PATCH writes: readOnly attributes are never
 * written (an unchanged value is skipped under `compat.unchangedReadOnly`, as Okta sends it),
 * immutable ones only while unset.
 */
import type { AttributeDefinition } from '@scimkit/schema';
import type { Context } from './session.js';
import { deepEqual } from './values.js';

/**
 * Whether writing `next` over `existing` is allowed: readOnly never (an unchanged value is
 * skipped under `compat.unchangedReadOnly`), immutable only when unset or unchanged.
 * Returns false when the write is a no-op to skip.
 */
export function checkWrite(
  context: Context,
  definition: AttributeDefinition,
  label: string,
  existing: unknown,
  next: unknown,
): boolean {
  if (definition.mutability === 'readOnly') {
    if (context.options.compat.unchangedReadOnly && deepEqual(existing, next)) return false;
    context.fail('mutability', `"${label}" is readOnly`);
  }
  if (definition.mutability === 'immutable' && existing !== undefined && existing !== null) {
    if (deepEqual(existing, next)) return false;
    context.fail('mutability', `"${label}" is immutable and already has a value`);
  }
  return true;
}

/** Whether removing `existing` is allowed (no-op when there is nothing to remove). */
export function checkRemove(
  context: Context,
  definition: AttributeDefinition,
  label: string,
  existing: unknown,
): boolean {
  if (definition.mutability === 'readOnly') context.fail('mutability', `"${label}" is readOnly`);
  if (existing === undefined || existing === null) return false;
  if (definition.mutability === 'immutable') context.fail('mutability', `"${label}" is immutable`);
  return true;
}
