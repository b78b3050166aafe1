import { compileFilter, type Filter } from '@scimkit/filter';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '@scimkit/schema';
import { indexResourceType, isMembersAttribute } from '@scimkit/schema/internal';

/** What the server knows of one resource type, compiled once (never per request). */
export interface TypeInfo {
  /** The definition as configured. */
  readonly definition: ResourceTypeDefinition;
  /** `User`, `Group`, … */
  readonly name: string;
  /** `/Users`, … */
  readonly endpoint: string;
  /** The core schema URN. */
  readonly schemaUrn: string;
  /** Every schema of the type: core first, then extensions. */
  readonly schemas: readonly SchemaDefinition[];
  /** Lower-cased URN → schema. */
  readonly schemaByUrn: ReadonlyMap<string, SchemaDefinition>;
  /** Lower-cased core attribute name → definition (common attributes included). */
  readonly coreAttributes: ReadonlyMap<string, AttributeDefinition>;
  /** Lower-cased extension URN → lower-cased attribute name → definition. */
  readonly extensionAttributes: ReadonlyMap<string, ReadonlyMap<string, AttributeDefinition>>;
  /** Attributes and sub-attributes with `uniqueness` server or global (core and extensions), as stores index them. */
  readonly uniqueAttributes: readonly UniqueAttribute[];
  /** Top-level `writeOnly` attributes such as `password` (core and extensions). */
  readonly writeOnlyAttributes: readonly AttributeLocation[];
  /** Whether this type has the read-only `groups` attribute computed from membership (User). */
  readonly hasComputedGroups: boolean;
  /** Whether this type has a `members` attribute (Group). */
  readonly hasMembers: boolean;
  /** Whether this type has a boolean `active` attribute. */
  readonly hasActive: boolean;
}

/** Where a top-level attribute lives in a resource. */
export interface AttributeLocation {
  /** Extension URN in schema casing, absent for core attributes. */
  readonly extension?: string;
  /** Attribute name in schema casing. */
  readonly name: string;
}

/**
 * A value that must be unique (`uniqueness: server|global`): a simple attribute, or a
 * sub-attribute of a complex one (each value of a multi-valued attribute counts).
 */
export interface UniqueAttribute extends AttributeLocation {
  /** The sub-attribute holding the values, for complex attributes. */
  readonly sub?: string;
  /** Canonical path (`userName`, `emails.value`, `urn:…:User:employeeNumber`): global uniqueness compares it across types. */
  readonly path: string;
  /** Whether the attribute holds a list. */
  readonly multiValued: boolean;
  /** Whether comparisons are case-sensitive. */
  readonly caseExact: boolean;
  /** `server`: unique among the type's resources; `global`: among every resource of the tenant. */
  readonly scope: 'server' | 'global';
}

/**
 * Compiles a resource type definition into the lookups the server and stores use, on top of
 * @scimkit/schema's cached index (common attributes included).
 */
function compileType(definition: ResourceTypeDefinition): TypeInfo {
  const index = indexResourceType(definition);
  const coreAttributes = index.core.attributes;
  const schemas = [definition.schema, ...definition.extensions.map((extension) => extension.schema)];
  const schemaByUrn = new Map([...index.schemas].map(([urn, entry]) => [urn, entry.schema] as const));
  const extensionAttributes = new Map(
    index.extensions.map((entry) => [entry.schema.id.toLowerCase(), entry.attributes] as const),
  );
  const uniqueAttributes: UniqueAttribute[] = [];
  const writeOnlyAttributes: AttributeLocation[] = [];
  const scopeOf = (attribute: AttributeDefinition) =>
    attribute.uniqueness === 'server' || attribute.uniqueness === 'global' ? attribute.uniqueness : undefined;
  for (const entry of [index.core, ...index.extensions]) {
    const extension = entry.core ? undefined : entry.schema.id;
    const at = extension ? { extension } : {};
    for (const attribute of entry.schema.attributes) {
      if (attribute.mutability === 'writeOnly') writeOnlyAttributes.push({ name: attribute.name, ...at });
      // `id` is unique by construction; `members` holds references, never unique values.
      if (entry.core && (attribute.name === 'id' || isMembersAttribute(attribute))) continue;
      const prefix = extension ? `${extension}:` : '';
      const scope = scopeOf(attribute);
      if (scope && attribute.type !== 'complex') {
        uniqueAttributes.push({
          ...at,
          name: attribute.name,
          path: prefix + attribute.name,
          multiValued: attribute.multiValued,
          caseExact: attribute.caseExact === true,
          scope,
        });
      }
      for (const sub of attribute.subAttributes ?? []) {
        // A unique complex attribute is unique by its `value`, as RFC 7643 section 2.4 reads it.
        const subScope = scopeOf(sub) ?? (sub.name === 'value' ? scope : undefined);
        if (!subScope || sub.type === 'complex') continue;
        uniqueAttributes.push({
          ...at,
          name: attribute.name,
          sub: sub.name,
          path: `${prefix}${attribute.name}.${sub.name}`,
          multiValued: attribute.multiValued,
          caseExact: sub.caseExact === true,
          scope: subScope,
        });
      }
    }
  }
  const groups = coreAttributes.get('groups');
  const active = coreAttributes.get('active');
  return {
    definition,
    name: definition.name,
    endpoint: definition.endpoint,
    schemaUrn: definition.schema.id,
    schemas,
    schemaByUrn,
    coreAttributes,
    extensionAttributes,
    uniqueAttributes,
    writeOnlyAttributes,
    hasComputedGroups: groups?.multiValued === true && groups.mutability === 'readOnly',
    hasMembers: coreAttributes.get('members')?.multiValued === true,
    hasActive: active?.type === 'boolean',
  };
}

