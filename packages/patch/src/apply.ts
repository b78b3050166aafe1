import { type Filter, isFilterSyntaxError, parsePath } from '@scimkit/filter';
import {
  type AttributeDefinition,
  GROUP_SCHEMA,
  groupResourceType,
  PATCH_OP_SCHEMA,
  type ResourceTypeDefinition,
  ScimError,
  type ScimErrorType,
  userResourceType,
} from '@scimkit/schema';
import type { AttributeDelta } from './index.js';
import { type ResolvedOptions, resolveOptions } from './options.js';
import {
  attributeOf,
  hasPrimary,
  indexType,
  type SchemaEntry,
  splitUrn,
  subAttributeOf,
  type TypeIndex,
  valueSubAttribute,
} from './schema-index.js';
import type { PatchOperation, PatchOptions, PatchRequest, PatchResult, SafePatchResult } from './types.js';
import {
  compileValueFilter,
  ValueFilterPathError,
  type ValuePredicate,
  valueEqualityKey,
  valueFromFilter,
} from './value-filter.js';
import { ValueList } from './value-list.js';
import {
  deepEqual,
  findKey,
  isObject,
  type JsonObject,
  matchesPartial,
  readKey,
  simpleKey,
} from './values.js';

type OperationName = 'add' | 'replace' | 'remove';

/** One operation after validation of its envelope. */
interface Step {
  position: number;
  op: OperationName;
  path: string | undefined;
  value: unknown;
}

/** What a path resolved to. */
interface Target {
  entry: SchemaEntry;
  /** Undefined when the path is an extension URN alone (the whole extension object). */
  attribute?: AttributeDefinition;
  /** A sub-attribute: `name.givenName`, or after a value path `emails[…].value`. */
  subAttribute?: AttributeDefinition;
  /** The value filter, when the path has one. */
  filter?: Filter;
  /** The compiled filter. */
  predicate?: ValuePredicate;
  /** For `value eq "…"` filters: the identity key to look up instead of scanning. */
  lookupKey?: string;
  /** Whether the path had brackets (a filter), as opposed to `emails.value` meaning every value. */
  filtered: boolean;
}

/** Resolved paths per resource type, [lenient, strict]; shared and never mutated. */
const targetCache = new WeakMap<TypeIndex, [Map<string, Target>, Map<string, Target>]>();
const MAX_CACHED_PATHS = 1024;
const MAX_CACHED_PATH_LENGTH = 512;

/** Sentinel of the value normaliser: the attribute is being unassigned (JSON `null`). */
const UNASSIGNED = null;

/** The default resource type for a resource: Group when its `schemas` lists the Group URN, else User. */
function defaultResourceType(resource: unknown): ResourceTypeDefinition {
  const schemas = isObject(resource) ? resource.schemas : undefined;
  if (Array.isArray(schemas)) {
    const group = GROUP_SCHEMA.toLowerCase();
    for (const schema of schemas)
      if (typeof schema === 'string' && schema.toLowerCase() === group) return groupResourceType;
  }
  return userResourceType;
}

/** The resource type options name, or the default for this resource. */
export function resourceTypeFor(
  resource: unknown,
  options: PatchOptions | undefined,
): ResourceTypeDefinition {
  return options?.resourceType ?? defaultResourceType(resource);
}

/** Builds the detail prefix `Operations[2] (replace "emails[…].value")`. */
function describe(step: Step): string {
  return `Operations[${step.position}] (${step.op}${step.path === undefined ? '' : ` ${JSON.stringify(step.path)}`})`;
}

function requestError(detail: string, scimType: ScimErrorType): ScimError {
  return new ScimError(detail, { status: 400, scimType });
}

