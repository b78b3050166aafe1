import {
  type AttributePath,
  parseAttributeList,
  parseFilter,
  parseSortBy,
  type SortSpec,
} from '@scimkit/filter';
import { type AttributeDelta, applyPatch } from '@scimkit/patch';
import {
  createResourceShaper,
  groupResourceType,
  isScimError,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  type ScimResource,
  SEARCH_REQUEST_SCHEMA,
  userResourceType,
  validateResource,
} from '@scimkit/schema';
import { nextVersion } from '@scimkit/schema/internal';
import { contextOf, createAuthenticator, type ScimPrincipal } from './auth.js';
import { type BulkExecutor, runBulk } from './bulk.js';
import { createDiscovery, listOf } from './discovery.js';
import {
  checkFilterAttributes,
  checkFilterReadable,
  isComputedGroups,
  isHidden,
  pruneFilter,
} from './internal/filter-check.js';
import {
  cacheableBodies,
  errorResult,
  fromWebRequest,
  isJsonContentType,
  listBodies,
  MethodNotAllowedError,
  parseJsonObject,
  type ScimRequest,
  type ScimResult,
  scimCores,
  scimError,
  toResponse,
} from './internal/http.js';
import {
  type AttributeLocation,
  compiledFilter,
  resolvePath,
  type TypeInfo,
  typeInfo,
} from './internal/type-info.js';
import { createOpenApiEndpoint, OPENAPI_PATH } from './openapi.js';
import {
  resolveCompatibility,
  resolveLimits,
  type ScimEvent,
  type ScimEventHook,
  type ScimServerOptions,
} from './options.js';
import type { PageRequest, StoreContext, StoreProjection, StoreQuery } from './store.js';

/**
 * A SCIM service provider speaking only Web `Request`/`Response`: mount `fetch` in any runtime
 * (Node through `@scimkit/server/node`, Express, Hono, Bun, Deno, Workers).
 */
export interface ScimServer {
  /** Answers one HTTP request. Never rejects: every failure is an RFC 7644 Error response. */
  fetch(request: Request): Promise<Response>;
  /** The path prefix of every endpoint, e.g. `/scim/v2`. */
  readonly basePath: string;
}

/** Per-request state. */
interface Call {
  request: ScimRequest;
  /** Inside a bulk transaction: events wait here until it commits. */
  deferred?: (() => Promise<void>)[];
  /** Absolute base URL: `https://host/scim/v2`. */
  base: string;
  principal: ScimPrincipal;
  context: StoreContext;
}

/** Query parameters of a list or search, from the URL or a SearchRequest body. */
interface ListParameters {
  filter?: unknown;
  sortBy?: unknown;
  sortOrder?: unknown;
  startIndex?: unknown;
  count?: unknown;
  cursor?: unknown;
  attributes?: unknown;
  excludedAttributes?: unknown;
}

const METHODS_ITEM = 'GET, PUT, PATCH, DELETE';

/** A parsed `attributes` / `excludedAttributes` pair (RFC 7644 section 3.4.2.5). */
interface Projection {
  attributes?: AttributePath[];
  excludedAttributes?: AttributePath[];
  /** Shapers built for this projection, per resource type (one per request, not per resource). */
  shapers?: Map<TypeInfo, Shaper>;
}

/** The projection as a store hint (without the per-request shapers). */
function storeProjection(projection: Projection): StoreProjection {
  return {
    ...(projection.attributes ? { attributes: projection.attributes } : {}),
    ...(projection.excludedAttributes ? { excludedAttributes: projection.excludedAttributes } : {}),
  };
}

/**
 * Whether `value` and every object and array in it are frozen: then nothing can change it, and
 * the response shaped from it may be cached by its identity. Checked once per cached resource.
 */
function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isDeepFrozen(item)) return false;
    return true;
  }
  for (const item of Object.values(value)) if (!isDeepFrozen(item)) return false;
  return true;
}

type Shaper = (resource: Record<string, unknown>) => Record<string, unknown>;
const defaultShapers = new WeakMap<TypeInfo, Shaper>();

/** The shaper applying `returned` rules and the projection; cached per type when there is no projection. */
function shaperFor(info: TypeInfo, projection: Projection): Shaper {
  if (!projection.attributes && !projection.excludedAttributes) {
    let shaper = defaultShapers.get(info);
    if (!shaper) {
      shaper = createResourceShaper({ resourceType: info.definition });
      defaultShapers.set(info, shaper);
    }
    return shaper;
  }
  projection.shapers ??= new Map();
  let shaper = projection.shapers.get(info);
  if (!shaper) {
    shaper = createResourceShaper({
      resourceType: info.definition,
      ...(projection.attributes ? { attributes: projection.attributes } : {}),
      ...(projection.excludedAttributes ? { excludedAttributes: projection.excludedAttributes } : {}),
    });
    projection.shapers.set(info, shaper);
  }
  return shaper;
}

