import type { PatchCompatibility } from '@scimkit/patch';
import type { ResourceTypeDefinition, ScimResource } from '@scimkit/schema';
import type { ScimAuth, ScimPrincipal } from './auth.js';
import type { ScimStore } from './store.js';

/**
 * Limits that keep hostile or careless requests cheap. Every one has a safe default.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-7
 */
export interface ScimLimits {
  /** Largest accepted request body in bytes (413 beyond), except `/Bulk`. @defaultValue 1048576 */
  maxBodySize?: number;
  /** Most resources one list response returns (`filter.maxResults`; larger `count`s are capped). @defaultValue 1000 */
  maxResults?: number;
  /** Page size when the client sends no `count`. @defaultValue 100 */
  defaultPageSize?: number;
  /** Longest accepted filter text. @defaultValue 4096 */
  maxFilterLength?: number;
  /** Deepest accepted filter nesting. @defaultValue 32 */
  maxFilterDepth?: number;
  /** Most operations in one bulk request (413 beyond). @defaultValue 1000 */
  bulkMaxOperations?: number;
  /** Largest bulk request body in bytes (413 beyond). @defaultValue 1048576 */
  bulkMaxPayloadSize?: number;
  /**
   * Most retries of a PATCH, PUT or DELETE sent without `If-Match` that lost an
   * optimistic-concurrency race to another writer (the store's version check failed): the
   * write is read and applied again to the fresh version. `0` never retries (the lost race is
   * answered 412); with `If-Match` a lost race is always 412.
   * @defaultValue 100
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14
   */
  maxConflictRetries?: number;
}

/**
 * Identity-provider compatibility switches. Each defaults to on (`!strict`); set one to
 * `false` to turn just that behaviour off, or `strict: true` to turn them all off.
 * docs/idp-compatibility.md lists what each accepts and which IdP sends it.
 */
export interface ScimCompatibility {
  /**
   * PATCH switches of `@scimkit/patch` (capitalised ops, string booleans, remove by value
   * list, manager as a bare id, path keys in values, unchanged read-only values, …).
   */
  patch?: PatchCompatibility;
  /**
   * The lenient filter dialect: an attribute after a value path
   * (`emails[type eq "work"].value eq "x"`, Entra), unquoted values, `True`/`False` in any case.
   * @defaultValue true
   */
  lenientFilters?: boolean;
  /** `"True"`/`"False"` strings for boolean attributes in POST and PUT bodies (Entra). @defaultValue true */
  coerceBooleans?: boolean;
  /**
   * Attributes, sub-attributes and schema URNs no schema defines in POST/PUT bodies and PATCH
   * values: dropped and reported to `onIgnoredAttributes` (`true`) or 400 (`false`).
   * `patch.ignoreUnknownAttributes` sets PATCH apart.
   * @defaultValue true
   */
  dropUnknownAttributes?: boolean;
  /** PatchOp, SearchRequest and BulkRequest bodies without their message URN in `schemas`. @defaultValue true */
  missingMessageSchemas?: boolean;
  /** A PUT body whose `id` differs from the URL's is ignored (`true`) rather than a 400 `mutability`. @defaultValue true */
  ignoreBodyId?: boolean;
  /**
   * Endpoint names in any case: `/users`, `/serviceproviderconfig`, `/resourcetypes/user`
   * (clients built on case-insensitive routers). Off, only the configured spelling answers
   * (404 otherwise). Resource ids are never case-folded.
   * @defaultValue true
   */
  caseInsensitiveEndpoints?: boolean;
}

/**
 * Bulk behaviour. By default every bulk request answers a BulkResponse whose operations
 * stay applied up to the point where `failOnErrors` stopped it (RFC 7644 section 3.7.3),
 * whatever the store.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7.3
 */
export interface ScimBulkOptions {
  /**
   * All or nothing: a bulk request that carries `failOnErrors` runs in one store transaction
   * and, once it reaches `failOnErrors`, every operation is rolled back. The response is still
   * a BulkResponse listing the operations run, in request order: the failures as they
   * happened, every other one with status `424` and a "Rolled back" detail. Audit hooks fire
   * only on commit. Requests without `failOnErrors` ask to go on through errors and are not
   * affected. Needs a store with `transaction` (`createScimServer` throws a `TypeError`
   * otherwise).
   * @defaultValue false
   */
  atomic?: boolean;
}

