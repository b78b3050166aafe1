import type { SchemaDefinition } from '@scimkit/schema';
import { USER_SCHEMA } from '@scimkit/schema/errors';
import { type CanonicalValuesMode, objectSchema } from './attributes.js';
import {
  type DiscoveryList,
  type ResourceType,
  readCapabilities,
  readResourceTypes,
  readSchemas,
  type Schema,
  type SchemaResource,
  type ServiceProviderConfig,
} from './discovery.js';
import type {
  JsonSchema,
  OpenApiDocument,
  OpenApiPathItem,
  OpenApiSecurityScheme,
  ScimResourceTypeEntry,
} from './document.js';
import { MESSAGE_NAMES, protocolSchemas } from './messages.js';
import { ComponentNames, pascalCase, urnQualifier } from './names.js';
import {
  HEADERS,
  mePath,
  PARAMETERS,
  type PathResourceType,
  RESPONSES,
  resourcePaths,
  servicePaths,
} from './paths.js';
import { resourceSchemas } from './resources.js';
import type { OpenApiWarning } from './warnings.js';

/**
 * Options of {@link toOpenApi}: a server's discovery documents, as its endpoints answer them
 * (or as `client.discover()` and `scimkit discover --output json` return them).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-4
 */
export interface ToOpenApiOptions {
  /**
   * `/Schemas`: a ListResponse, or the list of its `Resources` (what `client.discover()`
   * returns; a server's bare array is accepted too). `SchemaDefinition`s of @scimkit/schema
   * work as well. Every entry is checked at run time.
   */
  schemas: DiscoveryList<SchemaResource | SchemaDefinition | Record<string, unknown>>;
  /** `/ResourceTypes`: a ListResponse or its `Resources`, checked at run time. */
  resourceTypes: DiscoveryList<ResourceType | Record<string, unknown>>;
  /**
   * `/ServiceProviderConfig`: decides whether PATCH, `/Bulk`, sorting, filtering, ETag headers
   * and cursor paging appear, and which security schemes. Without it: PATCH, filter, sort and
   * ETags yes, bulk and cursors no, bearer authentication.
   */
  serviceProviderConfig?: ServiceProviderConfig | Record<string, unknown> | undefined;
  /** The SCIM base URL, written as the document's only server, e.g. `https://example.com/scim/v2`. */
  baseUrl?: string | undefined;
  /** `info.title`. @defaultValue `SCIM 2.0 service provider` */
  title?: string | undefined;
  /** `info.version`, the version of the described API. @defaultValue `2.0` */
  version?: string | undefined;
  /**
   * How `canonicalValues` become JSON Schema: `examples` (suggestions, RFC 7643 section 2.3.1:
   * the type stays `string` and the values show as `@example` in generated types) or `enum`
   * (a closed list, for servers that reject other values).
   * @defaultValue `examples`
   */
  canonicalValues?: CanonicalValuesMode | undefined;
  /**
   * Whether to describe `/Me` (RFC 7644 section 3.11) for the resource type of the core User
   * schema. Nothing in discovery says whether a server supports it, so its operations list 501.
   * @defaultValue true when there is such a resource type
   */
  me?: boolean | undefined;
}

/** What {@link toOpenApi} returns. */
export interface OpenApiResult {
  /** The OpenAPI 3.1 document. */
  document: OpenApiDocument;
  /** What was worked around in the input, one entry per problem (empty for a conforming server). */
  warnings: OpenApiWarning[];
}

/** `Schema` first: a resource type's core schema, then extensions, then the rest of `/Schemas`. */
function schemaOrder(
  schemas: ReadonlyMap<string, Schema>,
  types: ReturnType<typeof readResourceTypes>,
): Schema[] {
  const ordered = new Map<string, Schema>();
  const add = (urn: string) => {
    const schema = schemas.get(urn.toLowerCase());
    if (schema) ordered.set(urn.toLowerCase(), schema);
  };
  for (const type of types) add(type.schema);
  for (const type of types) for (const extension of type.schemaExtensions) add(extension.schema);
  for (const urn of schemas.keys()) add(urn);
  return [...ordered.values()];
}

