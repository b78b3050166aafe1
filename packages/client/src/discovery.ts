import type { ResourceType, SchemaResource, ServiceProviderConfig } from '@scimkit/schema';
import { isScimHttpError } from './errors.js';
import type { Transport } from './http.js';

/**
 * What `client.discover()` found out about the server.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-4
 */
export interface ScimDiscovery {
  /** `/ServiceProviderConfig`: supported features and limits. */
  serviceProviderConfig: ServiceProviderConfig;
  /** `/ResourceTypes`: endpoints and their schemas. */
  resourceTypes: ResourceType[];
  /** `/Schemas`: attribute definitions. */
  schemas: SchemaResource[];
}

/** Options of `client.discover()`. */
export interface DiscoverOptions {
  /** Fetch again instead of answering from the cache. */
  refresh?: boolean;
  /** Cancels the requests. */
  signal?: AbortSignal;
}

/** The server capabilities that change how the client behaves, with safe defaults. */
export interface Capabilities {
  /** Known only when the server said so; `undefined` means "not advertised". */
  etag: boolean | undefined;
  bulk:
    | { supported: boolean; maxOperations: number | undefined; maxPayloadSize: number | undefined }
    | undefined;
  /** The smallest advertised cap on results per page (`filter.maxResults`, `pagination.maxPageSize`). */
  maxPageSize: number | undefined;
  cursor: boolean;
  index: boolean;
}

const UNKNOWN: Capabilities = {
  etag: undefined,
  bulk: undefined,
  maxPageSize: undefined,
  cursor: false,
  index: true,
};

function positive(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function flag(value: unknown): boolean | undefined {
  const supported = record(value)?.supported;
  if (typeof supported === 'boolean') return supported;
  if (supported === 'true' || supported === 'false') return supported === 'true';
  return undefined;
}

/** Reads the capabilities the client adapts to from a ServiceProviderConfig, leniently. */
function capabilitiesOf(config: unknown): Capabilities {
  const spc = record(config);
  if (!spc) return UNKNOWN;
  const bulk = record(spc.bulk);
  const filter = record(spc.filter);
  const pagination = record(spc.pagination);
  const caps = [positive(filter?.maxResults), positive(pagination?.maxPageSize)].filter(
    (value): value is number => value !== undefined,
  );
  return {
    etag: flag(spc.etag),
    bulk: bulk
      ? {
          supported: flag(bulk) ?? true,
          maxOperations: positive(bulk.maxOperations),
          maxPayloadSize: positive(bulk.maxPayloadSize),
        }
      : undefined,
    maxPageSize: caps.length > 0 ? Math.min(...caps) : undefined,
    cursor: pagination?.cursor === true,
    index: pagination?.index !== false,
  };
}

function listOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const object = record(body);
  const key = object && Object.keys(object).find((name) => name.toLowerCase() === 'resources');
  const resources = object && key !== undefined ? object[key] : undefined;
  return Array.isArray(resources) ? (resources as T[]) : [];
}

/** Discovery with caching; capabilities fall back to defaults when the server has no SPC. */
export interface Discoverer {
  discover(options?: DiscoverOptions): Promise<ScimDiscovery>;
  capabilities(signal?: AbortSignal): Promise<Capabilities>;
}

/** Statuses that say the server has no `/ServiceProviderConfig` at all (cached as unknown). */
const NO_DISCOVERY: ReadonlySet<number> = new Set([404, 501]);

/** Creates the cached discovery of one client. */
export function createDiscoverer(transport: Transport): Discoverer {
  let discovery: Promise<ScimDiscovery> | undefined;
  let capabilities: Promise<Capabilities> | undefined;

  const fetchConfig = async (signal?: AbortSignal) =>
    (await transport({ method: 'GET', path: '/ServiceProviderConfig', ...(signal ? { signal } : {}) }))
      .body as ServiceProviderConfig;

  return {
    discover(options = {}) {
      if (!discovery || options.refresh) {
        const signal = options.signal ? { signal: options.signal } : {};
        const pending = Promise.all([
          fetchConfig(options.signal),
          transport({ method: 'GET', path: '/ResourceTypes', ...signal }),
          transport({ method: 'GET', path: '/Schemas', ...signal }),
        ]).then(([serviceProviderConfig, resourceTypes, schemas]) => ({
          serviceProviderConfig,
          resourceTypes: listOf<ResourceType>(resourceTypes.body),
          schemas: listOf<SchemaResource>(schemas.body),
        }));
        discovery = pending;
        pending.then(
          (found) => {
            if (discovery === pending)
              capabilities = Promise.resolve(capabilitiesOf(found.serviceProviderConfig));
          },
          () => {
            // A failed discovery is not cached: the next call tries again.
            if (discovery === pending) discovery = undefined;
          },
        );
      }
      return discovery;
    },
    capabilities(signal) {
      if (!capabilities) {
        const pending: Promise<Capabilities> = fetchConfig(signal).then(capabilitiesOf, (error: unknown) => {
          if (!isScimHttpError(error)) throw error;
          // Any HTTP error: assume the RFC's minimum for this call (a real problem, such as a
          // bad token, shows on the request that follows). Only a server without discovery
          // (404, 501) keeps that answer; a 5xx, 429 or 401 (say during token rotation) may
          // pass, so the next call asks again.
          if (!NO_DISCOVERY.has(error.status) && capabilities === pending) capabilities = undefined;
          return UNKNOWN;
        });
        capabilities = pending;
        pending.catch(() => {
          if (capabilities === pending) capabilities = undefined;
        });
      }
      return capabilities;
    },
  };
}
