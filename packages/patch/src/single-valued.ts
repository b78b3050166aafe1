/**
 * The PATCH rules of single-valued attributes, and the merge of sub-attributes into a complex
 * value that add and replace share with the multi-valued rules.
 */
import type { AttributeDefinition, PatchOperationType } from '@scimkit/schema';
import { UNASSIGNED } from '@scimkit/schema/internal';
import { checkRemove, checkWrite } from './mutability.js';
import { complexObject, normalizeSub, normalizeValue } from './normalize.js';
import type { AttributeTarget } from './resolve.js';
import { hasGuardedSubAttributes, subAttributeOf, subAttributesNamed } from './schema-index.js';
import type { Session } from './session.js';
import {
  deepEqual,
  findKey,
  isObject,
  type JsonObject,
  mergeComplex,
  readKey,
  setKey,
  withKey,
  withoutKey,
} from './values.js';

/**
 * An add, replace or remove on a single-valued attribute, or on a sub-attribute of a single-valued
 * complex attribute (`name.givenName`, `manager.value`). RFC 7644 sections 3.5.2.1 to 3.5.2.3.
 */
export function applySingleValued(
  session: Session,
  target: AttributeTarget,
  op: PatchOperationType,
  value: unknown,
  label: string,
): void {
  const existing = session.current(target.entry, target.attribute);
  if (target.subAttribute) applyToSubAttribute(session, target, op, value, label, existing);
  else applyToValue(session, target, op, value, label, existing);
}

/** The whole value of a single-valued attribute (`existing`): replaced, merged or removed. */
function applyToValue(
  session: Session,
  { entry, attribute }: AttributeTarget,
  op: PatchOperationType,
  value: unknown,
  label: string,
  existing: unknown,
): void {
  if (op === 'remove') {
    if (checkRemove(session, attribute, label, existing)) session.write(entry, attribute, undefined);
    return;
  }
  if (
    attribute.type === 'complex' &&
    value !== null &&
    attribute.mutability !== 'readOnly' &&
    attribute.mutability !== 'immutable' &&
    !hasGuardedSubAttributes(attribute)
  ) {
    const merged = mergeValue(session, attribute, label, isObject(existing) ? existing : undefined, value);
    if (merged !== existing) session.write(entry, attribute, merged);
    return;
  }
  // `null` (unassign) is what normalises to UNASSIGNED, and cheaper to test.
  if (value === null) {
    if (checkRemove(session, attribute, label, existing)) session.write(entry, attribute, undefined);
    return;
  }
  const next = normalizeValue(session, attribute, value, label);
  if (attribute.type === 'complex') {
    if (attribute.mutability === 'readOnly' || attribute.mutability === 'immutable') {
      const merged = mergeComplex(isObject(existing) ? existing : {}, next as JsonObject);
      if (!checkWrite(session, attribute, label, existing, merged)) return;
    }
    const merged = mergeInto(
      session,
      attribute,
      label,
      isObject(existing) ? existing : undefined,
      next as JsonObject,
    );
    if (merged !== existing) session.write(entry, attribute, merged);
    return;
  }
  if (!checkWrite(session, attribute, label, existing, next) || deepEqual(existing, next)) return;
  session.write(entry, attribute, next);
}

/**
 * `name.givenName`, `manager.value`: a sub-attribute of a single-valued complex attribute whose
 * value is `existing`.
 */
function applyToSubAttribute(
  session: Session,
  target: AttributeTarget,
  op: PatchOperationType,
  value: unknown,
  label: string,
  existing: unknown,
): void {
  const { entry, attribute } = target;
  const sub = target.subAttribute as AttributeDefinition;
  const subLabel = target.subLabel ?? `${label}.${sub.name}`;
  const container = isObject(existing) ? existing : undefined;
  const current = readKey(container, sub.name);
  if (attribute.mutability === 'readOnly') {
    if (op === 'remove') session.fail('mutability', `"${label}" is readOnly`);
  }
  if (op === 'remove') {
    if (!checkRemove(session, sub, subLabel, current) || !container) return;
    const copy = withoutKey(container, sub.name);
    session.write(entry, attribute, Object.keys(copy).length === 0 ? undefined : copy);
    return;
  }
  if (value === null) {
    if (!checkRemove(session, sub, subLabel, current) || !container) return;
    const copy = withoutKey(container, sub.name);
    session.write(entry, attribute, Object.keys(copy).length === 0 ? undefined : copy);
    return;
  }
  const next = normalizeValue(session, sub, value, subLabel);
  const parentReadOnly = attribute.mutability === 'readOnly' ? attribute : sub;
  if (!checkWrite(session, parentReadOnly, subLabel, current, next)) return;
  if (parentReadOnly !== sub && !checkWrite(session, sub, subLabel, current, next)) return;
  if (deepEqual(current, next)) return;
  // A second sub-attribute of the same value in one request (Entra: `name.givenName`, then
  // `name.familyName`) writes into the copy the first one made.
  if (container && session.owns(container)) {
    setKey(container, sub.name, next);
    return;
  }
  const copy = withKey(container ?? {}, sub.name, next);
  session.write(entry, attribute, copy);
  session.adopt(copy);
}

