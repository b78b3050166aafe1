import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '@scimkit/schema';
import { resolveAttribute } from '@scimkit/schema';

/** One schema of a resource type: the core schema or an extension. */
export interface SchemaEntry {
  /** The definition. */
  schema: SchemaDefinition;
  /** The URN in schema casing. */
  urn: string;
  /** Whether this is an extension (its attributes live in an object keyed by the URN). */
  extension: boolean;
  /** Attributes found so far, by the name as written (a bounded cache in front of `resolveAttribute`). */
  names: Map<string, AttributeDefinition>;
}

/** Most names remembered per schema (a client may write every casing of every name). */
const MAX_CACHED_NAMES = 1024;

/** Lookup tables of a resource type, built once per definition object. */
export interface TypeIndex {
  resourceType: ResourceTypeDefinition;
  core: SchemaEntry;
  extensions: readonly SchemaEntry[];
  /** Every schema by lower-cased URN. */
  byUrn: ReadonlyMap<string, SchemaEntry>;
}

const typeIndexes = new WeakMap<ResourceTypeDefinition, TypeIndex>();

/** The (cached) lookup tables of `resourceType`. */
export function indexType(resourceType: ResourceTypeDefinition): TypeIndex {
  let index = typeIndexes.get(resourceType);
  if (index) return index;
  const core: SchemaEntry = {
    schema: resourceType.schema,
    urn: resourceType.schema.id,
    extension: false,
    names: new Map(),
  };
  const byUrn = new Map<string, SchemaEntry>([[core.urn.toLowerCase(), core]]);
  const extensions: SchemaEntry[] = [];
  for (const { schema } of resourceType.extensions) {
    const entry: SchemaEntry = { schema, urn: schema.id, extension: true, names: new Map() };
    extensions.push(entry);
    if (!byUrn.has(entry.urn.toLowerCase())) byUrn.set(entry.urn.toLowerCase(), entry);
  }
  index = { resourceType, core, extensions, byUrn };
  typeIndexes.set(resourceType, index);
  return index;
}

/** A top-level attribute of `entry` by name (case-insensitive; `id`, `externalId`, `meta` in the core schema). */
export function attributeOf(
  index: TypeIndex,
  entry: SchemaEntry,
  name: string,
): AttributeDefinition | undefined {
  const known = entry.names.get(name);
  if (known) return known;
  if (name.includes('.') || name.includes(':')) return undefined;
  const found = resolveAttribute(index.resourceType, { schema: entry.urn, attribute: name })?.attribute;
  if (found && entry.names.size < MAX_CACHED_NAMES) entry.names.set(name, found);
  return found;
}

const subAttributeMaps = new WeakMap<AttributeDefinition, Map<string, AttributeDefinition>>();

/** A sub-attribute of a complex attribute by name (case-insensitive), never an inherited property. */
export function subAttributeOf(
  attribute: AttributeDefinition,
  name: string,
): AttributeDefinition | undefined {
  let map = subAttributeMaps.get(attribute);
  if (!map) {
    map = new Map();
    for (const sub of attribute.subAttributes ?? []) map.set(sub.name.toLowerCase(), sub);
    for (const sub of attribute.subAttributes ?? []) map.set(sub.name, sub);
    subAttributeMaps.set(attribute, map);
  }
  return map.get(name) ?? map.get(name.toLowerCase());
}

/**
 * Splits `urn:…:User:manager.value` into the schema it names and the rest (`manager.value`);
 * the rest is empty when the text is the URN itself. The longest known URN wins, so colons in
 * filter values or in versioned URNs never mis-split. Undefined when no known URN is a prefix.
 */
export function splitUrn(index: TypeIndex, text: string): { entry: SchemaEntry; rest: string } | undefined {
  const lower = text.toLowerCase();
  let best: { entry: SchemaEntry; rest: string } | undefined;
  let bestLength = -1;
  for (const [urn, entry] of index.byUrn) {
    if (urn.length <= bestLength || !lower.startsWith(urn)) continue;
    if (lower.length === urn.length) best = { entry, rest: '' };
    else if (lower[urn.length] === ':') best = { entry, rest: text.slice(urn.length + 1) };
    else continue;
    bestLength = urn.length;
  }
  return best;
}

/** The sub-attribute named `value` of a complex attribute, if it has one. */
export function valueSubAttribute(attribute: AttributeDefinition): AttributeDefinition | undefined {
  return attribute.type === 'complex' ? subAttributeOf(attribute, 'value') : undefined;
}

/** Whether a multi-valued complex attribute has a `primary` sub-attribute. */
export function hasPrimary(attribute: AttributeDefinition): boolean {
  return attribute.type === 'complex' && subAttributeOf(attribute, 'primary')?.type === 'boolean';
}
