/**
 * The PATCH rules of multi-valued attributes (RFC 7644 3.5.2.1 to 3.5.2.3) on a working
 * {@link ValueList}: add appends unless an equal value is there, replace without a filter
 * replaces the list, a value filter selects the values an operation updates or removes (every
 * match, not just the first), and at most one value stays `primary`.
 */
import type { AttributeDefinition, PatchOperationType } from '@scimkit/schema';
import { UNASSIGNED } from '@scimkit/schema/internal';
import { checkRemove, checkWrite } from './mutability.js';
import { normalizeElement, normalizeSub, normalizeValue } from './normalize.js';
import type { AttributeTarget, Target } from './resolve.js';
import { hasPrimary, valueSubAttribute } from './schema-index.js';
import type { Session } from './session.js';
import { mergeInto } from './single-valued.js';
import { ValueFilterPathError, valueFromFilter } from './value-filter.js';
import type { ValueList } from './value-list.js';
import {
  compact,
  deepEqual,
  isObject,
  type JsonObject,
  matchesPartial,
  readKey,
  simpleKey,
  withKey,
  withoutKey,
} from './values.js';

/** One operation on one multi-valued attribute: what each rule below works with. */
interface ListOperation {
  readonly session: Session;
  readonly target: AttributeTarget;
  readonly op: PatchOperationType;
  readonly value: unknown;
  /** The attribute's name in errors (`urn:…:name` for extension attributes). */
  readonly label: string;
  /** The working list of the attribute. */
  readonly list: ValueList;
}

/** An add, replace or remove on a multi-valued attribute, with or without a value filter. */
export function applyMultiValued(
  session: Session,
  target: AttributeTarget,
  op: PatchOperationType,
  value: unknown,
  label: string,
): void {
  const { entry, attribute } = target;
  const list = session.list(entry, attribute, label);
  if (attribute.mutability === 'readOnly' || attribute.mutability === 'immutable') {
    // Only an unchanged value given to a path-less add/replace (Okta) gets through.
    const existing = session.current(entry, attribute);
    if (op === 'remove' || target.filtered || target.subAttribute) {
      if (op === 'remove' && attribute.mutability === 'immutable' && existing === undefined) return;
      if (attribute.mutability !== 'immutable' || existing !== undefined) {
        session.fail('mutability', `"${label}" is ${attribute.mutability}`);
      }
    }
    const next = normalizeValue(session, attribute, value, label);
    if (!checkWrite(session, attribute, label, existing, next)) return;
  }
  const operation: ListOperation = { session, target, op, value, label, list };
  if (!target.filtered && !target.subAttribute) {
    applyToList(operation);
    return;
  }
  const positions = matches(list, target);
  if (op === 'remove') removeMatches(operation, positions);
  else if (positions.length === 0) addFromFilter(operation);
  else updateMatches(operation, positions);
}

/** No filter and no sub-attribute: the whole list is replaced, appended to or emptied. */
function applyToList(operation: ListOperation): void {
  const { session, target, op, value, label, list } = operation;
  const attribute = target.attribute;
  if (op === 'remove') {
    if (value !== undefined && value !== null) {
      if (!session.options.compat.removeByValueList) {
        session.fail(
          'invalidSyntax',
          'remove takes no "value"; use a value filter such as members[value eq "…"]',
        );
      }
      removeListed(operation);
      return;
    }
    if (list.size > 0) list.replaceAll([], true);
    return;
  }
  const values = value === null ? [] : (normalizeValue(session, attribute, value, label) as unknown[]);
  if (op === 'replace') {
    // The request's own array (nothing needed a change) is the list's only until it writes.
    list.replaceAll(values, values !== value);
    exclusivePrimary(list, attribute, undefined);
    return;
  }
  for (const element of values) addElement(list, attribute, element);
}

/** remove with a filter: the matching values, or their sub-attribute (`emails[…].display`). */
function removeMatches({ session, target, label, list }: ListOperation, positions: readonly number[]): void {
  const sub = target.subAttribute;
  for (const position of positions) {
    if (!sub) {
      list.remove(position);
      continue;
    }
    const element = list.at(position);
    if (!isObject(element)) continue;
    if (!checkRemove(session, sub, `${label}.${sub.name}`, readKey(element, sub.name))) continue;
    const copy = withoutKey(element, sub.name);
    if (Object.keys(copy).length === 0) list.remove(position);
    else list.set(position, copy);
  }
}

/**
 * add or replace whose filter matches nothing: replace fails (`noTarget`); add creates the value
 * from the filter's equality conditions, as Entra ID expects.
 */
function addFromFilter({ session, target, op, value, label, list }: ListOperation): void {
  const { attribute, filter, subAttribute: sub } = target;
  if (op === 'replace') {
    session.fail('noTarget', filter ? 'no value matches the filter' : `"${label}" has no values`);
  }
  let base: JsonObject | undefined = {};
  if (filter) {
    try {
      base = valueFromFilter(attribute, filter);
    } catch (error) {
      if (error instanceof ValueFilterPathError) session.fail('invalidPath', error.message);
      throw error;
    }
    if (!base) session.fail('noTarget', 'no value matches the filter, and a value cannot be built from it');
  }
  const created = normalizeElement(session, attribute, base, label) as JsonObject;
  if (sub) {
    const next = normalizeSub(session, sub, value, label);
    if (next === UNASSIGNED) return;
    created[sub.name] = next;
  } else {
    const next = normalizeElement(session, attribute, value, label);
    if (next === UNASSIGNED) return;
    Object.assign(created, next);
  }
  addElement(list, attribute, compact(created));
}

