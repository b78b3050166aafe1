// Reads a server's discovery documents leniently into well-formed data: every byte came from
// the network, and real servers bend RFC 7643 in ways listed in OpenApiWarningCode.
import type {
  AttributeType,
  Mutability,
  ResourceType,
  Returned,
  SchemaResource,
  ServiceProviderConfig,
  Uniqueness,
} from '@scimkit/schema';
import { RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from '@scimkit/schema/errors';
import { OpenApiInputError, type OpenApiWarning, type OpenApiWarningCode } from './warnings.js';

/** A discovery list as servers answer it: a ListResponse or, seen in the wild, a bare array. */
export type DiscoveryList<T> = readonly T[] | { readonly Resources?: readonly T[] };

/** An attribute as read from `/Schemas`, every characteristic resolved. */
export interface Attribute {
  readonly name: string;
  /** `unknown` for a type RFC 7643 does not define. */
  readonly type: AttributeType | 'unknown';
  readonly multiValued: boolean;
  readonly required: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly description?: string | undefined;
  readonly caseExact?: boolean | undefined;
  readonly uniqueness?: Uniqueness | undefined;
  readonly canonicalValues?: readonly (string | number | boolean)[] | undefined;
  readonly referenceTypes?: readonly string[] | undefined;
  /** Sub-attributes of a complex attribute; absent means "unknown": an open object. */
  readonly subAttributes?: readonly Attribute[] | undefined;
}

/** A schema from `/Schemas`; `attributes` is undefined when the server sent none. */
export interface Schema {
  readonly id: string;
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly attributes: readonly Attribute[] | undefined;
}

/** A resource type from `/ResourceTypes`, its endpoint normalised to `/Name`. */
export interface ResourceTypeInfo {
  readonly name: string;
  readonly endpoint: string;
  readonly description: string | undefined;
  readonly schema: string;
  readonly schemaExtensions: readonly { schema: string; required: boolean }[];
}

/** The features of the ServiceProviderConfig that decide which paths and parameters exist. */
export interface Capabilities {
  readonly patch: boolean;
  readonly bulk: boolean;
  readonly filter: boolean;
  readonly sort: boolean;
  readonly etag: boolean;
  readonly cursor: boolean;
  readonly index: boolean;
  readonly authenticationSchemes: readonly { type: string; name: string; description: string }[];
}

/** Deepest sub-attribute nesting mapped; RFC 7643 allows one level, a few servers use two. */
const MAX_DEPTH = 6;

const TYPES: ReadonlyMap<string, AttributeType> = new Map(
  (['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex'] as const).map(
    (type) => [type.toLowerCase(), type],
  ),
);
const MUTABILITY = ['readOnly', 'readWrite', 'immutable', 'writeOnly'] as const;
const RETURNED = ['always', 'never', 'default', 'request'] as const;
const UNIQUENESS = ['none', 'server', 'global'] as const;
const DISCOVERY_SCHEMAS = new Set(
  [SERVICE_PROVIDER_CONFIG_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA].map((urn) => urn.toLowerCase()),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property by case-insensitive name (servers vary the casing of `Resources`). */
function field(record: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(record, name)) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A boolean, also as the strings `"true"`/`"false"` in any case. */
function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return allowed.find((candidate) => candidate.toLowerCase() === lower);
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** The items of a discovery list, or an error naming what the server answered instead. */
export function listItems(value: unknown, endpoint: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value)) {
    const resources = field(value, 'Resources');
    if (Array.isArray(resources)) return resources;
    if (resources === undefined && Number(field(value, 'totalResults')) === 0) return [];
    const keys = Object.keys(value).slice(0, 8).join(', ');
    throw new OpenApiInputError(
      `${endpoint} answered an object without a Resources list (keys: ${keys || 'none'}); expected a ListResponse (RFC 7644 section 4).`,
    );
  }
  throw new OpenApiInputError(
    `${endpoint} answered ${value === null ? 'null' : typeof value}; expected a ListResponse (RFC 7644 section 4).`,
  );
}

