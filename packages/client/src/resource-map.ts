// Types that let a generated map (`ScimResources` from `scimkit codegen`) type the client: each
// endpoint's resource and input come from the map, found by endpoint, since that is what the
// client calls at run time.

/**
 * One resource type of a resource map: what the server returns, what create and replace take,
 * and where it lives. `scimkit codegen` writes a `ScimResources` map of these from the server's
 * `/ResourceTypes` and `/Schemas`.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-6
 */
export interface ResourceMapEntry {
  /** The resource as the server returns it (with `id`, `meta`, read-only attributes). */
  resource: object;
  /** What POST and PUT take (no read-only attributes). */
  input: object;
  /** The endpoint, e.g. `/Devices`. */
  endpoint: string;
  /** The core schema URN. */
  schema?: string;
}

/**
 * A resource map: resource type names to {@link ResourceMapEntry}s. The bound is written this
 * way so that interfaces fit as well as type aliases (interfaces have no index signature).
 *
 * @example
 * ```ts partial
 * import type { ScimResources } from './scim.generated.js'; // written by `scimkit codegen`
 * const client = createScimClient<ScimResources>({ baseUrl, token });
 * ```
 */
export type ScimResourceMap<M> = { [K in keyof M]: ResourceMapEntry };

/** No map: the client of `@scimkit/schema`'s User and Group types and untyped custom endpoints. */
export type NoResourceMap = Record<never, never>;

/** The entry of `M` at `endpoint`, or `never`. */
export type ResourceTypeAt<M extends ScimResourceMap<M>, E extends string> = {
  [K in keyof M]: M[K] extends { endpoint: E } ? M[K] : never;
}[keyof M];

/** Every endpoint of `M`. */
export type EndpointOf<M extends ScimResourceMap<M>> = {
  [K in keyof M]: M[K] extends { endpoint: infer E extends string } ? E : never;
}[keyof M];

/** The resource type at `E` in `M`, or `Fallback` when the map has none there. */
export type ResourceAt<M extends ScimResourceMap<M>, E extends string, Fallback> = [
  ResourceTypeAt<M, E>,
] extends [never]
  ? Fallback
  : ResourceTypeAt<M, E>['resource'];

/** The input type at `E` in `M`, or `Fallback` when the map has none there. */
export type InputAt<M extends ScimResourceMap<M>, E extends string, Fallback> = [
  ResourceTypeAt<M, E>,
] extends [never]
  ? Fallback
  : ResourceTypeAt<M, E>['input'];

/**
 * The run-time half of a resource map: each resource type's endpoint and core schema URN, as
 * the `scimResources` constant of a `scimkit codegen` module holds them. With it,
 * `client.resource(endpoint)` fills `schemas` on create and replace.
 */
export type ScimResourceEndpoints = Readonly<
  Record<string, { readonly endpoint: string; readonly schema?: string | undefined }>
>;