/** add or replace on every matching value (RFC 7644 3.5.2.3: all of them, not the first). */
function updateMatches(
  { session, target, op, value, label, list }: ListOperation,
  positions: readonly number[],
): void {
  const { attribute, subAttribute: sub } = target;
  const next = sub
    ? normalizeSub(session, sub, value, label)
    : normalizeElement(session, attribute, value, label);
  const subLabel = sub ? (target.subLabel ?? `${label}.${sub.name}`) : label;
  let primaryAt: number | undefined;
  for (const position of positions) {
    const element = list.at(position);
    let updated: unknown;
    if (sub) {
      const container = isObject(element) ? element : {};
      const before = readKey(container, sub.name);
      if (next === UNASSIGNED) {
        if (!checkRemove(session, sub, subLabel, before)) continue;
        updated = withoutKey(container, sub.name);
      } else {
        if (!checkWrite(session, sub, subLabel, before, next) || deepEqual(before, next)) continue;
        updated = withKey(container, sub.name, next);
      }
    } else if (next === UNASSIGNED) {
      list.remove(position);
      continue;
    } else if (attribute.type !== 'complex') {
      updated = next;
    } else if (op === 'add') {
      updated = mergeInto(
        session,
        attribute,
        label,
        isObject(element) ? element : undefined,
        next as JsonObject,
      );
    } else {
      updated = compact(next);
      checkImmutableSubs(session, attribute, label, element, updated);
    }
    // A sub-attribute write changed the value (equal ones were skipped above): no compare.
    if (updated === element || (!sub && deepEqual(updated, element))) continue;
    if (updated === undefined || (isObject(updated) && Object.keys(updated).length === 0)) {
      list.remove(position);
      continue;
    }
    list.set(position, updated);
    if (isObject(updated) && updated.primary === true) primaryAt = position;
  }
  if (primaryAt !== undefined) exclusivePrimary(list, attribute, primaryAt);
}

/** Positions of live values matching the target's filter (every value without one). */
function matches(list: ValueList, target: Target): number[] {
  const predicate = target.predicate;
  const result: number[] = [];
  if (target.lookupKey !== undefined && predicate) {
    for (const position of list.positionsOf(target.lookupKey))
      if (predicate(list.at(position))) result.push(position);
    return result;
  }
  for (let position = 0; position < list.end; position++) {
    if (list.isLive(position) && (!predicate || predicate(list.at(position)))) result.push(position);
  }
  return result;
}

/** A replaced value keeps its immutable sub-attributes (Group `members[…].value`). */
function checkImmutableSubs(
  session: Session,
  attribute: AttributeDefinition,
  label: string,
  before: unknown,
  after: unknown,
): void {
  for (const sub of attribute.subAttributes ?? []) {
    if (sub.mutability !== 'immutable' && sub.mutability !== 'readOnly') continue;
    const old = isObject(before) ? readKey(before, sub.name) : undefined;
    const next = isObject(after) ? readKey(after, sub.name) : undefined;
    if (sub.mutability === 'readOnly') {
      if (!deepEqual(old, next)) session.fail('mutability', `"${label}.${sub.name}" is readOnly`);
    } else if (old !== undefined && !deepEqual(old, next)) {
      session.fail('mutability', `"${label}.${sub.name}" is immutable and already has a value`);
    }
  }
}

/** Appends a value unless an identical one is there; a new primary clears the old one. */
function addElement(list: ValueList, attribute: AttributeDefinition, element: unknown): void {
  if (list.findDuplicate(element) >= 0) return;
  const position = list.append(element);
  if (isObject(element) && element.primary === true) exclusivePrimary(list, attribute, position);
}

/** Entra's `remove members [{value}]`: removes the values matching each listed one. */
function removeListed({ session, target, value, label, list }: ListOperation): void {
  const attribute = target.attribute;
  const listed = normalizeValue(session, attribute, value, label);
  for (const partial of listed === UNASSIGNED ? [] : (listed as unknown[])) {
    const key = isObject(partial) ? partial.value : partial;
    const valueDefinition = attribute.type === 'complex' ? valueSubAttribute(attribute) : attribute;
    let candidates: number[];
    if (key !== undefined && valueDefinition)
      candidates = [...list.positionsOf(simpleKey(valueDefinition, key))];
    else {
      candidates = [];
      for (let position = 0; position < list.end; position++)
        if (list.isLive(position)) candidates.push(position);
    }
    for (const position of candidates) {
      if (matchesPartial(attribute, list.at(position), partial)) list.remove(position);
    }
  }
}

/**
 * Keeps `primary: true` on one value at most (RFC 7643 2.4): the value at `keep`, or the last
 * primary one when `keep` is undefined.
 */
function exclusivePrimary(list: ValueList, attribute: AttributeDefinition, keep: number | undefined): void {
  // One value cannot share `primary` with another.
  if (list.size < 2 || !hasPrimary(attribute)) return;
  let winner = keep;
  if (winner === undefined) {
    for (let position = 0; position < list.end; position++) {
      const element = list.at(position);
      if (list.isLive(position) && isObject(element) && element.primary === true) winner = position;
    }
  }
  if (winner === undefined) return;
  for (let position = 0; position < list.end; position++) {
    if (!list.isLive(position)) continue;
    const element = list.at(position);
    if (position !== winner && isObject(element) && element.primary === true) {
      list.set(position, { ...element, primary: false });
    }
  }
}
