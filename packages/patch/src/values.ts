import type { AttributeDefinition } from '@scimkit/schema';
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
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!Object.hasOwn(b, key)) return false;
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
  if (Object.hasOwn(holder, name)) return name;
  const lower = name.toLowerCase();
  const length = lower.length;
  for (const key of Object.keys(holder)) {
    // toLowerCase never shortens a string and lengthens it only at U+0130, so other lengths
    // cannot match: skip them without lower-casing.
    if (key.length !== length && (key.length > length || !key.includes('\u0130'))) continue;
    if (key.toLowerCase() === lower) return key;
  }
  return undefined;
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
export function sameSimple(definition: AttributeDefinition | undefined, a: unknown, b: unknown): boolean {
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