/**
 * What the discovery endpoints advertise (RFC 7644 section 4).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-4
 */
export interface ScimDiscoveryOptions {
  /**
   * The RFC 9865 `pagination` block of `/ServiceProviderConfig` (cursor and index paging,
   * page sizes). Clients whose models forbid unknown keys (python's scim2-client) fail
   * discovery on it: `false` leaves it out. Cursor paging keeps working either way.
   * @defaultValue true
   * @see https://www.rfc-editor.org/rfc/rfc9865#section-4
   */
  pagination?: boolean;
}

/** Every compatibility switch resolved. */
export interface ResolvedCompatibility {
  patch: PatchCompatibility;
  lenientFilters: boolean;
  coerceBooleans: boolean;
  dropUnknownAttributes: boolean;
  missingMessageSchemas: boolean;
  ignoreBodyId: boolean;
  caseInsensitiveEndpoints: boolean;
}

/** Applies `strict` and the explicit switches. */
export function resolveCompatibility(
  strict: boolean,
  compatibility: ScimCompatibility = {},
): ResolvedCompatibility {
  const on = (value: boolean | undefined) => value ?? !strict;
  const { dropUnknownAttributes } = compatibility;
  return {
    // One switch for unknown attributes in bodies and PATCH values; the PATCH one may differ.
    patch:
      dropUnknownAttributes === undefined
        ? (compatibility.patch ?? {})
        : { ignoreUnknownAttributes: dropUnknownAttributes, ...compatibility.patch },
    lenientFilters: on(compatibility.lenientFilters),
    coerceBooleans: on(compatibility.coerceBooleans),
    dropUnknownAttributes: on(compatibility.dropUnknownAttributes),
    missingMessageSchemas: on(compatibility.missingMessageSchemas),
    ignoreBodyId: on(compatibility.ignoreBodyId),
    caseInsensitiveEndpoints: on(compatibility.caseInsensitiveEndpoints),
  };
}

/** What happened, for audit logs: passed to the event hooks of {@link ScimServerOptions}. */
export interface ScimEvent {
  /** The resource type name (`User`, `Group`, …). */
  resourceType: string;
  /** The resource id. */
  id: string;
  /** The resource after the change, as stored (absent for deletions). The store's object: read it, never change it. */
  resource?: ScimResource;
  /** The resource before the change (absent for creations). The store's object: read it, never change it. */
  previous?: ScimResource;
  /** Who made the change. */
  principal: ScimPrincipal;
  /** The HTTP request (for bulk operations, the bulk request). */
  request: Request;
}

/** An event hook: awaited after the change is stored; a throw is reported to `onError`, never to the client. */
export type ScimEventHook = (event: ScimEvent) => void | Promise<void>;

/**
 * What a lenient server dropped from one request: attributes, sub-attributes and schema URNs
 * no schema defines, in POST and PUT bodies and PATCH values (see `onIgnoredAttributes`).
 */
export interface ScimIgnoredAttributesEvent {
  /** The resource type name (`User`, `Group`, …). */
  resourceType: string;
  /** The resource id. */
  id: string;
  /** The operation: `create` (POST), `replace` (PUT) or `patch`. */
  operation: 'create' | 'replace' | 'patch';
  /**
   * Each dropped path as the client sent it: `shoeSize`, `members.displayName`,
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:floor`.
   */
  paths: string[];
  /** Who sent it. */
  principal: ScimPrincipal;
  /** The HTTP request (for bulk operations, the bulk request). */
  request: Request;
}

