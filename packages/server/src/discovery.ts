import {
  LIST_RESPONSE_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  type SchemaDefinition,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
} from '@scimkit/schema';
import { MethodNotAllowedError, type ScimResult, scimError } from './internal/http.js';
import type { TypeInfo } from './internal/type-info.js';
import type { ResolvedLimits } from './options.js';
import { queryParameter } from './query.js';

/** Discovery documents generated from the configuration (RFC 7644 section 4). */
export interface Discovery {
  serviceProviderConfig(base: string): Record<string, unknown>;
  resourceTypes(base: string): Record<string, unknown>[];
  resourceType(base: string, name: string): Record<string, unknown> | undefined;
  schemas(base: string): Record<string, unknown>[];
  schema(base: string, urn: string): Record<string, unknown> | undefined;
}

/** Builds the discovery documents once; only `meta.location` depends on the request. */
export function createDiscovery(
  types: readonly TypeInfo[],
  limits: ResolvedLimits,
  options: { documentationUri: string | undefined; pagination: boolean },
): Discovery {
  const { documentationUri } = options;
  const schemas = new Map<string, SchemaDefinition>();
  for (const type of types) for (const schema of type.schemas) schemas.set(schema.id.toLowerCase(), schema);
  const resourceType = (type: TypeInfo, base: string) => ({
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: type.name,
    name: type.name,
    endpoint: type.endpoint,
    ...(type.definition.description ? { description: type.definition.description } : {}),
    schema: type.schemaUrn,
    schemaExtensions: type.definition.extensions.map((e) => ({ schema: e.schema.id, required: e.required })),
    meta: {
      resourceType: 'ResourceType',
      location: `${base}/ResourceTypes/${encodeURIComponent(type.name)}`,
    },
  });
  const schema = (definition: SchemaDefinition, base: string) => ({
    schemas: [SCHEMA_SCHEMA],
    id: definition.id,
    ...(definition.name ? { name: definition.name } : {}),
    ...(definition.description ? { description: definition.description } : {}),
    attributes: definition.attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${definition.id}` },
  });
  return {
    serviceProviderConfig: (base) => ({
      schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
      ...(documentationUri ? { documentationUri } : {}),
      patch: { supported: true },
      bulk: {
        supported: true,
        maxOperations: limits.bulkMaxOperations,
        maxPayloadSize: limits.bulkMaxPayloadSize,
      },
      filter: { supported: true, maxResults: limits.maxResults },
      changePassword: { supported: true },
      sort: { supported: true },
      etag: { supported: true },
      ...(options.pagination
        ? {
            pagination: {
              cursor: true,
              index: true,
              defaultPaginationMethod: 'index',
              defaultPageSize: limits.defaultPageSize,
              maxPageSize: limits.maxResults,
              cursorTimeout: 3600,
            },
          }
        : {}),
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'Authentication with a bearer token in the Authorization header (RFC 6750).',
          specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
    }),
    resourceTypes: (base) => types.map((type) => resourceType(type, base)),
    resourceType: (base, name) => {
      const type = types.find((t) => t.name === name);
      return type ? resourceType(type, base) : undefined;
    },
    schemas: (base) => [...schemas.values()].map((definition) => schema(definition, base)),
    schema: (base, urn) => {
      const definition = schemas.get(urn.toLowerCase());
      return definition ? schema(definition, base) : undefined;
    },
  };
}

/** A ListResponse of every item (discovery lists are never paged). */
function listOf(resources: Record<string, unknown>[]): Record<string, unknown> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/**
 * The discovery endpoints, `/ServiceProviderConfig`, `/ResourceTypes[/{name}]` and
 * `/Schemas[/{urn}]` (GET only, no filtering); undefined for any other path.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-4
 */
export function serveDiscovery(
  discovery: Discovery,
  request: { method: string; url: URL; base: string },
  segments: readonly string[],
): ScimResult | undefined {
  const { method, url, base } = request;
  const [first, second] = segments;
  if (first === 'ServiceProviderConfig') {
    if (segments.length > 1) return undefined;
    if (method !== 'GET') throw new MethodNotAllowedError('GET');
    return { status: 200, body: discovery.serviceProviderConfig(base) };
  }
  if (first !== 'ResourceTypes' && first !== 'Schemas') return undefined;
  if (segments.length > 2) return undefined;
  if (method !== 'GET') throw new MethodNotAllowedError('GET');
  if (queryParameter(url, 'filter') !== null) {
    throw scimError(403, `${first} does not support filtering (RFC 7644 section 4).`);
  }
  if (second === undefined) {
    const list = first === 'Schemas' ? discovery.schemas(base) : discovery.resourceTypes(base);
    return { status: 200, body: listOf(list) };
  }
  const one = first === 'Schemas' ? discovery.schema(base, second) : discovery.resourceType(base, second);
  if (!one) throw scimError(404, `${first === 'Schemas' ? 'Schema' : 'ResourceType'} "${second}" not found.`);
  return { status: 200, body: one };
}
