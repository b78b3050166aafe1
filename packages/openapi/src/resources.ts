// The three schemas of each resource type: the resource as returned (core schema, common
// attributes and extensions under their URN), the POST/PUT input, and its ListResponse.
import {
  attributeSchema,
  type CanonicalValuesMode,
  isInView,
  objectSchema,
  type View,
} from './attributes.js';
import type { ResourceTypeInfo, Schema } from './discovery.js';
import type { JsonSchema } from './document.js';
import { COMMON, listResponseSchema, schemaRef, schemasProperty } from './messages.js';
import type { OpenApiWarning } from './warnings.js';

/** Names the common attributes and `schemas` take; a server listing them in its schema is ignored there. */
const RESERVED = new Set(['schemas', 'id', 'externalId', 'meta'].map((name) => name.toLowerCase()));

/** What the components of one resource type are built from. */
export interface ResourceContext {
  /** `/Schemas` by lower-cased URN. */
  schemas: ReadonlyMap<string, Schema>;
  /** How canonical values are written. */
  mode: CanonicalValuesMode;
  /** Where warnings go. */
  warnings: OpenApiWarning[];
}

/** The schema behind `urn`, or undefined with a warning naming the resource type's fault. */
function schemaOf(type: ResourceTypeInfo, urn: string, role: string, context: ResourceContext) {
  const schema = context.schemas.get(urn.toLowerCase());
  if (schema === undefined) {
    context.warnings.push({
      code: 'missingSchema',
      message: `Resource type "${type.name}" names ${role} "${urn}", which /Schemas does not serve; it is typed as an open object.`,
    });
  }
  return schema;
}

/** The schemas of a resource type, looked up once. */
interface ResolvedType {
  type: ResourceTypeInfo;
  core: Schema | undefined;
  extensions: { urn: string; required: boolean; schema: Schema | undefined }[];
}

/** The resource type in `view` (`response` or `request`). */
function resourceSchema(
  { type, core, extensions }: ResolvedType,
  view: View,
  mode: CanonicalValuesMode,
): JsonSchema {
  const coreBody = objectSchema(
    core?.attributes?.filter((attribute) => !RESERVED.has(attribute.name.toLowerCase())),
    view,
    mode,
  );
  const common = COMMON.filter((attribute) => isInView(attribute, view));
  const properties: Record<string, JsonSchema> = {
    schemas: schemasProperty(
      `Schema URNs: "${type.schema}" and each extension present as a key.`,
      type.schema,
    ),
    ...Object.fromEntries(
      common.map((attribute) => [
        attribute.name,
        attribute.name === 'meta' ? schemaRef('Meta') : attributeSchema(attribute, view, mode),
      ]),
    ),
    ...coreBody.properties,
  };
  const required = ['schemas', ...(view === 'response' ? ['id', 'meta'] : []), ...(coreBody.required ?? [])];
  // fromEntries and spread define own properties: a hostile URN such as `__proto__` stays a key.
  const extensionProperties = Object.fromEntries(
    extensions.map(({ urn, schema }) => [
      urn,
      {
        ...objectSchema(schema?.attributes, view, mode),
        description: schema?.description ?? schema?.name ?? urn,
      },
    ]),
  );
  required.push(...extensions.filter((extension) => extension.required).map((extension) => extension.urn));
  return {
    type: 'object',
    ...(type.description ? { description: type.description } : {}),
    properties: { ...properties, ...extensionProperties },
    required,
    // An unknown core schema leaves the resource open: whatever the server sends is allowed.
    ...(core?.attributes === undefined ? { additionalProperties: true } : {}),
    'x-scim-resourceType': type.name,
    'x-scim-schema': type.schema,
  };
}

/** The resource, input and ListResponse schemas of `type`, given the resource's component name. */
export function resourceSchemas(
  type: ResourceTypeInfo,
  resourceName: string,
  context: ResourceContext,
): { resource: JsonSchema; input: JsonSchema; listResponse: JsonSchema } {
  const resolved: ResolvedType = {
    type,
    core: schemaOf(type, type.schema, 'core schema', context),
    extensions: type.schemaExtensions.map((extension) => ({
      urn: extension.schema,
      required: extension.required,
      schema: schemaOf(type, extension.schema, 'extension schema', context),
    })),
  };
  const resource = resourceSchema(resolved, 'response', context.mode);
  const input = resourceSchema(resolved, 'request', context.mode);
  const listResponse = listResponseSchema(
    schemaRef(resourceName),
    `A ListResponse of ${type.name} resources (RFC 7644 section 3.4.2).`,
  );
  return { resource, input, listResponse };
}
