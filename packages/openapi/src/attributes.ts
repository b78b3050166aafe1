// SCIM attribute definitions (RFC 7643 section 7) as JSON Schema, in three views of one schema.
import type { Attribute } from './discovery.js';
import type { JsonSchema } from './document.js';

/**
 * Which side of the wire a schema describes:
 * - `schema`: every attribute with its characteristics (`readOnly`, `writeOnly`, `x-scim-*`),
 *   the faithful mapping of a `/Schemas` entry;
 * - `response`: what the server returns: no `writeOnly` or `returned: never` attributes;
 * - `request`: what POST and PUT take: no `readOnly` attributes.
 */
export type View = 'schema' | 'response' | 'request';

/**
 * How `canonicalValues` are written. They are suggestions (RFC 7643 section 2.3.1: "service
 * providers MAY choose to ignore"), so by default they become `examples`: the generated
 * TypeScript type stays `string` (other values still type-check) and every editor shows the
 * canonical values on hover. `enum` closes the list, for servers that reject anything else.
 */
export type CanonicalValuesMode = 'examples' | 'enum';

/** Whether `attribute` appears in `view`. */
export function isInView(attribute: Attribute, view: View): boolean {
  if (view === 'response') return attribute.mutability !== 'writeOnly' && attribute.returned !== 'never';
  if (view === 'request') return attribute.mutability !== 'readOnly';
  return true;
}

/** Whether `attribute` must be present in `view`. */
function isRequiredIn(attribute: Attribute, view: View): boolean {
  // An attribute returned only on request may be missing from any response that did not ask.
  return attribute.required && !(view === 'response' && attribute.returned === 'request');
}

/** An object of `attributes` as seen in `view`; an open object when the attributes are unknown. */
export function objectSchema(
  attributes: readonly Attribute[] | undefined,
  view: View,
  mode: CanonicalValuesMode,
): JsonSchema {
  if (attributes === undefined) return { type: 'object', additionalProperties: true };
  const included = attributes.filter((attribute) => isInView(attribute, view));
  // fromEntries defines own properties, so an attribute named `__proto__` stays a property.
  const properties = Object.fromEntries(
    included.map((attribute) => [attribute.name, attributeSchema(attribute, view, mode)] as const),
  );
  const required = included.filter((attribute) => isRequiredIn(attribute, view)).map((a) => a.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** One value of `attribute` (an item, for multi-valued ones). */
function valueSchema(attribute: Attribute, view: View, mode: CanonicalValuesMode): JsonSchema {
  switch (attribute.type) {
    case 'string':
      return withCanonicalValues({ type: 'string' }, attribute, mode);
    case 'boolean':
      return { type: 'boolean' };
    case 'decimal':
      return withCanonicalValues({ type: 'number' }, attribute, mode);
    case 'integer':
      return withCanonicalValues({ type: 'integer' }, attribute, mode);
    case 'dateTime':
      return { type: 'string', format: 'date-time' };
    case 'binary':
      return { type: 'string', contentEncoding: 'base64' };
    case 'reference':
      // uri-reference, not uri: RFC 7643 section 2.3.7 lets `$ref` values be relative.
      return withCanonicalValues({ type: 'string', format: 'uri-reference' }, attribute, mode);
    case 'complex':
      return objectSchema(attribute.subAttributes, view, mode);
    default:
      return {};
  }
}

function withCanonicalValues(
  schema: JsonSchema,
  attribute: Attribute,
  mode: CanonicalValuesMode,
): JsonSchema {
  const type = schema.type === 'string' ? 'string' : 'number';
  const values = attribute.canonicalValues?.filter((value) => typeof value === type);
  if (values === undefined || values.length === 0) return schema;
  return mode === 'enum' ? { ...schema, enum: values } : { ...schema, examples: values };
}

/** The SCIM characteristics JSON Schema has no keyword for, where they differ from the default. */
function characteristics(attribute: Attribute): JsonSchema {
  return {
    ...(attribute.mutability !== 'readWrite' ? { 'x-scim-mutability': attribute.mutability } : {}),
    ...(attribute.returned !== 'default' ? { 'x-scim-returned': attribute.returned } : {}),
    ...(attribute.uniqueness && attribute.uniqueness !== 'none'
      ? { 'x-scim-uniqueness': attribute.uniqueness }
      : {}),
    ...(attribute.caseExact ? { 'x-scim-caseExact': true } : {}),
    ...(attribute.canonicalValues ? { 'x-scim-canonicalValues': [...attribute.canonicalValues] } : {}),
    ...(attribute.referenceTypes?.length ? { 'x-scim-referenceTypes': [...attribute.referenceTypes] } : {}),
  };
}

/** `attribute` as JSON Schema in `view`. */
export function attributeSchema(attribute: Attribute, view: View, mode: CanonicalValuesMode): JsonSchema {
  const value = valueSchema(attribute, view, mode);
  const schema: JsonSchema = attribute.multiValued ? { type: 'array', items: value } : value;
  return {
    ...schema,
    ...(attribute.description ? { description: attribute.description } : {}),
    ...(attribute.mutability === 'readOnly' ? { readOnly: true } : {}),
    ...(attribute.mutability === 'writeOnly' || attribute.returned === 'never' ? { writeOnly: true } : {}),
    ...(view === 'schema' ? characteristics(attribute) : {}),
  };
}