/** Validates the envelope and the operations' shapes. */
function readSteps(request: unknown, options: ResolvedOptions): Step[] {
  let operations: unknown;
  if (Array.isArray(request)) {
    if (options.strict) {
      throw requestError(
        `The request must be a PatchOp body with "schemas": ["${PATCH_OP_SCHEMA}"] in strict mode`,
        'invalidSyntax',
      );
    }
    operations = request;
  } else if (isObject(request)) {
    const schemas = request.schemas;
    if (options.strict) {
      const listed =
        Array.isArray(schemas) &&
        schemas.some(
          (schema) => typeof schema === 'string' && schema.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase(),
        );
      if (!listed) throw requestError(`"schemas" must list "${PATCH_OP_SCHEMA}"`, 'invalidSyntax');
    }
    const key = options.compat.operationsKeyCase ? findKey(request, 'Operations') : 'Operations';
    operations = key !== undefined && Object.hasOwn(request, key) ? request[key] : undefined;
  } else {
    throw requestError(
      'The request must be a PatchOp body ({"schemas": [...], "Operations": [...]})',
      'invalidSyntax',
    );
  }
  if (!Array.isArray(operations))
    throw requestError('"Operations" must be an array of operations', 'invalidSyntax');
  if (operations.length > options.maxOperations) {
    throw requestError(
      `Too many operations: ${operations.length}, at most ${options.maxOperations} are accepted`,
      'invalidValue',
    );
  }
  const steps: Step[] = [];
  for (let position = 0; position < operations.length; position++) {
    const operation: unknown = operations[position];
    if (!isObject(operation)) {
      throw requestError(
        `Operations[${position}]: must be an object with "op", "path" and "value"`,
        'invalidSyntax',
      );
    }
    const opKey = options.compat.capitalisedOps ? findKey(operation, 'op') : 'op';
    const rawOp = opKey !== undefined && Object.hasOwn(operation, opKey) ? operation[opKey] : undefined;
    let op: OperationName | undefined;
    if (typeof rawOp === 'string') {
      const name = options.compat.capitalisedOps ? rawOp.toLowerCase() : rawOp;
      if (name === 'add' || name === 'replace' || name === 'remove') op = name;
    }
    if (!op) {
      throw requestError(
        `Operations[${position}]: "op" must be "add", "replace" or "remove", found ${JSON.stringify(rawOp) ?? 'nothing'}`,
        'invalidSyntax',
      );
    }
    const pathKey = options.compat.capitalisedOps ? findKey(operation, 'path') : 'path';
    const rawPath =
      pathKey !== undefined && Object.hasOwn(operation, pathKey) ? operation[pathKey] : undefined;
    if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') {
      throw requestError(`Operations[${position}] (${op}): "path" must be a string`, 'invalidPath');
    }
    const trimmed = typeof rawPath === 'string' ? rawPath.trim() : '';
    const path = trimmed !== '' ? trimmed : undefined;
    const valueKey = options.compat.capitalisedOps ? findKey(operation, 'value') : 'value';
    const value =
      valueKey !== undefined && Object.hasOwn(operation, valueKey) ? operation[valueKey] : undefined;
    const step: Step = { position, op, path, value };
    if (op !== 'remove' && value === undefined) {
      throw requestError(`${describe(step)}: "value" is required`, 'invalidSyntax');
    }
    if (op === 'remove' && path === undefined) {
      throw requestError(`${describe(step)}: remove needs a "path"`, 'noTarget');
    }
    steps.push(step);
  }
  return steps;
}

/** One patch being applied: the draft resource and the working copies of what it touched. */
class Session {
  readonly index: TypeIndex;
  readonly options: ResolvedOptions;
  readonly original: JsonObject;
  readonly draft: JsonObject;
  /** Extension objects copied by this patch (safe to write). */
  private owned: Set<object> | undefined;
  /** Working lists of multi-valued attributes (a patch touches few: arrays beat maps). */
  private readonly lists: { entry: SchemaEntry; list: ValueList }[] = [];
  /** Single-valued attributes written (repeats allowed), to tell whether anything changed. */
  private readonly written: { entry: SchemaEntry; attribute: AttributeDefinition }[] = [];
  private touchedExtensions: Set<SchemaEntry> | undefined;
  step: Step = { position: 0, op: 'add', path: undefined, value: undefined };

  constructor(resource: JsonObject, index: TypeIndex, options: ResolvedOptions) {
    this.index = index;
    this.options = options;
    this.original = resource;
    this.draft = { ...resource };
  }

  fail(scimType: ScimErrorType, message: string): never {
    throw requestError(`${describe(this.step)}: ${message}`, scimType);
  }

  // ---------------------------------------------------------------- holders

  /** The object that holds `entry`'s attributes (the resource, or its extension object). */
  holder(entry: SchemaEntry, create: false): JsonObject | undefined;
  holder(entry: SchemaEntry, create: true): JsonObject;
  holder(entry: SchemaEntry, create: boolean): JsonObject | undefined {
    if (entry.core) return this.draft;
    const key = findKey(this.draft, entry.schema.id);
    const current = key === undefined ? undefined : this.draft[key];
    if (!create) return isObject(current) ? current : undefined;
    (this.touchedExtensions ??= new Set()).add(entry);
    if (isObject(current) && this.owned?.has(current) && key === entry.schema.id) return current;
    const copy: JsonObject = isObject(current) ? { ...current } : {};
    if (key !== undefined && key !== entry.schema.id) delete this.draft[key];
    this.draft[entry.schema.id] = copy;
    (this.owned ??= new Set()).add(copy);
    return copy;
  }

  /** The current value of a top-level attribute (through its working list for multi-valued ones). */
  current(entry: SchemaEntry, attribute: AttributeDefinition): unknown {
    if (attribute.multiValued) {
      const list = this.list(entry, attribute);
      if (!list.modified) return readKey(this.holder(entry, false), attribute.name);
      const values: unknown[] = [];
      for (let position = 0; position < list.end; position++)
        if (list.isLive(position)) values.push(list.at(position));
      return values.length === 0 ? undefined : values;
    }
    return readKey(this.holder(entry, false), attribute.name);
  }

  /** Writes (or with `undefined` deletes) a single-valued top-level attribute, in schema casing. */
  write(entry: SchemaEntry, attribute: AttributeDefinition, value: unknown): void {
    const holder = this.holder(entry, true);
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
    const value = readKey(this.holder(entry, false), attribute.name);
    const original = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    const label = entry.core ? attribute.name : `${entry.schema.id}:${attribute.name}`;
    const list = new ValueList(attribute, label, original);
    this.lists.push({ entry, list });
    return list;
  }

  // ---------------------------------------------------------------- values

