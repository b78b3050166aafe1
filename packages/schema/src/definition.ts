/**
 * SCIM attribute data types.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3
 */
export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'binary'
  | 'reference'
  | 'complex';

/** @see https://www.rfc-editor.org/rfc/rfc7643#section-7 */
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
/** @see https://www.rfc-editor.org/rfc/rfc7643#section-7 */
export type Returned = 'always' | 'never' | 'default' | 'request';
/** @see https://www.rfc-editor.org/rfc/rfc7643#section-7 */
export type Uniqueness = 'none' | 'server' | 'global';

/**
 * One attribute of a schema definition, with all its characteristics, as served by
 * `/Schemas`.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 */
export interface AttributeDefinition {
  /** The attribute name, in the casing output uses. */
  name: string;
  /** The data type. */
  type: AttributeType;
  /** Whether the attribute holds a list of values. */
  multiValued: boolean;
  /** Human-readable description. */
  description?: string;
  /** Whether the attribute must be present on create and replace. */
  required: boolean;
  /** Whether string comparisons are case-sensitive (default false). */
  caseExact?: boolean;
  /** Suggested values (not a closed list, RFC 7643 section 2.3.1). */
  canonicalValues?: readonly string[];
  /** Who may change the attribute. */
  mutability: Mutability;
  /** When the attribute appears in responses. */
  returned: Returned;
  /** Uniqueness scope of values (default `none`). */
  uniqueness?: Uniqueness;
  /** Resource types a `reference` may point at (`User`, `Group`, `external`, `uri`). */
  referenceTypes?: readonly string[];
  /** Sub-attributes of a `complex` attribute. */
  subAttributes?: readonly AttributeDefinition[];
}

/**
 * A schema definition (core or extension) as data, as served by `/Schemas/{id}`.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 */
export interface SchemaDefinition {
  /** The schema URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`. */
  id: string;
  /** Human-readable name, e.g. `User`. */
  name?: string;
  /** Human-readable description. */
  description?: string;
  /** The top-level attributes (common attributes `id`, `externalId`, `meta` excluded). */
  attributes: readonly AttributeDefinition[];
}

/**
 * A resource type: its name, endpoint, core schema and extensions.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-6
 */
export interface ResourceTypeDefinition {
  /** `User`, `Group`, or a custom name. */
  name: string;
  /** The endpoint relative to the base URL, e.g. `/Users`. */
  endpoint: string;
  /** Human-readable description. */
  description?: string;
  /** The core schema. */
  schema: SchemaDefinition;
  /** Extension schemas, each with whether resources must carry it. */
  extensions: readonly { schema: SchemaDefinition; required: boolean }[];
}
