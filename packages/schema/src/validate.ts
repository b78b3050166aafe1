import { isDateTime, sameDateTime } from '@scimkit/filter/internal';
import type { AttributeDefinition, ResourceTypeDefinition, Uniqueness } from './definition.js';
import { ScimError, type ScimErrorType } from './errors.js';
import {
  type IndexedSchema,
  indexResourceType,
  type ResourceTypeIndex,
  splitQualifiedName,
  subAttributeMap,
} from './lookup.js';
import { isObject, setOwn } from './objects.js';
import { booleanFromString, isBase64 } from './values.js';

/**
 * What a resource is being validated for; it decides how read-only, immutable and required
 * attributes are treated.
 *
 * - `create` (POST) and `replace` (PUT): read-only input (`id`, `meta`, `groups`, …) is ignored
 *   and dropped; on `replace`, immutable values must match `existing`.
 * - `patch`: the resource a PATCH produced; read-only attributes are kept, immutable values
 *   must match `existing`.
 * - `response`: a resource as a service provider returns it; everything is kept and checked.
 */
export type ValidationContext = 'create' | 'replace' | 'patch' | 'response';

/** One problem found by {@link validateResource}. */
export interface ValidationIssue {
  /** Where: `userName`, `emails[1].value`, `urn:…:enterprise:2.0:User:manager.value`. */
  path: string;
  /** The `scimType` the server answers with for this problem. */
  scimType: ScimErrorType;
  /** What is wrong, for a person. */
  message: string;
}

/** Something {@link validateResource} tolerated and changed, such as an unknown attribute it dropped. */
export interface ValidationWarning {
  /** Where, as in {@link ValidationIssue.path}. */
  path: string;
  /** What was tolerated. */
  message: string;
}

/**
 * A value the server must check for uniqueness (`uniqueness: server` or `global`), such as
 * `userName`. Validation cannot see other resources, so it hands these over.
 */
export interface UniquenessHint {
  /** Where, as in {@link ValidationIssue.path}. */
  path: string;
  /** The attribute (or sub-attribute) definition, for `caseExact`. */
  attribute: AttributeDefinition;
  /** The uniqueness scope. */
  uniqueness: Exclude<Uniqueness, 'none'>;
  /** The normalised value. */
  value: unknown;
}

/** Options of {@link validateResource}. */
export interface ValidateResourceOptions {
  /** The resource type the input must conform to (core schema plus extensions). */
  resourceType: ResourceTypeDefinition;
  /** What the resource is validated for. */
  context: ValidationContext;
  /**
   * The stored resource, on `replace` and `patch`: immutable values must match it, and on
   * `replace` immutable values the input leaves out are carried over from it.
   */
  existing?: Readonly<Record<string, unknown>>;
  /**
   * Strict mode: reject unknown attributes and schemas, string booleans, a missing or
   * incomplete `schemas` list. Sets the defaults of the two options below.
   * @default false
   */
  strict?: boolean;
  /**
   * Turn `"true"`/`"false"` strings (in any casing; Entra ID sends `"True"`) into booleans.
   * @default !strict
   */
  coerceBooleans?: boolean;
  /**
   * What to do with attributes and schema URNs no schema defines: drop them with a warning,
   * or reject them (`invalidSyntax`; `invalidPath` in the `patch` context).
   * @default strict ? 'reject' : 'drop'
   */
  unknownAttributes?: 'drop' | 'reject';
}

/** The outcome of a successful validation. */
export interface ValidationSuccess<T> {
  /** Validation passed. */
  success: true;
  /**
   * The normalised resource: schema casing for names and URNs, extension objects keyed by
   * their canonical URN and listed in `schemas`, nulls and empty lists removed, read-only
   * input dropped (create, replace), string booleans coerced.
   */
  data: T;
  /** What was tolerated (unknown attributes dropped, read-only input ignored, …). */
  warnings: ValidationWarning[];
  /** Values the server must check for uniqueness. */
  uniqueness: UniquenessHint[];
}

