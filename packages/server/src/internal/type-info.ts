import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '@scimkit/schema';

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
  /** Top-level single-valued attributes with `uniqueness` server or global (core and extensions). */
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

/** A unique attribute: where to find it and how to compare it. */
export interface UniqueAttribute extends AttributeLocation {
  /** Whether comparisons are case-sensitive. */
  readonly caseExact: boolean;
}

/** The common attributes of every resource (RFC 7643 section 3.1). */
const common: readonly AttributeDefinition[] = [
  {
    name: 'id',
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  },
  {
    name: 'externalId',
    type: 'string',
    multiValued: false,
    required: false,
    caseExact: true,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
  },
  {
    name: 'meta',
    type: 'complex',
    multiValued: false,
    required: false,
    mutability: 'readOnly',
    returned: 'default',
    subAttributes: [
      ['resourceType', 'string'],
      ['created', 'dateTime'],
      ['lastModified', 'dateTime'],
      ['location', 'reference'],
      ['version', 'string'],
    ].map(([name, type]) => ({
      name: name as string,
      type: type as AttributeDefinition['type'],
      multiValued: false,
      required: false,
      caseExact: true,
      mutability: 'readOnly' as const,
      returned: 'default' as const,
    })),
  },
];

function attributeMap(attributes: readonly AttributeDefinition[]): Map<string, AttributeDefinition> {
  const map = new Map<string, AttributeDefinition>();
  for (const attribute of attributes) map.set(attribute.name.toLowerCase(), attribute);
  return map;
}

/** Compiles a resource type definition into the lookups the server and stores use. */
export function compileType(definition: ResourceTypeDefinition): TypeInfo {
  const coreAttributes = attributeMap([...common, ...definition.schema.attributes]);
  const schemas = [definition.schema, ...definition.extensions.map((extension) => extension.schema)];
  const schemaByUrn = new Map(schemas.map((schema) => [schema.id.toLowerCase(), schema] as const));
  const extensionAttributes = new Map<string, Map<string, AttributeDefinition>>();
  const uniqueAttributes: UniqueAttribute[] = [];
  const addUnique = (attribute: AttributeDefinition, extension?: string) => {
    if (attribute.multiValued || attribute.type === 'complex' || attribute.name === 'id') return;
    if (attribute.uniqueness !== 'server' && attribute.uniqueness !== 'global') return;
    uniqueAttributes.push({
      name: attribute.name,
      caseExact: attribute.caseExact === true,
      ...(extension ? { extension } : {}),
    });
  };
  const writeOnlyAttributes: AttributeLocation[] = [];
  const addWriteOnly = (attribute: AttributeDefinition, extension?: string) => {
    if (attribute.mutability === 'writeOnly')
      writeOnlyAttributes.push({ name: attribute.name, ...(extension ? { extension } : {}) });
  };
  for (const attribute of definition.schema.attributes) {
    addUnique(attribute);
    addWriteOnly(attribute);
  }
  for (const { schema } of definition.extensions) {
    extensionAttributes.set(schema.id.toLowerCase(), attributeMap(schema.attributes));
    for (const attribute of schema.attributes) {
      addUnique(attribute, schema.id);
      addWriteOnly(attribute, schema.id);
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
  return {
    attribute,
    ...(extension ? { extension } : {}),
    ...(subAttribute ? { subAttribute } : {}),
  };
}

/** Reads an own property (never an inherited one such as `toString`). */
export function own(object: unknown, key: string): unknown {
  if (typeof object !== 'object' || object === null) return undefined;
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}
