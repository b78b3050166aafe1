import type { BulkOperation, Group, GroupInput, PatchOperation, User, UserInput } from '@scimkit/schema';
import { GROUP_SCHEMA, USER_SCHEMA } from '@scimkit/schema/errors';
import { type BulkOptions, type BulkResult, runBulk } from './bulk.js';
import { createDiscoverer, type DiscoverOptions, type ScimDiscovery } from './discovery.js';
import { createTransport, type ScimClientOptions } from './http.js';
import {
  createResourceClient,
  type ResourceClient,
  type ResourceOptions,
  type WriteOptions,
} from './resource.js';
import type {
  EndpointOf,
  InputAt,
  NoResourceMap,
  ResourceAt,
  ResourceTypeAt,
  ScimResourceEndpoints,
  ScimResourceMap,
} from './resource-map.js';

/**
 * Users with lifecycle helpers; typed by `@scimkit/schema`'s `User` and `UserInput`, or by the
 * `/Users` entry of a resource map.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1
 */
export interface UsersClient<T = User, TInput = UserInput> extends ResourceClient<T, TInput> {
  /**
   * Deactivates a User with one targeted PATCH (`replace active false`), the way identity
   * providers do instead of deleting.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.3
   */
  deactivate(id: string, options?: WriteOptions): Promise<T | undefined>;
  /** Re-activates a User with one targeted PATCH (`replace active true`). */
  activate(id: string, options?: WriteOptions): Promise<T | undefined>;
}

/**
 * Groups with membership helpers; typed by `@scimkit/schema`'s `Group` and `GroupInput`, or by
 * the `/Groups` entry of a resource map.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2
 */
export interface GroupsClient<T = Group, TInput = GroupInput> extends ResourceClient<T, TInput> {
  /**
   * Adds members by id with one PATCH `add members`, without reading or rewriting the group.
   * An empty list sends nothing and resolves to `undefined`.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.1
   */
  addMembers(id: string, memberIds: readonly string[], options?: WriteOptions): Promise<T | undefined>;
  /**
   * Removes members by id with one PATCH of `remove members[value eq "<id>"]` operations.
   * An empty list sends nothing and resolves to `undefined`.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2.2
   */
  removeMembers(id: string, memberIds: readonly string[], options?: WriteOptions): Promise<T | undefined>;
}

/**
 * A SCIM 2.0 client. Created by {@link createScimClient}; `M` is the resource map it was
 * typed with (none by default).
 */
export interface ScimClient<M extends ScimResourceMap<M> = NoResourceMap> {
  /** The `/Users` endpoint. */
  readonly users: UsersClient<ResourceAt<M, '/Users', User>, InputAt<M, '/Users', UserInput>>;
  /** The `/Groups` endpoint. */
  readonly groups: GroupsClient<ResourceAt<M, '/Groups', Group>, InputAt<M, '/Groups', GroupInput>>;
  /**
   * A client for an endpoint of the resource map, typed by it.
   * @example
   * ```ts partial
   * const client = createScimClient<ScimResources>({ baseUrl, token, resources: scimResources });
   * const device = await client.resource('/Devices').create({ serialNumber: 'C02X' });
   * ```
   */
  resource<E extends EndpointOf<M>>(
    endpoint: E,
    options?: ResourceOptions,
  ): ResourceClient<ResourceTypeAt<M, E>['resource'], ResourceTypeAt<M, E>['input']>;
  /**
   * A client for any endpoint, typed by the resource it returns.
   * @example
   * ```ts
   * import { createScimClient } from '@scimkit/client';
   * import type { Meta } from '@scimkit/schema';
   *
   * interface Device { id: string; schemas: string[]; meta: Meta; serialNumber: string }
   * const client = createScimClient({ baseUrl: 'https://idm.example.com/scim/v2', token: process.env.SCIM_TOKEN ?? '' });
   * const devices = client.resource<Device>('/Devices', { schema: 'urn:example:Device' });
   * ```
   */
  resource<T, TInput = T>(endpoint: string, options?: ResourceOptions): ResourceClient<T, TInput>;
  /**
   * Reads `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` once and caches them.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-4
   */
  discover(options?: DiscoverOptions): Promise<ScimDiscovery>;
  /**
   * Runs bulk operations, split into as many `/Bulk` requests as the server's `maxOperations`
   * and `maxPayloadSize` require. An operation referencing `bulkId:x` travels in the same or a
   * later request than the one creating `x`, with ids from earlier requests filled in. Resolves
   * to one result per operation, in the given order; failed operations do not throw.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7
   */
  bulk(operations: readonly BulkOperation[], options?: BulkOptions): Promise<BulkResult[]>;
}

