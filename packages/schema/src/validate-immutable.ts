/**
 * The immutable rule on replace and patch (RFC 7643 section 7): values already set must come
 * back unchanged, compared as the attribute's characteristics say (`caseExact`, dateTimes as
 * instants, multi-valued lists in any order).
 */
import { sameDateTime } from '@scimkit/filter/internal';
import type { AttributeDefinition } from './definition.js';
import type { IndexedSchema } from './lookup.js';
import { isObject, setOwn } from './objects.js';
import { getOwnInsensitive, issue, qualify, type Settings } from './validate-attributes.js';

/** Whether two values of an attribute are the same, honouring `caseExact` and ignoring order. */
function sameValue(definition: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (definition.multiValued) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const single = { ...definition, multiValued: false };
    const used = new Set<number>();
    return a.every((x) => {
      const index = b.findIndex((y, i) => !used.has(i) && sameValue(single, x, y));
      if (index < 0) return false;
      used.add(index);
      return true;
    });
  }
  if (definition.type === 'complex') {
    if (!isObject(a) || !isObject(b)) return false;
    for (const sub of definition.subAttributes ?? []) {
      const x = getOwnInsensitive(a, sub.name);
      const y = getOwnInsensitive(b, sub.name);
      if ((x === undefined || x === null) && (y === undefined || y === null)) continue;
      if (!sameValue(sub, x, y)) return false;
    }
    return true;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if (definition.type === 'dateTime') return sameDateTime(a, b);
    return definition.caseExact || definition.type === 'binary'
      ? a === b
      : a.toLowerCase() === b.toLowerCase();
  }
  return a === b;
}

const guarded = new WeakMap<IndexedSchema, readonly AttributeDefinition[]>();

/**
 * The attributes of a schema the immutable rule can concern: immutable ones, and single-valued
 * complex ones with an immutable sub-attribute. Most schemas have none (User, the enterprise
 * extension), so the check no longer looks up every attribute of the stored resource (a
 * case-insensitive scan of its keys for each one it lacks) only to find nothing to compare.
 */
function guardedAttributes(entry: IndexedSchema): readonly AttributeDefinition[] {
  let list = guarded.get(entry);
  if (!list) {
    list = [...entry.attributes.values()].filter(
      (definition) =>
        definition.mutability === 'immutable' ||
        (definition.type === 'complex' &&
          !definition.multiValued &&
          (definition.subAttributes ?? []).some((sub) => sub.mutability === 'immutable')),
    );
    guarded.set(entry, list);
  }
  return list;
}

/**
 * Checks immutable attributes (and immutable sub-attributes of single-valued complex
 * attributes) against the stored resource. Immutable sub-attributes of multi-valued
 * attributes, such as `members.value`, are left alone: each value is new or removed as a whole.
 */
export function checkImmutable(
  entry: IndexedSchema,
  out: Record<string, unknown>,
  existingContainer: Readonly<Record<string, unknown>> | undefined,
  settings: Settings,
): void {
  if (!existingContainer) return;
  for (const definition of guardedAttributes(entry)) {
    const before = getOwnInsensitive(existingContainer, definition.name);
    if (before === undefined || before === null) continue;
    const after = Object.hasOwn(out, definition.name) ? out[definition.name] : undefined;
    const path = qualify(entry, definition.name);
    if (definition.mutability === 'immutable') {
      if (after === undefined) {
        if (settings.context === 'replace') setOwn(out, definition.name, structuredClone(before));
        else
          issue(
            settings,
            path,
            'mutability',
            `Attribute "${definition.name}" is immutable and cannot be removed`,
          );
      } else if (!sameValue(definition, before, after)) {
        issue(
          settings,
          path,
          'mutability',
          `Attribute "${definition.name}" is immutable and cannot be changed`,
        );
      }
      continue;
    }
    if (definition.type !== 'complex' || definition.multiValued || !isObject(before)) continue;
    for (const sub of definition.subAttributes ?? []) {
      if (sub.mutability !== 'immutable') continue;
      const subBefore = getOwnInsensitive(before, sub.name);
      if (subBefore === undefined || subBefore === null) continue;
      const subAfter = isObject(after) && Object.hasOwn(after, sub.name) ? after[sub.name] : undefined;
      if (subAfter === undefined) {
        if (settings.context === 'replace') {
          const target = isObject(after) ? after : {};
          setOwn(target, sub.name, structuredClone(subBefore));
          if (!isObject(after)) setOwn(out, definition.name, target);
        } else {
          issue(
            settings,
            `${path}.${sub.name}`,
            'mutability',
            `Sub-attribute "${sub.name}" is immutable and cannot be removed`,
          );
        }
      } else if (!sameValue(sub, subBefore, subAfter)) {
        issue(
          settings,
          `${path}.${sub.name}`,
          'mutability',
          `Sub-attribute "${sub.name}" is immutable and cannot be changed`,
        );
      }
    }
  }
}
