/**
 * The state of one patch: the draft resource (copied on write from the original), the working
 * lists of the multi-valued attributes it touched, and the operation being applied. Every
 * operation module works on a {@link Session}; the helpers that need less take a {@link Context}.
 */
import type { AttributeDefinition, ScimErrorType } from '@scimkit/schema';
import type { ResolvedOptions } from './options.js';
import { describeStep, requestError, type Step } from './request.js';
import { growableCopy } from './result-object.js';
import { attributeLabel, type SchemaEntry, type TypeIndex } from './schema-index.js';
import type { AttributeDelta, PatchResult, PatchWarning } from './types.js';
import { ValueList } from './value-list.js';
import { asObject, deepEqual, findKey, findOtherKey, isObject, type JsonObject, readKey } from './values.js';

/** What path resolution, normalisation and the mutability rules need of a session. */
export interface Context {
  /** The lookup tables of the resource type being patched. */
  readonly index: TypeIndex;
  /** The options, with defaults applied. */
  readonly options: ResolvedOptions;
  /** Throws the 400 error of the current operation. */
  fail(scimType: ScimErrorType, message: string): never;
  /**
   * An unknown attribute or sub-attribute at `path`: skipped with a warning under
   * `compat.ignoreUnknownAttributes` (returns), else the 400 `invalidPath` (throws).
   */
  unknown(path: string, message: string): void;
}

/** One patch being applied: the draft resource and the working copies of what it touched. */
export class Session implements Context {
  readonly index: TypeIndex;
  readonly options: ResolvedOptions;
  readonly original: JsonObject;
  /**
   * What the patch reads and writes: the original until the first write, then its copy (made
   * on write, so that a patch adding a key copies the resource once, not twice).
   */
  private draft: JsonObject;
  /** Whether {@link draft} is a {@link growableCopy} (a key can be added without V8 going slow). */
  private growable = false;
  /** Objects copied by this patch, extensions and complex values (safe to write; few: an array). */
  private owned: object[] | undefined;
  /**
   * Working lists of multi-valued attributes (a patch touches few: arrays beat maps), made at
   * the first list (pushing onto `[]` allocates room for 17), each with whether the draft had
   * the attribute's key in schema casing then (only the list's own write, at the end, can
   * change that).
   */
  private lists: WorkingList[] | undefined;
  /**
   * Single-valued attributes written (repeats allowed), to tell whether anything changed: a
   * linked list in the order of the writes (an array would grow, allocating room for 17, at its
   * second write), and its last link.
   */
  private written: Written | undefined;
  private lastWritten: Written | undefined;
  /** Extensions written (a patch touches few: an array, not a set). */
  private touchedExtensions: SchemaEntry[] | undefined;
  /** The operation being applied (error details name it). */
  step: Step = NO_STEP;
  /**
   * The core attribute whose key {@link current} last found in the draft in schema casing: its
   * write needs no second `Object.hasOwn` (on the draft, a megamorphic lookup in V8 that costs
   * as much as the write itself). Whatever removes a top-level key (a write, an extension
   * object rewritten in schema casing) clears this.
   */
  private presentAttribute: AttributeDefinition | undefined;
  /**
   * The core attribute that {@link current} last found in no casing in the draft: its write
   * needs no second search of the draft's keys for another casing. Cleared by every write.
   */
  private absentAttribute: AttributeDefinition | undefined;
  /** What was tolerated so far. */
  private readonly warnings: PatchWarning[] = [];

  constructor(resource: JsonObject, index: TypeIndex, options: ResolvedOptions) {
    this.index = index;
    this.options = options;
    this.original = resource;
    this.draft = resource;
  }

  /** Throws the 400 error of the current operation: `Operations[2] (replace "…"): message`. */
  fail(scimType: ScimErrorType, message: string): never {
    throw requestError(`${describeStep(this.step)}: ${message}`, scimType);
  }

  unknown(path: string, message: string): void {
    // Names that reach into prototypes are never a client's harmless extra field: always 400.
    if (!this.options.compat.ignoreUnknownAttributes || path.split(/[.:]/).some(isPrototypeName)) {
      this.fail('invalidPath', message);
    }
    this.warnings.push({ operation: this.step.position, path, message: `${message}; ignored` });
  }

  // ---------------------------------------------------------------- holders

  /**
   * The draft, ready for writing top-level `key`. The first write copies the original: a spread
   * copy when `key` is there (cheap, and it stays fast while existing keys are written), else a
   * {@link growableCopy}. A spread copy is copied once more before its first new key, which would
   * make it a slow dictionary in V8 (see bench/findings.md).
   */
  private draftFor(key: string): JsonObject {
    if (!this.growable && !Object.hasOwn(this.draft, key)) {
      this.draft = growableCopy(this.draft);
      this.growable = true;
    }
    return this.ownDraft();
  }