/** The core schema of `endpoint` in a resource map's run-time half (`scimResources`). */
function schemaAt(resources: ScimResourceEndpoints | undefined, endpoint: string): string | undefined {
  const trim = (path: string) => path.replace(/^\/+|\/+$/g, '');
  for (const entry of Object.values(resources ?? {})) {
    if (trim(entry.endpoint) === trim(endpoint)) return entry.schema;
  }
  return undefined;
}

/** Escapes a value for a double-quoted filter string. */
function quoted(value: string): string {
  return JSON.stringify(value);
}

/**
 * Creates a SCIM 2.0 client on ky: typed CRUD for Users, Groups and custom resources, lazy
 * paging over index and cursor pages, discovery, ETags, bulk with splitting, and retries.
 * It uses only `fetch`, so it runs in Node 20.19+, browsers and edge runtimes.
 *
 * Typed with a resource map (`createScimClient<ScimResources>(…)`, the map `scimkit codegen`
 * writes from a live server), `users`, `groups` and `resource(endpoint)` take and return that
 * server's real attributes and extensions; without one, `@scimkit/schema`'s RFC types.
 *
 * @example
 * ```ts
 * import { createScimClient } from '@scimkit/client';
 *
 * const client = createScimClient({ baseUrl: 'https://example.com/scim/v2', token: process.env.SCIM_TOKEN ?? '' });
 * const user = await client.users.create({ userName: 'bjensen', active: true });
 * for await (const member of client.users.list({ filter: 'active eq true' })) console.log(member.userName);
 * await client.users.deactivate(user.id, { ifMatch: user.meta.version });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export function createScimClient<M extends ScimResourceMap<M> = NoResourceMap>(
  options: ScimClientOptions,
): ScimClient<M> {
  const transport = createTransport(options);
  const discoverer = createDiscoverer(transport);
  const context = { transport, discoverer };

  const users = createResourceClient<User, UserInput>(context, '/Users', { schema: USER_SCHEMA });
  const groups = createResourceClient<Group, GroupInput>(context, '/Groups', { schema: GROUP_SCHEMA });
  const setActive = (id: string, active: boolean, writeOptions?: WriteOptions) =>
    users.patch(id, [{ op: 'replace', path: 'active', value: active }], writeOptions);

  const client: ScimClient = {
    users: {
      ...users,
      deactivate: (id, writeOptions) => setActive(id, false, writeOptions),
      activate: (id, writeOptions) => setActive(id, true, writeOptions),
    },
    groups: {
      ...groups,
      async addMembers(id, memberIds, writeOptions) {
        if (memberIds.length === 0) return undefined;
        const operations: PatchOperation[] = [
          { op: 'add', path: 'members', value: memberIds.map((value) => ({ value })) },
        ];
        return groups.patch(id, operations, writeOptions);
      },
      async removeMembers(id, memberIds, writeOptions) {
        if (memberIds.length === 0) return undefined;
        const operations = memberIds.map(
          (memberId): PatchOperation => ({ op: 'remove', path: `members[value eq ${quoted(memberId)}]` }),
        );
        return groups.patch(id, operations, writeOptions);
      },
    },
    // One implementation for both overloads; the map only narrows the types.
    resource: ((endpoint: string, resourceOptions?: ResourceOptions) => {
      const schema = resourceOptions?.schema ?? schemaAt(options.resources, endpoint);
      return createResourceClient(context, endpoint, schema === undefined ? {} : { schema });
    }) as ScimClient['resource'],
    discover: (discoverOptions) => discoverer.discover(discoverOptions),
    bulk: (operations, bulkOptions) => runBulk(transport, discoverer, operations, bulkOptions),
  };
  // The map types what the server sends; at run time every client is the same.
  return client as unknown as ScimClient<M>;
}
