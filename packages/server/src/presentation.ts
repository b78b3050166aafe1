/**
 * Presentation: a stored resource as it leaves the server (`User.groups` computed, `returned`
 * rules and the projection applied), ListResponses, and the caches that make the hot reads
 * cheap (one view per type and projection, the shaped output of frozen resources).
 */
import type { ScimResource } from '@scimkit/schema';
import { createSharingShaper, projectionShows, setOwn } from '@scimkit/schema/internal';
import type { Call } from './context.js';
import { cacheableBodies, JsonText, ListResponseBody } from './internal/body-text.js';
import type { ScimResult } from './internal/http.js';
import type { TypeInfo } from './internal/type-info.js';
import { withMemberRefs } from './member-refs.js';
import type { ListQuery, Projection } from './query.js';
import type { StoreGroupRef } from './store.js';
import { selectValues } from './value-selection.js';

/** How one resource type is presented under one projection, worked out once. */
export interface View {
  /** Applies `returned` rules and the projection. */
  shape: (resource: Record<string, unknown>) => Record<string, unknown>;
  /** Whether the response shows the computed `User.groups` (so the store must be asked for them). */
  showsGroups: boolean;
  /** Whether the response shows `members` (whose `$ref` and `type` are computed). */
  showsMembers: boolean;
}

const defaultViews = new WeakMap<TypeInfo, View>();
/** The views of each parsed projection (one per request), by type. */
const projectedViews = new WeakMap<Projection, Map<TypeInfo, View>>();

function createView(info: TypeInfo, projection: Projection): View {
  return {
    // Sharing: a response is never written into, and neither is what a store handed over.
    shape: createSharingShaper({
      resourceType: info.definition,
      ...(projection.attributes ? { attributes: projection.attributes } : {}),
      ...(projection.excludedAttributes ? { excludedAttributes: projection.excludedAttributes } : {}),
    }),
    showsGroups: info.hasComputedGroups && projectionShows(info.definition, 'groups', projection),
    showsMembers: info.hasMembers && projectionShows(info.definition, 'members', projection),
  };
}

/** Whether a response shows every resource in its default view (no projection of any kind). */
export function isDefaultView(projection: Projection): boolean {
  return !projection.attributes && !projection.excludedAttributes && !projection.valueSelections;
}

/** The view of a type under a projection: cached per type without one, per request with one. */
export function viewOf(info: TypeInfo, projection: Projection): View {
  if (!projection.attributes && !projection.excludedAttributes) {
    let view = defaultViews.get(info);
    if (!view) {
      view = createView(info, projection);
      defaultViews.set(info, view);
    }
    return view;
  }
  let views = projectedViews.get(projection);
  if (!views) {
    views = new Map();
    projectedViews.set(projection, views);
  }
  let view = views.get(info);
  if (!view) {
    view = createView(info, projection);
    views.set(info, view);
  }
  return view;
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

/**
 * The URL of a resource under the request's base URL (`baseUrl`, or the request's origin):
 * computed for each response, never stored.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-3.1 (meta.location)
 */
export function locationOf(call: Call, info: TypeInfo, id: string): string {
  return `${call.base}${info.endpoint}/${encodeURIComponent(id)}`;
}

/** The resource with the `meta.location` of this request (whatever location a store may hold). */
function located(call: Call, info: TypeInfo, resource: ScimResource): ScimResource {
  const location = locationOf(call, info, resource.id);
  const meta = resource.meta as unknown as Record<string, unknown> | undefined;
  if (meta?.['location'] === location) return resource;
  // A spread that replaces a key is a cheap copy in V8; one that adds a key (a stored meta has
  // no location) runs in its runtime, 3× the cost of the copy written out.
  if (meta && Object.hasOwn(meta, 'location')) return { ...resource, meta: { ...resource.meta, location } };
  const withLocation: Record<string, unknown> = {};
  if (meta) for (const key of Object.keys(meta)) setOwn(withLocation, key, meta[key]);
  withLocation['location'] = location;
  return { ...resource, meta: withLocation as unknown as ScimResource['meta'] };
}

/** One value of the computed `User.groups`. */
function groupValue(group: StoreGroupRef, ref: string): Record<string, unknown> {
  return group.displayName !== undefined
    ? { value: group.id, $ref: ref, display: group.displayName, type: 'direct' }
    : { value: group.id, $ref: ref, type: 'direct' };
}

/**
 * `{ ...rest, groups, meta }` of `{ meta, ...rest } = resource`, written out: V8 runs an object
 * rest and a spread with added keys in its runtime, about half the cost of shaping a User.
 */
function withGroups(resource: ScimResource, groups: Record<string, unknown>[]): Record<string, unknown> {
  const source = resource as Record<string, unknown>;
  const output: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === 'meta') continue;
    setOwn(output, key, source[key]);
  }
  output['groups'] = groups;
  output['meta'] = source['meta'];
  return output;
}

