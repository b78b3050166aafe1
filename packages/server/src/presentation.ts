/**
 * Presentation: a stored resource as it leaves the server (`User.groups` computed, `returned`
 * rules and the projection applied), ListResponses, and the caches that make the hot reads
 * cheap (one shaper per type and projection, the shaped output of frozen resources).
 */
import { createResourceShaper, LIST_RESPONSE_SCHEMA, type ScimResource } from '@scimkit/schema';
import { projectionShows } from '@scimkit/schema/internal';
import type { Call } from './context.js';
import { cacheableBodies, listBodies, type ScimResult } from './internal/http.js';
import type { TypeInfo } from './internal/type-info.js';
import type { ListQuery, Projection } from './query.js';
import type { StoreGroupRef } from './store.js';

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

/** Whether a response of this type with this projection shows `User.groups` (so it must be computed). */
function showsGroups(info: TypeInfo, projection: Projection): boolean {
  return info.hasComputedGroups && projectionShows(info.definition, 'groups', projection);
}

/** The resource as it leaves the server: `User.groups` computed, `returned` rules and projection applied. */
export async function present(
  call: Call,
  info: TypeInfo,
  resource: ScimResource,
  projection: Projection,
  prefetched?: Map<string, StoreGroupRef[]>,
): Promise<Record<string, unknown>> {
  const { server } = call;
  let output: Record<string, unknown> = resource;
  if (showsGroups(info, projection)) {
    const groups =
      prefetched?.get(resource.id) ?? (await server.store.groupsOf(resource.id, { context: call.context }));
    if (groups.length > 0) {
      const endpoint = server.groupType?.endpoint ?? '/Groups';
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
  let shaped = server.shaped.get(resource);
  if (!shaped || shaped.info !== info) {
    if (!isDeepFrozen(resource)) return shaperFor(info, projection)(resource);
    shaped = { info, output: Object.freeze(shaperFor(info, projection)(resource)) };
    server.shaped.set(resource, shaped);
    cacheableBodies.add(shaped.output);
  }
  return shaped.output;
}

/** The `ETag` (and, for a creation, `Location`) of a resource response (RFC 7644 section 3.14). */
export function resourceHeaders(resource: ScimResource, withLocation: boolean): Record<string, string> {
  return {
    etag: resource.meta.version,
    ...(withLocation ? { location: resource.meta.location } : {}),
  };
}

/**
 * A ListResponse of one page: index paging gives `startIndex`, cursor paging the cursors.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export async function listResponse(
  call: Call,
  items: { info: TypeInfo; resource: ScimResource }[],
  total: number,
  query: ListQuery,
  cursors: { nextCursor?: string; previousCursor?: string },
): Promise<ScimResult> {
  const { store } = call.server;
  // User.groups of the whole page in one store call when the store offers groupsOfMany (and
  // none at all when the projection leaves groups out); else present() asks per resource.
  let prefetched: Map<string, StoreGroupRef[]> | undefined;
  if (store.groupsOfMany) {
    const ids = items
      .filter((item) => showsGroups(item.info, query.projection))
      .map((item) => item.resource.id);
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
}