  /** The draft, ready for writing or deleting keys it has: the original is copied on first write. */
  private ownDraft(): JsonObject {
    if (this.draft === this.original) this.draft = { ...this.original };
    return this.draft;
  }

  /** The object that holds `entry`'s attributes (the draft, or its extension object), if any. */
  holder(entry: SchemaEntry): JsonObject | undefined {
    if (entry.core) return this.draft;
    const key = findKey(this.draft, entry.schema.id);
    const current = key === undefined ? undefined : this.draft[key];
    return isObject(current) ? current : undefined;
  }

  /**
   * The holder of `entry`'s attributes, safe to write: an extension object is copied once (and
   * created when absent) under the URN in schema casing.
   */
  writableHolder(entry: SchemaEntry): JsonObject {
    if (entry.core) return this.draft;
    const key = findKey(this.draft, entry.schema.id);
    const current = key === undefined ? undefined : this.draft[key];
    if (!this.touchedExtensions) this.touchedExtensions = [entry];
    else if (!this.touchedExtensions.includes(entry)) this.touchedExtensions.push(entry);
    if (isObject(current) && key === entry.schema.id && this.owns(current)) return current;
    const copy: JsonObject = isObject(current) ? { ...current } : {};
    if (key !== undefined && key !== entry.schema.id) {
      delete this.ownDraft()[key];
      this.presentAttribute = undefined;
    }
    this.draftFor(entry.schema.id)[entry.schema.id] = copy;
    this.absentAttribute = undefined;
    this.adopt(copy);
    return copy;
  }

  /** Whether `value` is a copy this patch made (written in place by later operations). */
  owns(value: object): boolean {
    return this.owned?.includes(value) === true;
  }

  /** Records `copy` (made by this patch and in the draft) as safe to write in place. */
  adopt(copy: object): void {
    if (this.owned) this.owned.push(copy);
    else this.owned = [copy];
  }

  /** The current value of a top-level attribute (through its working list for multi-valued ones). */
  current(entry: SchemaEntry, attribute: AttributeDefinition): unknown {
    this.presentAttribute = undefined;
    this.absentAttribute = undefined;
    if (attribute.multiValued) {
      const list = this.list(entry, attribute);
      if (!list.modified) return readKey(this.holder(entry), attribute.name);
      const values: unknown[] = [];
      for (let position = 0; position < list.end; position++)
        if (list.isLive(position)) values.push(list.at(position));
      return values.length === 0 ? undefined : values;
    }
    if (!entry.core) return readKey(this.holder(entry), attribute.name);
    const name = attribute.name;
    if (!Object.hasOwn(this.draft, name)) {
      const other = findOtherKey(this.draft, name);
      if (other === undefined) this.absentAttribute = attribute;
      return other === undefined ? undefined : this.draft[other];
    }
    this.presentAttribute = attribute;
    return this.draft[name];
  }

  /** Writes (or with `undefined` deletes) a single-valued top-level attribute, in schema casing. */
  write(entry: SchemaEntry, attribute: AttributeDefinition, value: unknown): void {
    const name = attribute.name;
    const present = entry.core && attribute === this.presentAttribute;
    const absent = entry.core && attribute === this.absentAttribute;
    this.presentAttribute = undefined;
    this.absentAttribute = undefined;
    // Absent from a draft that is still the original: absent from the original (see finish).
    const added = absent && this.draft === this.original;
    // No lookup when the read before found the key in schema casing, else one hasOwn in the
    // usual case; a new key or another casing (`displayname`, replaced by the schema's) takes
    // the slower way.
    const holder = !entry.core
      ? this.writableHolder(entry)
      : present || value === undefined
        ? this.ownDraft()
        : this.draftFor(name);
    if (!present && !absent && !Object.hasOwn(holder, name)) {
      const other = findOtherKey(holder, name);
      if (other !== undefined) delete holder[other];
    }
    if (value === undefined) delete holder[name];
    else holder[name] = value;
    if (attribute.multiValued) return;
    const link: Written = { entry, attribute, added, next: undefined };
    if (this.lastWritten) this.lastWritten.next = link;
    else this.written = link;
    this.lastWritten = link;
  }

