/**
 * Documents as PostgreSQL keeps them: text it cannot store (refused before it reaches SQL), and
 * the key order of a document read back from `jsonb` (which keeps keys shortest first).
 */

import { type Filter, visitFilter } from '@scimkit/filter';
import { type AttributeDefinition, ScimError } from '@scimkit/schema';
import type { StoreResourceType } from '@scimkit/server';
import { shortened } from '@scimkit/sql/internal';

/** Text PostgreSQL cannot hold: U+0000, and UTF-16 surrogates that are not part of a pair. */
export const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a value holds text PostgreSQL cannot store (in a string or an object key, at any depth). */
export function hasUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (Array.isArray(value)) return value.some(hasUnstorable);
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (UNSTORABLE.test(key) || hasUnstorable(inner)) return true;
    }
  }
  return false;
}

/** Whether a filter compares with text PostgreSQL cannot take as a parameter. */
export function filterHasUnstorable(filter: Filter): boolean {
  let found = false;
  visitFilter(filter, {
    enter(node) {
      if (node.kind === 'Comparison' && typeof node.value === 'string' && UNSTORABLE.test(node.value))
        found = true;
      return undefined;
    },
  });
  return found;
}

/** 400 `invalidValue`: the resource holds text PostgreSQL cannot store. */
export function unstorable(type: StoreResourceType, id: string): ScimError {
  return new ScimError(
    `${type.name} "${shortened(id)}" holds text PostgreSQL cannot store (U+0000 or an unpaired UTF-16 surrogate).`,
    { status: 400, scimType: 'invalidValue' },
  );
}

/**
 * Where an object's keys go: named keys first, in this order, then the others as they come;
 * `nested` orders the value (or each element of a list) under a key.
 */
export interface KeyOrder {
  keys: readonly string[];
  nested: ReadonlyMap<string, KeyOrder>;
}

const META_ORDER: KeyOrder = {
  keys: ['resourceType', 'created', 'lastModified', 'location', 'version'],
  nested: new Map(),
};
const keyOrders = new WeakMap<StoreResourceType, KeyOrder>();

/** `keys` without repeats (the first of each), as {@link inOrder} counts on. */
function unique(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

/** Sub-attributes in their schema's order. */
function attributesOrder(attributes: readonly AttributeDefinition[]): KeyOrder {
  const nested = new Map<string, KeyOrder>();
  for (const attribute of attributes) {
    if (attribute.subAttributes?.length) nested.set(attribute.name, attributesOrder(attribute.subAttributes));
  }
  return { keys: unique(attributes.map((attribute) => attribute.name)), nested };
}

/**
 * The key order of a type's resources: `schemas`, `id`, `externalId`, the core attributes as
 * the schema lists them, the extensions, then `meta`. jsonb keeps object keys in its own order
 * (shorter keys first), so documents are put back in a readable one when read.
 */
export function keyOrderOf(type: StoreResourceType): KeyOrder {
  let order = keyOrders.get(type);
  if (!order) {
    const core = attributesOrder(type.schema.attributes);
    const nested = new Map(core.nested);
    for (const extension of type.extensions)
      nested.set(extension.schema.id, attributesOrder(extension.schema.attributes));
    nested.set('meta', META_ORDER);
    order = {
      keys: unique([
        'schemas',
        'id',
        'externalId',
        ...core.keys.filter((key) => key !== 'id' && key !== 'externalId' && key !== 'meta'),
        ...type.extensions.map((extension) => extension.schema.id),
        'meta',
      ]),
      nested,
    };
    keyOrders.set(type, order);
  }
  return order;
}

/** Sets `key` as an own data property: a key named `__proto__` stays data, as JSON.parse made it. */
function putOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

/**
 * A copy of `value` with its keys (and the keys below them) in `order`. It runs for every object
 * and list of every document read (over a thousand for a page of 100 Users), so it is plain
 * loops with no closure per object, and the second pass over the document's own keys runs only
 * when some key is not in `order` (`order.keys` holds no repeats, so the count tells): half the
 * instructions of the version with a closure, `map` and both passes always.
 */
export function inOrder(value: unknown, order: KeyOrder): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index += 1) items[index] = inOrder(value[index], order);
    return items;
  }
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const keys = Object.keys(source);
  let placed = 0;
  for (const key of order.keys) {
    if (!Object.hasOwn(source, key)) continue;
    const inner = order.nested.get(key);
    putOwn(result, key, inner ? inOrder(source[key], inner) : source[key]);
    placed += 1;
  }
  if (placed === keys.length) return result;
  for (const key of keys) {
    if (Object.hasOwn(result, key)) continue;
    const inner = order.nested.get(key);
    putOwn(result, key, inner ? inOrder(source[key], inner) : source[key]);
  }
  return result;
}