/** The outcome of a failed validation. */
export interface ValidationFailure {
  /** Validation failed. */
  success: false;
  /** The error, with every issue found. */
  error: ScimValidationError;
}

/** The result of {@link safeValidateResource}. */
export type ValidationResult<T> = ValidationSuccess<T> | ValidationFailure;

const MAX_DETAIL_ISSUES = 5;

/**
 * A resource that failed validation. `issues` lists every problem; `scimType` is that of the
 * first issue and `detail` summarises them.
 *
 * @example
 * ```ts
 * import { ScimValidationError, userResourceType, validateResource } from '@scimkit/schema';
 *
 * const body: unknown = JSON.parse('{"name":{"givenName":"Barbara"}}');
 * try {
 *   validateResource(body, { resourceType: userResourceType, context: 'create' });
 * } catch (error) {
 *   if (error instanceof ScimValidationError) console.log(error.issues); // userName is required
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export class ScimValidationError extends ScimError {
  /** Every problem found, in document order. */
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const first = issues[0];
    const shown = issues
      .slice(0, MAX_DETAIL_ISSUES)
      .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    const more = issues.length > MAX_DETAIL_ISSUES ? ` (and ${issues.length - MAX_DETAIL_ISSUES} more)` : '';
    super(`${shown.join('; ')}${more}`, { status: 400, scimType: first?.scimType ?? 'invalidValue' });
    this.name = 'ScimValidationError';
    this.issues = issues;
  }
}

interface Settings {
  context: ValidationContext;
  coerce: boolean;
  reject: boolean;
  strict: boolean;
  unknownType: ScimErrorType;
  issues: ValidationIssue[];
  warnings: ValidationWarning[];
  uniqueness: UniquenessHint[];
}

/** Raw input collected for one attribute before it is checked. */
interface Pending {
  /** The whole value, if written as `attr: value`. */
  value?: unknown;
  /** Sub-attribute values written flat (`name.givenName`, `urn:…:manager.value`). */
  subs?: Map<AttributeDefinition, unknown>;
}

const UNASSIGNED: unique symbol = Symbol('unassigned');
type Checked = unknown | typeof UNASSIGNED;

/** An own property of `source` by name, exact casing first, then case-insensitively. */
function getOwnInsensitive(source: Readonly<Record<string, unknown>> | undefined, name: string): unknown {
  if (!source) return undefined;
  if (Object.hasOwn(source, name)) return source[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(source)) if (key.toLowerCase() === lower) return source[key];
  return undefined;
}

function qualify(entry: IndexedSchema, name: string): string {
  return entry.core ? name : `${entry.schema.id}:${name}`;
}

function issue(settings: Settings, path: string, scimType: ScimErrorType, message: string): void {
  settings.issues.push({ path, scimType, message });
}

function unknown(settings: Settings, path: string, what: string): void {
  if (settings.reject) issue(settings, path, settings.unknownType, `${what} is not defined by the schema`);
  else settings.warnings.push({ path, message: `${what} is not defined by the schema; ignored` });
}

/** Describes a JSON value for messages: `a string`, `a number`, `an object`, … */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

/**
 * Whether a read-only attribute is dropped from input in this context.
 */
function dropsReadOnly(settings: Settings): boolean {
  return settings.context === 'create' || settings.context === 'replace';
}

