/**
 * The two context objects every server module takes: {@link ServerContext}, the options of one
 * server resolved once, and {@link Call}, one request (who asks, under which base URL).
 */
import { groupResourceType, userResourceType } from '@scimkit/schema';
import { createAuthenticator, type ScimPrincipal } from './auth.js';
import { createDiscovery, type Discovery } from './discovery.js';
import type { ScimRequest, ScimResult } from './internal/http.js';
import { type TypeInfo, typeInfo } from './internal/type-info.js';
import { createOpenApiEndpoint, OPENAPI_PATH } from './openapi.js';
import {
  type ResolvedCompatibility,
  type ResolvedLimits,
  resolveCompatibility,
  resolveLimits,
  type ScimServerOptions,
} from './options.js';
import type { StoreContext } from './store.js';

/** How request bodies are validated (the options `validateResource` takes besides the type). */
export interface Validation {
  strict: boolean;
  coerceBooleans: boolean;
  unknownAttributes: 'drop' | 'reject';
}

/** One server's options with every default applied, built once by `createScimServer`. */
export interface ServerContext {
  /** The options as given (hooks, `protectWriteOnly`, `onError`). */
  readonly options: ScimServerOptions;
  readonly store: ScimServerOptions['store'];
  readonly strict: boolean;
  readonly compat: ResolvedCompatibility;
  readonly validation: Validation;
  readonly limits: ResolvedLimits;
  /** The path prefix of every endpoint (`/scim/v2`, or `''`). */
  readonly basePath: string;
  /** The configured absolute base URL without a trailing slash, if any. */
  readonly baseUrl: string | undefined;
  /** Whether a request's `Host` is one `allowedHosts` lists (always true without it). */
  readonly allowsHost: (url: URL) => boolean;
  /** The resource types served, in configuration order. */
  readonly types: readonly TypeInfo[];
  /** The resource types by endpoint without its leading slash (`Users`). */
  readonly byEndpoint: ReadonlyMap<string, TypeInfo>;
  /**
   * The endpoint names and resource type names by their lower-case spelling, for routing
   * them in any case; undefined when `compatibility.caseInsensitiveEndpoints` is off.
   */
  readonly endpointNames: ReadonlyMap<string, string> | undefined;
  /** The type named `User` (for `/Me`). */
  readonly userType: TypeInfo | undefined;
  /** The type with `members` (whose endpoint `User.groups` references point at). */
  readonly groupType: TypeInfo | undefined;
  /** Whether a bulk request with `failOnErrors` runs in one store transaction. */
  readonly atomicBulk: boolean;
  readonly authenticate: (request: ScimRequest) => ScimPrincipal | Promise<ScimPrincipal>;
  readonly discovery: Discovery;
  /** Answers `GET {basePath}/openapi.json`; undefined with `openapi: false`. */
  readonly openapi: ((base: string) => ScimResult) | undefined;
  /** The tail of each resource's queue of writes in this process (see `withLock`). */
  readonly locks: Map<string, Promise<void>>;
  /** Frozen stored resources and their frozen shaped output under one base URL (see `present`). */
  readonly shaped: WeakMap<object, { info: TypeInfo; base: string; output: Record<string, unknown> }>;
  /** Frozen stored resources known to be this server's validation output (see internal/verified.ts). */
  readonly verified: WeakSet<object>;
}

/** One request as the server modules see it. */
export interface Call {
  readonly server: ServerContext;
  readonly request: ScimRequest;
  /** Inside an atomic bulk transaction: events wait here until it commits. */
  readonly deferred?: (() => Promise<void>)[];
  /** Absolute base URL: `https://host/scim/v2`. */
  readonly base: string;
  readonly principal: ScimPrincipal;
  /** What the store is told about the caller (its tenant). */
  readonly context: StoreContext;
}

