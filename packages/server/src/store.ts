import type { AttributePath, Filter, SortSpec } from '@scimkit/filter';
import type { AttributeDelta } from '@scimkit/patch';
import type { ResourceTypeDefinition, ScimResource } from '@scimkit/schema';

/** What a store needs to know of a resource type (uniqueness, caseExact and types come from its schemas). */
export type StoreResourceType = ResourceTypeDefinition;

/** Who is asking: set by the server's authentication hook; stores may partition by tenant. */
export interface StoreContext {
  /** The tenant whose data the request may see; absent for single-tenant servers. */
  tenant?: string;
}

/** One page request: index paging (RFC 7644 3.4.2.4) or cursor paging (RFC 9865). */
export type PageRequest = IndexPageRequest | CursorPageRequest;

/** Index paging (RFC 7644 section 3.4.2.4). */
export interface IndexPageRequest {
  /** Discriminant. */
  kind: 'index';
  /** 1-based index of the first result (already clamped to at least 1). */
  startIndex: number;
  /** Most results to return (already capped; 0 asks for `totalResults` only). */
  count: number;
}

/** Cursor paging (RFC 9865). */
export interface CursorPageRequest {
  /** Discriminant. */
  kind: 'cursor';
  /** The cursor of a previous response; absent for the first page. Unknown cursors are ScimError 400 `invalidCursor`. */
  cursor?: string;
  /** Most results to return (already capped). */
  count: number;
}

/**
 * The projection a response will apply, as a hint: a store may skip what the response will not
 * show (a 100k-member group's `members`), but must still return `id`, `schemas` and `meta`.
 */
export interface StoreProjection {
  /** The `attributes` projection. */
  attributes?: readonly AttributePath[];
  /** The `excludedAttributes` projection. */
  excludedAttributes?: readonly AttributePath[];
}

/** A parsed query, handed to the store so that a database can push it down. */
export interface StoreQuery extends StoreProjection {
  /** The parsed filter, already checked against the resource type's attributes. */
  filter?: Filter;
  /** The sort attribute and order. Without it, results come in a stable store-defined order. */
  sort?: SortSpec;
  /** Which page to return. */
  page: PageRequest;
}

/** One page of results. `totalResults` counts every match, not just this page. */
export interface StoreQueryResult {
  /** The resources of this page, at most `page.count` of them. */
  resources: ScimResource[];
  /** Every match, not only this page's. */
  totalResults: number;
  /** RFC 9865: the cursor of the next page, absent on the last page. */
  nextCursor?: string;
  /** RFC 9865: the cursor of the previous page, if the store supports it. */
  previousCursor?: string;
  /**
   * The computed `User.groups` of the page's resources, as {@link ScimStore.groupsOfMany}
   * answers them (an entry per resource), read with the page: a store may answer them when the
   * query's options ask `withGroups`. Without them the server calls `groupsOfMany` (or
   * `groupsOf`) after the query.
   * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2
   */
  groups?: ReadonlyMap<string, StoreGroupRef[]>;
  /**
   * With {@link StoreQueryOptions.withTexts}: for each resource of the page, the JSON text it was
   * parsed from, exactly as `JSON.stringify` wrote it when it was stored (undefined for a
   * resource that has none, such as one whose stored text was changed after it was parsed). A
   * resource that the `returned` rules and the projection leave as it is is then answered with
   * this text (its `meta.location` and `User.groups` added) instead of being serialised again.
   * The server checks that a text's first `id` is the resource's and that it ends with its
   * `meta`, and trusts the rest: give only texts the store wrote itself with `JSON.stringify`
   * (a text with duplicate keys, say, would be sent as it is).
   */
  texts?: readonly (string | undefined)[];
}

/**
 * What every {@link ScimStore} call carries: its last parameter is always one options object
 * that extends this one, so a store can add to any call without breaking the shape.
 */
export interface StoreCallOptions {
  /** Who is asking (the tenant, for a multi-tenant server). A store must not see other tenants' data. */
  context: StoreContext;
}

/** Options of {@link ScimStore.create}. */
export interface StoreCreateOptions extends StoreCallOptions {}

/** Options of {@link ScimStore.get} (and {@link ScimStore.getWithGroups}). */
export interface StoreGetOptions extends StoreCallOptions {
  /**
   * The projection of the response, given only when the resource goes straight into one (GET by
   * id); reads that precede a write never pass one and need the whole resource.
   */
  projection?: StoreProjection;
}

