/**
 * What the evaluator knows of schemas: the attribute and schema definitions it reads (a
 * structural subset of `@scimkit/schema`'s) and their indexes by lower-case name, built once
 * per list (a server compiles a filter per request against the same schemas).
 */
import type { ComparisonOperator } from './ast.js';

/** SCIM attribute data types. @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3 */
export type FilterAttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'binary'
  | 'reference'
  | 'complex';

/**
 * Whether {@link compileFilter} compares a string filter value with an attribute of type `type`
 * as an instant ({@link parseInstant}) rather than as text: for a `dateTime` attribute with
 * `eq`, `ne`, `gt`, `ge`, `lt` or `le` (`co`, `sw` and `ew` stay text comparisons). Values of
 * other JSON types never match a `dateTime`. Filter pushdowns use it to keep the evaluator's
 * semantics.
 *
 * @example
 * ```ts
 * import { comparesAsDateTime } from '@scimkit/filter';
 *
 * comparesAsDateTime('dateTime', 'gt'); // true
 * comparesAsDateTime('dateTime', 'sw'); // false
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function comparesAsDateTime(
  type: FilterAttributeType | undefined,
  operator: ComparisonOperator,
): boolean {
  return type === 'dateTime' && operator !== 'co' && operator !== 'sw' && operator !== 'ew';
}

/**
 * The characteristics of an attribute the evaluator needs; structurally compatible with
 * `AttributeDefinition` of `@scimkit/schema`.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 */
export interface FilterAttributeDefinition {
  /** The attribute name (matched case-insensitively). */
  readonly name: string;
  /** The data type. */
  readonly type: FilterAttributeType;
  /** Whether the attribute holds a list of values. */
  readonly multiValued: boolean;
  /** Whether string comparisons are case-sensitive. @defaultValue false */
  readonly caseExact?: boolean | undefined;
  /** The sub-attributes of a complex attribute. */
  readonly subAttributes?: readonly FilterAttributeDefinition[] | undefined;
}

/**
 * A schema as far as the evaluator needs it; structurally compatible with
 * `SchemaDefinition` of `@scimkit/schema`.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 */
export interface FilterSchemaDefinition {
  /** The schema URN, such as `urn:ietf:params:scim:schemas:core:2.0:User`. */
  readonly id: string;
  /** The top-level attributes. */
  readonly attributes: readonly FilterAttributeDefinition[];
}

/** The attributes every resource has (RFC 7643 section 3.1). */
const COMMON_ATTRIBUTES: readonly FilterAttributeDefinition[] = [
  { name: 'id', type: 'string', multiValued: false, caseExact: true },
  { name: 'externalId', type: 'string', multiValued: false, caseExact: true },
  { name: 'schemas', type: 'reference', multiValued: true, caseExact: false },
  {
    name: 'meta',
    type: 'complex',
    multiValued: false,
    subAttributes: [
      { name: 'resourceType', type: 'string', multiValued: false, caseExact: true },
      { name: 'created', type: 'dateTime', multiValued: false },
      { name: 'lastModified', type: 'dateTime', multiValued: false },
      { name: 'location', type: 'reference', multiValued: false, caseExact: true },
      { name: 'version', type: 'string', multiValued: false, caseExact: true },
    ],
  },
];

/** Attribute lists indexed by lower-case name, with the length they had (a list that grew is indexed again). */
const attributeIndexes = new WeakMap<
  readonly FilterAttributeDefinition[],
  { length: number; map: Map<string, FilterAttributeDefinition> }
>();

/** The attributes by lower-case name; the index of a list is built once (filters compile per request). */
export function indexAttributes(
  attributes: readonly FilterAttributeDefinition[],
): Map<string, FilterAttributeDefinition> {
  const cached = attributeIndexes.get(attributes);
  if (cached && cached.length === attributes.length) return cached.map;
  const map = new Map<string, FilterAttributeDefinition>();
  for (const attribute of attributes) map.set(attribute.name.toLowerCase(), attribute);
  attributeIndexes.set(attributes, { length: attributes.length, map });
  return map;
}

/** What a compilation needs of its schemas, by lower-case URN. */
export interface SchemaIndex {
  schemas: Map<string, { id: string; attributes: Map<string, FilterAttributeDefinition> }>;
  /** The common attributes and the core schema's, by lower-case name; undefined without schemas. */
  coreAttributes: Map<string, FilterAttributeDefinition> | undefined;
}

/**
 * The index of one list of schemas and core URN, reused while the list holds the same schemas
 * with the same attribute lists: a server compiles a filter per request against the same ones.
 */
const schemaIndexes = new WeakMap<
  readonly FilterSchemaDefinition[],
  {
    core: string | undefined;
    members: FilterSchemaDefinition[];
    attributes: (readonly FilterAttributeDefinition[])[];
    lengths: number[];
    index: SchemaIndex;
  }
>();

export function indexSchemas(list: readonly FilterSchemaDefinition[], core: string | undefined): SchemaIndex {
  const cached = schemaIndexes.get(list);
  if (
    cached &&
    cached.core === core &&
    cached.members.length === list.length &&
    cached.members.every(
      (schema, i) =>
        list[i] === schema &&
        schema.attributes === cached.attributes[i] &&
        schema.attributes.length === cached.lengths[i],
    )
  ) {
    return cached.index;
  }
  const schemas: SchemaIndex['schemas'] = new Map();
  for (const schema of list) {
    schemas.set(schema.id.toLowerCase(), { id: schema.id, attributes: indexAttributes(schema.attributes) });
  }
  let coreAttributes: Map<string, FilterAttributeDefinition> | undefined;
  if (list.length > 0) {
    const coreSchema = core === undefined ? undefined : schemas.get(core);
    coreAttributes = new Map(indexAttributes(COMMON_ATTRIBUTES));
    if (coreSchema)
      for (const [name, attribute] of coreSchema.attributes) coreAttributes.set(name, attribute);
  }
  const index = { schemas, coreAttributes };
  schemaIndexes.set(list, {
    core,
    members: [...list],
    attributes: list.map((schema) => schema.attributes),
    lengths: list.map((schema) => schema.attributes.length),
    index,
  });
  return index;
}
