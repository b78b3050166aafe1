import type { AttributeDefinition } from '@scimkit/schema';
import { valueSubAttribute } from './schema-index.js';
import { canonicalKey, deepEqual, identifiedByValue, identityKey, readKey, simpleKey } from './values.js';

/** Lookups answered by a linear scan before the list builds its index of values by key. */
const SCANS_BEFORE_INDEX = 4;
/** Wholesale replaces with at most this many added × removed pairs compare values pairwise. */
const PAIRWISE_LIMIT = 256;
const CANCELLED: unique symbol = Symbol('cancelled');

/**
 * The working copy of one multi-valued attribute during a patch. It shares the input array
 * until a write needs a copy (an append copies once with `concat`; removals are tombstoned and
 * need none until the end); a few lookups by `value` scan the list without allocating, more
 * build an index once; and what changed is tracked as it happens, so the delta costs
 * O(changes). Adding or removing one member of a 100k-member group is therefore one pass and
 * one allocation, and each further operation of the same request O(1).
 */
export class ValueList {
  readonly attribute: AttributeDefinition;
  /** The attribute name reported in deltas (`urn:…:name` for extension attributes). */
  readonly label: string;
  private readonly original: readonly unknown[];
  private items: unknown[];
  private owned = false;
  private dead: Set<number> | undefined;
  private index: Map<string, number[]> | undefined;
  private scans = 0;
  /** Positions of original values that were replaced or removed. */
  private touched: Set<number> | undefined;
  private wholesale = false;
  /** Whether any write happened. */
  modified = false;

  constructor(attribute: AttributeDefinition, label: string, original: readonly unknown[]) {
    this.attribute = attribute;
    this.label = label;
    this.original = original;
    this.items = original as unknown[];
  }

  /** Live values with their positions. */
  *entries(): Generator<[number, unknown]> {
    const { items, dead } = this;
    for (let i = 0; i < items.length; i++) if (!dead?.has(i)) yield [i, items[i]];
  }

  /** One past the last position, live or not (positions run from 0). */
  get end(): number {
    return this.items.length;
  }

  /** Whether `position` (below {@link end}) holds a live value. */
  isLive(position: number): boolean {
    return this.dead === undefined || !this.dead.has(position);
  }

  /** Number of live values. */
  get size(): number {
    return this.items.length - (this.dead?.size ?? 0);
  }

  /** The value at a live position. */
  at(position: number): unknown {
    return this.items[position];
  }

  /** Positions of live values whose identity key is `key` (see {@link identityKey}). */
  positionsOf(key: string): readonly number[] {
    if (!this.index && ++this.scans > SCANS_BEFORE_INDEX) this.buildIndex();
    if (this.index) return this.index.get(key) ?? [];
    const result: number[] = [];
    const { items, dead, attribute } = this;
    const complex = attribute.type === 'complex';
    const definition = complex ? valueSubAttribute(attribute) : attribute;
    // The common case, string ids: compare characters without building a key per value.
    const text = key.charCodeAt(0) === 0x73 ? key.length - 1 : -1;
    for (let i = 0; i < items.length; i++) {
      if (dead?.has(i)) continue;
      const item = items[i];
      let value: unknown = item;
      if (complex) {
        if (typeof item !== 'object' || item === null) continue;
        value = Object.hasOwn(item, 'value')
          ? (item as Record<string, unknown>).value
          : readKey(item as Record<string, unknown>, 'value');
        if (value === undefined || value === null) {
          if (key === '') result.push(i);
          continue;
        }
      }
      if (typeof value === 'string' && value.length === text) {
        if (sameText(definition, value, key)) result.push(i);
      } else if (keyMatches(definition, value, key)) {
        result.push(i);
      }
    }
    return result;
  }

  /** The position of a live value identical to `element` (by `value` for Group members), or -1. */
  findDuplicate(element: unknown): number {
    const byValue = identifiedByValue(this.attribute);
    const key = identityKey(this.attribute, element);
    for (const position of this.positionsOf(key)) {
      if ((byValue && key !== '') || deepEqual(this.items[position], element)) return position;
    }
    return -1;
  }

  /** Appends a value; returns its position. */
  append(element: unknown): number {
    let position: number;
    if (this.owned) {
      position = this.items.push(element) - 1;
    } else {
      position = this.items.length;
      // Big lists: one allocation of the exact size (slice then push may allocate twice);
      // small ones: slice and push, as concat's fixed cost dominates there.
      if (position >= 64) this.items = this.items.concat([element]);
      else (this.items = this.items.slice()).push(element);
      this.owned = true;
    }
    this.modified = true;
    if (this.index) this.indexAdd(identityKey(this.attribute, element), position);
    return position;
  }