  /**
   * Checks and converts a value against its definition: schema casing, types, compat shapes.
   * A value that needs no change is returned as is (no copy); `label` names the attribute in
   * errors, and with `parent` it is the parent's label (built into `parent.sub` only on error).
   */
  normalize(
    definition: AttributeDefinition,
    value: unknown,
    label: string,
    asElement = false,
    parent = false,
  ): unknown {
    if (value === null) return UNASSIGNED;
    if (definition.multiValued && !asElement) {
      let list: unknown[];
      if (Array.isArray(value)) list = value;
      else if (this.options.compat.singleValueAsArray) list = [value];
      else return this.fail('invalidValue', `"${label}" is multi-valued and expects a list of values`);
      if (list.length > this.options.maxValues) {
        this.fail(
          'invalidValue',
          `"${label}" has ${list.length} values, at most ${this.options.maxValues} are accepted`,
        );
      }
      const complex = definition.type === 'complex';
      const result: unknown[] = [];
      for (let i = 0; i < list.length; i++) {
        const normalized = this.normalize(definition, list[i], label, true);
        if (normalized !== UNASSIGNED) result.push(complex ? compact(normalized) : normalized);
      }
      return result;
    }
    switch (definition.type) {
      case 'complex': {
        if (Array.isArray(value) && value.length === 1 && this.options.compat.singleValueAsArray)
          value = value[0];
        if (
          typeof value === 'string' &&
          this.options.compat.managerAsString &&
          !definition.multiValued &&
          valueSubAttribute(definition)
        ) {
          value = { value };
        }
        const name = parent ? `${label}.${definition.name}` : label;
        if (!isObject(value))
          return this.fail('invalidValue', `"${name}" expects an object of sub-attributes`);
        // Copy only when something differs (another casing, a converted or skipped value, a
        // foreign prototype): IdPs usually send values that are already right.
        let result: JsonObject | undefined =
          Object.getPrototypeOf(value) === Object.prototype ? undefined : {};
        const keys = Object.keys(value);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i] as string;
          const item = value[key];
          if (item === undefined) {
            result ??= copyKeys(value, keys, i);
            continue;
          }
          const sub = subAttributeOf(definition, key);
          if (!sub) return this.fail('invalidPath', `unknown sub-attribute "${key}" of "${name}"`);
          const normalized = this.normalize(sub, item, name, false, true);
          if (result === undefined && (normalized !== item || sub.name !== key))
            result = copyKeys(value, keys, i);
          if (result !== undefined) result[sub.name] = normalized;
        }
        return result ?? value;
      }
      case 'boolean':
        if (typeof value === 'boolean') return value;
        if (typeof value === 'string' && this.options.compat.stringBooleans) {
          const lower = value.toLowerCase();
          if (lower === 'true') return true;
          if (lower === 'false') return false;
        }
        return this.invalid(definition, value, label, parent);
      case 'integer':
        if (typeof value === 'number' && Number.isInteger(value)) return value;
        return this.invalid(definition, value, label, parent);
      case 'decimal':
        if (typeof value === 'number' && Number.isFinite(value)) return value;
        return this.invalid(definition, value, label, parent);
      default:
        if (
          typeof value === 'string' &&
          value.length <= this.options.maxStringLength &&
          (definition.type !== 'dateTime' || !Number.isNaN(Date.parse(value)))
        ) {
          return value;
        }
        return this.invalid(definition, value, label, parent);
    }
  }

  /** Fails with the reason `value` does not fit a simple attribute's definition (see {@link normalize}). */
  private invalid(definition: AttributeDefinition, value: unknown, label: string, parent: boolean): never {
    const name = parent ? `${label}.${definition.name}` : label;
    const found = describeValue(value);
    switch (definition.type) {
      case 'boolean':
        return this.fail('invalidValue', `"${name}" expects a boolean, found ${found}`);
      case 'integer':
        return this.fail('invalidValue', `"${name}" expects an integer, found ${found}`);
      case 'decimal':
        return this.fail('invalidValue', `"${name}" expects a number, found ${found}`);
    }
    if (typeof value !== 'string')
      return this.fail('invalidValue', `"${name}" expects a string, found ${found}`);
    if (value.length > this.options.maxStringLength) {
      return this.fail('invalidValue', `"${name}" is longer than ${this.options.maxStringLength} characters`);
    }
    return this.fail('invalidValue', `"${name}" expects an xsd:dateTime, found ${JSON.stringify(value)}`);
  }

  /**
   * Whether writing `next` over `existing` is allowed: readOnly never (an unchanged value is
   * skipped under `compat.unchangedReadOnly`), immutable only when unset or unchanged.
   * Returns false when the write is a no-op to skip.
   */
  checkWrite(definition: AttributeDefinition, label: string, existing: unknown, next: unknown): boolean {
    if (definition.mutability === 'readOnly') {
      if (this.options.compat.unchangedReadOnly && deepEqual(existing, next)) return false;
      this.fail('mutability', `"${label}" is readOnly`);
    }
    if (definition.mutability === 'immutable' && existing !== undefined && existing !== null) {
      if (deepEqual(existing, next)) return false;
      this.fail('mutability', `"${label}" is immutable and already has a value`);
    }
    return true;
  }

  /** Whether removing `existing` is allowed (no-op when there is nothing to remove). */
  checkRemove(definition: AttributeDefinition, label: string, existing: unknown): boolean {
    if (definition.mutability === 'readOnly') this.fail('mutability', `"${label}" is readOnly`);
    if (existing === undefined || existing === null) return false;
    if (definition.mutability === 'immutable') this.fail('mutability', `"${label}" is immutable`);
    return true;
  }

  // ---------------------------------------------------------------- paths

  /** Resolves a path, through a bounded cache of resolved paths per resource type and mode. */
  resolvePath(text: string): Target {
    let byMode = targetCache.get(this.index);
    if (!byMode) {
      byMode = [new Map(), new Map()];
      targetCache.set(this.index, byMode);
    }
    const cache = byMode[this.options.strict ? 1 : 0];
    const hit = cache.get(text);
    if (hit) return hit;
    const target = this.resolveUncached(text);
    if (text.length <= MAX_CACHED_PATH_LENGTH) {
      if (cache.size >= MAX_CACHED_PATHS) cache.clear();
      cache.set(text, target);
    }
    return target;
  }

  private resolveUncached(text: string): Target {
    let entry = this.index.core;
    let rest = text;
    if (/^urn:/i.test(text)) {
      const split = splitUrn(this.index, text);
      if (!split) return this.fail('invalidPath', `unknown schema in path (known: ${this.knownUrns()})`);
      if (split.rest === '') {
        if (split.entry.core) return this.fail('invalidPath', 'the core schema URN alone is not a path');
        return { entry: split.entry, filtered: false };
      }
      entry = split.entry;
      rest = split.rest;
    }
    let parsed: ReturnType<typeof parsePath>;
    try {
      parsed = parsePath(rest, { lenient: !this.options.strict });
    } catch (error) {
      if (isFilterSyntaxError(error)) return this.fail('invalidPath', error.message);
      throw error;
    }
    if (parsed.path.schema !== undefined)
      return this.fail('invalidPath', `unknown schema "${parsed.path.schema}"`);
    const attribute = attributeOf(entry, parsed.path.attribute);
    if (!attribute) return this.fail('invalidPath', `unknown attribute "${parsed.path.attribute}"`);
    if (attribute.name === 'schemas')
      return this.fail('invalidPath', '"schemas" is maintained by the server');
    const subName = parsed.path.subAttribute ?? parsed.subAttribute;
    let subAttribute: AttributeDefinition | undefined;
    if (subName !== undefined) {
      subAttribute = attribute.type === 'complex' ? subAttributeOf(attribute, subName) : undefined;
      if (!subAttribute)
        return this.fail('invalidPath', `unknown sub-attribute "${subName}" of "${attribute.name}"`);
    }
    const filter = parsed.valueFilter;
    if (!filter) return { entry, attribute, ...(subAttribute ? { subAttribute } : {}), filtered: false };
    if (!attribute.multiValued) {
      return this.fail('invalidPath', `"${attribute.name}" is single-valued and cannot take a value filter`);
    }
    let predicate: ValuePredicate;
    try {
      predicate = compileValueFilter(attribute, filter);
    } catch (error) {
      if (error instanceof ValueFilterPathError) return this.fail('invalidPath', error.message);
      throw error;
    }
    const valueDefinition = attribute.type === 'complex' ? valueSubAttribute(attribute) : attribute;
    const equal = valueEqualityKey(filter);
    const lookupKey =
      equal !== undefined && valueDefinition && valueDefinition.type !== 'dateTime'
        ? simpleKey(valueDefinition, equal)
        : undefined;
    return {
      entry,
      attribute,
      ...(subAttribute ? { subAttribute } : {}),
      filter,
      predicate,
      ...(lookupKey === undefined ? {} : { lookupKey }),
      filtered: true,
    };
  }

  private knownUrns(): string {
    return [...this.index.schemas.values()].map((entry) => entry.schema.id).join(', ');
  }

  // ---------------------------------------------------------------- operations

  run(step: Step): void {
    this.step = step;
    if (step.path === undefined) {
      this.pathless(this.index.core, step.value, true);
      return;
    }
    const target = this.resolvePath(step.path);
    if (!target.attribute) {
      this.wholeExtension(target.entry, step.value);
      return;
    }
    this.apply(target.entry, target.attribute, target, step.op, step.value);
  }

  /** add/replace without a path (or with an extension URN path): an object of attributes. */
  pathless(entry: SchemaEntry, value: unknown, allowNested: boolean): void {
    const op = this.step.op;
    if (!isObject(value)) {
      this.fail('invalidValue', `a ${op} without a path needs an object of attributes as its value`);
    }
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item === undefined) continue;
      const direct = attributeOf(entry, key);
      if (direct) {
        this.apply(entry, direct, { entry, attribute: direct, filtered: false }, op, item);
        continue;
      }
      const lower = key.toLowerCase();
      if (lower === 'schemas' && entry.core) continue;
      const named = allowNested ? this.index.schemas.get(lower) : undefined;
      if (named) {
        if (!named.core) this.extensionValue(named, item);
        else this.pathless(named, item, false);
        continue;
      }
      let target: Target | undefined;
      let targetEntry = entry;
      let name = key;
      if (/^urn:/i.test(key)) {
        const split = allowNested ? splitUrn(this.index, key) : undefined;
        if (!split || split.rest === '') this.fail('invalidPath', `unknown attribute "${key}"`);
        if (!this.options.compat.pathKeysInValue) {
          this.fail('invalidPath', `"${key}" is a path; nest it under its schema URN instead`);
        }
        targetEntry = split.entry;
        name = split.rest;
      }
      const dot = name.indexOf('.');
      if (dot >= 0) {
        if (!this.options.compat.pathKeysInValue) this.fail('invalidPath', `unknown attribute "${key}"`);
        const attribute = attributeOf(targetEntry, name.slice(0, dot));
        const subAttribute =
          attribute?.type === 'complex' ? subAttributeOf(attribute, name.slice(dot + 1)) : undefined;
        if (!attribute || !subAttribute) this.fail('invalidPath', `unknown attribute "${key}"`);
        target = { entry: targetEntry, attribute, subAttribute, filtered: false };
      } else {
        const attribute = attributeOf(targetEntry, name);
        if (!attribute) this.fail('invalidPath', `unknown attribute "${key}"`);
        target = { entry: targetEntry, attribute, filtered: false };
      }
      this.apply(target.entry, target.attribute as AttributeDefinition, target, op, item);
    }
  }

  /** An extension object given in a path-less value (`{"urn:…:User": {…}}`). */
  private extensionValue(entry: SchemaEntry, value: unknown): void {
    if (value === null) {
      this.removeExtension(entry);
      return;
    }
    this.pathless(entry, value, false);
  }

  /** add/replace/remove with the extension URN alone as the path. */
  private wholeExtension(entry: SchemaEntry, value: unknown): void {
    if (this.step.op === 'remove') {
      this.removeExtension(entry);
      return;
    }
    this.extensionValue(entry, value);
  }

  private removeExtension(entry: SchemaEntry): void {
    const holder = this.holder(entry, false);
    if (!holder) return;
    for (const attribute of entry.schema.attributes) {
      if (readKey(holder, attribute.name) === undefined) continue;
      this.apply(entry, attribute, { entry, attribute, filtered: false }, 'remove', undefined);
    }
    const copy = this.holder(entry, true);
    for (const key of Object.keys(copy)) delete copy[key];
  }

  /** One operation on one attribute. */
  apply(
    entry: SchemaEntry,
    attribute: AttributeDefinition,
    target: Target,
    op: OperationName,
    value: unknown,
  ): void {
    const label = entry.core ? attribute.name : `${entry.schema.id}:${attribute.name}`;
    if (attribute.multiValued) {
      this.applyMulti(entry, attribute, target, op, value, label);
      return;
    }
    const existing = this.current(entry, attribute);
    const sub = target.subAttribute;
    if (!sub) {
      if (op === 'remove') {
        if (this.checkRemove(attribute, label, existing)) this.write(entry, attribute, undefined);
        return;
      }
      const next = this.normalize(attribute, value, label);
      if (next === UNASSIGNED) {
        if (this.checkRemove(attribute, label, existing)) this.write(entry, attribute, undefined);
        return;
      }
      if (attribute.type === 'complex') {
        if (attribute.mutability === 'readOnly' || attribute.mutability === 'immutable') {
          const merged = mergeComplex(isObject(existing) ? existing : {}, next as JsonObject);
          if (!this.checkWrite(attribute, label, existing, merged)) return;
        }
        const merged = this.mergeInto(
          attribute,
          label,
          isObject(existing) ? existing : undefined,
          next as JsonObject,
        );
        if (merged !== existing) this.write(entry, attribute, merged);
        return;
      }
      if (!this.checkWrite(attribute, label, existing, next) || deepEqual(existing, next)) return;
      this.write(entry, attribute, next);
      return;
    }
    // `name.givenName`, `manager.value`: a sub-attribute of a single-valued complex attribute.
    const subLabel = `${label}.${sub.name}`;
    const container = isObject(existing) ? existing : undefined;
    const current = readKey(container, sub.name);
    if (attribute.mutability === 'readOnly') {
      if (op === 'remove') this.fail('mutability', `"${label}" is readOnly`);
    }
    if (op === 'remove') {
      if (!this.checkRemove(sub, subLabel, current) || !container) return;
      const copy = withoutKey(container, sub.name);
      this.write(entry, attribute, Object.keys(copy).length === 0 ? undefined : copy);
      return;
    }
    const next = this.normalize(sub, value, subLabel);
    if (next === UNASSIGNED) {
      if (!this.checkRemove(sub, subLabel, current) || !container) return;
      const copy = withoutKey(container, sub.name);
      this.write(entry, attribute, Object.keys(copy).length === 0 ? undefined : copy);
      return;
    }
    const parentReadOnly = attribute.mutability === 'readOnly' ? attribute : sub;
    if (!this.checkWrite(parentReadOnly, subLabel, current, next)) return;
    if (parentReadOnly !== sub && !this.checkWrite(sub, subLabel, current, next)) return;
    if (deepEqual(current, next)) return;
    this.write(entry, attribute, withKey(container ?? {}, sub.name, next));
  }

  /**
   * Merges normalised sub-attributes into a complex value (RFC 7644 3.5.2.1 and 3.5.2.3: listed
   * sub-attributes replaced, the others kept; `null` unassigns). Returns `existing` itself when
   * nothing changes.
   */
  private mergeInto(
    attribute: AttributeDefinition,
    label: string,
    existing: JsonObject | undefined,
    next: JsonObject,
  ): JsonObject | undefined {
    let result: JsonObject | undefined;
    for (const name of Object.keys(next)) {
      const sub = subAttributeOf(attribute, name) as AttributeDefinition;
      const before = readKey(existing, name);
      const after = next[name];
      // Only readOnly and immutable sub-attributes need the checks (and a label for their errors).
      const guarded = sub.mutability === 'readOnly' || sub.mutability === 'immutable';
      if (after === UNASSIGNED) {
        if (
          guarded
            ? !this.checkRemove(sub, `${label}.${name}`, before)
            : before === undefined || before === null
        )
          continue;
      } else if (
        (guarded && !this.checkWrite(sub, `${label}.${name}`, before, after)) ||
        deepEqual(before, after)
      ) {
        continue;
      }
      result ??= existing ? { ...existing } : {};
      // `delete` turns an object into a slow dictionary: only for a removal or another casing.
      if (after === UNASSIGNED || !Object.hasOwn(result, name)) {
        const key = findKey(result, name);
        if (key !== undefined) delete result[key];
      }
      if (after !== UNASSIGNED) result[name] = after;
    }
    if (!result) return existing;
    return Object.keys(result).length === 0 ? undefined : result;
  }

  /** Positions of live values matching the target's filter (every value without one). */
  private matches(list: ValueList, target: Target): number[] {
    const predicate = target.predicate;
    const result: number[] = [];
    if (target.lookupKey !== undefined && predicate) {
      for (const position of list.positionsOf(target.lookupKey))
        if (predicate(list.at(position))) result.push(position);
      return result;
    }
    for (let position = 0; position < list.end; position++) {
      if (list.isLive(position) && (!predicate || predicate(list.at(position)))) result.push(position);
    }
    return result;
  }

  private applyMulti(
    entry: SchemaEntry,
    attribute: AttributeDefinition,
    target: Target,
    op: OperationName,
    value: unknown,
    label: string,
  ): void {
    const list = this.list(entry, attribute);
    if (attribute.mutability === 'readOnly' || attribute.mutability === 'immutable') {
      // Only an unchanged value given to a path-less add/replace (Okta) gets through.
      const existing = this.current(entry, attribute);
      if (op === 'remove' || target.filtered || target.subAttribute) {
        if (op === 'remove' && attribute.mutability === 'immutable' && existing === undefined) return;
        if (attribute.mutability !== 'immutable' || existing !== undefined) {
          this.fail('mutability', `"${label}" is ${attribute.mutability}`);
        }
      }
      const next = this.normalize(attribute, value, label);
      if (!this.checkWrite(attribute, label, existing, next)) return;
    }
    const sub = target.subAttribute;
    if (!target.filtered && !sub) {
      if (op === 'remove') {
        if (value !== undefined && value !== null) {
          if (!this.options.compat.removeByValueList) {
            this.fail(
              'invalidSyntax',
              'remove takes no "value"; use a value filter such as members[value eq "…"]',
            );
          }
          this.removeListed(list, attribute, value, label);
          return;
        }
        if (list.size > 0) list.replaceAll([]);
        return;
      }
      const next = this.normalize(attribute, value, label) as unknown[] | null;
      if (op === 'replace') {
        list.replaceAll(next ?? []);
        this.exclusivePrimary(list, attribute, undefined);
        return;
      }
      for (const element of next ?? []) this.addElement(list, attribute, element);
      return;
    }
    const filter = target.filter;
    const positions = this.matches(list, target);
    if (op === 'remove') {
      for (const position of positions) {
        if (!sub) {
          list.remove(position);
          continue;
        }
        const element = list.at(position);
        if (!isObject(element)) continue;
        if (!this.checkRemove(sub, `${label}.${sub.name}`, readKey(element, sub.name))) continue;
        const copy = withoutKey(element, sub.name);
        if (Object.keys(copy).length === 0) list.remove(position);
        else list.set(position, copy);
      }
      return;
    }
    if (positions.length === 0) {
      if (op === 'replace') {
        this.fail('noTarget', filter ? 'no value matches the filter' : `"${label}" has no values`);
      }
      // add: create the value from the filter's equality conditions (Entra).
      let base: JsonObject | undefined = {};
      if (filter) {
        try {
          base = valueFromFilter(attribute, filter);
        } catch (error) {
          if (error instanceof ValueFilterPathError) this.fail('invalidPath', error.message);
          throw error;
        }
        if (!base) this.fail('noTarget', 'no value matches the filter, and a value cannot be built from it');
      }
      const created = this.normalize(attribute, base, label, true) as JsonObject;
      if (sub) {
        const next = this.normalize(sub, value, label, false, true);
        if (next === UNASSIGNED) return;
        created[sub.name] = next;
      } else {
        const next = this.normalize(attribute, value, label, true);
        if (next === UNASSIGNED) return;
        Object.assign(created, next);
      }
      this.addElement(list, attribute, compact(created));
      return;
    }
    const next = sub
      ? this.normalize(sub, value, label, false, true)
      : this.normalize(attribute, value, label, true);
    let primaryAt: number | undefined;
    for (const position of positions) {
      const element = list.at(position);
      let updated: unknown;
      if (sub) {
        const container = isObject(element) ? element : {};
        const before = readKey(container, sub.name);
        if (next === UNASSIGNED) {
          if (!this.checkRemove(sub, `${label}.${sub.name}`, before)) continue;
          updated = withoutKey(container, sub.name);
        } else {
          if (!this.checkWrite(sub, `${label}.${sub.name}`, before, next) || deepEqual(before, next))
            continue;
          updated = withKey(container, sub.name, next);
        }
      } else if (next === UNASSIGNED) {
        list.remove(position);
        continue;
      } else if (attribute.type !== 'complex') {
        updated = next;
      } else if (op === 'add') {
        updated = this.mergeInto(
          attribute,
          label,
          isObject(element) ? element : undefined,
          next as JsonObject,
        );
      } else {
        updated = compact(next);
        this.checkImmutableSubs(attribute, label, element, updated);
      }
      if (updated === element || deepEqual(updated, element)) continue;
      if (updated === undefined || (isObject(updated) && Object.keys(updated).length === 0)) {
        list.remove(position);
        continue;
      }
      list.set(position, updated);
      if (isObject(updated) && updated.primary === true) primaryAt = position;
    }
    if (primaryAt !== undefined) this.exclusivePrimary(list, attribute, primaryAt);
  }

  /** A replaced value keeps its immutable sub-attributes (Group `members[…].value`). */
  private checkImmutableSubs(
    attribute: AttributeDefinition,
    label: string,
    before: unknown,
    after: unknown,
  ): void {
    for (const sub of attribute.subAttributes ?? []) {
      if (sub.mutability !== 'immutable' && sub.mutability !== 'readOnly') continue;
      const old = isObject(before) ? readKey(before, sub.name) : undefined;
      const next = isObject(after) ? readKey(after, sub.name) : undefined;
      if (sub.mutability === 'readOnly') {
        if (!deepEqual(old, next)) this.fail('mutability', `"${label}.${sub.name}" is readOnly`);
      } else if (old !== undefined && !deepEqual(old, next)) {
        this.fail('mutability', `"${label}.${sub.name}" is immutable and already has a value`);
      }
    }
  }

  /** Appends a value unless an identical one is there; a new primary clears the old one. */
  private addElement(list: ValueList, attribute: AttributeDefinition, element: unknown): void {
    if (list.findDuplicate(element) >= 0) return;
    const position = list.append(element);
    if (isObject(element) && element.primary === true) this.exclusivePrimary(list, attribute, position);
  }

  /** Entra's `remove members [{value}]`: removes the values matching each listed one. */
  private removeListed(list: ValueList, attribute: AttributeDefinition, value: unknown, label: string): void {
    const listed = this.normalize(attribute, value, label) as unknown[] | null;
    for (const partial of listed ?? []) {
      const key = isObject(partial) ? partial.value : partial;
      const valueDefinition = attribute.type === 'complex' ? valueSubAttribute(attribute) : attribute;
      let candidates: number[];
      if (key !== undefined && valueDefinition)
        candidates = [...list.positionsOf(simpleKey(valueDefinition, key))];
      else {
        candidates = [];
        for (let position = 0; position < list.end; position++)
          if (list.isLive(position)) candidates.push(position);
      }
      for (const position of candidates) {
        if (matchesPartial(attribute, list.at(position), partial)) list.remove(position);
      }
    }
  }

  /**
   * Keeps `primary: true` on one value at most (RFC 7643 2.4): the value at `keep`, or the last
   * primary one when `keep` is undefined.
   */
  private exclusivePrimary(list: ValueList, attribute: AttributeDefinition, keep: number | undefined): void {
    if (!hasPrimary(attribute)) return;
    let winner = keep;
    if (winner === undefined) {
      for (let position = 0; position < list.end; position++) {
        const element = list.at(position);
        if (list.isLive(position) && isObject(element) && element.primary === true) winner = position;
      }
    }
    if (winner === undefined) return;
    for (let position = 0; position < list.end; position++) {
      if (!list.isLive(position)) continue;
      const element = list.at(position);
      if (position !== winner && isObject(element) && element.primary === true) {
        list.set(position, { ...element, primary: false });
      }
    }
  }

  // ---------------------------------------------------------------- result

  finish(): PatchResult<JsonObject> {
    const deltas: AttributeDelta[] = [];
    for (const { entry, list } of this.lists) {
      const outcome = list.finish();
      if (!outcome) continue;
      deltas.push({
        attribute: list.label,
        added: outcome.added,
        removed: outcome.removed,
        ...(outcome.replaced ? { replaced: true as const } : {}),
      });
      this.write(entry, list.attribute, outcome.values.length === 0 ? undefined : outcome.values);
    }
    let changed = deltas.length > 0;
    for (let i = 0; !changed && i < this.written.length; i++) {
      const { entry, attribute } = this.written[i] as (typeof this.written)[number];
      const original = entry.core ? this.original : asObject(readKey(this.original, entry.schema.id));
      const holder = this.holder(entry, false);
      changed = !deepEqual(readKey(original, attribute.name), readKey(holder, attribute.name));
    }
    if (!changed) return { resource: this.original, changed: false, deltas: [] };
    this.updateSchemas();
    return { resource: this.draft, changed: true, deltas };
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
    if (schemas !== current && (Array.isArray(current) || schemas.length > 0)) this.draft.schemas = schemas;
  }
}