/** Resolves the options of `createScimServer`; throws a `TypeError` for a configuration that cannot work. */
export function createServerContext(options: ScimServerOptions): ServerContext {
  const { store } = options;
  const strict = options.strict === true;
  const compat = resolveCompatibility(strict, options.compatibility);
  const limits = resolveLimits(options.limits);
  const types = (options.resourceTypes ?? [userResourceType, groupResourceType]).map(typeInfo);
  const byEndpoint = new Map<string, TypeInfo>();
  for (const type of types) byEndpoint.set(type.endpoint.replace(/^\/+/, ''), type);
  const atomicBulk = options.bulk?.atomic === true;
  if (atomicBulk && typeof store.transaction !== 'function') {
    throw new TypeError(
      'bulk.atomic needs a store with transaction(): this store cannot roll a bulk request back.',
    );
  }
  const discovery = createDiscovery(types, limits, {
    documentationUri: options.documentationUri,
    pagination: options.discovery?.pagination !== false,
  });
  return {
    options,
    store,
    strict,
    compat,
    validation: {
      strict,
      coerceBooleans: compat.coerceBooleans,
      unknownAttributes: compat.dropUnknownAttributes ? 'drop' : 'reject',
    },
    limits,
    basePath: normaliseBasePath(options.basePath ?? '/scim/v2'),
    baseUrl: resolveBaseUrl(options.baseUrl),
    allowsHost: hostCheck(options.allowedHosts),
    types,
    byEndpoint,
    endpointNames: compat.caseInsensitiveEndpoints ? endpointNamesOf(byEndpoint.keys(), types) : undefined,
    userType: types.find((type) => type.name === 'User'),
    groupType: types.find((type) => type.hasMembers),
    atomicBulk,
    authenticate: createAuthenticator(options.auth),
    discovery,
    openapi:
      options.openapi === false
        ? undefined
        : createOpenApiEndpoint(discovery, options.openapi === true ? {} : (options.openapi ?? {})),
    locks: new Map(),
    shaped: new WeakMap(),
    verified: new WeakSet(),
  };
}

/** Hands an unexpected error (or a hook's throw) to `onError`, or logs it. Never throws. */
export function reportError(server: ServerContext, error: unknown, request: Request): void {
  try {
    if (server.options.onError) server.options.onError(error, request);
    else console.error('[scimkit] unexpected error', error);
  } catch {
    // A failing error hook must not break the response.
  }
}

/** The fixed endpoints at the root of the base path (RFC 7644 sections 3.7, 3.11, 4) and this server's OpenAPI document. */
const FIXED_ENDPOINTS = ['ServiceProviderConfig', 'ResourceTypes', 'Schemas', 'Bulk', 'Me', OPENAPI_PATH];

function endpointNamesOf(endpoints: Iterable<string>, types: readonly TypeInfo[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const name of [...FIXED_ENDPOINTS, ...endpoints, ...types.map((type) => type.name)]) {
    if (!names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  }
  return names;
}

/** The configured base URL without its trailing slash; a `TypeError` for one that is not absolute http(s). */
function resolveBaseUrl(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new TypeError(
      `baseUrl must be an absolute http(s) URL without query or fragment, got "${baseUrl}".`,
    );
  }
  return baseUrl.replace(/\/+$/, '');
}

/** A host name, IPv4 or bracketed IPv6 address, with an optional port. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/i;

/** The `allowedHosts` check: an entry with a port matches that host and port, one without matches any port. */
function hostCheck(allowedHosts: readonly string[] | undefined): (url: URL) => boolean {
  if (allowedHosts === undefined) return () => true;
  const allowed = new Set<string>();
  for (const entry of allowedHosts) {
    if (typeof entry !== 'string' || !HOST.test(entry)) {
      throw new TypeError(`allowedHosts lists host names (with an optional port), got "${String(entry)}".`);
    }
    allowed.add(entry.toLowerCase());
  }
  // URL has lower-cased the host already (and dropped a default port).
  return (url) => allowed.has(url.hostname) || allowed.has(url.host);
}

function normaliseBasePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
