import type { AttributeDefinition, ScimResource } from '@scimkit/schema';
import { resolveAttribute } from '@scimkit/schema';
import type { StoreResourceType } from '@scimkit/server';
import { canonicalAttributePath } from '@scimkit/sql';

/** One attribute whose values go to the `attribute_values` side table. */
export interface IndexedPath {
  /** Canonical path: `userName`, `emails.value`, `urn:…:User:employeeNumber`. */
  path: string;
  /** Whether values are stored as written (else lower-cased). */
  caseExact: boolean;
  /** `server`, `global`, or undefined when only indexed for lookups. */
  uniqueness: 'server' | 'global' | undefined;
  /** Where the values are: `[extension?, attribute]` then an optional sub-attribute name. */
  holder: string | undefined;
  /** The attribute's canonical name. */
  attribute: string;
  /** Whether the attribute holds a list (values must then be an array, as the SQL reads them). */
  multiValued: boolean;
  /** The sub-attribute's canonical name, if the values are a sub-attribute's. */
  sub: string | undefined;
}

/** How a resource type is laid out in the database. */
export interface TypeLayout {
  /** The resource type. */
  type: StoreResourceType;
  /** The multi-valued attribute kept in the `members` table, if any. */
  childAttribute: string | undefined;
  /** Attributes indexed in `attribute_values`, by canonical path. */
  indexed: Map<string, IndexedPath>;
  /** A stable text of `indexed`, to notice configuration changes. */
  signature: string;
}

const STRINGISH = new Set(['string', 'reference', 'binary']);

/** Attributes indexed for every type when present (Entra ID and Okta look them up). */
export const DEFAULT_INDEXED = ['userName', 'externalId', 'emails.value', 'displayName'] as const;

function isMembers(attribute: AttributeDefinition): boolean {
  return (
    attribute.name === 'members' &&
    attribute.type === 'complex' &&
    attribute.multiValued &&
    (attribute.subAttributes ?? []).some((sub) => sub.name === 'value')
  );
}

/** Builds the layout of a resource type: which attribute is a child table, which are indexed. */
export function layoutOf(type: StoreResourceType, extra: readonly string[] = []): TypeLayout {
  const childAttribute = type.schema.attributes.find(isMembers)?.name;
  const indexed = new Map<string, IndexedPath>();
  const add = (path: string, force: boolean) => {
    const resolved = resolveAttribute(type, { attribute: path });
    if (!resolved) {
      if (force) throw new TypeError(`indexedAttributes: ${type.name} has no attribute "${path}".`);
      return;
    }
    const { attribute, subAttribute } = resolved;
    if (attribute.name === childAttribute && resolved.schema.id === type.schema.id) return;
    if (attribute.name === 'id' && resolved.schema.id === type.schema.id) return;
    const definition =
      subAttribute ??
      (attribute.type === 'complex' ? attribute.subAttributes?.find((s) => s.name === 'value') : attribute);
    if (!definition || !STRINGISH.has(definition.type)) {
      if (force)
        throw new TypeError(`indexedAttributes: "${path}" of ${type.name} is not a string attribute.`);
      return;
    }
    const canonical =
      subAttribute || attribute.type !== 'complex'
        ? canonicalAttributePath(type, resolved)
        : `${canonicalAttributePath(type, resolved)}.${definition.name}`;
    const uniqueness =
      definition.uniqueness === 'server' || definition.uniqueness === 'global'
        ? definition.uniqueness
        : attribute.uniqueness === 'server' || attribute.uniqueness === 'global'
          ? attribute.uniqueness
          : undefined;
    indexed.set(canonical, {
      path: canonical,
      caseExact: definition.caseExact ?? false,
      uniqueness,
      holder: resolved.schema.id === type.schema.id ? undefined : resolved.schema.id,
      attribute: attribute.name,
      multiValued: attribute.multiValued,
      sub: definition === attribute ? undefined : definition.name,
    });
  };
  const schemas = [type.schema, ...type.extensions.map((extension) => extension.schema)];
  for (const schema of schemas) {
    const prefix = schema.id === type.schema.id ? '' : `${schema.id}:`;
    for (const attribute of schema.attributes) {
      if (attribute.uniqueness === 'server' || attribute.uniqueness === 'global')
        add(prefix + attribute.name, false);
      for (const sub of attribute.subAttributes ?? []) {
        if (sub.uniqueness === 'server' || sub.uniqueness === 'global')
          add(`${prefix}${attribute.name}.${sub.name}`, false);
      }
    }
  }
  for (const path of DEFAULT_INDEXED) add(path, false);
  for (const path of extra) add(path, true);
  const signature = JSON.stringify(
    [...indexed.values()]
      .map((entry) => [entry.path, entry.caseExact, entry.uniqueness ?? null])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
  return { type, childAttribute, indexed, signature };
}

function own(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The normalised string values of an indexed attribute in a resource (deduplicated). */
export function indexedValues(resource: ScimResource, entry: IndexedPath): string[] {
  const holder = entry.holder === undefined ? resource : own(resource, entry.holder);
  const raw = own(holder, entry.attribute);
  // Read exactly as the SQL translation does: a list only for multi-valued attributes.
  const list = entry.multiValued ? (Array.isArray(raw) ? raw : []) : Array.isArray(raw) ? [] : [raw];
  const values = new Set<string>();
  for (const item of list) {
    const value = entry.sub === undefined ? item : own(item, entry.sub);
    if (typeof value === 'string') values.add(entry.caseExact ? value : value.toLowerCase());
  }
  return [...values];
}