/** Checks and normalises one simple (non-complex) value. */
function checkSimple(
  definition: AttributeDefinition,
  value: unknown,
  path: string,
  settings: Settings,
): Checked {
  switch (definition.type) {
    case 'string':
    case 'reference':
      if (typeof value === 'string') return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && settings.coerce) {
        const coerced = booleanFromString(value);
        if (coerced !== undefined) return coerced;
      }
      break;
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      break;
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case 'dateTime':
      if (typeof value === 'string') {
        if (isDateTime(value)) return value;
        issue(
          settings,
          path,
          'invalidValue',
          `Expected an xsd:dateTime such as 2011-08-01T18:29:49.793Z, found "${truncate(value)}"`,
        );
        return UNASSIGNED;
      }
      break;
    case 'binary':
      if (typeof value === 'string') {
        if (isBase64(value)) return value;
        issue(settings, path, 'invalidValue', 'Expected base64-encoded binary data');
        return UNASSIGNED;
      }
      break;
    case 'complex':
      break;
  }
  const expected =
    definition.type === 'integer'
      ? 'an integer'
      : definition.type === 'decimal'
        ? 'a number'
        : `a ${definition.type}`;
  issue(settings, path, 'invalidValue', `Expected ${expected}, found ${describe(value)}`);
  return UNASSIGNED;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/**
 * Checks a complex value: its own keys resolved case-insensitively against the
 * sub-attributes, plus sub-attributes written flat (`subs`). Returns the normalised object.
 */
function checkComplex(
  definition: AttributeDefinition,
  value: unknown,
  subs: Map<AttributeDefinition, unknown> | undefined,
  path: string,
  settings: Settings,
): Checked {
  if (value !== undefined && !isObject(value)) {
    issue(settings, path, 'invalidValue', `Expected an object, found ${describe(value)}`);
    return UNASSIGNED;
  }
  const lookup = subAttributeMap(definition);
  const collected = new Map<AttributeDefinition, unknown>();
  if (value) {
    for (const key of Object.keys(value)) {
      const raw = value[key];
      const sub = lookup.get(key.toLowerCase());
      if (!sub) {
        unknown(settings, `${path}.${key}`, `Sub-attribute "${key}"`);
        continue;
      }
      collected.set(sub, raw);
    }
  }
  if (subs) for (const [sub, raw] of subs) collected.set(sub, raw);
  const out: Record<string, unknown> = {};
  let assigned = false;
  for (const sub of definition.subAttributes ?? []) {
    if (!collected.has(sub)) continue;
    const raw = collected.get(sub);
    const subPath = `${path}.${sub.name}`;
    if (raw === null || raw === undefined) continue;
    if (sub.mutability === 'readOnly' && dropsReadOnly(settings)) continue;
    if (sub.mutability === 'writeOnly' && settings.context === 'response') continue;
    const checked = checkAttribute(sub, raw, undefined, subPath, settings);
    if (checked === UNASSIGNED) continue;
    setOwn(out, sub.name, checked);
    assigned = true;
  }
  checkRequired(definition.subAttributes ?? [], out, path ? `${path}.` : '', settings);
  return assigned ? out : UNASSIGNED;
}

/** Checks one attribute value (single or multi-valued, simple or complex). */
function checkAttribute(
  definition: AttributeDefinition,
  value: unknown,
  subs: Map<AttributeDefinition, unknown> | undefined,
  path: string,
  settings: Settings,
): Checked {
  if (!definition.multiValued) {
    const checked =
      definition.type === 'complex'
        ? checkComplex(definition, value, subs, path, settings)
        : checkSimple(definition, value, path, settings);
    if (checked !== UNASSIGNED) hintUniqueness(definition, checked, path, settings);
    return checked;
  }
  if (!Array.isArray(value)) {
    issue(
      settings,
      path,
      'invalidValue',
      `Expected an array (the attribute is multi-valued), found ${describe(value)}`,
    );
    return UNASSIGNED;
  }
  const out: unknown[] = [];
  let primaries = 0;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (item === null || item === undefined) continue;
    const itemPath = `${path}[${i}]`;
    const checked =
      definition.type === 'complex'
        ? checkComplex(definition, item, undefined, itemPath, settings)
        : checkSimple(definition, item, itemPath, settings);
    if (checked === UNASSIGNED) continue;
    if (isObject(checked) && checked['primary'] === true) primaries++;
    out.push(checked);
  }
  if (primaries > 1) {
    issue(
      settings,
      path,
      'invalidValue',
      `At most one value may have primary set to true, found ${primaries}`,
    );
  }
  return out.length === 0 ? UNASSIGNED : out;
}