/**
 * {@link normalizeValue} then {@link mergeInto} in one pass over the keys of `value`, for a
 * complex attribute whose merge has no mutability rule to check (none of it is readOnly or
 * immutable): the usual path-less value of an IdP (`{"name": {"givenName": …}}`). Each
 * sub-attribute is normalised, then compared with and written into (a copy of) `existing`; the
 * checks, errors and warnings come in the same order as in the two passes. Returns `existing`
 * itself when nothing changes.
 */
function mergeValue(
  session: Session,
  attribute: AttributeDefinition,
  label: string,
  existing: JsonObject | undefined,
  value: unknown,
): JsonObject | undefined {
  const given = complexObject(session, attribute, value, label);
  let result: JsonObject | undefined;
  let unassigned = false;
  const keys = Object.keys(given);
  const subs = subAttributesNamed(attribute, keys);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = given[key];
    if (item === undefined) continue;
    const sub = subs[i];
    if (sub === undefined) {
      session.unknown(`${label}.${key}`, `unknown sub-attribute "${key}" of "${label}"`);
      continue;
    }
    const after = normalizeSub(session, sub, item, label);
    const removal = item === null;
    // Compared with what is there now: two keys in different casings may name one sub-attribute.
    const holder = result ?? existing;
    const found = holder === undefined ? undefined : findKey(holder, sub.name);
    const before = found === undefined ? undefined : (holder as JsonObject)[found];
    if (removal ? before === undefined || before === null : deepEqual(before, after)) continue;
    result ??= existing ? { ...existing } : {};
    putSubAttribute(result, found, sub.name, after, removal);
    if (removal) unassigned = true;
  }
  if (!result) return existing;
  // Only a removal can leave it empty (then the attribute goes).
  return unassigned && Object.keys(result).length === 0 ? undefined : result;
}

/**
 * Sets sub-attribute `name` of `result` (a copy this patch made) to `after`, or with `removal`
 * removes it; `found` is its key there, if any (another casing is replaced). `delete` turns an
 * object into a slow dictionary: only for a removal or another casing.
 */
function putSubAttribute(
  result: JsonObject,
  found: string | undefined,
  name: string,
  after: unknown,
  removal: boolean,
): void {
  if (found !== undefined && (removal || found !== name)) delete result[found];
  if (!removal) result[name] = after;
}

/**
 * Merges normalised sub-attributes into a complex value (RFC 7644 3.5.2.1 and 3.5.2.3: listed
 * sub-attributes replaced, the others kept; `null` unassigns). Returns `existing` itself when
 * nothing changes.
 */
export function mergeInto(
  session: Session,
  attribute: AttributeDefinition,
  label: string,
  existing: JsonObject | undefined,
  next: JsonObject,
): JsonObject | undefined {
  let result: JsonObject | undefined;
  let unassigned = false;
  // Sub-attribute definitions are needed only for the checks of readOnly and immutable ones.
  const guardedSubs = hasGuardedSubAttributes(attribute);
  for (const name of Object.keys(next)) {
    const sub = guardedSubs ? (subAttributeOf(attribute, name) as AttributeDefinition) : undefined;
    // The key of `name` in `existing` (in any casing), found once for the read and the write.
    const key = existing === undefined ? undefined : findKey(existing, name);
    const before = key === undefined ? undefined : (existing as JsonObject)[key];
    const after = next[name];
    const guarded = sub !== undefined && (sub.mutability === 'readOnly' || sub.mutability === 'immutable');
    const removal = after === UNASSIGNED;
    if (removal) {
      if (
        guarded
          ? !checkRemove(session, sub, `${label}.${name}`, before)
          : before === undefined || before === null
      )
        continue;
    } else if (
      (guarded && !checkWrite(session, sub, `${label}.${name}`, before, after)) ||
      deepEqual(before, after)
    ) {
      continue;
    }
    result ??= existing ? { ...existing } : {};
    // `next` names each sub-attribute once, so `key` is still the copy's key for `name`.
    putSubAttribute(result, key, name, after, removal);
    if (removal) unassigned = true;
  }
  if (!result) return existing;
  // Only a removal can leave it empty (then the attribute goes).
  return unassigned && Object.keys(result).length === 0 ? undefined : result;
}
