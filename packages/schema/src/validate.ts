/**
 * {@link validateResource}: collects the input by schema and attribute, checks each schema's
 * attributes, and assembles the normalised resource.
 */
import type { AttributeDefinition } from './definition.js';
import {
  exactNames,
  type IndexedSchema,
  indexResourceType,
  type ResourceTypeIndex,
  splitQualifiedName,
  subAttributeMap,
} from './lookup.js';
import { isObject, schemasFirst, setOwn } from './objects.js';
import { UNASSIGNED } from './unassigned.js';
import {
  checkAttribute,
  checkRequired,
  describe,
  dropsReadOnly,
  getOwnInsensitive,
  issue,
  qualify,
  type Settings,
  unknown,
} from './validate-attributes.js';
import { checkImmutable } from './validate-immutable.js';
import { ScimValidationError, type ValidateResourceOptions, type ValidationResult } from './validation.js';

/** Raw input collected for one attribute before it is checked. */
interface Pending {
  /** The whole value, if written as `attr: value`. */
  value?: unknown;
  /** Sub-attribute values written flat (`name.givenName`, `urn:…:manager.value`). */
  subs?: Map<AttributeDefinition, unknown>;
  /** `value` is the baseline's own value (see {@link validatePatchedResource}): valid as it is. */
  trusted?: boolean;
}

/** Files one input key under its schema and attribute; handles dotted and URN-qualified keys. */
function collect(
  entry: IndexedSchema,
  key: string,
  value: unknown,
  pending: Map<IndexedSchema, Map<AttributeDefinition, Pending>>,
  settings: Settings,
): void {
  let definition = exactNames(entry.attributes).get(key) ?? entry.attributes.get(key.toLowerCase());
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
  const attributes = pendingOf(pending, entry);
  let slot = attributes.get(definition);
  if (!slot) {
    slot = {};
    attributes.set(definition, slot);
  }
  slot.trusted = false;
  if (sub) {
    slot.subs ??= new Map();
    slot.subs.set(sub, value);
  } else {
    if (Object.hasOwn(slot, 'value')) warnDuplicate(settings, entry, definition);
    slot.value = value;
  }
}

/** The values filed so far under the attributes of `entry`'s schema. */
function pendingOf(
  pending: Map<IndexedSchema, Map<AttributeDefinition, Pending>>,
  entry: IndexedSchema,
): Map<AttributeDefinition, Pending> {
  let attributes = pending.get(entry);
  if (!attributes) {
    attributes = new Map();
    pending.set(entry, attributes);
  }
  return attributes;
}

/** Warns that an attribute came twice (in two spellings): the last value wins. */
function warnDuplicate(settings: Settings, entry: IndexedSchema, definition: AttributeDefinition): void {
  settings.warnings.push({
    path: qualify(entry, definition.name),
    code: 'duplicateAttribute',
    message: `Attribute "${definition.name}" appears more than once; the last value wins`,
  });
}

/** The settings of one validation, from its options. */
function settingsOf(options: ValidateResourceOptions): Settings {
  const strict = options.strict ?? false;
  return {
    context: options.context,
    coerce: options.coerceBooleans ?? !strict,
    reject: (options.unknownAttributes ?? (strict ? 'reject' : 'drop')) === 'reject',
    strict,
    unknownType: options.context === 'patch' ? 'invalidPath' : 'invalidSyntax',
    issues: [],
    warnings: [],
    uniqueness: [],
  };
}

const plainCoreNames = new WeakMap<ResourceTypeIndex, ReadonlyMap<string, AttributeDefinition>>();

/**
 * The core attributes by their exact schema spelling, for names that only the last step of
 * {@link collectInput}'s key resolution can match (no `:`, not `schemas`, no schema URN spelt
 * so): a key spelt as the schema spells it (every key of a normalised resource, most of a
 * client's) is filed at once, without lower-casing it and trying it as a schema URN or a
 * qualified name first, which could not match.
 */
function plainCoreNamesOf(index: ResourceTypeIndex): ReadonlyMap<string, AttributeDefinition> {
  let names = plainCoreNames.get(index);
  if (!names) {
    const map = new Map<string, AttributeDefinition>();
    for (const definition of index.core.attributes.values()) {
      const lower = definition.name.toLowerCase();
      if (definition.name.includes(':') || lower === 'schemas' || index.schemas.has(lower)) continue;
      map.set(definition.name, definition);
    }
    names = map;
    plainCoreNames.set(index, names);
  }
  return names;
}

/**
 * Files a value under an attribute known by its exact name (see {@link plainCoreNamesOf}); a
 * `trusted` value is the baseline's own (see {@link validatePatchedResource}).
 */
function collectPlain(
  entry: IndexedSchema,
  definition: AttributeDefinition,
  value: unknown,
  pending: Map<IndexedSchema, Map<AttributeDefinition, Pending>>,
  settings: Settings,
  trusted: boolean,
): void {
  const attributes = pendingOf(pending, entry);
  const slot = attributes.get(definition);
  if (!slot) {
    // Read-only values (`id`, `meta`) come from the server, not from a validation: checked always.
    attributes.set(
      definition,
      trusted && definition.mutability !== 'readOnly' ? { value, trusted } : { value },
    );
    return;
  }
  slot.trusted = false;
  if (Object.hasOwn(slot, 'value')) {
    warnDuplicate(settings, entry, definition);
  }
  slot.value = value;
}

/** The input filed by schema and attribute, and the schemas its `schemas` list names. */
interface Collected {
  pending: Map<IndexedSchema, Map<AttributeDefinition, Pending>>;
  listed: Set<IndexedSchema>;
}

