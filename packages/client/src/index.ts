/**
 * @packageDocumentation
 * A typed SCIM 2.0 client for Node 20.19+, browsers and edge runtimes, built on ky and
 * `fetch`: CRUD for Users, Groups and custom resources typed by `@scimkit/schema`, lazy
 * `for await` listing over index and RFC 9865 cursor pages that survives servers which
 * ignore `count` or misreport `totalResults`, discovery, ETags (`If-Match`), bulk requests
 * split to the server's limits with `bulkId` ordering, and retries honouring `Retry-After`.
 *
 * @example
 * ```ts
 * import { createScimClient } from '@scimkit/client';
 *
 * const client = createScimClient({ baseUrl: 'https://example.com/scim/v2', token: 'secret' });
 * for await (const user of client.users.list({ filter: 'active eq true' })) console.log(user.userName);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export type { BulkOptions, BulkResult } from './bulk.js';
export type { GroupsClient, ScimClient, UsersClient } from './client.js';
export { createScimClient } from './client.js';
export type { DiscoverOptions, ScimDiscovery } from './discovery.js';
export type {
  ScimClientErrorOptions,
  ScimHttpErrorOptions,
  ScimNetworkErrorOptions,
} from './errors.js';
export {
  isScimHttpError,
  isScimNetworkError,
  isScimPreconditionFailedError,
  isScimTimeoutError,
  ScimClientError,
  ScimHttpError,
  ScimNetworkError,
  ScimPreconditionFailedError,
  ScimTimeoutError,
} from './errors.js';
export type { HttpMethod, RetryOptions, ScimClientOptions } from './http.js';
export type { ListPage, ListQuery, ListResult, PagingMode } from './paging.js';
export type {
  GetOptions,
  RequestOptions,
  ResourceClient,
  ResourceInput,
  ResourceOptions,
  UpdateOptions,
  WriteOptions,
} from './resource.js';
export type {
  EndpointOf,
  InputAt,
  NoResourceMap,
  ResourceAt,
  ResourceMapEntry,
  ResourceTypeAt,
  ScimResourceEndpoints,
  ScimResourceMap,
} from './resource-map.js';
