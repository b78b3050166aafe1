/**
 * Resolving PATCH paths to the schema entry, attribute, sub-attribute and compiled value filter
 * they name, with a bounded cache per resource type: IdPs repeat the same few paths.
 */
import { type Filter, isFilterSyntaxError, parsePath } from '@scimkit/filter';
import type { AttributeDefinition } from '@scimkit/schema';
import {
  attributeLabel,
  attributeOf,
  RecentAnswers,
  type SchemaEntry,
  splitUrn,
  subAttributeOf,
  type TypeIndex,
  valueSubAttribute,
} from './schema-index.js';
import type { Context } from './session.js';
import {
  compileValueFilter,
  ValueFilterPathError,
  type ValuePredicate,
  valueEqualityKey,
} from './value-filter.js';
import { simpleKey } from './values.js';

/** What a path resolved to. */
export interface Target {
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
  /**
   * The attribute's name in errors and deltas (`urn:…:department` for extension attributes) and
   * the sub-attribute's (`name.givenName`), made once with a cached path; built when absent.
   */
  label?: string;
  subLabel?: string;
}

/** Resolved paths per resource type, [lenient, strict]; shared and never mutated. */
const targetCache = new WeakMap<TypeIndex, [Map<string, Target>, Map<string, Target>]>();
const MAX_CACHED_PATHS = 1024;
/** The caches of the previous lookup (operations of one request share their resource type). */
let lastIndex: TypeIndex | undefined;
let lastCaches: [Map<string, Target>, Map<string, Target>] | undefined;
const MAX_CACHED_PATH_LENGTH = 512;

/** A target with its attribute (every path but an extension URN alone). */
export type AttributeTarget = Target & { attribute: AttributeDefinition };

/** Resolves a path, through a bounded cache of resolved paths per resource type and mode. */
export function resolvePath(context: Context, text: string): Target {
  let byMode = context.index === lastIndex ? lastCaches : targetCache.get(context.index);
  if (!byMode) {
    byMode = [new Map(), new Map()];
    targetCache.set(context.index, byMode);
  }
  lastIndex = context.index;
  lastCaches = byMode;
  const cache = byMode[context.options.strict ? 1 : 0];
  const hit = cache.get(text);
  if (hit) return hit;
  const target = resolveUncached(context, text);
  if (text.length <= MAX_CACHED_PATH_LENGTH) {
    if (cache.size >= MAX_CACHED_PATHS) cache.clear();
    cache.set(text, target);
  }
  return target;
}

function resolveUncached(context: Context, text: string): Target {
  let entry = context.index.core;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const split = splitUrn(context.index, text);
    if (!split) return context.fail('invalidPath', `unknown schema in path (known: ${knownUrns(context)})`);
    if (split.rest === '') {
      if (split.entry.core) return context.fail('invalidPath', 'the core schema URN alone is not a path');
      return { entry: split.entry, filtered: false };
    }
    entry = split.entry;
    rest = split.rest;
  }
  let parsed: ReturnType<typeof parsePath>;
  try {
    parsed = parsePath(rest, { lenient: !context.options.strict });
  } catch (error) {
    if (isFilterSyntaxError(error)) return context.fail('invalidPath', error.message);
    throw error;
  }
  if (parsed.path.schema !== undefined)
    return context.fail('invalidPath', `unknown schema "${parsed.path.schema}"`);
  const attribute = attributeOf(entry, parsed.path.attribute);
  if (!attribute) return context.fail('invalidPath', `unknown attribute "${parsed.path.attribute}"`);
  if (attribute.name === 'schemas')
    return context.fail('invalidPath', '"schemas" is maintained by the server');
  const subName = parsed.path.subAttribute ?? parsed.subAttribute;
  let subAttribute: AttributeDefinition | undefined;
  if (subName !== undefined) {
    subAttribute = attribute.type === 'complex' ? subAttributeOf(attribute, subName) : undefined;
    if (!subAttribute)
      return context.fail('invalidPath', `unknown sub-attribute "${subName}" of "${attribute.name}"`);
  }
  const label = attributeLabel(entry, attribute);
  const labels = subAttribute ? { label, subLabel: `${label}.${subAttribute.name}` } : { label };
  const filter = parsed.valueFilter;
  if (!filter)
    return { entry, attribute, ...(subAttribute ? { subAttribute } : {}), filtered: false, ...labels };
  if (!attribute.multiValued) {
    return context.fail('invalidPath', `"${attribute.name}" is single-valued and cannot take a value filter`);
  }
  let predicate: ValuePredicate;
  try {
    predicate = compileValueFilter(attribute, filter);
  } catch (error) {
    if (error instanceof ValueFilterPathError) return context.fail('invalidPath', error.message);
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
    ...labels,
  };
}

function knownUrns(context: Context): string {
  return [...context.index.schemas.values()].map((entry) => entry.schema.id).join(', ');
}

/** The targets {@link attributeTargets} gave for the last keys of path-less values. */
const recentTargets = new RecentAnswers<readonly (AttributeTarget | undefined)[]>();

/**
 * The targets of the keys of a path-less add/replace value that name attributes of `entry` (in
 * any casing), in their order; undefined for the other keys. Shared and never mutated, as the
 * targets of cached paths, and remembered for the last two lists of keys (see
 * {@link RecentAnswers}): no map lookup and no new target per key.
 */
export function attributeTargets(
  entry: SchemaEntry,
  keys: readonly string[],
): readonly (AttributeTarget | undefined)[] {
  const known = recentTargets.find(entry, keys);
  if (known) return known;
  const targets = keys.map((key) => {
    const attribute = attributeOf(entry, key);
    return attribute && { entry, attribute, filtered: false, label: attributeLabel(entry, attribute) };
  });
  return recentTargets.remember(entry, keys, targets);
}

/**
 * The target of a key of a path-less add/replace value that is no attribute name: an attribute
 * path such as `name.givenName` or (with `allowUrn`, at the top level)
 * `urn:…:enterprise:2.0:User:department`, as Entra ID sends them (`compat.pathKeysInValue`);
 * undefined for an unknown attribute skipped under `compat.ignoreUnknownAttributes`.
 */
export function resolveValueKey(
  context: Context,
  entry: SchemaEntry,
  key: string,
  allowUrn: boolean,
): AttributeTarget | undefined {
  let targetEntry = entry;
  let name = key;
  const unknown = (): undefined => {
    context.unknown(entry.core ? key : `${entry.schema.id}:${key}`, `unknown attribute "${key}"`);
    return undefined;
  };
  if (/^urn:/i.test(key)) {
    const split = allowUrn ? splitUrn(context.index, key) : undefined;
    if (!split || split.rest === '') return unknown();
    if (!context.options.compat.pathKeysInValue) {
      context.fail('invalidPath', `"${key}" is a path; nest it under its schema URN instead`);
    }
    targetEntry = split.entry;
    name = split.rest;
  }
  const dot = name.indexOf('.');
  if (dot >= 0) {
    if (!context.options.compat.pathKeysInValue) context.fail('invalidPath', `unknown attribute "${key}"`);
    const attribute = attributeOf(targetEntry, name.slice(0, dot));
    const subAttribute =
      attribute?.type === 'complex' ? subAttributeOf(attribute, name.slice(dot + 1)) : undefined;
    if (!attribute || !subAttribute) return unknown();
    return { entry: targetEntry, attribute, subAttribute, filtered: false };
  }
  const attribute = attributeOf(targetEntry, name);
  if (!attribute) return unknown();
  return { entry: targetEntry, attribute, filtered: false };
}
