import {
  type AttributeDefinition,
  commonAttributes,
  type ResourceTypeDefinition,
  type PatchOperation as RfcPatchOperation,
} from '@scimkit/schema';
import { resourceTypeFor } from './options.js';
import { indexType, type SchemaEntry, valueSubAttribute } from './schema-index.js';
import { canonicalKey, deepEqual, isObject, type JsonObject, readKey, simpleKey } from './values.js';

/** Options of {@link diffResources}. */
export interface DiffOptions {
  /**
   * The resource type whose schemas drive the diff. By default the core Group resource type
   * when `after` (or `before`) lists the Group URN, else the core User resource type with the
   * Enterprise User extension.
   */
  resourceType?: ResourceTypeDefinition | undefined;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0)
  );
}

/** Values keyed by their `value` (caseExact-aware), or undefined when some value has none or two share one. */
function byValue(
  attribute: AttributeDefinition,
  list: readonly unknown[],
): Map<string, JsonObject> | undefined {
  const definition = valueSubAttribute(attribute);
  if (!definition) return undefined;
  const map = new Map<string, JsonObject>();
  for (const element of list) {
    if (!isObject(element)) return undefined;
    const value = readKey(element, 'value');
    if (typeof value !== 'string') return undefined;
    const key = simpleKey(definition, value);
    if (map.has(key)) return undefined;
    map.set(key, element);
  }
  return map;
}

/** Whether two lists hold the same values in any order. */
function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  const counts = new Map<string, number>();
  for (const value of a) counts.set(canonicalKey(value), (counts.get(canonicalKey(value)) ?? 0) + 1);
  for (const value of b) {
    const key = canonicalKey(value);
    const count = counts.get(key) ?? 0;
    if (count === 0) return false;
    counts.set(key, count - 1);
  }
  return true;
}

function asList(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

class Differ {
  readonly removes: RfcPatchOperation[] = [];
  readonly replaces: RfcPatchOperation[] = [];
  readonly adds: RfcPatchOperation[] = [];

  attribute(attribute: AttributeDefinition, prefix: string, before: unknown, after: unknown): void {
    if (attribute.mutability === 'readOnly') return;
    const path = `${prefix}${attribute.name}`;
    if (isEmpty(after)) {
      if (!isEmpty(before)) this.removes.push({ op: 'remove', path });
      return;
    }
    if (deepEqual(before, after)) return;
    if (attribute.multiValued) {
      this.multiValued(attribute, path, asList(before), asList(after));
      return;
    }
    if (attribute.type !== 'complex' || !isObject(after)) {
      this.replaces.push({ op: 'replace', path, value: after });
      return;
    }
    const old = isObject(before) ? before : {};
    const changed: JsonObject = {};
    let any = false;
    for (const sub of attribute.subAttributes ?? []) {
      if (sub.mutability === 'readOnly') continue;
      const was = readKey(old, sub.name);
      const now = readKey(after, sub.name);
      if (isEmpty(now)) {
        if (!isEmpty(was)) this.removes.push({ op: 'remove', path: `${path}.${sub.name}` });
      } else if (!deepEqual(was, now)) {
        changed[sub.name] = now;
        any = true;
      }
    }
    if (any) this.replaces.push({ op: 'replace', path, value: changed });
  }

  private multiValued(
    attribute: AttributeDefinition,
    path: string,
    before: readonly unknown[],
    after: readonly unknown[],
  ): void {
    if (sameValues(before, after)) return;
    const old = byValue(attribute, before);
    const now = old && byValue(attribute, after);
    if (!old || !now) {
      this.replaces.push({ op: 'replace', path, value: after });
      return;
    }
    // Values with an immutable sub-attribute (Group members) cannot be replaced in place.
    const replaceable = !(attribute.subAttributes ?? []).some((sub) => sub.mutability === 'immutable');
    const added: JsonObject[] = [];
    for (const [key, element] of old) {
      if (!now.has(key)) this.removes.push({ op: 'remove', path: filterPath(path, element) });
    }
    for (const [key, element] of now) {
      const previous = old.get(key);
      if (!previous) added.push(element);
      else if (!deepEqual(previous, element)) {
        if (replaceable)
          this.replaces.push({ op: 'replace', path: filterPath(path, previous), value: element });
        else {
          this.removes.push({ op: 'remove', path: filterPath(path, previous) });
          added.push(element);
        }
      }
    }
    if (added.length > 0) this.adds.push({ op: 'add', path, value: added });
  }
}

function filterPath(path: string, element: JsonObject): string {
  return `${path}[value eq ${JSON.stringify(readKey(element, 'value'))}]`;
}

/**
 * Computes a PATCH that turns `before` into `after`: removals, then replacements, then
 * additions. It is schema-aware: single-valued attributes are replaced, complex ones get their
 * changed sub-attributes, multi-valued complex attributes whose values are identified by a
 * unique `value` get value filters (`emails[value eq "…"]`) and one `add` of the new values,
 * other multi-valued attributes are replaced whole, and extension attributes are addressed by
 * URN (`urn:…:enterprise:2.0:User:department`), a vanished extension by its URN alone.
 * readOnly attributes (`id`, `meta`, `groups`, `manager.displayName`) and attributes outside
 * the schemas are left out. Order within multi-valued attributes is not significant.
 *
 * @param before - The resource as stored.
 * @param after - The resource wanted.
 * @param options - The resource type, if not the core User or Group.
 * @returns The operations (empty when nothing differs), ready for a PatchOp body.
 * @example
 * ```ts
 * import type { ScimClient } from '@scimkit/client';
 * import { diffResources } from '@scimkit/patch';
 * import type { User } from '@scimkit/schema';
 *
 * declare const client: ScimClient;
 * declare const stored: User; // what the server has
 * const wanted = { ...stored, title: 'Director' }; // what it should have
 * const operations = diffResources(stored, wanted);
 * await client.users.patch(stored.id, operations, { ifMatch: stored.meta.version });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function diffResources(before: object, after: object, options: DiffOptions = {}): RfcPatchOperation[] {
  const typed = isObject(after) && Array.isArray(after.schemas) ? after : before;
  const index = indexType(options.resourceType ?? resourceTypeFor(typed, undefined));
  const differ = new Differ();
  const from = before as JsonObject;
  const to = after as JsonObject;
  const entries: SchemaEntry[] = [index.core, ...index.extensions];
  for (const entry of entries) {
    const fromHolder = entry.core ? from : readKey(from, entry.schema.id);
    const toHolder = entry.core ? to : readKey(to, entry.schema.id);
    const prefix = entry.core ? '' : `${entry.schema.id}:`;
    if (!entry.core && isEmpty(toHolder)) {
      if (!isEmpty(fromHolder)) differ.removes.push({ op: 'remove', path: entry.schema.id });
      continue;
    }
    const attributes = entry.core
      ? [...commonAttributes, ...entry.schema.attributes]
      : entry.schema.attributes;
    for (const attribute of attributes) {
      differ.attribute(
        attribute,
        prefix,
        readKey(isObject(fromHolder) ? fromHolder : undefined, attribute.name),
        readKey(isObject(toHolder) ? toHolder : undefined, attribute.name),
      );
    }
  }
  return [...differ.removes, ...differ.replaces, ...differ.adds];
}