  /** The working list of a multi-valued top-level attribute. */
  list(entry: SchemaEntry, attribute: AttributeDefinition, label?: string): ValueList {
    const lists = this.lists;
    if (lists) {
      for (const working of lists)
        if (working.list.attribute === attribute && working.entry === entry) return working.list;
    }
    const present = entry.core && Object.hasOwn(this.draft, attribute.name);
    const value = present ? this.draft[attribute.name] : readKey(this.holder(entry), attribute.name);
    const original = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    const list = new ValueList(attribute, label ?? attributeLabel(entry, attribute), original);
    if (lists) lists.push({ entry, list, present });
    else this.lists = [{ entry, list, present }];
    return list;
  }

  // ---------------------------------------------------------------- result

  /** The outcome: the patched draft, or the original resource when nothing changed. */
  finish(): PatchResult<JsonObject> {
    let deltas: AttributeDelta[] | undefined;
    const lists = this.lists ?? NO_LISTS;
    for (let i = 0; i < lists.length; i++) {
      const { entry, list, present } = lists[i] as WorkingList;
      const outcome = list.finish();
      if (!outcome) continue;
      // Literals, not a conditional spread (which V8 runs in its runtime, see ValueList.finish).
      const delta: AttributeDelta = outcome.replaced
        ? { attribute: list.label, added: outcome.added, removed: outcome.removed, replaced: true }
        : { attribute: list.label, added: outcome.added, removed: outcome.removed };
      if (deltas) deltas.push(delta);
      else deltas = [delta];
      // The key was there in schema casing when the list was made, and only this write removes it.
      if (present) this.presentAttribute = list.attribute;
      this.write(entry, list.attribute, outcome.values.length === 0 ? undefined : outcome.values);
    }
    let changed = deltas !== undefined;
    for (let written = this.written; !changed && written; written = written.next) {
      const { entry, attribute } = written;
      const original = entry.core ? this.original : asObject(readKey(this.original, entry.schema.id));
      const holder = this.holder(entry);
      const before = written.added ? undefined : readKey(original, attribute.name);
      changed = !deepEqual(before, readKey(holder, attribute.name));
    }
    const warnings = this.warnings;
    if (!changed) return { resource: this.original, changed: false, deltas: [], warnings };
    if (this.touchedExtensions) this.updateSchemas(this.touchedExtensions);
    return { resource: this.draft, changed: true, deltas: deltas ?? [], warnings };
  }

  /** Drops emptied extension objects and keeps `schemas` in step with the extensions present. */
  private updateSchemas(touchedExtensions: readonly SchemaEntry[]): void {
    const current = this.draft.schemas;
    let schemas: unknown[] = Array.isArray(current) ? current : [];
    for (const entry of touchedExtensions) {
      const key = findKey(this.draft, entry.schema.id);
      const holder = key === undefined ? undefined : this.draft[key];
      const present = isObject(holder) && Object.keys(holder).length > 0;
      if (!present && key !== undefined) delete this.ownDraft()[key];
      // The URN as the schema spells it first: lower-casing every listed URN is the slow way.
      const listed = schemas.includes(entry.schema.id) || listedInAnyCase(schemas, entry.schema.id);
      if (present && !listed) schemas = [...schemas, entry.schema.id];
      if (!present && listed) {
        const lower = entry.schema.id.toLowerCase();
        schemas = schemas.filter((schema) => !(typeof schema === 'string' && schema.toLowerCase() === lower));
      }
    }
    if (schemas !== current && (Array.isArray(current) || schemas.length > 0))
      this.draftFor('schemas').schemas = schemas;
  }
}

/** A single-valued attribute written by the patch, and the one written after it. */
interface Written {
  readonly entry: SchemaEntry;
  readonly attribute: AttributeDefinition;
  /** Whether the original has no key for the attribute in any casing (known without a search). */
  readonly added: boolean;
  next: Written | undefined;
}

/** The step of a session before its first operation (shared: a literal would be made per patch). */
const NO_STEP: Step = Object.freeze({ position: 0, op: 'add', path: undefined, value: undefined });

/** The working list of a multi-valued attribute (see `Session.lists`). */
interface WorkingList {
  readonly entry: SchemaEntry;
  readonly list: ValueList;
  readonly present: boolean;
}

const NO_LISTS: readonly WorkingList[] = [];

/** Whether `schemas` lists `urn` in any casing. */
function listedInAnyCase(schemas: readonly unknown[], urn: string): boolean {
  const lower = urn.toLowerCase();
  for (const schema of schemas) if (typeof schema === 'string' && schema.toLowerCase() === lower) return true;
  return false;
}

/** `__proto__`, `constructor`, `prototype` or a name every object inherits (`toString`). */
function isPrototypeName(name: string): boolean {
  return name === '__proto__' || name === 'prototype' || name in Object.prototype;
}