/**
 * Told by {@link present} whether its answer is the stored resource as it is, with only this
 * request's `meta.location` and `User.groups` put in: no projection, and the `returned` rules and
 * the view kept every other key and value (the sharing shaper gave back its very input).
 */
export interface PresentedAs {
  asStored: boolean;
}

/**
 * The resource as it leaves the server: `meta.location` of this request's base URL,
 * `User.groups` computed, `returned` rules and projection applied. `cache: false` (the answer
 * of a write) never caches the output: a resource just written is as likely to be written
 * again as read, and the first read caches it. `as`, if given, is told whether the answer is the
 * stored resource as it is (see {@link PresentedAs}).
 */
export async function present(
  call: Call,
  info: TypeInfo,
  resource: ScimResource,
  projection: Projection,
  prefetched?: ReadonlyMap<string, StoreGroupRef[]>,
  cache = true,
  as?: PresentedAs,
): Promise<Record<string, unknown>> {
  const { server } = call;
  const view = viewOf(info, projection);
  const stored = resource;
  if (view.showsMembers) resource = withMemberRefs(server, resource, call.base);
  let output: Record<string, unknown> = resource;
  if (view.showsGroups) {
    const groups =
      prefetched?.get(resource.id) ?? (await server.store.groupsOf(resource.id, { context: call.context }));
    if (groups.length > 0) {
      const endpoint = server.groupType?.endpoint ?? '/Groups';
      output = withGroups(
        located(call, info, resource),
        groups.map((group) => groupValue(group, `${call.base}${endpoint}/${group.id}`)),
      );
    }
  }
  if (projection.valueSelections) {
    const selectable = output === resource ? located(call, info, resource) : output;
    output = selectValues(selectable, info, projection.valueSelections);
  }
  if (output !== resource || projection.attributes || projection.excludedAttributes) {
    const input = output === resource ? located(call, info, resource) : output;
    const shaped = view.shape(input);
    if (as) as.asStored = shaped === input && resource === stored && isDefaultView(projection);
    return shaped;
  }
  // A deeply frozen stored resource (the memory store's) can never change: shape it once and
  // reuse the output, and its JSON text (see bodyText), for as long as the store returns it.
  // Only the whole object graph being frozen makes identity safe to cache by (see ScimStore).
  // The output holds `meta.location` and member `$ref`s, so it is cached per base URL.
  if (!cache) return shapedLocated(call, info, view, resource, resource === stored, as);
  // The cache first: only a deeply frozen resource is ever in it, and frozen stays frozen
  // (Object.isFrozen runs in V8's runtime).
  let shaped = server.shaped.get(stored);
  if (!shaped || shaped.info !== info || shaped.base !== call.base) {
    if (!isDeepFrozen(stored)) return shapedLocated(call, info, view, resource, resource === stored, as);
    shaped = { info, base: call.base, output: Object.freeze(view.shape(located(call, info, resource))) };
    server.shaped.set(stored, shaped);
    cacheableBodies.add(shaped.output);
  }
  if (as) as.asStored = false;
  return shaped.output;
}

/** `resource` located and shaped by the default view (`unchanged`: it is the stored resource). */
function shapedLocated(
  call: Call,
  info: TypeInfo,
  view: View,
  resource: ScimResource,
  unchanged: boolean,
  as: PresentedAs | undefined,
): Record<string, unknown> {
  const input = located(call, info, resource);
  const shaped = view.shape(input);
  if (as) as.asStored = unchanged && shaped === input;
  return shaped;
}

