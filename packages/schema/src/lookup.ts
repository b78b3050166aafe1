import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './definition.js';
import { commonAttributes } from './definitions.js';

/** One schema of a resource type, as the lookup index holds it. @internal */
export interface IndexedSchema {
  /** The definition. */
  schema: SchemaDefinition;
  /** Whether this is the resource type's core schema. */
  core: boolean;
  /** Whether resources must carry it (always true for the core schema). */
  required: boolean;
  /** Attributes by lower-cased name (the core schema's map includes `id`, `externalId`, `meta`). */
  attributes: ReadonlyMap<string, AttributeDefinition>;
}

/** Per-resource-type lookup tables, built once and cached. @internal */
export interface ResourceTypeIndex {
  /** The resource type. */
  resourceType: ResourceTypeDefinition;
  /** The core schema entry. */
  core: IndexedSchema;
  /** Extension entries, in declaration order. */
  extensions: readonly IndexedSchema[];
  /** Every schema (core first) by lower-cased URN. */
  schemas: ReadonlyMap<string, IndexedSchema>;
}

const attributeMaps = new WeakMap<readonly AttributeDefinition[], Map<string, AttributeDefinition>>();

/** Attributes by lower-cased name; cached per attribute list. @internal */
export function attributeMap(list: readonly AttributeDefinition[]): ReadonlyMap<string, AttributeDefinition> {
  let map = attributeMaps.get(list);
  if (!map) {
    map = new Map();
    for (const definition of list) map.set(definition.name.toLowerCase(), definition);
    attributeMaps.set(list, map);
  }
  return map;
}

const exactMaps = new WeakMap<ReadonlyMap<string, AttributeDefinition>, Map<string, AttributeDefinition>>();

/**
 * A map of attributes by lower-cased name, keyed instead by each attribute's own spelling and
 * resolving to what its lower-cased name resolves to: a key spelt as in the schema (as every
 * normalised or stored resource spells it) is found without lower-casing it first, which costs
 * a string per key. Look up `exact.get(key) ?? map.get(key.toLowerCase())`. @internal
 */
export function exactNames(
  map: ReadonlyMap<string, AttributeDefinition>,
): ReadonlyMap<string, AttributeDefinition> {
  let exact = exactMaps.get(map);
  if (!exact) {
    exact = new Map();
    for (const definition of map.values()) exact.set(definition.name, definition);
    exactMaps.set(map, exact);
  }
  return exact;
}

const EMPTY: readonly AttributeDefinition[] = [];

/**
 * Whether `attribute` is a Group-style `members` list (multi-valued complex with a `value`),
 * whose values stores keep as rows of their own and servers answer `User.groups` from. @internal
 */
export function isMembersAttribute(attribute: AttributeDefinition): boolean {
  return (
    attribute.name === 'members' &&
    attribute.type === 'complex' &&
    attribute.multiValued &&
    (attribute.subAttributes ?? []).some((sub) => sub.name === 'value')
  );
}

/** Sub-attributes of a complex attribute by lower-cased name (empty for simple attributes). @internal */
export function subAttributeMap(definition: AttributeDefinition): ReadonlyMap<string, AttributeDefinition> {
  return attributeMap(definition.subAttributes ?? EMPTY);
}

const indexes = new WeakMap<ResourceTypeDefinition, ResourceTypeIndex>();

/** The lookup index of a resource type, built on first use and cached in a WeakMap. @internal */
export function indexResourceType(resourceType: ResourceTypeDefinition): ResourceTypeIndex {
  let index = indexes.get(resourceType);
  if (index) return index;
  const coreAttributes = new Map<string, AttributeDefinition>();
  for (const definition of commonAttributes) coreAttributes.set(definition.name.toLowerCase(), definition);
  for (const definition of resourceType.schema.attributes) {
    coreAttributes.set(definition.name.toLowerCase(), definition);
  }
  const core: IndexedSchema = {
    schema: resourceType.schema,
    core: true,
    required: true,
    attributes: coreAttributes,
  };
  const schemas = new Map<string, IndexedSchema>([[resourceType.schema.id.toLowerCase(), core]]);
  const extensions: IndexedSchema[] = [];
  for (const extension of resourceType.extensions) {
    const entry: IndexedSchema = {
      schema: extension.schema,
      core: false,
      required: extension.required,
      attributes: attributeMap(extension.schema.attributes),
    };
    extensions.push(entry);
    if (!schemas.has(extension.schema.id.toLowerCase()))
      schemas.set(extension.schema.id.toLowerCase(), entry);
  }
  index = { resourceType, core, extensions, schemas };
  indexes.set(resourceType, index);
  return index;
}