/** One component per schema, named from its `name` (or the URN's last part), collision-safe. */
function schemaComponents(
  schemas: readonly Schema[],
  names: ComponentNames,
  mode: CanonicalValuesMode,
  warnings: OpenApiWarning[],
): Record<string, JsonSchema> {
  const components: Record<string, JsonSchema> = {};
  const firstByName = new Map<string, Schema>();
  for (const schema of schemas) {
    const preferred = pascalCase(schema.name ?? schema.id.split(':').pop() ?? '', 'Schema');
    const name = names.claim(preferred, urnQualifier(schema.id));
    const earlier = firstByName.get(preferred.toLowerCase());
    if (earlier && name !== preferred) {
      warnings.push({
        code: 'duplicateSchemaName',
        message: `Schemas "${earlier.id}" and "${schema.id}" are both named "${schema.name ?? preferred}"; the second is components.schemas.${name}.`,
      });
    }
    if (!earlier) firstByName.set(preferred.toLowerCase(), schema);
    components[name] = {
      ...objectSchema(schema.attributes, 'schema', mode),
      description: schema.description ?? schema.name ?? schema.id,
      'x-scim-schema': schema.id,
    };
  }
  return components;
}

/** Security schemes from the ServiceProviderConfig; bearer when it names none OpenAPI knows. */
function securitySchemes(
  schemes: ReturnType<typeof readCapabilities>['authenticationSchemes'],
  warnings: OpenApiWarning[],
): Record<string, OpenApiSecurityScheme> {
  const result: Record<string, OpenApiSecurityScheme> = {};
  for (const scheme of schemes) {
    const type = scheme.type.toLowerCase();
    const http = ['oauthbearertoken', 'oauth2', 'oauth'].includes(type)
      ? 'bearer'
      : type === 'httpbasic'
        ? 'basic'
        : type === 'httpdigest'
          ? 'digest'
          : undefined;
    if (http === undefined) {
      warnings.push({
        code: 'unknownAuthenticationScheme',
        message: `ServiceProviderConfig lists authentication scheme "${scheme.type}", which has no OpenAPI equivalent; it is left out.`,
      });
      continue;
    }
    const key = `${http}Auth`;
    result[key] ??= { type: 'http', scheme: http, ...(scheme.name ? { description: scheme.name } : {}) };
  }
  if (Object.keys(result).length === 0) result.bearerAuth = { type: 'http', scheme: 'bearer' };
  return result;
}

/** Numbers repeated operation ids (`getSchema` of a resource type named Schema, say). */
function uniqueOperationIds(paths: Record<string, OpenApiPathItem>): void {
  const seen = new Set<string>();
  for (const item of Object.values(paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      let id = operation.operationId;
      for (let counter = 2; seen.has(id.toLowerCase()); counter++) id = `${operation.operationId}${counter}`;
      operation.operationId = id;
      seen.add(id.toLowerCase());
    }
  }
}

/**
 * Turns a SCIM server's self-description (`/Schemas`, `/ResourceTypes`,
 * `/ServiceProviderConfig`) into an OpenAPI 3.1 document: one component per schema, the
 * resource, input and ListResponse of each resource type, and every endpoint the configuration
 * advertises with its parameters, ETag headers, PatchOp bodies and SCIM Error responses.
 * Pure: no I/O. Deviations of real servers are worked around and reported in `warnings`;
 * input that is not discovery at all throws {@link OpenApiInputError}.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import type { ScimClient } from '@scimkit/client';
 * import { toOpenApi } from '@scimkit/openapi';
 *
 * declare const client: ScimClient;
 * const discovery = await client.discover();
 * const { document, warnings } = toOpenApi({ ...discovery, baseUrl: 'https://example.com/scim/v2' });
 * for (const warning of warnings) console.warn(warning.message);
 * await writeFile('scim.openapi.json', JSON.stringify(document, null, 2));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7 (schema definitions)
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-4 (discovery)
 * @see https://spec.openapis.org/oas/v3.1.0
 */
