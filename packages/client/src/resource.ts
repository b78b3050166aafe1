import type { Filter } from '@scimkit/filter';
import type { Meta, PatchOperation } from '@scimkit/schema';
import { PATCH_OP_SCHEMA, SEARCH_REQUEST_SCHEMA } from '@scimkit/schema/errors';
import type { Discoverer } from './discovery.js';
import { isScimPreconditionFailedError, ScimClientError } from './errors.js';
import { filterText } from './filter-text.js';
import type { Transport, TransportResponse } from './http.js';
import {
  createListResult,
  type ListQuery,
  type ListResult,
  type PageRequest,
  type PagerSettings,
  queryParameters,
  searchBody,
} from './paging.js';

/**
 * What a client sends on create and replace: the resource without the server-owned `id` and
 * `meta` (rejected at the type level), with `schemas` optional (the client fills in the
 * endpoint's default schemas when it is left out).
 *
 * @example
 * ```ts
 * import type { ResourceInput } from '@scimkit/client';
 * import type { UserInput } from '@scimkit/schema';
 *
 * const input: ResourceInput<UserInput> = { userName: 'bjensen', active: true };
 * ```
 */
export type ResourceInput<T> = {
  // Key remapping (not Omit) keeps index signatures and the optional modifiers.
  [P in keyof T as P extends 'id' | 'meta' | 'schemas' ? never : P]: T[P];
} & {
  /** Schema URNs; defaults to the endpoint's core schema (plus extensions present as keys). */
  schemas?: string[];
  /** Assigned by the server: never sent. */
  id?: never;
  /** Maintained by the server: never sent. */
  meta?: never;
};

/** Options every request accepts. */
export interface RequestOptions {
  /** Cancels the request. */
  signal?: AbortSignal;
  /** Extra headers for this request only. */
  headers?: Record<string, string>;
}

/** Options of `get`. */
export interface GetOptions extends RequestOptions {
  /** Only return these attributes (plus those `returned: always`). */
  attributes?: string | readonly string[];
  /** Leave these attributes out. */
  excludedAttributes?: string | readonly string[];
}

/**
 * Options of `replace`, `patch` and `delete`.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14
 */
export interface WriteOptions extends RequestOptions {
  /**
   * Only write if the resource still has this version (`meta.version`, the ETag read
   * before). A changed resource fails with {@link ScimPreconditionFailedError} (412). If the
   * server's ServiceProviderConfig says it does not support ETags, the client refuses to
   * send the request rather than silently losing the protection.
   */
  ifMatch?: string;
}

/** Options of `update`. */
export interface UpdateOptions extends RequestOptions {
  /**
   * How many read-change-write rounds to try before giving up with the last
   * {@link ScimPreconditionFailedError}.
   * @defaultValue 3
   */
  attempts?: number;
}

/**
 * CRUD, listing and search for one resource endpoint. `T` is the resource as the server
 * returns it, `TInput` what create and replace accept.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3
 */
export interface ResourceClient<T, TInput = T> {
  /** The endpoint, e.g. `/Users`. */
  readonly endpoint: string;
  /**
   * Creates a resource (POST) and returns it as stored, with `id` and `meta`. When the server
   * answers 201 without a body, the resource is read from its `Location` (same origin only).
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.3
   */
  create(resource: ResourceInput<TInput>, options?: RequestOptions): Promise<T>;
  /**
   * Reads one resource; `meta.version` is filled from the `ETag` header when the body has none.
   * Unknown ids fail with a {@link ScimHttpError} of status 404.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.1
   */
  get(id: string, options?: GetOptions): Promise<T>;
  /**
   * Replaces a resource (PUT) with `resource`.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.1
   */
  replace(id: string, resource: ResourceInput<TInput>, options?: WriteOptions): Promise<T>;
  /**
   * Applies PATCH operations, all or nothing. Resolves to the resource, or `undefined` when the
   * server answered 204 No Content.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
   */
  patch(id: string, operations: readonly PatchOperation[], options?: WriteOptions): Promise<T | undefined>;
  /**
   * Deletes a resource.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.6
   */
  delete(id: string, options?: WriteOptions): Promise<void>;
  /**
   * Read-modify-write with optimistic concurrency: reads the resource, calls `change` with it
   * and replaces it with the result under `If-Match` of the version read. When someone else
   * wrote in between (412), it reads again and calls `change` again, up to `attempts` times.
   * `change` may return the resource it got with edits: `id` and `meta` are dropped before
   * sending. On servers that say they do not support ETags the replace is unconditional.
   * @example
   * ```ts
   * import type { ScimClient } from '@scimkit/client';
   *
   * declare const client: ScimClient;
   * await client.users.update('2819c223', (user) => ({ ...user, title: 'Director' }));
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14
   */
  update(
    id: string,
    change: (current: T) => T | ResourceInput<TInput> | Promise<T | ResourceInput<TInput>>,
    options?: UpdateOptions,
  ): Promise<T>;
  /**
   * Lists resources with GET, lazily page by page.
   * @example
   * ```ts
   * import type { ScimClient } from '@scimkit/client';
   *
   * declare const client: ScimClient;
   * for await (const user of client.users.list({ filter: 'active eq true', pageSize: 200 })) {
   *   console.log(user.userName);
   * }
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
   */
  list(query?: ListQuery): ListResult<T>;
  /**
   * Like {@link ResourceClient.list}, but with `POST {endpoint}/.search`, which keeps the
   * filter out of URLs and logs.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.3
   */
  search(query?: ListQuery): ListResult<T>;
  /**
   * How many resources match `filter` (all when left out): asks for `count=0` and reads
   * `totalResults`.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.4
   */
  count(filter?: string | Filter, options?: RequestOptions): Promise<number>;
}