/**
 * Splits a fully qualified name (`urn:…:User:userName`, `urn:…:enterprise:2.0:User:manager.value`)
 * into the schema it names and the rest. Returns undefined when no schema of the resource type
 * is a prefix. The longest matching URN wins.
 * @internal
 */
export function splitQualifiedName(
  index: ResourceTypeIndex,
  name: string,
): { entry: IndexedSchema; rest: string } | undefined {
  if (name.length < 5 || name.slice(0, 4).toLowerCase() !== 'urn:') return undefined;
  const lower = name.toLowerCase();
  let best: { entry: IndexedSchema; rest: string } | undefined;
  let bestLength = -1;
  for (const [urn, entry] of index.schemas) {
    if (
      urn.length > bestLength &&
      lower.length > urn.length + 1 &&
      lower.startsWith(urn) &&
      lower[urn.length] === ':'
    ) {
      best = { entry, rest: name.slice(urn.length + 1) };
      bestLength = urn.length;
    }
  }
  return best;
}

/** An attribute reference to resolve: the shape of the filter package's `AttributePath`. */
export interface AttributeReference {
  /** The schema URN, if the path was qualified. */
  schema?: string;
  /** The attribute name; a fully qualified `urn:…:name` or a dotted `name.sub` is accepted too. */
  attribute: string;
  /** The sub-attribute name, if any. */
  subAttribute?: string;
}

/** What {@link resolveAttribute} found: the schema, the attribute and the sub-attribute. */
export interface ResolvedAttribute {
  /** The schema that defines the attribute (the core schema for `id`, `externalId`, `meta`). */
  schema: SchemaDefinition;
  /** The attribute definition (its `name` is the canonical casing). */
  attribute: AttributeDefinition;
  /** The sub-attribute definition, when one was asked for. */
  subAttribute?: AttributeDefinition;
}

/**
 * Resolves an attribute path against a resource type: names and URNs match
 * case-insensitively, unqualified names refer to the core schema (RFC 7644 section 3.10), and
 * fully qualified names (`urn:ietf:params:scim:schemas:core:2.0:User:userName`) are accepted
 * in `attribute` too. Returns undefined when nothing matches (never an inherited property:
 * `__proto__`, `toString` and friends are simply unknown).
 *
 * @example
 * ```ts
 * import { resolveAttribute, userResourceType } from '@scimkit/schema';
 *
 * resolveAttribute(userResourceType, { attribute: 'EMAILS', subAttribute: 'Value' });
 * // → { schema: userDefinition, attribute: <emails>, subAttribute: <emails.value> }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.10
 */
export function resolveAttribute(
  resourceType: ResourceTypeDefinition,
  reference: AttributeReference,
): ResolvedAttribute | undefined {
  const found = resolveInIndex(indexResourceType(resourceType), reference);
  if (!found) return undefined;
  return found.subAttribute
    ? { schema: found.entry.schema, attribute: found.attribute, subAttribute: found.subAttribute }
    : { schema: found.entry.schema, attribute: found.attribute };
}

/** {@link resolveAttribute} on an index, returning the index entry of the schema. */
export function resolveInIndex(
  index: ResourceTypeIndex,
  reference: AttributeReference,
): { entry: IndexedSchema; attribute: AttributeDefinition; subAttribute?: AttributeDefinition } | undefined {
  let entry: IndexedSchema | undefined;
  let name = reference.attribute;
  if (typeof name !== 'string') return undefined;
  if (reference.schema !== undefined) {
    entry = index.schemas.get(reference.schema.toLowerCase());
  } else {
    const split = splitQualifiedName(index, name);
    if (split) {
      entry = split.entry;
      name = split.rest;
    } else {
      entry = index.core;
    }
  }
  if (!entry) return undefined;
  let subName = reference.subAttribute;
  let definition = entry.attributes.get(name.toLowerCase());
  if (!definition && subName === undefined) {
    const dot = name.indexOf('.');
    if (dot > 0) {
      subName = name.slice(dot + 1);
      definition = entry.attributes.get(name.slice(0, dot).toLowerCase());
    }
  }
  if (!definition) return undefined;
  if (subName === undefined) return { entry, attribute: definition };
  const subAttribute = subAttributeMap(definition).get(subName.toLowerCase());
  if (!subAttribute) return undefined;
  return { entry, attribute: definition, subAttribute };
}