function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

/** A copy of `object` with `name` set to `value` (replacing the key in any other casing). */
function withKey(object: JsonObject, name: string, value: unknown): JsonObject {
  const copy = { ...object };
  if (!Object.hasOwn(copy, name)) {
    const other = findKey(copy, name);
    if (other !== undefined) delete copy[other];
  }
  copy[name] = value;
  return copy;
}

/** A copy of `object` without `name` (any casing). */
function withoutKey(object: JsonObject, name: string): JsonObject {
  const copy = { ...object };
  const key = findKey(copy, name);
  if (key !== undefined) delete copy[key];
  return copy;
}

/** A new object with the first `count` of `keys` of `object` (those already checked), skipping undefined values. */
function copyKeys(object: JsonObject, keys: readonly string[], count: number): JsonObject {
  const copy: JsonObject = {};
  for (let i = 0; i < count; i++) {
    const key = keys[i] as string;
    if (object[key] !== undefined) copy[key] = object[key];
  }
  return copy;
}

/** A normalised complex value without its `null` (unassigned) sub-attributes. */
function compact(value: unknown): unknown {
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
function mergeComplex(existing: JsonObject, next: JsonObject): JsonObject {
  const result = { ...existing };
  for (const key of Object.keys(next)) {
    if (next[key] === UNASSIGNED) delete result[key];
    else result[key] = next[key];
  }
  return result;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  // JSON.stringify writes Infinity (from 1e400) and NaN as null.
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return `${typeof value} ${text}`.slice(0, 80);
}

/**
 * Applies a SCIM PATCH request to a resource, schema-aware and all or nothing (RFC 7644
 * section 3.5.2). The input is never modified: the result shares untouched attributes with it
 * and copies only what changed. Request values that need no conversion are used uncopied
 * (neither the resource nor the request is ever written to). Attribute names match
 * case-insensitively and are written in schema casing; every value a filter matches is
 * updated; what Microsoft Entra ID and Okta send is accepted by default (see
 * {@link PatchCompatibility}).
 *
 * @param resource - The current resource, as stored.
 * @param request - A PatchOp body (`{ schemas, Operations }`) or its operations array.
 * @param options - Resource type, compatibility switches, `strict` and size bounds.
 * @returns The new resource, whether anything changed and the per-attribute deltas of
 *   multi-valued attributes (values added and removed).
 * @throws `ScimError` (from `@scimkit/schema`), status 400, with `scimType` `invalidSyntax`,
 *   `invalidPath`, `noTarget`, `mutability` or `invalidValue`, whose detail names the operation
 *   index and path, e.g. `Operations[2] (replace "emails[type eq \"work\"].value"): no value
 *   matches the filter`.
 * @example
 * ```ts
 * import { applyPatch } from '@scimkit/patch';
 * import type { User } from '@scimkit/schema';
 *
 * declare const user: User;
 * const { resource, changed, deltas } = applyPatch(user, {
 *   schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
 *   Operations: [
 *     { op: 'Replace', path: 'active', value: 'False' },
 *     { op: 'add', path: 'emails[type eq "work"].value', value: 'bjensen@example.com' },
 *   ],
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function applyPatch<TResource extends object>(
  resource: TResource,
  request: PatchRequest | readonly PatchOperation[],
  options?: PatchOptions,
): PatchResult<TResource> {
  if (!isObject(resource)) throw requestError('The resource to patch must be an object', 'invalidValue');
  const resolved = resolveOptions(options);
  const steps = readSteps(request, resolved);
  const session = new Session(resource, indexType(resourceTypeFor(resource, options)), resolved);
  for (const step of steps) session.run(step);
  return session.finish() as PatchResult<TResource>;
}

/**
 * {@link applyPatch} without throwing SCIM errors: `{ success: true, data }` or
 * `{ success: false, error }` (other errors, which would be bugs, are rethrown).
 *
 * @example
 * ```ts
 * import { type PatchRequest, safeApplyPatch } from '@scimkit/patch';
 * import type { Group } from '@scimkit/schema';
 *
 * function patchGroup(group: Group, body: PatchRequest): Response {
 *   const result = safeApplyPatch(group, body);
 *   if (!result.success) return Response.json(result.error.toJSON(), { status: result.error.status });
 *   return Response.json(result.data.resource);
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function safeApplyPatch<TResource extends object>(
  resource: TResource,
  request: PatchRequest | readonly PatchOperation[],
  options?: PatchOptions,
): SafePatchResult<TResource> {
  try {
    return { success: true, data: applyPatch(resource, request, options) };
  } catch (error) {
    if (error instanceof ScimError) return { success: false, error };
    throw error;
  }
}