export function toOpenApi(options: ToOpenApiOptions): OpenApiResult {
  const warnings: OpenApiWarning[] = [];
  const mode = options.canonicalValues ?? 'examples';
  const schemas = readSchemas(options.schemas, warnings);
  const types = readResourceTypes(options.resourceTypes, warnings);
  const capabilities = readCapabilities(options.serviceProviderConfig, warnings);

  const names = new ComponentNames();
  for (const name of MESSAGE_NAMES) names.claim(name);
  const components = {
    ...protocolSchemas({ bulk: capabilities.bulk }),
    ...schemaComponents(schemaOrder(schemas, types), names, mode, warnings),
  };

  const entries: ScimResourceTypeEntry[] = [];
  const paths: Record<string, OpenApiPathItem> = {};
  const context = { schemas, mode, warnings };
  let user: PathResourceType | undefined;
  for (const type of types) {
    const base = pascalCase(type.name, 'Resource');
    const componentNames = {
      resource: names.claim(`${base}Resource`),
      input: names.claim(`${base}Input`),
      listResponse: names.claim(`${base}ListResponse`),
    };
    const built = resourceSchemas(type, componentNames.resource, context);
    components[componentNames.resource] = built.resource;
    components[componentNames.input] = built.input;
    components[componentNames.listResponse] = built.listResponse;
    const pathType: PathResourceType = {
      name: type.name,
      endpoint: type.endpoint,
      operationNames: { one: base, many: pascalCase(type.endpoint, base) },
      components: componentNames,
    };
    Object.assign(paths, resourcePaths(pathType, capabilities));
    if (!user && type.schema.toLowerCase() === USER_SCHEMA.toLowerCase()) user = pathType;
    entries.push({
      name: type.name,
      endpoint: type.endpoint,
      ...(type.description ? { description: type.description } : {}),
      schema: type.schema,
      schemaExtensions: type.schemaExtensions.map((extension) => ({ ...extension })),
      components: componentNames,
    });
  }
  if (user && options.me !== false) paths['/Me'] = mePath(user, capabilities);
  Object.assign(
    paths,
    servicePaths(
      entries.map((entry) => entry.components.resource),
      capabilities,
    ),
  );
  uniqueOperationIds(paths);

  const schemes = securitySchemes(capabilities.authenticationSchemes, warnings);
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'SCIM 2.0 service provider',
      version: options.version ?? '2.0',
      description:
        'Generated by @scimkit/openapi from the SCIM discovery endpoints (/Schemas, /ResourceTypes, /ServiceProviderConfig).',
    },
    ...(options.baseUrl ? { servers: [{ url: options.baseUrl.replace(/\/+$/, '') }] } : {}),
    security: Object.keys(schemes).map((name) => ({ [name]: [] })),
    tags: [
      ...entries.map((entry) => ({
        name: entry.name,
        ...(entry.description ? { description: entry.description } : {}),
      })),
      { name: 'Discovery', description: 'What the server supports (RFC 7644 section 4).' },
      { name: 'Search', description: 'Queries over every resource type (RFC 7644 section 3.4.3).' },
      ...(capabilities.bulk
        ? [{ name: 'Bulk', description: 'Bulk operations (RFC 7644 section 3.7).' }]
        : []),
    ],
    paths,
    components: {
      schemas: components,
      parameters: PARAMETERS,
      responses: RESPONSES,
      headers: HEADERS,
      securitySchemes: schemes,
    },
    'x-scim-resourceTypes': entries,
  };
  // A fresh copy: callers may change the document without touching shared constants.
  return { document: structuredClone(document), warnings };
}
