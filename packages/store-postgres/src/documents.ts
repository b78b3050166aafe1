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

/** Sub-attributes in their schema's order. */
function attributesOrder(attributes: readonly AttributeDefinition[]): KeyOrder {
  const nested = new Map<string, KeyOrder>();
  for (const attribute of attributes) {
    if (attribute.subAttributes?.length) nested.set(attribute.name, attributesOrder(attribute.subAttributes));
  }
  return { keys: attributes.map((attribute) => attribute.name), nested };
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
      keys: [
        'schemas',
        'id',
        'externalId',
        ...core.keys.filter((key) => key !== 'id' && key !== 'externalId' && key !== 'meta'),
        ...type.extensions.map((extension) => extension.schema.id),
        'meta',
      ],
      nested,
    };
    keyOrders.set(type, order);
  }
  return order;
}

/** A copy of `value` with its keys (and the keys below them) in `order`. */
export function inOrder(value: unknown, order: KeyOrder): unknown {
  if (Array.isArray(value)) return value.map((item) => inOrder(item, order));
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const put = (key: string) => {
    const inner = order.nested.get(key);
    const item = inner ? inOrder(source[key], inner) : source[key];
    // A plain assignment keeps the copy a fast object (defineProperty on every key cost the
    // hydration of a page of 100 Users a tenth of its CPU); only a key named `__proto__` needs
    // defineProperty to stay an own property, as JSON.parse made it.
    if (key === '__proto__') {
      Object.defineProperty(result, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else result[key] = item;
  };
  for (const key of order.keys) if (Object.hasOwn(source, key)) put(key);
  for (const key of Object.keys(source)) if (!Object.hasOwn(result, key)) put(key);
  return result;
}
