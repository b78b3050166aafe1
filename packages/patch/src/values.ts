/**
 * JSON helpers of the PATCH engine: structural equality and keys, case-insensitive reads,
 * copy-on-write edits of objects, and the identity of values in multi-valued attributes.
 */
import type { AttributeDefinition } from '@scimkit/schema';
import { UNASSIGNED } from '@scimkit/schema/internal';
import { subAttributeOf, valueSubAttribute } from './schema-index.js';

/** A JSON object as a record; never read with keys that did not come from a schema or `Object.keys`. */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a non-null, non-array object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How deep {@link deepEqual} and {@link canonicalKey} look before giving up (hostile data). */
const MAX_DEPTH = 32;

/** Structural equality of JSON values (key order ignored). Gives false past a nesting depth of 32. */
export function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    const key = aKeys[i] as string;
    // A key in the same place among `b`'s own keys needs no `Object.hasOwn` (a lookup): values
    // of one attribute usually list their keys in the same order.
    if (key !== bKeys[i] && !Object.hasOwn(b, key)) return false;
    if (!deepEqual((a as JsonObject)[key], (b as JsonObject)[key], depth + 1)) return false;
  }
  return true;
}

/** A string that is equal for deep-equal JSON values (object keys sorted). */
export function canonicalKey(value: unknown, depth = 0): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'undefined';
  if (depth > MAX_DEPTH) return '…';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalKey(item, depth + 1)).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalKey((value as JsonObject)[key], depth + 1)}`).join(',')}}`;
}

/** The own key of `holder` that names `name` case-insensitively (schema casing first), if any. */
export function findKey(holder: JsonObject, name: string): string | undefined {
  return Object.hasOwn(holder, name) ? name : findOtherKey(holder, name);
}

/** The own key of `holder` that names `name` in another casing, if any (`name` itself is not own). */
export function findOtherKey(holder: JsonObject, name: string): string | undefined {
  const { lower, dotted } = lowerName(name);
  const length = lower.length;
  for (const key of Object.keys(holder)) {
    if (key.length === length) {
      if (sameInLowerCase(key, lower)) return key;
    } else if (dotted && key.length < length && key.toLowerCase() === lower) {
      // toLowerCase never shortens a string and lengthens it only at U+0130 (to "i\u0307"):
      // a shorter key can match only a name whose lower case has U+0307.
      return key;
    }
  }
  return undefined;
}

/** Whether `key.toLowerCase() === lower` for a key of the same length, without lower-casing ASCII. */
function sameInLowerCase(key: string, lower: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    const expected = lower.charCodeAt(i);
    if (code === expected) continue;
    if (code >= 0x41 && code <= 0x5a) {
      if ((code | 0x20) === expected) continue;
      return false;
    }
    // Another ASCII character is its own lower case; others (the Kelvin sign K lowers to "k")
    // take the full conversion.
    if (code < 0x80) return false;
    return key.toLowerCase() === lower;
  }
  return true;
}

interface LowerName {
  lower: string;
  /** Whether `lower` has U+0307 (only then can a shorter key lower-case to it). */
  dotted: boolean;
}

/** Lower cases of the names looked up (schema names: few), so each is converted once. */
const lowerNames = new Map<string, LowerName>();
const MAX_LOWER_NAMES = 4096;

function lowerName(name: string): LowerName {
  let entry = lowerNames.get(name);
  if (!entry) {
    const lower = name.toLowerCase();
    entry = { lower, dotted: lower.includes('\u0307') };
    if (lowerNames.size >= MAX_LOWER_NAMES) lowerNames.clear();
    lowerNames.set(name, entry);
  }
  return entry;
}

/** The value of attribute `name` in `holder` (case-insensitive), or undefined. */
export function readKey(holder: JsonObject | undefined, name: string): unknown {
  if (!holder) return undefined;
  const key = findKey(holder, name);
  return key === undefined ? undefined : holder[key];
}

/** A lookup key of a simple value: strings lower-cased unless the attribute is caseExact. */
export function simpleKey(definition: AttributeDefinition | undefined, value: unknown): string {
  if (typeof value === 'string')
    return definition?.caseExact === true ? `s${value}` : `s${value.toLowerCase()}`;
  return `j${canonicalKey(value)}`;
}

/**
 * The identity key of one value of a multi-valued attribute: its `value` sub-attribute for
 * complex values (empty when it has none), the value itself for simple ones.
 */