/**
 * Options of {@link createScimServer}.
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export interface ScimServerOptions {
  /** Where resources live: {@link createMemoryStore} or a database store. */
  store: ScimStore;
  /** How requests authenticate: a list of bearer tokens or a verify callback. */
  auth: ScimAuth;
  /**
   * The resource types served. Custom types and extensions are schema definitions as data.
   * @defaultValue User (with the Enterprise User extension) and Group
   */
  resourceTypes?: readonly ResourceTypeDefinition[];
  /** The path prefix of every endpoint. @defaultValue `/scim/v2` */
  basePath?: string;
  /**
   * The absolute base URL of the service (`https://scim.example.com/scim/v2`): every
   * `meta.location`, `Location` header, bulk `location` and `$ref` the server writes is built
   * from it, whatever Host a request names. Set it in production. Without it, each response
   * builds them from its own request's origin (the `Host` header) plus `basePath`, which is
   * only safe where no untrusted client or proxy chooses the Host: then also set
   * `allowedHosts`. No URL is ever stored: `meta.location` is computed for each response.
   * @defaultValue the request's origin plus `basePath`
   * @see https://www.rfc-editor.org/rfc/rfc7643#section-3.1 (meta.location)
   */
  baseUrl?: string;
  /**
   * The hosts this server answers to (`scim.example.com`, or `host:port` for one port only),
   * compared case-insensitively with the request's `Host`: any other is answered 400 before
   * authentication. Guards request-derived URLs (no `baseUrl`) against a forged Host, and the
   * service against DNS rebinding. Unset, every Host is accepted.
   * @example
   * ```ts
   * import { createMemoryStore, createScimServer } from '@scimkit/server';
   *
   * createScimServer({
   *   store: createMemoryStore(),
   *   auth: { tokens: [process.env.SCIM_TOKEN!] },
   *   allowedHosts: ['scim.example.com', 'localhost:8080'],
   * });
   * ```
   */
  allowedHosts?: readonly string[];
  /** Request limits. */
  limits?: ScimLimits;
  /** How `/Bulk` applies operations. */
  bulk?: ScimBulkOptions;
  /**
   * RFC 7644 only: turns off every identity-provider compatibility behaviour listed in
   * docs/idp-compatibility.md (capitalised PATCH ops, string booleans, lenient filters,
   * missing `schemas` in message bodies, unknown attributes silently dropped…).
   * @defaultValue false
   */
  strict?: boolean;
  /** Turns single identity-provider compatibility behaviours off (or on under `strict`). */
  compatibility?: ScimCompatibility;
  /**
   * What `/ServiceProviderConfig` advertises beyond RFC 7643.
   * @example
   * ```ts
   * import { createMemoryStore, createScimServer } from '@scimkit/server';
   *
   * // For clients that reject unknown ServiceProviderConfig keys (python's scim2-client).
   * createScimServer({ store: createMemoryStore(), auth: { tokens: ['t'] }, discovery: { pagination: false } });
   * ```
   */
  discovery?: ScimDiscoveryOptions;
  /** Service provider documentation URL for `/ServiceProviderConfig`. */
  documentationUri?: string;
  /**
   * Serves the OpenAPI 3.1 document of this configuration at `GET {basePath}/openapi.json`,
   * behind the same authentication as discovery: what `/Schemas` and `/ResourceTypes` say, for
   * API explorers and `scimkit codegen`. `false` turns it off (404 there); an object sets its
   * title, version and how canonical values are written.
   * @defaultValue true
   * @see https://spec.openapis.org/oas/v3.1.0
   */
  openapi?: boolean | ScimOpenApiOptions;
  /**
   * How a PATCH that only adds or removes Group members (`add` or `remove` of `members` with a
   * list of values, `remove` of `members[value eq "…"]`) is answered when it asks for no
   * `attributes` or `excludedAttributes`:
   * - `'resource'`: 200 with the group, every member included (RFC 7644's first choice);
   * - `'noContent'`: 204 with the new `ETag`, which RFC 7644 allows and Entra ID and Okta
   *   accept. With a store that has member slices (`getMemberSlice`: the memory, SQLite and
   *   PostgreSQL stores), the PATCH then reads and writes only the members it names, so its cost
   *   no longer grows with the group (unless `onPatched` is set: it gets the whole group).
   * @defaultValue 'resource'
   * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
   */
  memberPatchResponse?: 'resource' | 'noContent';
  /** Called after a resource is created (POST, bulk POST). */
  onCreated?: ScimEventHook;
  /** Called after a resource is replaced (PUT). */
  onReplaced?: ScimEventHook;
  /** Called after a PATCH changed a resource. */
  onPatched?: ScimEventHook;
  /** Called when a PUT or PATCH turns `active` from true (or unset) to false. */
  onDeactivated?: ScimEventHook;
  /** Called after a resource is deleted. */
  onDeleted?: ScimEventHook;
  /**
   * Called after a POST, PUT or PATCH that succeeded without some of what it sent: attributes
   * and sub-attributes no schema defines, which a lenient server drops rather than answering
   * 400 (`compatibility.dropUnknownAttributes`, `compatibility.patch.ignoreUnknownAttributes`).
   * Lets an operator see what a client sends that the schemas miss. Awaited like the other
   * hooks; a throw goes to `onError`.
   * @example
   * ```ts
   * import { createMemoryStore, createScimServer } from '@scimkit/server';
   *
   * createScimServer({
   *   store: createMemoryStore(),
   *   auth: { tokens: [process.env.SCIM_TOKEN!] },
   *   onIgnoredAttributes: ({ resourceType, id, paths }) => console.warn(`${resourceType} ${id}: ignored ${paths.join(', ')}`),
   * });
   * ```
   */
  onIgnoredAttributes?: (event: ScimIgnoredAttributesEvent) => void | Promise<void>;
  /**
   * Turns each `writeOnly` value a request sets (`password`, and any top-level writeOnly
   * attribute of a custom schema) into what the store keeps: hash passwords here (scrypt,
   * argon2, bcrypt) so that no store ever holds them in clear text, or return `undefined` to
   * store nothing. Called on POST, PUT, PATCH and bulk for new or changed values only; values
   * already stored are never passed again. Without it, stores keep what the client sent.
   *
   * @example
   * ```ts
   * import { randomBytes, scryptSync } from 'node:crypto';
   * import { createMemoryStore, createScimServer } from '@scimkit/server';
   *
   * createScimServer({
   *   store: createMemoryStore(),
   *   auth: { tokens: [process.env.SCIM_TOKEN!] },
   *   protectWriteOnly: (value) => {
   *     const salt = randomBytes(16);
   *     return `scrypt$${salt.toString('base64')}$${scryptSync(String(value), salt, 32).toString('base64')}`;
   *   },
   * });
   * ```
   * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.1 (password)
   */
  protectWriteOnly?: (
    value: unknown,
    context: { resourceType: string; attribute: string },
  ) => unknown | Promise<unknown>;
  /**
   * Called with every unexpected exception (answered 500 with a generic detail) and every
   * throw of an event hook. Defaults to `console.error`.
   */
  onError?: (error: unknown, request: Request) => void;
}

