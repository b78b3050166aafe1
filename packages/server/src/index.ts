/**
 * @packageDocumentation
 * A framework-neutral SCIM 2.0 service provider (RFC 7643, RFC 7644, RFC 9865 cursor paging)
 * on Web `Request`/`Response`: `createScimServer({ store, auth })` returns `{ fetch }`, which
 * runs unchanged on Node (through `@scimkit/server/node`, `/express`, `/hono`), Bun, Deno and
 * Workers. Stores implement {@link ScimStore}; {@link createMemoryStore} is the in-memory one.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { serveNode } from '@scimkit/server/node';
 *
 * const scim = createScimServer({ store: createMemoryStore(), auth: { tokens: ['change-me'] } });
 * await serveNode({ server: scim, port: 8080 });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */

export { nextVersion } from '@scimkit/schema/internal';
export type { ScimAuth, ScimPrincipal, TokenAuth, VerifyAuth } from './auth.js';
export { createMemoryStore } from './memory-store.js';
export type {
  ScimBulkOptions,
  ScimCompatibility,
  ScimDiscoveryOptions,
  ScimEvent,
  ScimEventHook,
  ScimIgnoredAttributesEvent,
  ScimLimits,
  ScimOpenApiOptions,
  ScimServerOptions,
} from './options.js';
export { type QueryInMemoryOptions, queryInMemory } from './query-in-memory.js';
export { createScimServer, type ScimServer } from './server.js';
export type {
  CursorPageRequest,
  IndexPageRequest,
  PageRequest,
  ScimStore,
  StoreCallOptions,
  StoreContext,
  StoreCreateOptions,
  StoreDeleteOptions,
  StoreGetOptions,
  StoreGroupRef,
  StoreGroupsOptions,
  StoreMemberSlice,
  StoreMemberSliceOptions,
  StoreMemberSliceReplaceOptions,
  StoreProjection,
  StoreQuery,
  StoreQueryOptions,
  StoreQueryResult,
  StoreReplaceOptions,
  StoreResourceType,
} from './store.js';