export function identityKey(attribute: AttributeDefinition, element: unknown): string {
  if (attribute.type !== 'complex') return simpleKey(attribute, element);
  const valueDefinition = valueSubAttribute(attribute);
  if (!valueDefinition || !isObject(element)) return '';
  const value = readKey(element, 'value');
  return value === undefined || value === null ? '' : simpleKey(valueDefinition, value);
}

/**
 * Whether values of this multi-valued attribute are identified by their `value` alone: true
 * when `value` is immutable (Group `members`), so adding a member twice is a no-op even if
 * `display` differs.
 */
export function identifiedByValue(attribute: AttributeDefinition): boolean {
  return valueSubAttribute(attribute)?.mutability === 'immutable';
}

/** Equality of two simple values under an attribute's `caseExact`. */
function sameSimple(definition: AttributeDefinition | undefined, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && definition?.caseExact !== true) {
    return a.toLowerCase() === b.toLowerCase();
  }
  return deepEqual(a, b);
}

/**
 * Whether `element` holds every sub-attribute listed in `partial` with an equal value
 * (`caseExact`-aware): how Entra's `remove members [{value}]` picks the values to remove.
 */
export function matchesPartial(attribute: AttributeDefinition, element: unknown, partial: unknown): boolean {
  if (attribute.type !== 'complex') return sameSimple(attribute, element, partial);
  if (!isObject(element) || !isObject(partial)) return false;
  const keys = Object.keys(partial);
  if (keys.length === 0) return false;
  for (const key of keys) {
    const sub = subAttributeOf(attribute, key);
    if (!sameSimple(sub, readKey(element, key), partial[key])) return false;
  }
  return true;
}

/** `value` if it is an object, else undefined. */
export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

/** A copy of `object` with `name` set to `value` (replacing the key in any other casing). */
export function withKey(object: JsonObject, name: string, value: unknown): JsonObject {
  const copy = { ...object };
  setKey(copy, name, value);
  return copy;
}

/** Sets `name` on `object` (an object this patch owns), replacing the key in any other casing. */
export function setKey(object: JsonObject, name: string, value: unknown): void {
  if (!Object.hasOwn(object, name)) {
    const other = findOtherKey(object, name);
    if (other !== undefined) delete object[other];
  }
  object[name] = value;
}

/** A copy of `object` without `name` (any casing). */
export function withoutKey(object: JsonObject, name: string): JsonObject {
  const copy = { ...object };
  const key = findKey(copy, name);
  if (key !== undefined) delete copy[key];
  return copy;
}

/**
 * The values of `object` under `keys` (its `Object.keys`), in the same order. One
 * `Object.values` reads them all: `object[key]` with a different key each time is a
 * megamorphic keyed load in V8, a property search per key. A getter that deletes keys (never in
 * JSON) makes the lengths differ: the values are then read one by one.
 */
export function ownValues(object: JsonObject, keys: readonly string[]): unknown[] {
  const values = Object.values(object);
  return values.length === keys.length ? values : keys.map((key) => object[key]);
}

/** A new object with the first `count` of `keys` of `object` (those already checked), skipping undefined values. */
export function copyKeys(object: JsonObject, keys: readonly string[], count: number): JsonObject {
  const copy: JsonObject = {};
  for (let i = 0; i < count; i++) {
    const key = keys[i] as string;
    if (object[key] !== undefined) copy[key] = object[key];
  }
  return copy;
}

/** A normalised complex value without its unassigned ({@link UNASSIGNED}) sub-attributes. */
export function compact(value: unknown): unknown {
  if (!isObject(value)) return value;
  let result: JsonObject | undefined;
  for (const key of Object.keys(value)) {
    if (value[key] === UNASSIGNED) {
      result ??= { ...value };
      delete result[key];
    }
  }
  return result ?? value;
}

/** `existing` with `next`'s sub-attributes applied, for comparing readOnly complex values. */
export function mergeComplex(existing: JsonObject, next: JsonObject): JsonObject {
  const result = { ...existing };
  for (const key of Object.keys(next)) {
    if (next[key] === UNASSIGNED) delete result[key];
    else result[key] = next[key];
  }
  return result;
}

/** A JSON value described for an error: `a list`, `an object`, `string "x"`, `number 1e400`. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  // JSON.stringify writes Infinity (from 1e400) and NaN as null.
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return `${typeof value} ${text}`.slice(0, 80);
}