/** The limits with every default applied. */
export type ResolvedLimits = Required<ScimLimits>;

/** Applies the defaults of {@link ScimLimits}. */
export function resolveLimits(limits: ScimLimits = {}): ResolvedLimits {
  const positive = (value: number | undefined, fallback: number) =>
    value !== undefined && Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
  // Zero is a meaningful count of retries (none), not a missing value.
  const count = (value: number | undefined, fallback: number) =>
    value !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
  const maxResults = positive(limits.maxResults, 1000);
  return {
    maxBodySize: positive(limits.maxBodySize, 1_048_576),
    maxResults,
    defaultPageSize: Math.min(positive(limits.defaultPageSize, 100), maxResults),
    maxFilterLength: positive(limits.maxFilterLength, 4096),
    maxFilterDepth: positive(limits.maxFilterDepth, 32),
    bulkMaxOperations: positive(limits.bulkMaxOperations, 1000),
    bulkMaxPayloadSize: positive(limits.bulkMaxPayloadSize, 1_048_576),
    maxConflictRetries: count(limits.maxConflictRetries, 100),
  };
}

/**
 * The document served at `GET {basePath}/openapi.json`. `true` (the default) serves it with
 * the defaults below; `false` answers 404 there, as for any unknown endpoint.
 * @see https://spec.openapis.org/oas/v3.1.0
 */
export interface ScimOpenApiOptions {
  /** `info.title`. @defaultValue `SCIM 2.0 service provider` */
  title?: string;
  /** `info.version`, the version of your API. @defaultValue `2.0` */
  version?: string;
  /**
   * `canonicalValues` as `examples` (suggestions, as RFC 7643 section 2.3.1 has them) or as a
   * closed `enum`.
   * @defaultValue `examples`
   */
  canonicalValues?: 'examples' | 'enum';
}