  /** Replaces the live value at `position`. */
  set(position: number, element: unknown): void {
    this.own();
    if (this.index) {
      const before = identityKey(this.attribute, this.items[position]);
      const after = identityKey(this.attribute, element);
      if (before !== after) {
        this.indexRemove(before, position);
        this.indexAdd(after, position);
      }
    }
    this.items[position] = element;
    if (position < this.original.length) (this.touched ??= new Set()).add(position);
  }

  /** Removes the live value at `position`. */
  remove(position: number): void {
    // No copy: tombstoned positions are left out when the list is finished.
    this.modified = true;
    if (this.index) this.indexRemove(identityKey(this.attribute, this.items[position]), position);
    (this.dead ??= new Set()).add(position);
    if (position < this.original.length) (this.touched ??= new Set()).add(position);
  }

  /**
   * Replaces every value. With `owned`, the list takes `elements` over (the caller must not keep
   * using it); else `elements` is someone else's (the request's) and is copied before a write.
   */
  replaceAll(elements: unknown[], owned: boolean): void {
    this.items = elements;
    this.owned = owned;
    this.dead = undefined;
    this.index = undefined;
    this.scans = 0;
    this.wholesale = true;
    this.modified = true;
  }

  /** The final list and what changed, or undefined when nothing did. */
  finish(): ListOutcome | undefined {
    if (!this.modified) return undefined;
    return this.wholesale ? this.finishWholesale() : this.finishIncremental();
  }

  /** Delta from the tracked positions: O(changes) plus one pass when values were removed. */
  private finishIncremental(): ListOutcome | undefined {
    const { items, dead, original } = this;
    const added: unknown[] = [];
    const removed: unknown[] = [];
    for (const position of sortedPositions(this.touched)) {
      const gone = dead?.has(position) === true;
      if (gone || items[position] !== original[position]) removed.push(original[position]);
      if (!gone && items[position] !== original[position]) added.push(items[position]);
    }
    for (let i = original.length; i < items.length; i++) if (!dead?.has(i)) added.push(items[i]);
    if (added.length === 0 && removed.length === 0) return undefined;
    const values = dead && dead.size > 0 ? this.compact(dead) : items;
    // Literals with `replaced`, not `{ ...outcome, replaced }`: V8 (Node 20) spreads with an
    // extra key in its runtime, at the cost of several thousand instructions.
    return { values, added, removed, replaced: false };
  }