/**
 * The `ETag` (RFC 7644 section 3.14) of a resource response, and for a creation its `Location`
 * (from {@link locationOf}, as `meta.location`).
 */
export function resourceHeaders(resource: ScimResource, location?: string): Record<string, string> {
  // Written out: a spread after a key runs in V8's runtime.
  const headers: Record<string, string> = { etag: resource.meta.version };
  if (location !== undefined) headers['location'] = location;
  return headers;
}

/**
 * The JSON text of `body` made from `storedText`, the text the store parsed `stored` from (the
 * store's `texts` of the page), when {@link present} told that `body` is `stored` as it is with
 * only this request's `meta` (its location) and `User.groups` put in: the sharing shaper gave
 * back its input, so every other key is in its stored place with its stored value, and nothing
 * the `returned` rules drop is in it. Then the answer is the stored text up to its `meta`, the
 * groups and the new `meta`, and the page is not serialised again (the same JSON; integer-like
 * keys, which V8 lists first, keep their stored place). Undefined for anything else: `meta` not
 * the stored resource's last key, a stored `groups` (the body's would replace it in place), a
 * stored text whose first `id` is not the resource's own (which ties each text to its resource,
 * whatever order a store gives them in) or that does not end with its stored `meta`. The rest of
 * the text is trusted to be what `JSON.stringify` wrote (see `StoreQueryResult.texts`).
 */
function storedAnswerText(
  body: Record<string, unknown>,
  stored: ScimResource,
  storedText: string,
): string | undefined {
  const source = stored as Record<string, unknown>;
  const storedKeys = Object.keys(source);
  const groups = body['groups'];
  // `present` put `groups` just before `meta` when it added them, and replaced nothing else.
  if (
    storedKeys[storedKeys.length - 1] !== 'meta' ||
    Object.keys(body).length !== storedKeys.length + (groups === undefined ? 0 : 1)
  )
    return undefined;
  // The first `"id"` after another key is the resource's own, right after `schemas` (where
  // stores put it), in a text of another resource it would not be this id.
  const at = storedText.indexOf(',"id":');
  if (at < 0 || !storedText.startsWith(JSON.stringify(source['id']), at + 6)) return undefined;
  const tail = `,"meta":${JSON.stringify(source['meta'])}}`;
  if (!storedText.endsWith(tail)) return undefined;
  const before = storedText.slice(0, storedText.length - tail.length);
  const withGroups = groups === undefined ? before : `${before},"groups":${JSON.stringify(groups)}`;
  return `${withGroups},"meta":${JSON.stringify(body['meta'])}}`;
}

/**
 * A ListResponse of one page: index paging gives `startIndex`, cursor paging the cursors.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export async function listResponse(
  call: Call,
  items: { info: TypeInfo; resource: ScimResource; text?: string | undefined }[],
  total: number,
  query: ListQuery,
  cursors: { nextCursor?: string; previousCursor?: string },
  groups?: ReadonlyMap<string, StoreGroupRef[]>,
): Promise<ScimResult> {
  const { store } = call.server;
  // User.groups read with the page (`groups`, when the store answered them), else of the whole
  // page in one store call when the store offers groupsOfMany (and none at all when the
  // projection leaves groups out); else present() asks per resource.
  let prefetched = groups;
  if (!prefetched && store.groupsOfMany) {
    const ids = items
      .filter((item) => viewOf(item.info, query.projection).showsGroups)
      .map((item) => item.resource.id);
    if (ids.length > 0) prefetched = await store.groupsOfMany(ids, { context: call.context });
  }
  const Resources = await Promise.all(
    items.map(async (item) => {
      const as: PresentedAs = { asStored: false };
      const body = await present(call, item.info, item.resource, query.projection, prefetched, true, as);
      const text =
        item.text === undefined || !as.asStored
          ? undefined
          : storedAnswerText(body, item.resource, item.text);
      return text === undefined ? body : new JsonText(text);
    }),
  );
  const position =
    query.page.kind === 'index'
      ? { startIndex: query.page.startIndex }
      : { nextCursor: cursors.nextCursor, previousCursor: cursors.previousCursor };
  const body = new ListResponseBody(total, position, Resources);
  return { status: 200, body };
}