/** What resource clients share. */
export interface ResourceContext {
  transport: Transport;
  discoverer: Discoverer;
}

/** Options of `client.resource()`. */
export interface ResourceOptions {
  /** The core schema URN put into `schemas` when create or replace input has none. */
  schema?: string;
}

const DEFAULT_PAGE_SIZE = 100;

function encodeId(id: string): string {
  if (id === '')
    throw new ScimClientError('A resource id must not be empty.', { status: 400, scimType: 'invalidValue' });
  return encodeURIComponent(id);
}

function attributeParameters(options: GetOptions): URLSearchParams | undefined {
  const parameters = new URLSearchParams();
  const join = (value: string | readonly string[]) => (typeof value === 'string' ? value : value.join(','));
  if (options.attributes !== undefined) parameters.set('attributes', join(options.attributes));
  if (options.excludedAttributes !== undefined)
    parameters.set('excludedAttributes', join(options.excludedAttributes));
  return parameters.toString() === '' ? undefined : parameters;
}

/** Fills `meta.version` from the ETag header when the body has no version. */
function withVersion<T>(response: TransportResponse, what: string): T {
  const body = response.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ScimClientError(`The server answered ${what} without a resource (HTTP ${response.status}).`, {
      status: 502,
    });
  }
  const etag = response.headers.get('etag');
  const meta = (body as { meta?: Partial<Meta> }).meta;
  if (etag && (typeof meta !== 'object' || meta === null || typeof meta.version !== 'string')) {
    return { ...body, meta: { ...(typeof meta === 'object' ? meta : {}), version: etag } } as T;
  }
  return body as T;
}

function requestBase(options: RequestOptions | undefined): {
  signal?: AbortSignal;
  headers?: Record<string, string>;
} {
  return {
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(options?.headers ? { headers: { ...options.headers } } : {}),
  };
}