/**
 * Creates a SCIM 2.0 service provider (RFC 7643, RFC 7644, RFC 9865 cursor paging) on Web
 * `Request`/`Response`. It assigns ids and `meta`, validates bodies against the schemas,
 * parses filters, hands the store the parsed query, applies `returned` rules and projections,
 * computes `User.groups`, answers every failure with an RFC Error body and, by default,
 * accepts what Microsoft Entra ID and Okta really send (`strict: true` turns that off).
 *
 * @example
 * ```ts
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { serveNode } from '@scimkit/server/node';
 *
 * const server = createScimServer({ store: createMemoryStore(), auth: { tokens: [process.env.SCIM_TOKEN!] } });
 * const { url } = await serveNode({ server, port: 8080 });
 * console.log(`SCIM at ${url}/scim/v2`);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export function createScimServer(options: ScimServerOptions): ScimServer {
  const { store } = options;
  const strict = options.strict === true;
  const compat = resolveCompatibility(strict, options.compatibility);
  const validation = {
    strict,
    coerceBooleans: compat.coerceBooleans,
    unknownAttributes: compat.dropUnknownAttributes ? ('drop' as const) : ('reject' as const),
  };
  const limits = resolveLimits(options.limits);
  const basePath = normaliseBasePath(options.basePath ?? '/scim/v2');
  const baseUrl = options.baseUrl?.replace(/\/+$/, '');
  const types = (options.resourceTypes ?? [userResourceType, groupResourceType]).map(typeInfo);
  const byEndpoint = new Map<string, TypeInfo>();
  for (const type of types) byEndpoint.set(type.endpoint.replace(/^\/+/, ''), type);
  const userType = types.find((type) => type.name === 'User');
  const groupType = types.find((type) => type.hasMembers);
  const atomicBulk = options.bulk?.atomic === true;
  if (atomicBulk && typeof store.transaction !== 'function') {
    throw new TypeError(
      'bulk.atomic needs a store with transaction(): this store cannot roll a bulk request back.',
    );
  }
  const authenticate = createAuthenticator(options.auth);
  const discovery = createDiscovery(types, limits, options.documentationUri);
  const openapi =
    options.openapi === false
      ? undefined
      : createOpenApiEndpoint(discovery, options.openapi === true ? {} : (options.openapi ?? {}));
  const reportError = (error: unknown, request: Request) => {
    try {
      if (options.onError) options.onError(error, request);
      else console.error('[scimkit] unexpected error', error);
    } catch {
      // A failing error hook must not break the response.
    }
  };

  // ---- helpers ---------------------------------------------------------------------------

  const emit = async (call: Call, hook: ScimEventHook | undefined, event: ScimEvent) => {
    if (!hook) return;
    if (call.deferred) {
      const { deferred: _deferred, ...committed } = call;
      call.deferred.push(() => emit(committed, hook, event));
      return;
    }
    try {
      await hook(event);
    } catch (error) {
      reportError(error, event.request);
    }
  };

  const locks = new Map<string, Promise<void>>();
  /** Serialises writes to one resource inside this process, so concurrent PATCHes rarely conflict. */
  const withLock = async <T>(call: Call, key: string, work: () => Promise<T>): Promise<T> => {
    // Inside a bulk transaction the store already serialises writers; waiting here for a
    // request that waits for the transaction would deadlock.
    if (call.deferred) return work();
    const previous = locks.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous ? previous.then(() => mine) : mine;
    locks.set(key, tail);
    if (previous) await previous;
    try {
      return await work();
    } finally {
      release();
      if (locks.get(key) === tail) locks.delete(key);
    }
  };

  const parsePaths = (value: unknown, name: string): AttributePath[] | undefined => {
    if (value === undefined || value === null) return undefined;
    let text: string;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) text = value.join(',');
    else if (typeof value === 'string') text = value;
    else throw scimError(400, `"${name}" must be a comma-separated list of attribute paths.`, 'invalidValue');
    if (text.trim() === '') return undefined;
    return parseAttributeList(text, { lenient: compat.lenientFilters, maxLength: limits.maxFilterLength });
  };

  const projectionOf = (parameters: { attributes?: unknown; excludedAttributes?: unknown }): Projection => {
    const attributes = parsePaths(parameters.attributes, 'attributes');
    const excludedAttributes = parsePaths(parameters.excludedAttributes, 'excludedAttributes');
    return {
      ...(attributes ? { attributes } : {}),
      ...(excludedAttributes ? { excludedAttributes } : {}),
    };
  };

  const projectionFromUrl = (url: URL): Projection => {
    const attributes = queryParameter(url, 'attributes');
    const excludedAttributes = queryParameter(url, 'excludedAttributes');
    if (attributes === null && excludedAttributes === null) return {};
    return projectionOf({
      ...(attributes !== null ? { attributes } : {}),
      ...(excludedAttributes !== null ? { excludedAttributes } : {}),
    });
  };

  const wantsGroups = (projection: Projection) => {
    const core = userType?.schemaUrn.toLowerCase();
    const named = (paths: readonly AttributePath[] | undefined, whole: boolean) =>
      paths?.some(
        (p) =>
          // The whole core schema by its URN (parsed as `urn:…:core:2.0` + `User`) includes groups.
          (p.schema !== undefined && `${p.schema}:${p.attribute}`.toLowerCase() === core) ||
          (p.attribute.toLowerCase() === 'groups' &&
            (p.schema === undefined || p.schema.toLowerCase() === core) &&
            (!whole || p.subAttribute === undefined)),
      ) === true;
    if (projection.attributes) return named(projection.attributes, false);
    return !named(projection.excludedAttributes, true);
  };

  /** The resource as it leaves the server: `User.groups` computed, `returned` rules and projection applied. */
  const present = async (
    call: Call,
    info: TypeInfo,
    resource: ScimResource,
    projection: Projection,
    prefetched?: Map<string, { id: string; displayName?: string }[]>,
  ): Promise<Record<string, unknown>> => {
    let output: Record<string, unknown> = resource;
    if (info.hasComputedGroups && wantsGroups(projection)) {
      const groups =
        prefetched?.get(resource.id) ?? (await store.groupsOf(resource.id, { context: call.context }));
      if (groups.length > 0) {
        const endpoint = groupType?.endpoint ?? '/Groups';
        const { meta, ...rest } = resource;
        output = {
          ...rest,
          groups: groups.map((group) => ({
            value: group.id,
            $ref: `${call.base}${endpoint}/${group.id}`,
            ...(group.displayName !== undefined ? { display: group.displayName } : {}),
            type: 'direct',
          })),
          meta,
        };
      }
    }
    if (output !== resource || projection.attributes || projection.excludedAttributes) {
      return shaperFor(info, projection)(output);
    }
    // A deeply frozen stored resource (the memory store's) can never change: shape it once and
    // reuse the output, and its JSON text (see bodyText), for as long as the store returns it.
    // Only the whole object graph being frozen makes identity safe to cache by (see ScimStore).
    if (!Object.isFrozen(resource)) return shaperFor(info, projection)(resource);
    let shaped = shapedResources.get(resource);
    if (!shaped || shaped.info !== info) {
      if (!isDeepFrozen(resource)) return shaperFor(info, projection)(resource);
      shaped = { info, output: Object.freeze(shaperFor(info, projection)(resource)) };
      shapedResources.set(resource, shaped);
      cacheableBodies.add(shaped.output);
    }
    return shaped.output;
  };

  const shapedResources = new WeakMap<object, { info: TypeInfo; output: Record<string, unknown> }>();

  const resourceHeaders = (resource: ScimResource, withLocation: boolean): Record<string, string> => ({
    etag: resource.meta.version,
    ...(withLocation ? { location: resource.meta.location } : {}),
  });

  const load = async (
    call: Call,
    info: TypeInfo,
    id: string,
    projection?: Projection,
  ): Promise<ScimResource> => {
    const { context } = call;
    const resource = await store.get(
      info.definition,
      id,
      projection ? { context, projection: storeProjection(projection) } : { context },
    );
    if (!resource) throw scimError(404, `${info.name} ${id} not found.`);
    return resource;
  };

  const checkIfMatch = (resource: ScimResource, ifMatch: string | undefined) => {
    if (ifMatch === undefined) return;
    if (!etagMatches(ifMatch, resource.meta.version)) {
      throw scimError(
        412,
        `${resource.meta.resourceType} ${resource.id} is at version ${resource.meta.version}, not ${ifMatch}; read it again and retry.`,
      );
    }
  };

  const deactivated = (info: TypeInfo, before: ScimResource, after: ScimResource) =>
    info.hasActive && before.active !== false && after.active === false;

  const buildMeta = (call: Call, info: TypeInfo, id: string) => {
    const now = new Date().toISOString();
    return {
      resourceType: info.name,
      created: now,
      lastModified: now,
      location: `${call.base}${info.endpoint}/${id}`,
      version: 'W/"1"',
    };
  };

  // ---- write-only attributes (password) ---------------------------------------------------

  const readAt = (resource: Record<string, unknown>, at: AttributeLocation): unknown => {
    if (!at.extension) return resource[at.name];
    const container = resource[at.extension];
    return container && typeof container === 'object'
      ? (container as Record<string, unknown>)[at.name]
      : undefined;
  };
  const writeAt = (resource: Record<string, unknown>, at: AttributeLocation, value: unknown) => {
    const set = (target: Record<string, unknown>) => {
      const copy = { ...target };
      if (value === undefined) delete copy[at.name];
      else copy[at.name] = value;
      return copy;
    };
    if (!at.extension) return set(resource);
    const container = resource[at.extension];
    if (!container || typeof container !== 'object') return resource;
    return { ...resource, [at.extension]: set(container as Record<string, unknown>) };
  };

  /**
   * writeOnly values cannot be read back, so a client that PUTs what it read never carries
   * them (Okta's PUT): keep the stored ones rather than clearing a password (RFC 7644 3.5.1 lets
   * the service provider decide for attributes a replace leaves out).
   */
  const keepWriteOnly = (info: TypeInfo, data: Record<string, unknown>, current: ScimResource) => {
    for (const at of info.writeOnlyAttributes) {
      const stored = readAt(current, at);
      if (stored !== undefined && readAt(data, at) === undefined) data = writeAt(data, at, stored);
    }
    return data;
  };

  /** Passes each writeOnly value this request sets through `protectWriteOnly` before it is stored. */
  const protectWriteOnly = async (
    info: TypeInfo,
    data: Record<string, unknown>,
    current: ScimResource | undefined,
  ): Promise<Record<string, unknown>> => {
    const protect = options.protectWriteOnly;
    if (!protect) return data;
    for (const at of info.writeOnlyAttributes) {
      const value = readAt(data, at);
      if (value === undefined || (current && value === readAt(current, at))) continue;
      const attribute = at.extension ? `${at.extension}:${at.name}` : at.name;
      data = writeAt(data, at, await protect(value, { resourceType: info.name, attribute }));
    }
    return data;
  };

  // ---- resource operations (shared by HTTP and bulk) ------------------------------------

  const createResource = async (
    call: Call,
    info: TypeInfo,
    body: Record<string, unknown>,
    projection: Projection,
  ): Promise<ScimResult> => {
    const data = await protectWriteOnly(
      info,
      validateResource(body, { resourceType: info.definition, context: 'create', ...validation }),
      undefined,
    );
    const id = crypto.randomUUID();
    const { schemas, ...attributes } = data;
    const resource = { schemas, id, ...attributes, meta: buildMeta(call, info, id) } as ScimResource;
    const stored = await store.create(info.definition, resource, { context: call.context });
    // The event (and the Web Request it carries) is only built for a configured hook.
    if (options.onCreated)
      await emit(call, options.onCreated, {
        resourceType: info.name,
        id,
        resource: stored,
        principal: call.principal,
        request: call.request.request(),
      });
    return {
      status: 201,
      body: await present(call, info, stored, projection),
      headers: resourceHeaders(stored, true),
    };
  };

  const getResource = async (
    call: Call,
    info: TypeInfo,
    id: string,
    projection: Projection,
    ifNoneMatch: string | undefined,
  ): Promise<ScimResult> => {
    const resource = await load(call, info, id, projection);
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, resource.meta.version)) {
      return { status: 304, headers: resourceHeaders(resource, false) };
    }
    return {
      status: 200,
      body: await present(call, info, resource, projection),
      headers: resourceHeaders(resource, false),
    };
  };

  const lockKey = (call: Call, info: TypeInfo, id: string) =>
    `${call.context.tenant ?? ''}\0${info.name}\0${id}`;

  /** Runs a read-modify-write, retrying lost optimistic-concurrency races when the client sent no If-Match. */
  const retrying = async <T>(ifMatch: string | undefined, work: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const conflict = isScimError(error) && error.status === 412;
        if (!conflict || ifMatch !== undefined || attempt >= limits.maxConflictRetries) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 20)));
      }
    }
  };

  /**
   * Read-modify-write of one resource: `change` computes the new attributes from the current
   * resource (or undefined when nothing changes, which keeps the version); the store checks the
   * version read, and a lost race is retried when the client sent no If-Match.
   */
  const modifyResource = async (
    call: Call,
    info: TypeInfo,
    id: string,
    ifMatch: string | undefined,
    projection: Projection,
    hook: ScimEventHook | undefined,
    change: (
      current: ScimResource,
    ) => { data: Record<string, unknown>; deltas?: AttributeDelta[] } | undefined,
  ): Promise<ScimResult> => {
    const [previous, stored, changed] = await withLock(call, lockKey(call, info, id), () =>
      retrying(ifMatch, async () => {
        const current = await load(call, info, id);
        checkIfMatch(current, ifMatch);
        const outcome = change(current);
        if (!outcome) return [current, current, false] as const;
        const data = await protectWriteOnly(info, outcome.data, current);
        const { schemas, id: _id, meta: _meta, ...attributes } = data;
        const next = {
          schemas,
          id,
          ...attributes,
          meta: {
            ...current.meta,
            lastModified: new Date().toISOString(),
            version: nextVersion(current.meta.version),
          },
        } as ScimResource;
        const replaceOptions = {
          context: call.context,
          expectedVersion: current.meta.version,
          ...(outcome.deltas ? { deltas: outcome.deltas } : {}),
        };
        return [current, await store.replace(info.definition, next, replaceOptions), true] as const;
      }),
    );
    if (changed && (hook || (options.onDeactivated && deactivated(info, previous, stored)))) {
      const event = {
        resourceType: info.name,
        id,
        resource: stored,
        previous,
        principal: call.principal,
        request: call.request.request(),
      };
      await emit(call, hook, event);
      if (deactivated(info, previous, stored)) await emit(call, options.onDeactivated, event);
    }
    return {
      status: 200,
      body: await present(call, info, stored, projection),
      headers: resourceHeaders(stored, false),
    };
  };

  const replaceResource = (
    call: Call,
    info: TypeInfo,
    id: string,
    body: Record<string, unknown>,
    ifMatch: string | undefined,
    projection: Projection,
  ): Promise<ScimResult> => {
    if (!compat.ignoreBodyId && body.id !== undefined && body.id !== id) {
      throw scimError(
        400,
        `The body's id "${String(body.id)}" does not match the URL's ${id}.`,
        'mutability',
      );
    }
    return modifyResource(call, info, id, ifMatch, projection, options.onReplaced, (current) => {
      const data = keepWriteOnly(
        info,
        validateResource(body, {
          resourceType: info.definition,
          context: 'replace',
          existing: current,
          ...validation,
        }),
        current,
      );
      const { id: _id, meta: _meta, ...currentAttributes } = current;
      // A PUT of what is already stored keeps the version.
      return sameContent(currentAttributes, data) ? undefined : { data };
    });
  };

  const patchResource = (
    call: Call,
    info: TypeInfo,
    id: string,
    body: Record<string, unknown>,
    ifMatch: string | undefined,
    projection: Projection,
  ): Promise<ScimResult> => {
    if (!compat.missingMessageSchemas) {
      const schemas = body.schemas;
      if (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA)) {
        throw scimError(400, `A PATCH body must list "${PATCH_OP_SCHEMA}" in "schemas".`, 'invalidSyntax');
      }
    }
    return modifyResource(call, info, id, ifMatch, projection, options.onPatched, (current) => {
      const result = applyPatch(current, body as never, {
        resourceType: info.definition,
        strict,
        compat: compat.patch,
      });
      if (!result.changed) return undefined;
      // Check the outcome as a whole (required attributes, single primary, immutables).
      const data = validateResource(result.resource, {
        resourceType: info.definition,
        context: 'patch',
        existing: current,
        ...validation,
      });
      return { data, deltas: result.deltas };
    });
  };

  const deleteResource = async (
    call: Call,
    info: TypeInfo,
    id: string,
    ifMatch: string | undefined,
  ): Promise<ScimResult> => {
    // A write elsewhere can bump the version between load and delete (deleting a User bumps
    // every Group listing it): without If-Match that lost race is retried, as for PUT and PATCH.
    const previous = await withLock(call, lockKey(call, info, id), () =>
      retrying(ifMatch, async () => {
        const current = await load(call, info, id);
        checkIfMatch(current, ifMatch);
        const deleted = await store.delete(info.definition, id, {
          context: call.context,
          expectedVersion: current.meta.version,
        });
        if (!deleted) throw scimError(404, `${info.name} ${id} not found.`);
        return current;
      }),
    );
    if (options.onDeleted)
      await emit(call, options.onDeleted, {
        resourceType: info.name,
        id,
        previous,
        principal: call.principal,
        request: call.request.request(),
      });
    return { status: 204 };
  };

  // ---- queries ---------------------------------------------------------------------------

  const integer = (value: unknown, name: string): number | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    // Decimal digits only: Number() would also read "0x10", "1e3" and "0b1".
    const number =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)
          ? Number(value)
          : Number.NaN;
    if (!Number.isFinite(number) || !Number.isInteger(number)) {
      throw scimError(400, `"${name}" must be an integer, not ${JSON.stringify(value)}.`, 'invalidValue');
    }
    return number;
  };

  const parseQuery = (
    info: TypeInfo | undefined,
    parameters: ListParameters,
  ): StoreQuery & { projection: Projection } => {
    let filter: StoreQuery['filter'];
    if (parameters.filter !== undefined && parameters.filter !== null && parameters.filter !== '') {
      if (typeof parameters.filter !== 'string')
        throw scimError(400, '"filter" must be a string.', 'invalidFilter');
      filter = parseFilter(parameters.filter, {
        lenient: compat.lenientFilters,
        maxLength: limits.maxFilterLength,
        maxDepth: limits.maxFilterDepth,
      });
      // Reject unknown attributes and impossible comparisons the same way for every store.
      if (info) {
        checkFilterAttributes(filter, info);
        compiledFilter(filter, info);
      } else {
        for (const type of types) checkFilterReadable(filter, type);
      }
    }
    let sort: SortSpec | undefined;
    if (parameters.sortBy !== undefined && parameters.sortBy !== null && parameters.sortBy !== '') {
      if (typeof parameters.sortBy !== 'string')
        throw scimError(400, '"sortBy" must be a string.', 'invalidValue');
      const path = parseSortBy(parameters.sortBy, {
        lenient: compat.lenientFilters,
        maxLength: limits.maxFilterLength,
      });
      const resolved = info ? resolvePath(info, path) : undefined;
      if (info && !resolved) {
        throw scimError(
          400,
          `sortBy "${parameters.sortBy}" is not an attribute of ${info.name} resources.`,
          'invalidValue',
        );
      }
      // Sorting on a value that is never returned would disclose it (order, cursor keys), and
      // User.groups is computed, not stored.
      const unsortable = (type: TypeInfo, candidate: ReturnType<typeof resolvePath>) =>
        candidate !== undefined &&
        (isHidden(candidate.attribute) ||
          isHidden(candidate.subAttribute) ||
          isComputedGroups(type, candidate));
      const hidden = info
        ? unsortable(info, resolved)
        : types.some((type) => unsortable(type, resolvePath(type, path)));
      if (hidden) {
        throw scimError(
          400,
          `sortBy "${parameters.sortBy}" names an attribute that is never returned or is computed (User.groups), so results cannot be sorted by it.`,
          'invalidValue',
        );
      }
      let order: SortSpec['order'] = 'ascending';
      if (
        parameters.sortOrder !== undefined &&
        parameters.sortOrder !== null &&
        parameters.sortOrder !== ''
      ) {
        const text = String(parameters.sortOrder).toLowerCase();
        if (text !== 'ascending' && text !== 'descending') {
          throw scimError(400, `sortOrder must be "ascending" or "descending".`, 'invalidValue');
        }
        order = text;
      }
      sort = { path, order };
    }
    const count = integer(parameters.count, 'count');
    const pageSize = Math.min(
      count === undefined ? limits.defaultPageSize : Math.max(0, count),
      limits.maxResults,
    );
    let page: PageRequest;
    if (parameters.cursor !== undefined && parameters.cursor !== null) {
      if (typeof parameters.cursor !== 'string')
        throw scimError(400, '"cursor" must be a string.', 'invalidCursor');
      if (parameters.startIndex !== undefined && parameters.startIndex !== null) {
        throw scimError(400, 'Use either "cursor" or "startIndex" paging, not both.', 'invalidValue');
      }
      if (count !== undefined && count < 0)
        throw scimError(400, '"count" must not be negative.', 'invalidCount');
      page = {
        kind: 'cursor',
        count: pageSize,
        ...(parameters.cursor !== '' ? { cursor: parameters.cursor } : {}),
      };
    } else {
      const startIndex = integer(parameters.startIndex, 'startIndex');
      // Beyond 2^53 no page exists; clamping keeps the offset an exact integer for every store.
      page = {
        kind: 'index',
        startIndex: Math.min(Math.max(1, startIndex ?? 1), Number.MAX_SAFE_INTEGER),
        count: pageSize,
      };
    }
    return {
      ...(filter ? { filter } : {}),
      ...(sort ? { sort } : {}),
      page,
      projection: projectionOf(parameters),
    };
  };

  const listResponse = async (
    call: Call,
    items: { info: TypeInfo; resource: ScimResource }[],
    total: number,
    query: StoreQuery & { projection: Projection },
    cursors: { nextCursor?: string; previousCursor?: string },
  ): Promise<ScimResult> => {
    // User.groups of the whole page in one store call when the store offers groupsOfMany (and
    // none at all when the projection leaves groups out); else present() asks per resource.
    let prefetched: Map<string, { id: string; displayName?: string }[]> | undefined;
    if (store.groupsOfMany && wantsGroups(query.projection)) {
      const ids = items.filter((item) => item.info.hasComputedGroups).map((item) => item.resource.id);
      if (ids.length > 0) prefetched = await store.groupsOfMany(ids, { context: call.context });
    }
    const Resources = await Promise.all(
      items.map((item) => present(call, item.info, item.resource, query.projection, prefetched)),
    );
    const body =
      query.page.kind === 'index'
        ? {
            schemas: [LIST_RESPONSE_SCHEMA],
            totalResults: total,
            startIndex: query.page.startIndex,
            itemsPerPage: Resources.length,
            Resources,
          }
        : {
            schemas: [LIST_RESPONSE_SCHEMA],
            totalResults: total,
            itemsPerPage: Resources.length,
            ...(cursors.nextCursor !== undefined ? { nextCursor: cursors.nextCursor } : {}),
            ...(cursors.previousCursor !== undefined ? { previousCursor: cursors.previousCursor } : {}),
            Resources,
          };
    listBodies.add(body);
    return { status: 200, body };
  };

  const listResources = async (
    call: Call,
    info: TypeInfo,
    parameters: ListParameters,
  ): Promise<ScimResult> => {
    const query = parseQuery(info, parameters);
    const { projection: _projection, ...storeQuery } = query;
    const projection = query.projection;
    const result = await store.query(
      info.definition,
      {
        ...storeQuery,
        ...storeProjection(projection),
      },
      { context: call.context },
    );
    const limit = query.page.count;
    return listResponse(
      call,
      result.resources.slice(0, limit).map((resource) => ({ info, resource })),
      result.totalResults,
      query,
      result,
    );
  };

  /** POST /.search at the root: every resource type, in configuration order (RFC 7644 section 3.4.3). */
  const searchAll = async (call: Call, parameters: ListParameters): Promise<ScimResult> => {
    if (parameters.cursor !== undefined && parameters.cursor !== null) {
      throw scimError(
        400,
        'Cursor paging is not available for a search across all resource types.',
        'invalidValue',
      );
    }
    // Each type sorts in its own store (a database, with its own collation), so one order across
    // types could only be had by fetching every earlier page of every type: refuse it instead of
    // concatenating per-type orders, which looks sorted and is not.
    if (parameters.sortBy !== undefined && parameters.sortBy !== null && parameters.sortBy !== '') {
      throw scimError(
        400,
        'sortBy is not supported for a search across all resource types; search one type (POST /Users/.search) to sort.',
        'invalidValue',
      );
    }
    const query = parseQuery(undefined, parameters);
    if (query.page.kind !== 'index') throw scimError(400, 'Index paging only.', 'invalidValue');
    const { startIndex, count } = query.page;
    const items: { info: TypeInfo; resource: ScimResource }[] = [];
    let total = 0;
    for (const info of types) {
      // Conditions on attributes a type lacks are false for that type.
      const pruned = query.filter ? pruneFilter(query.filter, info) : true;
      if (pruned === false) continue;
      const filter = pruned === true ? {} : { filter: pruned };
      const offset = startIndex - 1 - total;
      const wanted = count - items.length;
      const page: PageRequest = {
        kind: 'index',
        startIndex: Math.max(0, offset) + 1,
        count: Math.max(0, wanted),
      };
      const result = await store.query(info.definition, { ...filter, page }, { context: call.context });
      if (page.count > 0)
        for (const resource of result.resources.slice(0, page.count)) items.push({ info, resource });
      total += result.totalResults;
    }
    return listResponse(call, items, total, query, {});
  };

  const searchParameters = (url: URL): ListParameters => {
    const parameters: Record<string, string> = {};
    for (const name of [
      'filter',
      'sortBy',
      'sortOrder',
      'startIndex',
      'count',
      'cursor',
      'attributes',
      'excludedAttributes',
    ]) {
      const value = queryParameter(url, name);
      if (value !== null) parameters[name] = value;
    }
    return parameters;
  };

  const readJson = async (request: ScimRequest, limit: number): Promise<Record<string, unknown>> => {
    if (!isJsonContentType(request.header('content-type'))) {
      throw scimError(415, 'Send the body as application/scim+json (or application/json).');
    }
    return parseJsonObject(await request.text(limit));
  };

  const searchBody = async (request: ScimRequest): Promise<ListParameters> => {
    const body = await readJson(request, limits.maxBodySize);
    if (!compat.missingMessageSchemas) {
      const schemas = body.schemas;
      if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST_SCHEMA)) {
        throw scimError(
          400,
          `A search body must list "${SEARCH_REQUEST_SCHEMA}" in "schemas".`,
          'invalidSyntax',
        );
      }
    }
    const parameters: ListParameters = {};
    for (const key of Object.keys(body)) {
      const lower = key.toLowerCase();
      const name = (
        {
          filter: 'filter',
          sortby: 'sortBy',
          sortorder: 'sortOrder',
          startindex: 'startIndex',
          count: 'count',
          cursor: 'cursor',
          attributes: 'attributes',
          excludedattributes: 'excludedAttributes',
        } as Record<string, keyof ListParameters>
      )[lower];
      if (name && Object.hasOwn(body, key)) parameters[name] = body[key];
    }
    return parameters;
  };

  // ---- bulk ------------------------------------------------------------------------------

  const bulkExecutor = (call: Call): BulkExecutor => ({
    resolve: (endpoint) => byEndpoint.get(endpoint),
    report: (error) => reportError(error, call.request.request()),
    locate: (info, id) => `${call.base}${info.endpoint}/${encodeURIComponent(id)}`,
    execute: async (method, info, id, data, version) => {
      switch (method) {
        case 'POST':
          return createResource(call, info, data ?? {}, {});
        case 'PUT':
          return replaceResource(call, info, id!, data ?? {}, version, {});
        case 'PATCH':
          return patchResource(call, info, id!, data ?? {}, version, {});
        default:
          return deleteResource(call, info, id!, version);
      }
    },
  });

  // ---- routing ---------------------------------------------------------------------------

  const notAllowed = (allow: string): never => {
    throw new MethodNotAllowedError(allow);
  };

  const route = async (call: Call, url: URL, segments: string[]): Promise<ScimResult> => {
    const { request } = call;
    const method = request.method.toUpperCase();
    const [first, second, third] = segments;
    if (first === undefined || first === '') throw scimError(404, `No SCIM endpoint at ${url.pathname}.`);
    const ifMatch = request.header('if-match') ?? undefined;

    switch (first) {
      case 'ServiceProviderConfig':
        if (segments.length > 1) break;
        if (method !== 'GET') notAllowed('GET');
        return { status: 200, body: discovery.serviceProviderConfig(call.base) };
      case 'ResourceTypes':
      case 'Schemas': {
        if (segments.length > 2) break;
        if (method !== 'GET') notAllowed('GET');
        if (queryParameter(url, 'filter') !== null) {
          throw scimError(403, `${first} does not support filtering (RFC 7644 section 4).`);
        }
        if (second === undefined) {
          const list =
            first === 'Schemas' ? discovery.schemas(call.base) : discovery.resourceTypes(call.base);
          return { status: 200, body: listOf(list) };
        }
        const one =
          first === 'Schemas'
            ? discovery.schema(call.base, second)
            : discovery.resourceType(call.base, second);
        if (!one)
          throw scimError(404, `${first === 'Schemas' ? 'Schema' : 'ResourceType'} "${second}" not found.`);
        return { status: 200, body: one };
      }
      case 'Bulk': {
        if (segments.length > 1) break;
        if (method !== 'POST') notAllowed('POST');
        const body = await readJson(request, limits.bulkMaxPayloadSize);
        // Atomic bulk (an explicit option) runs a request with failOnErrors in one store
        // transaction; its audit events wait for the commit.
        const atomic = atomicBulk && body.failOnErrors !== undefined;
        const bulkCall: Call = atomic ? { ...call, deferred: [] } : call;
        const { result, rolledBack } = await runBulk(body, bulkExecutor(bulkCall), {
          strict: !compat.missingMessageSchemas,
          maxOperations: limits.bulkMaxOperations,
          maxPayloadSize: limits.bulkMaxPayloadSize,
          ...(atomic ? { atomic: store.transaction!.bind(store) } : {}),
        });
        // Committed: the audit hooks of its operations run now.
        if (!rolledBack) for (const event of bulkCall.deferred ?? []) await event();
        return result;
      }
      case '.search':
        if (segments.length > 1) break;
        if (method !== 'POST') notAllowed('POST');
        return searchAll(call, await searchBody(request));
      case OPENAPI_PATH:
        if (!openapi || segments.length > 1) break;
        if (method !== 'GET') notAllowed('GET');
        return openapi(call.base);
      case 'Me': {
        if (segments.length > 1) break;
        const userId = typeof call.principal.userId === 'string' ? call.principal.userId : undefined;
        if (!userType || userId === undefined || method === 'POST') {
          throw scimError(501, '/Me is not available: the authenticated principal does not map to a User.');
        }
        return item(call, url, userType, userId, method, ifMatch);
      }
    }
    const info = byEndpoint.get(first);
    if (!info) throw scimError(404, `No SCIM endpoint at ${url.pathname}.`);
    if (second === undefined) {
      if (method === 'GET') return listResources(call, info, searchParameters(url));
      if (method === 'POST')
        return createResource(
          call,
          info,
          await readJson(request, limits.maxBodySize),
          projectionFromUrl(url),
        );
      notAllowed('GET, POST');
    }
    if (third !== undefined || second === '') throw scimError(404, `No SCIM endpoint at ${url.pathname}.`);
    if (second === '.search') {
      if (method !== 'POST') notAllowed('POST');
      return listResources(call, info, await searchBody(request));
    }
    return item(call, url, info, second!, method, ifMatch);
  };

  const item = async (
    call: Call,
    url: URL,
    info: TypeInfo,
    id: string,
    method: string,
    ifMatch: string | undefined,
  ): Promise<ScimResult> => {
    switch (method) {
      case 'GET':
        return getResource(
          call,
          info,
          id,
          projectionFromUrl(url),
          call.request.header('if-none-match') ?? undefined,
        );
      case 'PUT':
        return replaceResource(
          call,
          info,
          id,
          await readJson(call.request, limits.maxBodySize),
          ifMatch,
          projectionFromUrl(url),
        );
      case 'PATCH':
        return patchResource(
          call,
          info,
          id,
          await readJson(call.request, limits.maxBodySize),
          ifMatch,
          projectionFromUrl(url),
        );
      case 'DELETE':
        return deleteResource(call, info, id, ifMatch);
      default:
        return notAllowed(METHODS_ITEM);
    }
  };

  const handle = async (request: ScimRequest): Promise<ScimResult> => {
    const url = request.url;
    const path = url.pathname;
    if (!path.startsWith(basePath) || (path.length > basePath.length && path[basePath.length] !== '/')) {
      throw scimError(404, `No SCIM endpoint at ${path}; the base path is ${basePath || '/'}.`);
    }
    const principal = await authenticate(request);
    const segments = path.slice(basePath.length + 1).split('/');
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (!segment.includes('%')) continue;
      try {
        segments[i] = decodeURIComponent(segment);
      } catch {
        throw scimError(404, `No SCIM endpoint at ${path}.`);
      }
    }
    if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
    const call: Call = {
      request,
      base: baseUrl ?? `${url.origin}${basePath}`,
      principal,
      context: contextOf(principal),
    };
    return route(call, url, segments);
  };

  /** Every failure as an Error result. */
  const answer = async (request: ScimRequest): Promise<ScimResult> => {
    try {
      return await handle(request);
    } catch (error) {
      return errorResult(error, (unexpected) => reportError(unexpected, request.request()));
    }
  };

  const server: ScimServer = {
    basePath,
    async fetch(request) {
      let scimRequest: ScimRequest;
      try {
        scimRequest = fromWebRequest(request);
      } catch (error) {
        return toResponse(errorResult(error, (unexpected) => reportError(unexpected, request)));
      }
      return toResponse(await answer(scimRequest));
    },
  };
  scimCores.set(server, {
    handle: answer,
    usesWebRequest:
      !('tokens' in options.auth) ||
      [
        options.onCreated,
        options.onReplaced,
        options.onPatched,
        options.onDeleted,
        options.onDeactivated,
      ].some((hook) => hook !== undefined),
  });
  return server;
}

/**
 * A query parameter by name, case-insensitively (the first one of any spelling wins): SCIM
 * attribute names and SearchRequest keys are case-insensitive, and an ignored `?Filter=` would
 * silently answer the whole collection to an IdP's matching lookup.
 */
function queryParameter(url: URL, name: string): string | null {
  const exact = url.searchParams.get(name);
  if (exact !== null) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === lower) return value;
  return null;
}

function normaliseBasePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Whether an If-Match / If-None-Match header value names `version` (weak comparison, `*` matches any). */
function etagMatches(header: string, version: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//i, '');
  const target = opaque(version);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === target);
}

/** Whether two JSON values are equal regardless of key order. */
function sameContent(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((value, i) => sameContent(value, other[i]));
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameContent((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
