/**
 * @packageDocumentation
 * OpenAPI 3.1 from SCIM: {@link toOpenApi} turns any SCIM 2.0 server's self-description
 * (`/Schemas`, `/ResourceTypes`, `/ServiceProviderConfig`) into an OpenAPI 3.1 document, ready
 * for openapi-typescript, validators and API explorers; {@link renderResourceMap} adds the
 * `ScimResources` map that types `@scimkit/client` against that server. Pure functions, no I/O:
 * `scimkit openapi` and `scimkit codegen` do the fetching, and `@scimkit/server` serves the
 * document of its own configuration at `GET {basePath}/openapi.json`.
 *
 * @example
 * ```ts
 * import { createScimClient } from '@scimkit/client';
 * import { toOpenApi } from '@scimkit/openapi';
 *
 * declare const baseUrl: string;
 * declare const token: string;
 * const client = createScimClient({ baseUrl, token });
 * const { document, warnings } = toOpenApi({ ...(await client.discover()), baseUrl });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-4
 * @see https://spec.openapis.org/oas/v3.1.0
 */
export type { CanonicalValuesMode } from './attributes.js';
export type { DiscoveryList } from './discovery.js';
export type {
  JsonSchema,
  JsonType,
  OpenApiContent,
  OpenApiDocument,
  OpenApiHeader,
  OpenApiMethod,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiPathItem,
  OpenApiReference,
  OpenApiRequestBody,
  OpenApiResponse,
  OpenApiSecurityScheme,
  ScimResourceTypeEntry,
} from './document.js';
export { renderResourceMap, resourceTypeEntries } from './resource-map.js';
export { type OpenApiResult, type ToOpenApiOptions, toOpenApi } from './to-openapi.js';
export { OpenApiInputError, type OpenApiWarning, type OpenApiWarningCode } from './warnings.js';