/**
 * Files every key of the input under its schema and attribute (nested extension objects,
 * URN-qualified and dotted keys) and checks the `schemas` list.
 */
function collectInput(
  input: Record<string, unknown>,
  index: ResourceTypeIndex,
  settings: Settings,
  baseline: Readonly<Record<string, unknown>> | undefined,
): Collected {
  const pending = new Map<IndexedSchema, Map<AttributeDefinition, Pending>>();
  const listed = new Set<IndexedSchema>();
  let schemasSeen = false;
  let schemasValid = false;
  const plain = plainCoreNamesOf(index);
  for (const key of Object.keys(input)) {
    const value = input[key];
    const definition = plain.get(key);
    if (definition) {
      if (value !== null && value !== undefined) {
        const trusted = baseline !== undefined && Object.hasOwn(baseline, key) && baseline[key] === value;
        collectPlain(index.core, definition, value, pending, settings, trusted);
      }
      continue;
    }
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
      // An extension object the baseline holds as it is: its attributes are valid as they are.
      const same = baseline !== undefined && Object.hasOwn(baseline, key) && baseline[key] === value;
      const exact = same ? exactNames(schemaEntry.attributes) : undefined;
      for (const inner of Object.keys(value)) {
        if (value[inner] === null || value[inner] === undefined) continue;
        const known = exact?.get(inner);
        if (known) collectPlain(schemaEntry, known, value[inner], pending, settings, true);
        else collect(schemaEntry, inner, value[inner], pending, settings);
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
    if (settings.strict) issue(settings, 'schemas', 'invalidSyntax', 'Attribute "schemas" is required');
    else
      settings.warnings.push({
        path: 'schemas',
        code: 'schemas',
        message: 'Attribute "schemas" is missing; derived from the content',
      });
  } else if (schemasValid && !listed.has(index.core)) {
    if (settings.strict)
      issue(settings, 'schemas', 'invalidValue', `"schemas" must list ${index.core.schema.id}`);
    else
      settings.warnings.push({
        path: 'schemas',
        code: 'schemas',
        message: `"schemas" does not list ${index.core.schema.id}; added`,
      });
  }
  return { pending, listed };
}

/**
 * Checks the attributes of one schema (the core schema or an extension): read-only input, each
 * value, immutables against `existing`, required attributes. Returns the normalised attributes,
 * or undefined for an extension with none.
 */
function checkSchema(
  entry: IndexedSchema,
  attributes: Map<AttributeDefinition, Pending> | undefined,
  existing: Readonly<Record<string, unknown>> | undefined,
  settings: Settings,
): Record<string, unknown> | undefined {
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
          settings.warnings.push({
            path,
            code: 'readOnlyIgnored',
            message: `Attribute "${definition.name}" is read-only; ignored`,
          });
        }
        continue;
      }
      if (definition.mutability === 'writeOnly' && settings.context === 'response') continue;
      if (slot.trusted) {
        setOwn(out, definition.name, slot.value);
        continue;
      }
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
  return entry.core || present ? out : undefined;
}

function run(
  input: unknown,
  options: ValidateResourceOptions,
  baseline?: Readonly<Record<string, unknown>>,
): { settings: Settings; data: Record<string, unknown> } {
  const settings = settingsOf(options);
  if (!isObject(input)) {
    issue(settings, '', 'invalidSyntax', `Expected a JSON object, found ${describe(input)}`);
    return { settings, data: {} };
  }
  const index: ResourceTypeIndex = indexResourceType(options.resourceType);
  const { pending, listed } = collectInput(input, index, settings, baseline);
  const outputs = new Map<IndexedSchema, Record<string, unknown>>();
  for (const entry of [index.core, ...index.extensions]) {
    const out = checkSchema(entry, pending.get(entry), options.existing, settings);
    if (out) outputs.set(entry, out);
  }
  const schemas: string[] = [index.core.schema.id];
  for (const entry of index.extensions) {
    if (outputs.has(entry) || listed.has(entry)) schemas.push(entry.schema.id);
  }
  const core = outputs.get(index.core) ?? {};
  let extensions: Record<string, unknown> | undefined;
  for (const entry of index.extensions) {
    const out = outputs.get(entry);
    if (out) setOwn((extensions ??= {}), entry.schema.id, out);
  }
  const data = schemasFirst(schemas, core, Object.keys(core).length, extensions);
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

/**
 * {@link safeValidateResource} of a PATCH outcome (`context: 'patch'`) that shares its untouched
 * values with `baseline`, a resource known to be this validation's own output (same resource
 * type and options) plus read-only values a server gave it (`id`, `meta`): a top-level value,
 * or an attribute of an extension object, that is the baseline's very own (`===`) and not
 * read-only is valid and normalised already, so it is copied instead of checked again.
 * Everything else (each value the patch wrote, read-only values, whatever was removed) is
 * checked as usual, and so are the rules of the resource as a whole (required attributes,
 * immutables against `existing`, the `schemas` list): the result, warnings and issues are those
 * of a full validation. Uniqueness hints cover checked values only.
 * @internal For `@scimkit/server`; only sound for a baseline that nothing changed since.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function validatePatchedResource(
  input: unknown,
  options: ValidateResourceOptions,
  baseline: Readonly<Record<string, unknown>>,
): ValidationResult<Record<string, unknown>> {
  const { settings, data } = run(input, options, baseline);
  if (settings.issues.length > 0) return { success: false, error: new ScimValidationError(settings.issues) };
  return { success: true, data, warnings: settings.warnings, uniqueness: settings.uniqueness };
}
