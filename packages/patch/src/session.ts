/**
 * The state of one patch: the draft resource (copied on write from the original), the working
 * lists of the multi-valued attributes it touched, and the operation being applied. Every
 * operation module works on a {@link Session}; the helpers that need less take a {@link Context}.
 */
import type { AttributeDefinition, ScimErrorType } from '@scimkit/schema';
import type { ResolvedOptions } from './options.js';
import { describeStep, requestError, type Step } from './request.js';
import { growableCopy } from './result-object.js';
import type { SchemaEntry, TypeIndex } from './schema-index.js';
import type { AttributeDelta, PatchResult, PatchWarning } from './types.js';
import { ValueList } from './value-list.js';
import { asObject, deepEqual, findKey, isObject, type JsonObject, readKey } from './values.js';

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
  /** The copy of the original that the patch writes. */
  private draft: JsonObject;
  /** Whether {@link draft} is a {@link growableCopy} (a key can be added without V8 going slow). */
  private growable = false;
  /** Extension objects copied by this patch (safe to write). */
  private owned: Set<object> | undefined;
  /** Working lists of multi-valued attributes (a patch touches few: arrays beat maps). */
  private readonly lists: { entry: SchemaEntry; list: ValueList }[] = [];
  /** Single-valued attributes written (repeats allowed), to tell whether anything changed. */
  private readonly written: { entry: SchemaEntry; attribute: AttributeDefinition }[] = [];
  private touchedExtensions: Set<SchemaEntry> | undefined;
  /** The operation being applied (error details name it). */
  step: Step = { position: 0, op: 'add', path: undefined, value: undefined };
  /** What was tolerated so far. */
  private readonly warnings: PatchWarning[] = [];

  constructor(resource: JsonObject, index: TypeIndex, options: ResolvedOptions) {
    this.index = index;
    this.options = options;
    this.original = resource;
    this.draft = { ...resource };
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
   * The draft, ready for writing top-level `key`. A spread copy (what the draft starts as: cheap,
   * and it stays fast while existing keys are written) is copied once more by
   * {@link growableCopy} before its first new key, which would make it a slow dictionary in V8
   * (see bench/findings.md).
   */
  private draftFor(key: string): JsonObject {
    if (!this.growable && !Object.hasOwn(this.draft, key)) {
      this.draft = growableCopy(this.draft);
      this.growable = true;
    }
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
    (this.touchedExtensions ??= new Set()).add(entry);
    if (isObject(current) && this.owned?.has(current) && key === entry.schema.id) return current;
    const copy: JsonObject = isObject(current) ? { ...current } : {};
    if (key !== undefined && key !== entry.schema.id) delete this.draft[key];
    this.draftFor(entry.schema.id)[entry.schema.id] = copy;
    (this.owned ??= new Set()).add(copy);
    return copy;
  }

  /** The current value of a top-level attribute (through its working list for multi-valued ones). */
  current(entry: SchemaEntry, attribute: AttributeDefinition): unknown {
    if (attribute.multiValued) {
      const list = this.list(entry, attribute);
      if (!list.modified) return readKey(this.holder(entry), attribute.name);
      const values: unknown[] = [];
      for (let position = 0; position < list.end; position++)
        if (list.isLive(position)) values.push(list.at(position));
      return values.length === 0 ? undefined : values;
    }
    return readKey(this.holder(entry), attribute.name);
  }

  /** Writes (or with `undefined` deletes) a single-valued top-level attribute, in schema casing. */
  write(entry: SchemaEntry, attribute: AttributeDefinition, value: unknown): void {
    const holder =
      entry.core && value !== undefined ? this.draftFor(attribute.name) : this.writableHolder(entry);
    const key = findKey(holder, attribute.name);
    if (key !== undefined && key !== attribute.name) delete holder[key];
    if (value === undefined) delete holder[attribute.name];
    else holder[attribute.name] = value;
    if (!attribute.multiValued) this.written.push({ entry, attribute });
  }

  /** The working list of a multi-valued top-level attribute. */
  list(entry: SchemaEntry, attribute: AttributeDefinition): ValueList {
    for (const working of this.lists)
      if (working.list.attribute === attribute && working.entry === entry) return working.list;
    const value = readKey(this.holder(entry), attribute.name);
    const original = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    const label = entry.core ? attribute.name : `${entry.schema.id}:${attribute.name}`;
    const list = new ValueList(attribute, label, original);
    this.lists.push({ entry, list });
    return list;
  }

  // ---------------------------------------------------------------- result

  /** The outcome: the patched draft, or the original resource when nothing changed. */
  finish(): PatchResult<JsonObject> {
    const deltas: AttributeDelta[] = [];
    for (const { entry, list } of this.lists) {
      const outcome = list.finish();
      if (!outcome) continue;
      // Literals, not a conditional spread (which V8 runs in its runtime, see ValueList.finish).
      deltas.push(
        outcome.replaced
          ? { attribute: list.label, added: outcome.added, removed: outcome.removed, replaced: true }
          : { attribute: list.label, added: outcome.added, removed: outcome.removed },
      );
      this.write(entry, list.attribute, outcome.values.length === 0 ? undefined : outcome.values);
    }
    let changed = deltas.length > 0;
    for (let i = 0; !changed && i < this.written.length; i++) {
      const { entry, attribute } = this.written[i] as (typeof this.written)[number];
      const original = entry.core ? this.original : asObject(readKey(this.original, entry.schema.id));
      const holder = this.holder(entry);
      changed = !deepEqual(readKey(original, attribute.name), readKey(holder, attribute.name));
    }
    const warnings = this.warnings;
    if (!changed) return { resource: this.original, changed: false, deltas: [], warnings };
    this.updateSchemas();
    return { resource: this.draft, changed: true, deltas, warnings };
  }

  /** Drops emptied extension objects and keeps `schemas` in step with the extensions present. */
  private updateSchemas(): void {
    if (!this.touchedExtensions) return;
    const current = this.draft.schemas;
    let schemas: unknown[] = Array.isArray(current) ? current : [];
    for (const entry of this.touchedExtensions) {
      const key = findKey(this.draft, entry.schema.id);
      const holder = key === undefined ? undefined : this.draft[key];
      const present = isObject(holder) && Object.keys(holder).length > 0;
      if (!present && key !== undefined) delete this.draft[key];
      const lower = entry.schema.id.toLowerCase();
      let listed = false;
      for (const schema of schemas) {
        if (schema === entry.schema.id || (typeof schema === 'string' && schema.toLowerCase() === lower)) {
          listed = true;
          break;
        }
      }
      if (present && !listed) schemas = [...schemas, entry.schema.id];
      if (!present && listed) {
        schemas = schemas.filter((schema) => !(typeof schema === 'string' && schema.toLowerCase() === lower));
      }
    }
    if (schemas !== current && (Array.isArray(current) || schemas.length > 0))
      this.draftFor('schemas').schemas = schemas;
  }
}

/** `__proto__`, `constructor`, `prototype` or a name every object inherits (`toString`). */
function isPrototypeName(name: string): boolean {
  return name === '__proto__' || name === 'prototype' || name in Object.prototype;
}
