/**
 * Checking one attribute's value against its definition: types, sub-attributes, multi-valued
 * lists and their single `primary`, required attributes, and the uniqueness hints.
 */

import { isDateTime } from '@scimkit/filter/internal';
import type { AttributeDefinition } from './definition.js';
import type { ScimErrorType } from './errors.js';
import { exactNames, type IndexedSchema, subAttributeMap } from './lookup.js';
import { isObject, setOwn } from './objects.js';
import { UNASSIGNED, type Unassigned } from './unassigned.js';
import type { UniquenessHint, ValidationContext, ValidationIssue, ValidationWarning } from './validation.js';
import { booleanFromString, isBase64 } from './values.js';

/** How one validation runs, and what it has found so far. */
export interface Settings {
  context: ValidationContext;
  coerce: boolean;
  reject: boolean;
  strict: boolean;
  unknownType: ScimErrorType;
  issues: ValidationIssue[];
  warnings: ValidationWarning[];
  uniqueness: UniquenessHint[];
}

/** A checked value, or {@link UNASSIGNED} when nothing is left of it. */
export type Checked = unknown | Unassigned;

/** An own property of `source` by name, exact casing first, then case-insensitively. */
export function getOwnInsensitive(
  source: Readonly<Record<string, unknown>> | undefined,
  name: string,
): unknown {
  if (!source) return undefined;
  if (Object.hasOwn(source, name)) return source[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(source)) if (key.toLowerCase() === lower) return source[key];
  return undefined;
}

export function qualify(entry: IndexedSchema, name: string): string {
  return entry.core ? name : `${entry.schema.id}:${name}`;
}

export function issue(settings: Settings, path: string, scimType: ScimErrorType, message: string): void {
  settings.issues.push({ path, scimType, message });
}

export function unknown(settings: Settings, path: string, what: string): void {
  if (settings.reject) issue(settings, path, settings.unknownType, `${what} is not defined by the schema`);
  else
    settings.warnings.push({
      path,
      code: 'unknownAttribute',
      message: `${what} is not defined by the schema; ignored`,
    });
}

/** Describes a JSON value for messages: `a string`, `a number`, `an object`, … */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  const type = typeof value;
  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}

/**
 * Whether a read-only attribute is dropped from input in this context.
 */
export function dropsReadOnly(settings: Settings): boolean {
  return settings.context === 'create' || settings.context === 'replace';
}

/** U+0000, or a UTF-16 surrogate without its pair. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The index of the first character no store can hold, or -1: U+0000 (PostgreSQL text refuses
 * it, C APIs cut at it) or an unpaired surrogate (no UTF-8 encoding exists). Decided here, in
 * validation, so that every store answers the same 400 before any write.
 */
function unstorableAt(value: string): number {
  // Almost every value passes: `isWellFormed` (ES2024, native) rules out unpaired surrogates
  // and `indexOf` U+0000 at a fraction of the regular expression's cost, which only the rare
  // failing value, whose index the message needs, still runs.
  if (hasIsWellFormed && (value as WellFormed).isWellFormed() && value.indexOf('\u0000') < 0) return -1;
  return UNSTORABLE.exec(value)?.index ?? -1;
}

type WellFormed = string & { isWellFormed(): boolean };
const hasIsWellFormed = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function';

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
      if (typeof value === 'string') {
        const at = unstorableAt(value);
        if (at < 0) return value;
        issue(
          settings,
          path,
          'invalidValue',
          `Text must not contain U+0000 or an unpaired UTF-16 surrogate (found at index ${at})`,
        );
        return UNASSIGNED;
      }
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
  const exact = exactNames(lookup);
  if (value && !subs && spelledExactly(value, exact))
    return checkExactComplex(definition, value, exact, path, settings);
  const collected = new Map<AttributeDefinition, unknown>();
  if (value) {
    for (const key of Object.keys(value)) {
      const raw = value[key];
      const sub = exact.get(key) ?? lookup.get(key.toLowerCase());
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

/** Whether every key of `value` is a sub-attribute's own spelling (as in any normalised value). */
function spelledExactly(
  value: Record<string, unknown>,
  exact: ReadonlyMap<string, AttributeDefinition>,
): boolean {
  for (const key in value) if (!exact.has(key)) return false;
  return true;
}

/**
 * {@link checkComplex} of a value whose keys all spell sub-attributes exactly, and without flat
 * sub-attributes: each key names a different sub-attribute, so it is read by name in schema
 * order, without collecting the keys into a map first. Same checks, same output.
 */
function checkExactComplex(
  definition: AttributeDefinition,
  value: Record<string, unknown>,
  exact: ReadonlyMap<string, AttributeDefinition>,
  path: string,
  settings: Settings,
): Checked {
  const out: Record<string, unknown> = {};
  let assigned = false;
  const subAttributes = definition.subAttributes ?? [];
  for (const sub of subAttributes) {
    // A sub-attribute another one of the same name shadows is never read (as in checkComplex).
    if (!Object.hasOwn(value, sub.name) || exact.get(sub.name) !== sub) continue;
    const raw = value[sub.name];
    if (raw === null || raw === undefined) continue;
    if (sub.mutability === 'readOnly' && dropsReadOnly(settings)) continue;
    if (sub.mutability === 'writeOnly' && settings.context === 'response') continue;
    const checked = checkAttribute(sub, raw, undefined, `${path}.${sub.name}`, settings);
    if (checked === UNASSIGNED) continue;
    setOwn(out, sub.name, checked);
    assigned = true;
  }
  checkRequired(subAttributes, out, path ? `${path}.` : '', settings);
  return assigned ? out : UNASSIGNED;
}

/** Checks one attribute value (single or multi-valued, simple or complex). */
export function checkAttribute(
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
export function checkRequired(
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
