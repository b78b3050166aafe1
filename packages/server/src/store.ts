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
}

/** Options of {@link ScimStore.replace}. */
export interface ReplaceOptions {
  /**
   * Optimistic concurrency: the `meta.version` the caller read. A store whose current version
   * differs throws ScimError status 412; the server retries or answers 412.
   */
  expectedVersion?: string;
  /** Present when the change came from PATCH and touched multi-valued attributes only by these deltas. */
  deltas?: readonly AttributeDelta[];
}

/**
 * Persistence for a SCIM service provider. The server assigns `id` and builds `meta` (including
 * the next `meta.version`); the store persists resources as given and enforces:
 * - uniqueness of `uniqueness: server|global` attributes (ScimError 409 `uniqueness`),
 *   case-insensitively where `caseExact` is false;
 * - optimistic concurrency on `meta.version` (ScimError 412);
 * - Group membership: `groupsOf` answers `User.groups`, and deleting any resource removes it
 *   from every Group's `members`.
 *
 * Errors are ScimErrors (404 for unknown ids on replace/delete).
 */
export interface ScimStore {
  /** Persists a new resource (id and meta already set by the server). */
  create(type: StoreResourceType, resource: ScimResource, context: StoreContext): Promise<ScimResource>;
  /**
   * One resource, or undefined. `projection` is given only when the resource goes straight into a
   * response (GET by id); reads that precede a write never pass one and need the whole resource.
   */
  get(
    type: StoreResourceType,
    id: string,
    context: StoreContext,
    projection?: StoreProjection,
  ): Promise<ScimResource | undefined>;
  /** Replaces a resource wholesale (meta already updated by the server). */
  replace(
    type: StoreResourceType,
    resource: ScimResource,
    options: ReplaceOptions,
    context: StoreContext,
  ): Promise<ScimResource>;
  /** Deletes a resource and its memberships; false if it did not exist. */
  delete(
    type: StoreResourceType,
    id: string,
    options: { expectedVersion?: string },
    context: StoreContext,
  ): Promise<boolean>;
  /** Filters, sorts and pages. A store that cannot push a filter down may use `queryInMemory`. */
  query(type: StoreResourceType, query: StoreQuery, context: StoreContext): Promise<StoreQueryResult>;
  /** The groups (id and displayName) that have `memberId` as a direct member, for `User.groups`. */
  groupsOf(memberId: string, context: StoreContext): Promise<{ id: string; displayName?: string }[]>;
  /**
   * Optional batched {@link ScimStore.groupsOf}: the groups of each of `memberIds` in one call,
   * so that listing a page of Users costs one lookup instead of one per User. The map has an
   * entry for every requested id (an empty array when it is in no group). Without it the server
   * calls `groupsOf` once per User.
   */
  groupsOfMany?(
    memberIds: readonly string[],
    context: StoreContext,
  ): Promise<Map<string, { id: string; displayName?: string }[]>>;
  /**
   * Runs `work` atomically: if it throws, none of its writes persist. The server uses it only
   * when configured with `bulk: { atomic: true }` (bulk requests with `failOnErrors` become all
   * or nothing); stores without transactions omit it.
   */
  transaction?<T>(work: () => Promise<T>): Promise<T>;
  /** Releases resources (database handles). */
  close?(): Promise<void>;
}
