import type { AttributeDefinition } from '@scimkit/schema';
import { canonicalKey, deepEqual, identifiedByValue, identityKey } from './values.js';

/**
 * The working copy of one multi-valued attribute during a patch. It shares the input array
 * until the first write, removes by tombstoning (no array splice per removal), and keeps a
 * lazily built index of values by identity key, so adding or removing one member of a
 * 100k-member group costs O(n) once for the copy and the index, and O(1) per further operation.
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
    return this.keyIndex().get(key) ?? [];
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
    this.own();
    const position = this.items.push(element) - 1;
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
  }

  /** Removes the live value at `position`. */
  remove(position: number): void {
    this.own();
    if (this.index) this.indexRemove(identityKey(this.attribute, this.items[position]), position);
    (this.dead ??= new Set()).add(position);
  }

  /** Replaces every value. */
  replaceAll(elements: readonly unknown[]): void {
    this.items = elements.slice();
    this.owned = true;
    this.dead = undefined;
    this.index = undefined;
    this.wholesale = true;
    this.modified = true;
  }

  /** The final list and what changed, or undefined when nothing did. */
  finish(): { values: unknown[]; added: unknown[]; removed: unknown[] } | undefined {
    if (!this.modified) return undefined;
    const values = this.dead ? this.items.filter((_, i) => !this.dead?.has(i)) : this.items;
    const before = new Set(this.original);
    const after = new Set(values);
    let added = values.filter((value) => !before.has(value));
    let removed = this.original.filter((value) => !after.has(value));
    if (this.wholesale && added.length > 0 && removed.length > 0) {
      // A wholesale replace creates new objects for unchanged values: cancel equal pairs.
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
    return { values, added, removed };
  }

  private own(): void {
    this.modified = true;
    if (!this.owned) {
      this.items = this.items.slice();
      this.owned = true;
    }
  }

  private keyIndex(): Map<string, number[]> {
    if (!this.index) {
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
    return this.index;
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