/** Reads attributes and sub-attributes; `where` names their owner in warnings. */
function readAttributes(
  raw: readonly unknown[],
  where: string,
  depth: number,
  warn: (code: OpenApiWarningCode, message: string) => void,
): Attribute[] {
  const seen = new Set<string>();
  const attributes: Attribute[] = [];
  for (const item of raw) {
    const name = isRecord(item) ? text(item.name) : undefined;
    if (!isRecord(item) || name === undefined) {
      warn(
        'invalidAttribute',
        `${where} lists an attribute that is not an object with a name; it is left out.`,
      );
      continue;
    }
    const label = `${depth === 0 ? 'attribute' : 'sub-attribute'} "${name}" of ${where}`;
    if (seen.has(name.toLowerCase())) {
      warn(
        'duplicateAttribute',
        `${label} is listed twice (names are case-insensitive, RFC 7643 section 2.1); the first is kept.`,
      );
      continue;
    }
    seen.add(name.toLowerCase());
    const rawType = item.type;
    let type: AttributeType | 'unknown' = TYPES.get(String(rawType).toLowerCase()) ?? 'unknown';
    const rawSubs = item.subAttributes;
    if (type === 'unknown' && rawType === undefined && Array.isArray(rawSubs)) type = 'complex';
    if (type === 'unknown') {
      warn(
        'unknownType',
        `${label} has type ${JSON.stringify(rawType) ?? 'undefined'}, which RFC 7643 section 2.3 does not define; it is typed as any JSON value.`,
      );
    }
    let subAttributes: Attribute[] | undefined;
    if (type === 'complex' && Array.isArray(rawSubs)) {
      if (depth >= MAX_DEPTH) {
        warn(
          'depthLimit',
          `${label} nests sub-attributes ${depth + 1} levels deep; it is typed as an open object.`,
        );
      } else {
        if (depth >= 1) {
          warn(
            'nestedSubAttributes',
            `${label} has sub-attributes of its own, which RFC 7643 section 2.4 does not allow; they are mapped anyway.`,
          );
        }
        subAttributes = readAttributes(rawSubs, label, depth + 1, warn);
      }
    }
    const canonicalValues = Array.isArray(item.canonicalValues)
      ? item.canonicalValues.filter(
          (value): value is string | number | boolean =>
            typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
        )
      : undefined;
    attributes.push({
      name,
      type,
      multiValued: flag(item.multiValued) ?? false,
      required: flag(item.required) ?? false,
      mutability: oneOf(item.mutability, MUTABILITY) ?? 'readWrite',
      returned: oneOf(item.returned, RETURNED) ?? 'default',
      description: text(item.description),
      caseExact: flag(item.caseExact),
      uniqueness: oneOf(item.uniqueness, UNIQUENESS),
      canonicalValues: canonicalValues && canonicalValues.length > 0 ? canonicalValues : undefined,
      referenceTypes: strings(item.referenceTypes),
      subAttributes,
    });
  }
  return attributes;
}

/** Reads `/Schemas` into schemas by lower-cased URN, in the server's order. */
export function readSchemas(value: unknown, warnings: OpenApiWarning[]): Map<string, Schema> {
  const warn = (code: OpenApiWarningCode, message: string) => warnings.push({ code, message });
  const schemas = new Map<string, Schema>();
  for (const item of listItems(value, '/Schemas')) {
    const id = isRecord(item) ? text(item.id) : undefined;
    if (!isRecord(item) || id === undefined) {
      warn('invalidSchema', '/Schemas lists an entry without an id; it is left out.');
      continue;
    }
    // The discovery schemas themselves are described from RFC 7643, whatever the server says.
    if (DISCOVERY_SCHEMAS.has(id.toLowerCase())) continue;
    if (schemas.has(id.toLowerCase())) {
      warn('duplicateSchema', `/Schemas lists schema "${id}" twice; the first is kept.`);
      continue;
    }
    const where = `schema "${id}"`;
    const rawAttributes = item.attributes;
    if (!Array.isArray(rawAttributes)) {
      warn(
        'missingAttributes',
        `${where} has no attributes list in /Schemas (RFC 7643 section 7 requires one); it is typed as an open object.`,
      );
    }
    schemas.set(id.toLowerCase(), {
      id,
      name: text(item.name),
      description: text(item.description),
      attributes: Array.isArray(rawAttributes) ? readAttributes(rawAttributes, where, 0, warn) : undefined,
    });
  }
  return schemas;
}