/** Options of {@link ScimStore.replace}. */
export interface StoreReplaceOptions extends StoreCallOptions {
  /**
   * Optimistic concurrency: the `meta.version` the caller read. A store whose current version
   * differs throws ScimError status 412; the server retries or answers 412.
   */
  expectedVersion?: string;
  /** Present when the change came from PATCH and touched multi-valued attributes only by these deltas. */
  deltas?: readonly AttributeDelta[];
}

/** Options of {@link ScimStore.delete}. */
export interface StoreDeleteOptions extends StoreCallOptions {
  /**
   * Optimistic concurrency: the `meta.version` the caller read. A store whose current version
   * differs throws ScimError status 412 and deletes nothing.
   */
  expectedVersion?: string;
}

/** Options of {@link ScimStore.query}. */
export interface StoreQueryOptions extends StoreCallOptions {
  /**
   * The response shows the computed `User.groups` of the resources listed: a store may read them
   * in the same read as the page and return them as {@link StoreQueryResult.groups} (one round
   * trip to a database instead of two). A hint: a store may ignore it.
   * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2
   */
  withGroups?: boolean;
  /**
   * The response may be written from the stored JSON texts of the page's resources: a store that
   * keeps each resource as the text `JSON.stringify` made of it may return them as
   * {@link StoreQueryResult.texts}. A hint: a store may ignore it.
   */
  withTexts?: boolean;
}

/** Options of {@link ScimStore.groupsOf} and {@link ScimStore.groupsOfMany}. */
export interface StoreGroupsOptions extends StoreCallOptions {}

/** Options of {@link ScimStore.getMemberSlice}. */
export interface StoreMemberSliceOptions extends StoreCallOptions {
  /**
   * The member values a PATCH names. A member matches when its `value` lower-cased
   * (`String.prototype.toLowerCase`) equals one of these lower-cased: `members.value` is not
   * `caseExact` (RFC 7643 section 8.7.1), so a PATCH naming `"U1"` removes a member `"u1"`.
   */
  values: readonly string[];
}

/** What {@link ScimStore.getMemberSlice} answers: a resource with only the members asked about. */
export interface StoreMemberSlice {
  /**
   * The resource as `get` returns it, except that `members` lists only the members whose value
   * matches one of those asked (in stored order), and is absent when none does.
   */
  resource: ScimResource;
  /** Whether the resource has members besides those listed in `resource.members`. */
  otherMembers: boolean;
}

/** Options of {@link ScimStore.replaceMemberSlice}. */
export interface StoreMemberSliceReplaceOptions extends StoreCallOptions {
  /** Optimistic concurrency, as for {@link StoreReplaceOptions.expectedVersion}. */
  expectedVersion?: string;
  /**
   * The member changes: deltas of the type's `members` attribute only, never `replaced`, and no
   * value both removed and added. `removed` holds members as the store returned them.
   */
  deltas: readonly AttributeDelta[];
}

/** A group that lists a resource as a direct member: what `User.groups` shows of it. */
export interface StoreGroupRef {
  /** The group's `id`. */
  id: string;
  /** The group's `displayName`, if it has one. */
  displayName?: string;
}

/**
 * Persistence for a SCIM service provider. The server assigns `id` and builds `meta` (including
 * the next `meta.version`, see `nextVersion`) without `location`, which it computes for each
 * response from `baseUrl` (a `location` a store still holds is ignored); the store persists
 * resources as given and enforces:
 * - uniqueness of `uniqueness: server|global` attributes (ScimError 409 `uniqueness`),
 *   case-insensitively where `caseExact` is false;
 * - optimistic concurrency on `meta.version` (ScimError 412);
 * - Group membership: `groupsOf` answers `User.groups`, and deleting any resource removes it
 *   from every Group's `members` (bumping that Group's `meta.version` with `nextVersion`).
 *
 * Every method has the same shape, `method(type, subject, options)`: the resource type, what the
 * call is about (a resource, an id, a query), and one options object that always carries the
 * caller's {@link StoreContext}.
 *
 * Errors are ScimErrors (404 for unknown ids on replace, 409 and 412 as above).
 *
 * **Resources in and out.** Resources are plain JSON data (objects, arrays, strings, numbers,
 * booleans, null; no classes, getters or proxies). The contract, for a third-party store:
 * - A store keeps its own copy: changing an object after passing it to `create` or `replace`,
 *   or one that a call returned, must not change what is stored (serialise it, copy it, or
 *   return deeply frozen objects).
 * - A returned resource never changes afterwards: a later write returns a new object and
 *   leaves the old one as it was. The server holds on to what it read (an event hook gets the
 *   resource before and after a change; another request may still be shaping it). The server
 *   itself never changes an object it passes to a store or gets from one.
 * - A store may return the same unchanged object to many reads. If that object is *deeply
 *   frozen* (`Object.freeze` on it and on every object and array in it, as
 *   `createMemoryStore` does), the server shapes its response and JSON text once and reuses
 *   them for as long as the store returns that object. Anything else (fresh objects, as every
 *   database store returns, or objects frozen only at the top) is shaped anew on every read.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3
 */