  /** Delta of a wholesale replace: new objects equal to old ones cancel out. */
  private finishWholesale(): ListOutcome | undefined {
    const { dead, original } = this;
    const values = dead ? this.items.filter((_, i) => !dead.has(i)) : this.items;
    let added: unknown[] = [];
    let removed: unknown[] = [];
    if (values.length + original.length <= 32) {
      // Few values: identity scans, no sets and no closures.
      let newValues: unknown[] | undefined;
      let oldValues: unknown[] | undefined;
      for (let i = 0; i < values.length; i++)
        if (!original.includes(values[i])) newValues = appended(newValues, values[i]);
      for (let i = 0; i < original.length; i++)
        if (!values.includes(original[i])) oldValues = appended(oldValues, original[i]);
      if (newValues) added = newValues;
      if (oldValues) removed = oldValues;
    } else {
      const before = new Set(original);
      const after = new Set(values);
      for (const value of values) if (!before.has(value)) added.push(value);
      for (const value of original) if (!after.has(value)) removed.push(value);
    }
    if (added.length > 0 && removed.length > 0 && added.length * removed.length <= PAIRWISE_LIMIT) {
      // Few values: pairwise comparison beats building canonical keys. Both arrays are this
      // method's own: equal pairs are marked in place and filtered out only if there are any.
      let cancelled = false;
      for (let a = 0; a < added.length; a++) {
        const value = added[a];
        for (let r = 0; r < removed.length; r++) {
          const old = removed[r];
          if (old !== CANCELLED && deepEqual(old, value)) {
            removed[r] = CANCELLED;
            added[a] = CANCELLED;
            cancelled = true;
            break;
          }
        }
      }
      if (cancelled) {
        added = added.filter(notCancelled);
        removed = removed.filter(notCancelled);
      }
    } else if (added.length > 0 && removed.length > 0) {
      const counts = new Map<string, number>();
      for (const value of removed) {
        const key = canonicalKey(value);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const kept = new Map<string, number>();
      added = added.filter((value) => {
        const key = canonicalKey(value);
        const count = counts.get(key) ?? 0;
        if (count === 0) return true;
        counts.set(key, count - 1);
        kept.set(key, (kept.get(key) ?? 0) + 1);
        return false;
      });
      removed = removed.filter((value) => {
        const key = canonicalKey(value);
        const count = kept.get(key) ?? 0;
        if (count === 0) return true;
        kept.set(key, count - 1);
        return false;
      });
    }
    if (added.length === 0 && removed.length === 0) return undefined;
    return { values, added, removed, replaced: true };
  }

  /** The live values in one pass: in place when the array is this list's copy, else into one new array. */
  private compact(dead: Set<number>): unknown[] {
    const { items } = this;
    const gone = [...dead].sort((a, b) => a - b);
    const out = this.owned ? items : new Array<unknown>(items.length - gone.length);
    let write = 0;
    let next = 0;
    for (let read = 0; read < items.length; read++) {
      if (read === gone[next]) {
        next++;
        continue;
      }
      out[write++] = items[read];
    }
    out.length = write;
    return out;
  }

  private own(): void {
    this.modified = true;
    if (!this.owned) {
      this.items = this.items.slice();
      this.owned = true;
    }
  }

  private buildIndex(): void {
    const index = new Map<string, number[]>();
    const { items, dead } = this;
    for (let i = 0; i < items.length; i++) {
      if (dead?.has(i)) continue;
      const key = identityKey(this.attribute, items[i]);
      const list = index.get(key);
      if (list) list.push(i);
      else index.set(key, [i]);
    }
    this.index = index;
  }

  private indexAdd(key: string, position: number): void {
    const list = this.index?.get(key);
    if (list) list.push(position);
    else this.index?.set(key, [position]);
  }

  private indexRemove(key: string, position: number): void {
    const list = this.index?.get(key);
    if (!list) return;
    const at = list.indexOf(position);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.index?.delete(key);
  }
}

/** The final values of a list, and the values added and removed (`replaced`: all at once). */
export interface ListOutcome {
  values: unknown[];
  added: unknown[];
  removed: unknown[];
  replaced: boolean;
}

const NO_POSITIONS: readonly number[] = [];

/**
 * `list` with `value` pushed, or a new list of it. A list of one or two values is a new literal:
 * pushing onto `[]` or `[value]` allocates room for 17 (V8's growth step).
 */
function appended(list: unknown[] | undefined, value: unknown): unknown[] {
  if (list === undefined) return [value];
  if (list.length === 1) return [list[0], value];
  list.push(value);
  return list;
}

function notCancelled(value: unknown): boolean {
  return value !== CANCELLED;
}

/** The positions of a set in increasing order (a patch usually touches one or two). */
function sortedPositions(positions: Set<number> | undefined): Iterable<number> {
  if (!positions || positions.size === 1) return positions ?? NO_POSITIONS;
  return [...positions].sort((a, b) => a - b);
}

/** Whether `simpleKey(definition, value) === key` for a string of the key's length (minus its `s`). */
function sameText(definition: AttributeDefinition | undefined, value: string, key: string): boolean {
  const caseExact = definition?.caseExact === true;
  // From the end: sequential ids (…0001, …0002) differ there, random ones anywhere.
  for (let i = value.length - 1; i >= 0; i--) {
    const a = value.charCodeAt(i);
    const b = key.charCodeAt(i + 1);
    if (a === b) continue;
    if (caseExact) return false;
    if (a >= 0x41 && a <= 0x5a && (a | 0x20) === b) continue;
    if (a < 0x80) return false;
    return simpleKey(definition, value) === key;
  }
  return true;
}

/** Whether `simpleKey(definition, value) === key`, without building the key in the common cases. */
function keyMatches(definition: AttributeDefinition | undefined, value: unknown, key: string): boolean {
  if (typeof value !== 'string') return simpleKey(definition, value) === key;
  if (key.charCodeAt(0) !== 0x73) return false;
  if (key.length === value.length + 1) return sameText(definition, value, key);
  // Lower-casing keeps the length, except for a few non-ASCII letters (U+0130).
  return (
    definition?.caseExact !== true && /[^\u0000-\u007f]/.test(value) && simpleKey(definition, value) === key
  );
}