/** `/Users`, from `Users`, `/Users/` or an absolute URL ending in `/Users`; undefined if unusable. */
function normaliseEndpoint(endpoint: string): string | undefined {
  let path = endpoint.trim();
  if (/^https?:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname.split('/').filter(Boolean).pop() ?? '';
    } catch {
      return undefined;
    }
  }
  path = `/${path.replace(/^\/+|\/+$/g, '')}`;
  // Path templates, queries, fragments, dot segments and spaces cannot be an endpoint.
  if (path === '/' || /[{}?#\s\\]|(^|\/)\.\.?(\/|$)/.test(path)) return undefined;
  return path;
}

/** Reads `/ResourceTypes`: usable, distinct types only (discovery types are served anyway). */
export function readResourceTypes(value: unknown, warnings: OpenApiWarning[]): ResourceTypeInfo[] {
  const warn = (message: string) => warnings.push({ code: 'invalidResourceType', message });
  const types: ResourceTypeInfo[] = [];
  const names = new Set<string>();
  const endpoints = new Set<string>();
  for (const item of listItems(value, '/ResourceTypes')) {
    if (!isRecord(item)) {
      warn('/ResourceTypes lists an entry that is not an object; it is left out.');
      continue;
    }
    const name = text(item.name);
    const rawEndpoint = text(item.endpoint);
    const schema = text(item.schema);
    if (schema && DISCOVERY_SCHEMAS.has(schema.toLowerCase())) continue;
    const label = `resource type ${JSON.stringify(name ?? item.id ?? '(unnamed)')}`;
    if (name === undefined || rawEndpoint === undefined || schema === undefined) {
      const missing = [name ? '' : 'name', rawEndpoint ? '' : 'endpoint', schema ? '' : 'schema'];
      warn(`${label} has no ${missing.filter(Boolean).join(' or ')} (RFC 7643 section 6); it is left out.`);
      continue;
    }
    const endpoint = normaliseEndpoint(rawEndpoint);
    if (endpoint === undefined) {
      warn(`${label} has endpoint ${JSON.stringify(rawEndpoint)}, which is not a path; it is left out.`);
      continue;
    }
    if (names.has(name.toLowerCase()) || endpoints.has(endpoint.toLowerCase())) {
      warn(
        `${label} (${endpoint}) repeats the name or endpoint of an earlier resource type; it is left out.`,
      );
      continue;
    }
    names.add(name.toLowerCase());
    endpoints.add(endpoint.toLowerCase());
    const extensions: { schema: string; required: boolean }[] = [];
    const rawExtensions = item.schemaExtensions;
    for (const extension of Array.isArray(rawExtensions) ? rawExtensions : []) {
      const urn = isRecord(extension) ? text(extension.schema) : undefined;
      if (!isRecord(extension) || urn === undefined) {
        warn(`${label} lists a schema extension without a schema URN; it is left out.`);
        continue;
      }
      if (urn.toLowerCase() === schema.toLowerCase() || extensions.some((e) => e.schema === urn)) continue;
      extensions.push({ schema: urn, required: flag(extension.required) ?? false });
    }
    types.push({ name, endpoint, description: text(item.description), schema, schemaExtensions: extensions });
  }
  return types;
}

/** The features that shape the document, with the RFC 7644 minimum when no config was given. */
export function readCapabilities(config: unknown, warnings: OpenApiWarning[]): Capabilities {
  const spc = isRecord(config) ? config : {};
  const supported = (name: string, fallback: boolean) => {
    const feature = field(spc, name);
    return (isRecord(feature) ? flag(field(feature, 'supported')) : undefined) ?? fallback;
  };
  const pagination = field(spc, 'pagination');
  const paging = isRecord(pagination) ? pagination : {};
  const schemes = field(spc, 'authenticationSchemes');
  const authenticationSchemes: { type: string; name: string; description: string }[] = [];
  for (const scheme of Array.isArray(schemes) ? schemes : []) {
    if (!isRecord(scheme)) continue;
    const type = text(scheme.type);
    if (type === undefined) {
      warnings.push({
        code: 'unknownAuthenticationScheme',
        message: 'ServiceProviderConfig lists an authentication scheme without a type; it is left out.',
      });
      continue;
    }
    authenticationSchemes.push({
      type,
      name: text(scheme.name) ?? type,
      description: text(scheme.description) ?? '',
    });
  }
  return {
    patch: supported('patch', true),
    // Bulk is optional (RFC 7644 section 3.7): only a server that says so gets /Bulk.
    bulk: supported('bulk', false),
    filter: supported('filter', true),
    sort: supported('sort', true),
    etag: supported('etag', true),
    cursor: flag(field(paging, 'cursor')) ?? false,
    index: flag(field(paging, 'index')) ?? true,
    authenticationSchemes,
  };
}

/** Types that only say what the public input accepts; the reading above trusts none of it. */
export type { ResourceType, SchemaResource, ServiceProviderConfig };