/** Creates the client of one endpoint. */
export function createResourceClient<T, TInput = T>(
  context: ResourceContext,
  endpoint: string,
  options: ResourceOptions = {},
): ResourceClient<T, TInput> {
  const { transport, discoverer } = context;
  const base = `/${endpoint.replace(/^\/+|\/+$/g, '')}`;

  const body = (resource: ResourceInput<TInput>): Record<string, unknown> => {
    const { id: _id, meta: _meta, ...rest } = resource as Record<string, unknown>;
    if (!Array.isArray(rest.schemas) && options.schema) {
      const extensions = Object.keys(rest).filter((key) => key.toLowerCase().startsWith('urn:'));
      return { schemas: [options.schema, ...extensions], ...rest };
    }
    return rest;
  };

  const writeHeaders = async (writeOptions: WriteOptions | undefined) => {
    const request = requestBase(writeOptions);
    if (writeOptions?.ifMatch === undefined) return request;
    const capabilities = await discoverer.capabilities(writeOptions.signal);
    if (capabilities.etag === false) {
      throw new ScimClientError(
        'ifMatch was given, but the server says it does not support ETags (ServiceProviderConfig etag.supported is false), so the write would not be protected; leave ifMatch out to write anyway.',
        { status: 400 },
      );
    }
    return { ...request, headers: { ...request.headers, 'if-match': writeOptions.ifMatch } };
  };

  const settings = (query: ListQuery) => async (): Promise<PagerSettings> => {
    const mode = query.paging ?? 'auto';
    const requested = query.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(requested) || requested < 1) {
      throw new ScimClientError(`pageSize must be a positive integer, got ${requested}.`, { status: 400 });
    }
    if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 0)) {
      throw new ScimClientError(`limit must be a non-negative integer, got ${query.limit}.`, { status: 400 });
    }
    // Cached after the first request; servers without /ServiceProviderConfig get the defaults.
    const capabilities = await discoverer.capabilities(query.signal);
    const pageSize = Math.min(requested, capabilities.maxPageSize ?? requested);
    const cursor = mode === 'cursor' || (mode === 'auto' && capabilities.cursor);
    return { mode: cursor ? 'cursor' : 'index', pageSize, limit: query.limit };
  };

  const pageParameters = (page: PageRequest): Record<string, string | number> =>
    page.kind === 'index'
      ? { startIndex: page.startIndex, count: page.count }
      : { cursor: page.cursor, count: page.count };

  const searchPage = (query: ListQuery) => {
    const searchRequest = searchBody(query, SEARCH_REQUEST_SCHEMA);
    return async (page: PageRequest) => {
      const response = await transport({
        method: 'POST',
        path: `${base}/.search`,
        body: { ...searchRequest, ...pageParameters(page) },
        safe: true,
        ...(query.signal ? { signal: query.signal } : {}),
      });
      return response.body;
    };
  };

  const resourceClient: ResourceClient<T, TInput> = {
    endpoint: base,
    async create(resource, requestOptions) {
      const response = await transport({
        method: 'POST',
        path: base,
        body: body(resource),
        ...requestBase(requestOptions),
      });
      const location = response.headers.get('location');
      if (response.body === undefined && location) {
        // Some servers answer 201 with only a Location: read the resource there, but never
        // send the token to another origin.
        const target = new URL(location, response.url);
        if (target.origin !== new URL(response.url).origin) {
          throw new ScimClientError(
            `The server answered POST ${base} without a resource and a Location on another origin (${target.origin}); not following it.`,
            { status: 502 },
          );
        }
        return withVersion<T>(
          await transport({ method: 'GET', path: base, url: target.href, ...requestBase(requestOptions) }),
          `GET ${target.pathname}`,
        );
      }
      return withVersion<T>(response, `POST ${base}`);
    },
    async get(id, getOptions = {}) {
      const query = attributeParameters(getOptions);
      const response = await transport({
        method: 'GET',
        path: `${base}/${encodeId(id)}`,
        ...(query ? { query } : {}),
        ...requestBase(getOptions),
      });
      return withVersion<T>(response, `GET ${base}/${id}`);
    },
    async replace(id, resource, writeOptions) {
      const path = `${base}/${encodeId(id)}`;
      const response = await transport({
        method: 'PUT',
        path,
        body: body(resource),
        ...(await writeHeaders(writeOptions)),
      });
      return withVersion<T>(response, `PUT ${path}`);
    },
    async patch(id, operations, writeOptions) {
      const path = `${base}/${encodeId(id)}`;
      const response = await transport({
        method: 'PATCH',
        path,
        body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
        ...(await writeHeaders(writeOptions)),
      });
      if (response.status === 204 || response.body === undefined) return undefined;
      return withVersion<T>(response, `PATCH ${path}`);
    },
    async update(id, change, updateOptions = {}) {
      const attempts = Math.max(1, updateOptions.attempts ?? 3);
      const request = requestBase(updateOptions);
      for (let attempt = 1; ; attempt++) {
        const current = await resourceClient.get(id, request);
        const version = (current as { meta?: Partial<Meta> }).meta?.version;
        const capabilities =
          version === undefined ? undefined : await discoverer.capabilities(updateOptions.signal);
        const conditional = version !== undefined && capabilities?.etag !== false;
        const next = (await change(current)) as ResourceInput<TInput>;
        try {
          return await resourceClient.replace(id, next, {
            ...request,
            ...(conditional ? { ifMatch: version } : {}),
          });
        } catch (error) {
          if (!isScimPreconditionFailedError(error) || attempt >= attempts) throw error;
        }
      }
    },
    async delete(id, writeOptions) {
      await transport({
        method: 'DELETE',
        path: `${base}/${encodeId(id)}`,
        ...(await writeHeaders(writeOptions)),
      });
    },
    list(query = {}) {
      const parameters = queryParameters(query);
      return createListResult<T>(
        settings(query),
        async (page) => {
          const pageQuery = new URLSearchParams(parameters);
          for (const [name, value] of Object.entries(pageParameters(page)))
            pageQuery.set(name, String(value));
          const response = await transport({
            method: 'GET',
            path: base,
            query: pageQuery,
            ...(query.signal ? { signal: query.signal } : {}),
          });
          return response.body;
        },
        searchPage(query),
      );
    },
    search(query = {}) {
      return createListResult<T>(settings(query), searchPage(query));
    },
    async count(filter, requestOptions) {
      const parameters = new URLSearchParams();
      if (filter !== undefined) parameters.set('filter', filterText(filter));
      parameters.set('count', '0');
      const response = await transport({
        method: 'GET',
        path: base,
        query: parameters,
        ...requestBase(requestOptions),
      });
      const record = response.body as Record<string, unknown> | undefined;
      const total = record && typeof record === 'object' ? Number(record.totalResults) : Number.NaN;
      if (!Number.isFinite(total) || total < 0) {
        throw new ScimClientError(`The server answered GET ${base}?count=0 without a valid totalResults.`, {
          status: 502,
        });
      }
      return total;
    },
  };
  return resourceClient;
}