function hintUniqueness(
  definition: AttributeDefinition,
  value: unknown,
  path: string,
  settings: Settings,
): void {
  const scope = definition.uniqueness;
  if (scope === 'server' || scope === 'global') {
    if (definition.mutability === 'readOnly') return;
    settings.uniqueness.push({ path, attribute: definition, uniqueness: scope, value });
  }
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Reports required attributes missing from `out`. */
function checkRequired(
  definitions: readonly AttributeDefinition[],
  out: Record<string, unknown>,
  prefix: string,
  settings: Settings,
): void {
  for (const definition of definitions) {
    if (!definition.required) continue;
    if (definition.mutability === 'readOnly' && settings.context !== 'response') continue;
    if (definition.mutability === 'writeOnly' && settings.context === 'response') continue;
    const value = Object.hasOwn(out, definition.name) ? out[definition.name] : undefined;
    if (isMissing(value)) {
      issue(
        settings,
        `${prefix}${definition.name}`,
        'invalidValue',
        `Attribute "${definition.name}" is required`,
      );
    }
  }
}

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

/**
 * Checks immutable attributes (and immutable sub-attributes of single-valued complex
 * attributes) against the stored resource. Immutable sub-attributes of multi-valued
 * attributes, such as `members.value`, are left alone: each value is new or removed as a whole.
 */
function checkImmutable(
  entry: IndexedSchema,
  out: Record<string, unknown>,
  existingContainer: Readonly<Record<string, unknown>> | undefined,
  settings: Settings,
): void {
  if (!existingContainer) return;
  for (const definition of entry.attributes.values()) {
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

/** Files one input key under its schema and attribute; handles dotted and URN-qualified keys. */
function collect(
  entry: IndexedSchema,
  key: string,
  value: unknown,
  pending: Map<IndexedSchema, Map<AttributeDefinition, Pending>>,
  settings: Settings,
): void {
  let definition = entry.attributes.get(key.toLowerCase());
  let sub: AttributeDefinition | undefined;
  if (!definition) {
    const dot = key.indexOf('.');
    if (dot > 0) {
      definition = entry.attributes.get(key.slice(0, dot).toLowerCase());
      if (definition) {
        sub = subAttributeMap(definition).get(key.slice(dot + 1).toLowerCase());
        if (!sub || definition.multiValued) {
          unknown(settings, qualify(entry, key), `Attribute "${key}"`);
          return;
        }
      }
    }
  }
  if (!definition) {
    unknown(settings, qualify(entry, key), `Attribute "${key}"`);
    return;
  }
  let attributes = pending.get(entry);
  if (!attributes) {
    attributes = new Map();
    pending.set(entry, attributes);
  }
  let slot = attributes.get(definition);
  if (!slot) {
    slot = {};
    attributes.set(definition, slot);
  }
  if (sub) {
    slot.subs ??= new Map();
    slot.subs.set(sub, value);
  } else {
    if (Object.hasOwn(slot, 'value')) {
      settings.warnings.push({
        path: qualify(entry, definition.name),
        message: `Attribute "${definition.name}" appears more than once; the last value wins`,
      });
    }
    slot.value = value;
  }
}

function run(
  input: unknown,
  options: ValidateResourceOptions,
): { settings: Settings; data: Record<string, unknown> } {
  const strict = options.strict ?? false;
  const reject = (options.unknownAttributes ?? (strict ? 'reject' : 'drop')) === 'reject';
  const settings: Settings = {
    context: options.context,
    coerce: options.coerceBooleans ?? !strict,
    reject,
    strict,
    unknownType: options.context === 'patch' ? 'invalidPath' : 'invalidSyntax',
    issues: [],
    warnings: [],
    uniqueness: [],
  };
  const data: Record<string, unknown> = {};
  if (!isObject(input)) {
    issue(settings, '', 'invalidSyntax', `Expected a JSON object, found ${describe(input)}`);
    return { settings, data };
  }
  const index: ResourceTypeIndex = indexResourceType(options.resourceType);
  const pending = new Map<IndexedSchema, Map<AttributeDefinition, Pending>>();
  const listed = new Set<IndexedSchema>();
  let schemasSeen = false;
  let schemasValid = false;

  for (const key of Object.keys(input)) {
    const value = input[key];
    const lower = key.toLowerCase();
    if (lower === 'schemas') {
      schemasSeen = true;
      schemasValid = readSchemas(value, index, listed, settings);
      continue;
    }
    if (value === null || value === undefined) continue;
    const schemaEntry = index.schemas.get(lower);
    if (schemaEntry) {
      if (!isObject(value)) {
        issue(
          settings,
          schemaEntry.schema.id,
          'invalidSyntax',
          `Expected an object of attributes, found ${describe(value)}`,
        );
        continue;
      }
      if (!pending.has(schemaEntry)) pending.set(schemaEntry, new Map());
      for (const inner of Object.keys(value)) {
        if (value[inner] === null || value[inner] === undefined) continue;
        collect(schemaEntry, inner, value[inner], pending, settings);
      }
      continue;
    }
    const qualified = splitQualifiedName(index, key);
    if (qualified) {
      collect(qualified.entry, qualified.rest, value, pending, settings);
      continue;
    }
    if (lower.startsWith('urn:')) {
      unknown(settings, key, `Schema or attribute "${key}"`);
      continue;
    }
    collect(index.core, key, value, pending, settings);
  }

  if (!schemasSeen) {
    if (strict) issue(settings, 'schemas', 'invalidSyntax', 'Attribute "schemas" is required');
    else
      settings.warnings.push({
        path: 'schemas',
        message: 'Attribute "schemas" is missing; derived from the content',
      });
  } else if (schemasValid && !listed.has(index.core)) {
    if (strict) issue(settings, 'schemas', 'invalidValue', `"schemas" must list ${index.core.schema.id}`);
    else
      settings.warnings.push({
        path: 'schemas',
        message: `"schemas" does not list ${index.core.schema.id}; added`,
      });
  }

  const existing = options.existing;
  const outputs = new Map<IndexedSchema, Record<string, unknown>>();
  for (const entry of [index.core, ...index.extensions]) {
    const attributes = pending.get(entry);
    const out: Record<string, unknown> = {};
    if (attributes) {
      for (const definition of entry.attributes.values()) {
        const slot = attributes.get(definition);
        if (!slot) continue;
        const path = qualify(entry, definition.name);
        if (definition.mutability === 'readOnly' && dropsReadOnly(settings)) {
          const common = entry.core && (definition.name === 'id' || definition.name === 'meta');
          const empty = Array.isArray(slot.value) && slot.value.length === 0;
          if (!common && !empty) {
            settings.warnings.push({ path, message: `Attribute "${definition.name}" is read-only; ignored` });
          }
          continue;
        }
        if (definition.mutability === 'writeOnly' && settings.context === 'response') continue;
        const raw = Object.hasOwn(slot, 'value') ? slot.value : undefined;
        if (raw === undefined && !slot.subs) continue;
        const checked = checkAttribute(definition, raw, slot.subs, path, settings);
        if (checked !== UNASSIGNED) setOwn(out, definition.name, checked);
      }
    }
    const existingContainer = entry.core
      ? existing
      : (getOwnInsensitive(existing, entry.schema.id) as Record<string, unknown> | undefined);
    if (settings.context === 'replace' || settings.context === 'patch') {
      checkImmutable(entry, out, isObject(existingContainer) ? existingContainer : undefined, settings);
    }
    const present = Object.keys(out).length > 0;
    if (entry.core || present) {
      checkRequired(entry.schema.attributes, out, entry.core ? '' : `${entry.schema.id}:`, settings);
    } else if (entry.required) {
      issue(settings, entry.schema.id, 'invalidValue', `The extension ${entry.schema.id} is required`);
    }
    if (entry.core || present) outputs.set(entry, out);
  }

  const schemas: string[] = [index.core.schema.id];
  for (const entry of index.extensions) {
    if (outputs.has(entry) || listed.has(entry)) schemas.push(entry.schema.id);
  }
  data['schemas'] = schemas;
  const core = outputs.get(index.core) ?? {};
  for (const key of Object.keys(core)) setOwn(data, key, core[key]);
  for (const entry of index.extensions) {
    const out = outputs.get(entry);
    if (out) setOwn(data, entry.schema.id, out);
  }
  return { settings, data };
}

/** Reads the `schemas` list into `listed`; returns whether it was an array. */
function readSchemas(
  value: unknown,
  index: ResourceTypeIndex,
  listed: Set<IndexedSchema>,
  settings: Settings,
): boolean {
  if (!Array.isArray(value)) {
    issue(settings, 'schemas', 'invalidSyntax', `Expected an array of schema URNs, found ${describe(value)}`);
    return false;
  }
  for (let i = 0; i < value.length; i++) {
    const urn = value[i];
    if (typeof urn !== 'string') {
      issue(settings, `schemas[${i}]`, 'invalidSyntax', `Expected a schema URN, found ${describe(urn)}`);
      continue;
    }
    const entry = index.schemas.get(urn.toLowerCase());
    if (entry) listed.add(entry);
    else unknown(settings, `schemas[${i}]`, `Schema "${urn}"`);
  }
  return true;
}

/**
 * Validates a resource against any resource type (core schema plus extensions, also ones
 * declared at runtime) for a context, and returns it normalised. Throws a
 * {@link ScimValidationError} listing every issue.
 *
 * Names and URNs match case-insensitively and come out in schema casing; extension
 * attributes may be nested under their URN or written flat (`urn:…:enterprise:2.0:User:department`,
 * as Entra ID does); `null` and `[]` mean unassigned; client `id`, `meta` and other read-only
 * input are dropped on create and replace; immutable values must match `existing`; types,
 * required attributes and single `primary` values are enforced; canonical values are only
 * suggestions.
 *
 * @example
 * ```ts
 * import { userResourceType, validateResource } from '@scimkit/schema';
 *
 * async function readUser(request: Request) {
 *   return validateResource(await request.json(), {
 *     resourceType: userResourceType,
 *     context: 'create',
 *   });
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.3
 */
export function validateResource<T = Record<string, unknown>>(
  input: unknown,
  options: ValidateResourceOptions,
): T {
  const result = safeValidateResource<T>(input, options);
  if (!result.success) throw result.error;
  return result.data;
}

/**
 * Like {@link validateResource}, but returns `{ success: true, data, warnings, uniqueness }`
 * or `{ success: false, error }` instead of throwing.
 *
 * @example
 * ```ts
 * import { type Group, groupResourceType, safeValidateResource } from '@scimkit/schema';
 *
 * function replaceGroup(body: unknown, existing: Group): Response {
 *   const result = safeValidateResource(body, { resourceType: groupResourceType, context: 'replace', existing });
 *   if (!result.success) return Response.json(result.error.toJSON(), { status: 400 });
 *   return Response.json(result.data);
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1
 */
export function safeValidateResource<T = Record<string, unknown>>(
  input: unknown,
  options: ValidateResourceOptions,
): ValidationResult<T> {
  const { settings, data } = run(input, options);
  if (settings.issues.length > 0) return { success: false, error: new ScimValidationError(settings.issues) };
  return { success: true, data: data as T, warnings: settings.warnings, uniqueness: settings.uniqueness };
}