export interface ScimStore {
  /** Persists a new resource (id and meta already set by the server); returns it as stored. */
  create(type: StoreResourceType, resource: ScimResource, options: StoreCreateOptions): Promise<ScimResource>;
  /** One resource by id, or undefined. */
  get(type: StoreResourceType, id: string, options: StoreGetOptions): Promise<ScimResource | undefined>;
  /** Replaces a resource wholesale (meta already updated by the server); returns it as stored. */
  replace(
    type: StoreResourceType,
    resource: ScimResource,
    options: StoreReplaceOptions,
  ): Promise<ScimResource>;
  /** Deletes a resource and its memberships; false if it did not exist. */
  delete(type: StoreResourceType, id: string, options: StoreDeleteOptions): Promise<boolean>;
  /** Filters, sorts and pages. A store that cannot push a filter down may use `queryInMemory`. */
  query(type: StoreResourceType, query: StoreQuery, options: StoreQueryOptions): Promise<StoreQueryResult>;
  /** The groups that have `memberId` as a direct member, for `User.groups`. */
  groupsOf(memberId: string, options: StoreGroupsOptions): Promise<StoreGroupRef[]>;
  /**
   * Optional batched {@link ScimStore.groupsOf}: the groups of each of `memberIds` in one call,
   * so that listing a page of Users costs one lookup instead of one per User. The map has an
   * entry for every requested id (an empty array when it is in no group). Without it the server
   * calls `groupsOf` once per User.
   */
  groupsOfMany?(
    memberIds: readonly string[],
    options: StoreGroupsOptions,
  ): Promise<Map<string, StoreGroupRef[]>>;
  /**
   * Optional {@link ScimStore.get} and {@link ScimStore.groupsOf} of that resource in one read
   * (one round trip to a database, one snapshot): the server calls it for a GET of a resource
   * whose response shows the computed `User.groups`. Undefined when there is no such resource.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.1
   */
  getWithGroups?(
    type: StoreResourceType,
    id: string,
    options: StoreGetOptions,
  ): Promise<{ resource: ScimResource; groups: StoreGroupRef[] } | undefined>;
  /**
   * Optional member-scoped read, with {@link ScimStore.replaceMemberSlice}: the resource with only
   * the members whose value is one of `options.values` (and whether it has others), so that a
   * PATCH adding or removing a few members of a 100k-member group reads those rows only.
   * Undefined when there is no such resource. A store offers both methods or neither; without
   * them the server reads the whole resource for every PATCH.
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
   */
  getMemberSlice?(
    type: StoreResourceType,
    id: string,
    options: StoreMemberSliceOptions,
  ): Promise<StoreMemberSlice | undefined>;
  /**
   * Optional member-scoped write, with {@link ScimStore.getMemberSlice}: `replace` with
   * `deltas`, except that `resource.members` is not the whole list but the slice after the
   * PATCH. The store writes every other attribute and `meta` as given, applies the deltas to
   * the stored members (members they do not name stay, in their order; added ones come last),
   * and keeps the `members` attribute when `resource` has it (an empty slice when only
   * members outside it remain), drops it otherwise. 404, 412 and 409 as for `replace`. Returns
   * the resource as stored, its `members` the slice or the whole list (the server calls this
   * only when the response leaves `members` out).
   */
  replaceMemberSlice?(
    type: StoreResourceType,
    resource: ScimResource,
    options: StoreMemberSliceReplaceOptions,
  ): Promise<ScimResource>;
  /**
   * Runs `work` atomically: if it throws, none of its writes persist. The server uses it only
   * when configured with `bulk: { atomic: true }` (bulk requests with `failOnErrors` become all
   * or nothing); stores without transactions omit it. A store may roll `work` back and run it
   * again from the start (the PostgreSQL store does when the database aborts the transaction for
   * a deadlock), so `work` must have no effect outside the store before it resolves.
   */
  transaction?<T>(work: () => Promise<T>): Promise<T>;
  /** Releases resources (database handles). */
  close?(): Promise<void>;
}