const cache = new WeakMap<ResourceTypeDefinition, TypeInfo>();

/** {@link compileType}, cached per definition object. */
export function typeInfo(definition: ResourceTypeDefinition): TypeInfo {
  let info = cache.get(definition);
  if (!info) {
    info = compileType(definition);
    cache.set(definition, info);
  }
  return info;
}

/** Where an attribute path points: the attribute definition and how to read it from a resource. */
export interface ResolvedPath {
  /** Extension URN (schema casing) holding the attribute, absent for core attributes. */
  extension?: string;
  /** The attribute definition. */
  attribute: AttributeDefinition;
  /** The sub-attribute definition, if the path names one. */
  subAttribute?: AttributeDefinition;
}

/**
 * Resolves `[urn:]attribute[.sub]` case-insensitively against a type, or undefined when the
 * type has no such attribute.
 */
export function resolvePath(
  info: TypeInfo,
  path: { schema?: string; attribute: string; subAttribute?: string },
): ResolvedPath | undefined {
  let attribute: AttributeDefinition | undefined;
  let extension: string | undefined;
  if (path.schema !== undefined && path.schema.toLowerCase() !== info.schemaUrn.toLowerCase()) {
    const urn = path.schema.toLowerCase();
    attribute = info.extensionAttributes.get(urn)?.get(path.attribute.toLowerCase());
    extension = info.schemaByUrn.get(urn)?.id;
  } else {
    attribute = info.coreAttributes.get(path.attribute.toLowerCase());
  }
  if (!attribute) return undefined;
  let subAttribute: AttributeDefinition | undefined;
  if (path.subAttribute !== undefined) {
    const name = path.subAttribute.toLowerCase();
    subAttribute = attribute.subAttributes?.find((s) => s.name.toLowerCase() === name);
    if (!subAttribute) return undefined;
  }
  // Written out: a spread of conditional objects runs in V8's runtime (three per list request).
  const resolved: ResolvedPath = { attribute };
  if (extension) resolved.extension = extension;
  if (subAttribute) resolved.subAttribute = subAttribute;
  return resolved;
}

/** Reads an own property (never an inherited one such as `toString`). */
export function own(object: unknown, key: string): unknown {
  if (typeof object !== 'object' || object === null) return undefined;
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

type Matcher = ReturnType<typeof compileFilter>;
/** One compilation: a filter AST (by identity) for a type. */
interface Compiled {
  readonly filter: Filter;
  readonly info: TypeInfo;
  readonly matcher: Matcher;
}

/** How many recent compilations {@link compiledFilter} keeps. */
const RECENT_COMPILATIONS = 4;
/** The most recent compilations, newest first. */
const recent: Compiled[] = [];

/**
 * `compileFilter` for a type, reused for the same filter AST object: the server compiles a list
 * request's filter to check it, and `queryInMemory`, called by the memory store in the same
 * turn, gets that compilation back. Only the last few are kept, compared by identity: every
 * request parses an AST of its own, so an older one is never asked for again (and a WeakMap
 * entry per request costs more than the lookup saves).
 */
export function compiledFilter(filter: Filter, info: TypeInfo): Matcher {
  for (const compiled of recent) {
    if (compiled.filter === filter && compiled.info === info) return compiled.matcher;
  }
  const matcher = compileFilter(filter, { schemas: info.schemas, resourceSchema: info.schemaUrn });
  if (recent.length === RECENT_COMPILATIONS) recent.pop();
  recent.unshift({ filter, info, matcher });
  return matcher;
}
