/**
 * Normalising request values against their definitions before they are written: schema casing
 * for sub-attribute names, type checks and conversions, the compatibility shapes IdPs send, and
 * size bounds. A value that needs no change comes back as is (no copy); JSON `null` comes back
 * as {@link UNASSIGNED}, also inside complex values (see `compact`), and nothing else does:
 * callers test the value for `null`, which V8 does inline, where a comparison with the
 * imported symbol is a builtin call.
 */
import { isDateTime } from '@scimkit/filter/internal';
import type { AttributeDefinition } from '@scimkit/schema';
import { UNASSIGNED } from '@scimkit/schema/internal';
import { subAttributesNamed, valueSubAttribute } from './schema-index.js';
import type { Context } from './session.js';
import { compact, copyKeys, describeValue, isObject, type JsonObject, ownValues } from './values.js';

/**
 * A whole attribute value: a list for a multi-valued attribute (a single value becomes a list of
 * one). A request list that needs no change is returned itself: callers must not write to it.
 */
export function normalizeValue(
  context: Context,
  definition: AttributeDefinition,
  value: unknown,
  label: string,
): unknown {
  if (value === null) return UNASSIGNED;
  return definition.multiValued
    ? normalizeList(context, definition, value, label)
    : normalizeOne(context, definition, value, label, false);
}

/** One value of a multi-valued attribute (or the value of a single-valued one). */
export function normalizeElement(
  context: Context,
  definition: AttributeDefinition,
  value: unknown,
  label: string,
): unknown {
  return value === null ? UNASSIGNED : normalizeOne(context, definition, value, label, false);
}

/** The value of sub-attribute `sub` of the complex attribute that errors name `parentLabel`. */
export function normalizeSub(
  context: Context,
  sub: AttributeDefinition,
  value: unknown,
  parentLabel: string,
): unknown {
  if (value === null) return UNASSIGNED;
  return sub.multiValued
    ? normalizeList(context, sub, value, parentLabel)
    : normalizeOne(context, sub, value, parentLabel, true);
}

function normalizeList(
  context: Context,
  definition: AttributeDefinition,
  value: unknown,
  label: string,
): unknown[] {
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (context.options.compat.singleValueAsArray) list = [value];
  else return context.fail('invalidValue', `"${label}" is multi-valued and expects a list of values`);
  if (list.length > context.options.maxValues) {
    context.fail(
      'invalidValue',
      `"${label}" has ${list.length} values, at most ${context.options.maxValues} are accepted`,
    );
  }
  const complex = definition.type === 'complex';
  // Made at the first value that needs a change: a list that needs none comes back as is.
  let result: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const element = list[i];
    let normalized = normalizeElement(context, definition, element, label);
    // A complex value that comes back as is has no null sub-attribute to drop.
    if (complex && element !== null && normalized !== element) normalized = compact(normalized);
    if (result === undefined) {
      if (normalized === element) continue;
      result = list.slice(0, i);
    }
    if (element !== null) result.push(normalized);
  }
  return result ?? list;
}

/**
 * One non-null value. `label` names it in errors; with `parent`, `label` is the parent's and the
 * name `parent.sub` is built only when an error needs it (sub-attributes are many, errors rare).
 */
function normalizeOne(
  context: Context,
  definition: AttributeDefinition,
  value: unknown,
  label: string,
  parent: boolean,
): unknown {
  if (definition.type === 'complex')
    return normalizeComplex(context, definition, value, parent ? `${label}.${definition.name}` : label);
  return normalizeSimple(context, definition, value, label, parent);
}

/** A complex value, named `name` in errors: its sub-attributes normalised. */
function normalizeComplex(
  context: Context,
  definition: AttributeDefinition,
  given: unknown,
  name: string,
): unknown {
  const value = complexObject(context, definition, given, name);
  // Copy only when something differs (another casing, a converted or skipped value, a
  // foreign prototype): IdPs usually send values that are already right.
  let result: JsonObject | undefined = Object.getPrototypeOf(value) === Object.prototype ? undefined : {};
  const keys = Object.keys(value);
  const items = ownValues(value, keys);
  const subs = subAttributesNamed(definition, keys);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = items[i];
    if (item === undefined) {
      result ??= copyKeys(value, keys, i);
      continue;
    }
    const sub = subs[i];
    if (sub === undefined) {
      context.unknown(`${name}.${key}`, `unknown sub-attribute "${key}" of "${name}"`);
      result ??= copyKeys(value, keys, i);
      continue;
    }
    const normalized = normalizeSub(context, sub, item, name);
    if (result === undefined && (normalized !== item || sub.name !== key)) result = copyKeys(value, keys, i);
    if (result !== undefined) result[sub.name] = normalized;
  }
  return result ?? value;
}

/**
 * The object of sub-attributes a complex value stands for (a list of one object, or a bare
 * string for its `value`, under the compatibility switches); fails when there is none.
 */
export function complexObject(
  context: Context,
  definition: AttributeDefinition,
  value: unknown,
  name: string,
): JsonObject {
  if (Array.isArray(value) && value.length === 1 && context.options.compat.singleValueAsArray)
    value = value[0];
  if (
    typeof value === 'string' &&
    (definition.multiValued
      ? context.options.compat.stringAsValue
      : context.options.compat.managerAsString) &&
    valueSubAttribute(definition)
  ) {
    value = { value };
  }
  if (!isObject(value)) return context.fail('invalidValue', `"${name}" expects an object of sub-attributes`);
  return value;
}

/**
 * A simple (not complex) value: checked against the type, converted where a compatibility
 * switch allows it. `label` and `parent` as for {@link normalizeOne}.
 */
function normalizeSimple(
  context: Context,
  definition: AttributeDefinition,
  value: unknown,
  label: string,
  parent: boolean,
): unknown {
  switch (definition.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && context.options.compat.stringBooleans) {
        const lower = value.toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
      }
      return invalid(context, definition, value, parent ? `${label}.${definition.name}` : label);
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      return invalid(context, definition, value, parent ? `${label}.${definition.name}` : label);
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      return invalid(context, definition, value, parent ? `${label}.${definition.name}` : label);
    default:
      if (
        typeof value === 'string' &&
        value.length <= context.options.maxStringLength &&
        (definition.type !== 'dateTime' || isDateTime(value))
      ) {
        return value;
      }
      return invalid(context, definition, value, parent ? `${label}.${definition.name}` : label);
  }
}

/** Fails with the reason `value` does not fit a simple attribute's definition; `name` names it. */
function invalid(context: Context, definition: AttributeDefinition, value: unknown, name: string): never {
  const found = describeValue(value);
  switch (definition.type) {
    case 'boolean':
      return context.fail('invalidValue', `"${name}" expects a boolean, found ${found}`);
    case 'integer':
      return context.fail('invalidValue', `"${name}" expects an integer, found ${found}`);
    case 'decimal':
      return context.fail('invalidValue', `"${name}" expects a number, found ${found}`);
  }
  if (typeof value !== 'string')
    return context.fail('invalidValue', `"${name}" expects a string, found ${found}`);
  if (value.length > context.options.maxStringLength) {
    return context.fail(
      'invalidValue',
      `"${name}" is longer than ${context.options.maxStringLength} characters`,
    );
  }
  return context.fail('invalidValue', `"${name}" expects an xsd:dateTime, found ${JSON.stringify(value)}`);
}
