/**
 * What a run learns from discovery before the checks start: the advertised features (checks
 * needing others are skipped and listed) and the schemas the reference filter evaluator uses,
 * so that expectations follow what the server itself declares (`caseExact` above all).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-4
 */
import type { FilterAttributeDefinition, FilterSchemaDefinition } from '@scimkit/filter';
import {
  type AttributeDefinition,
  commonAttributes,
  ENTERPRISE_USER_SCHEMA,
  enterpriseUserDefinition,
  GROUP_SCHEMA,
  groupDefinition,
  type SchemaDefinition,
  USER_SCHEMA,
  userDefinition,
} from '@scimkit/schema';
import { record } from './expect.js';
import type { Http } from './http.js';
import type { Feature } from './types.js';

/** What discovery told the run. */
export interface ServerInfo {
  /** The ServiceProviderConfig as read (undefined when unreadable). */
  serviceProviderConfig: Record<string, unknown> | undefined;
  resourceTypes: Record<string, unknown>[];
  schemas: Record<string, unknown>[];
  features: Record<Feature, boolean>;
  /** `bulk.maxOperations` and `bulk.maxPayloadSize`, when advertised. */
  bulkLimits: { maxOperations: number | undefined; maxPayloadSize: number | undefined };
}

function supported(value: unknown): boolean {
  const flag = record(value)?.supported;
  return flag === true || flag === 'true';
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The Resources of a discovery list (a bare array is accepted here). */
function itemsOf(body: unknown): Record<string, unknown>[] {
  const list = Array.isArray(body) ? body : record(body)?.Resources;
  return Array.isArray(list) ? list.map((item) => record(item) ?? {}) : [];
}

function sameText(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** Reads the three discovery endpoints (failures leave features off; discovery checks report them). */
export async function discover(http: Http): Promise<ServerInfo> {
  const read = async (path: string) => {
    const answer = await http.send({ method: 'GET', path });
    return answer.status === 200 ? answer.body : undefined;
  };
  const [spcBody, typesBody, schemasBody] = await Promise.all([
    read('/ServiceProviderConfig'),
    read('/ResourceTypes'),
    read('/Schemas'),
  ]);
  const spc = record(spcBody);
  const resourceTypes = itemsOf(typesBody);
  const typesKnown = typesBody !== undefined;
  const userType = resourceTypes.find((type) => sameText(type.schema, USER_SCHEMA));
  const extensions = Array.isArray(userType?.schemaExtensions) ? userType.schemaExtensions : [];
  const bulk = record(spc?.bulk);
  return {
    serviceProviderConfig: spc,
    resourceTypes,
    schemas: itemsOf(schemasBody),
    features: {
      patch: supported(spc?.patch),
      bulk: supported(bulk),
      filter: supported(spc?.filter),
      sort: supported(spc?.sort),
      etag: supported(spc?.etag),
      changePassword: supported(spc?.changePassword),
      cursor: record(spc?.pagination)?.cursor === true,
      // Without a readable /ResourceTypes, assume the two resource types every IdP uses.
      groups: typesKnown ? resourceTypes.some((type) => sameText(type.schema, GROUP_SCHEMA)) : true,
      enterpriseUser: extensions.some((extension) =>
        sameText(record(extension)?.schema, ENTERPRISE_USER_SCHEMA),
      ),
    },
    bulkLimits: {
      maxOperations: positive(bulk?.maxOperations),
      maxPayloadSize: positive(bulk?.maxPayloadSize),
    },
  };
}

const TYPES: ReadonlyMap<string, FilterAttributeDefinition['type']> = new Map(
  (['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex'] as const).map(
    (type) => [type.toLowerCase(), type],
  ),
);

/** An attribute definition from the network, reduced to what the evaluator reads. */
function filterAttribute(raw: unknown): FilterAttributeDefinition | undefined {
  const attribute = record(raw);
  if (!attribute || typeof attribute.name !== 'string' || typeof attribute.type !== 'string')
    return undefined;
  const type = TYPES.get(attribute.type.toLowerCase());
  if (!type) return undefined;
  const subAttributes = Array.isArray(attribute.subAttributes)
    ? attribute.subAttributes.map(filterAttribute).filter((sub) => sub !== undefined)
    : undefined;
  return {
    name: attribute.name,
    type,
    multiValued: attribute.multiValued === true,
    caseExact: attribute.caseExact === true,
    ...(subAttributes ? { subAttributes } : {}),
  };
}

/**
 * A schema as the server declares it, over the RFC 7643 definition: the server's declaration
 * of an attribute wins (its `caseExact` above all), attributes it does not declare keep the
 * RFC's characteristics, so an incomplete /Schemas does not turn into wrong expectations.
 */
function declared(
  info: ServerInfo,
  fallback: SchemaDefinition,
  extra: readonly AttributeDefinition[] = [],
): FilterSchemaDefinition {
  const found = info.schemas.find((schema) => sameText(schema.id, fallback.id));
  const own = Array.isArray(found?.attributes)
    ? found.attributes.map(filterAttribute).filter((attribute) => attribute !== undefined)
    : [];
  const byName = new Map<string, FilterAttributeDefinition>();
  for (const attribute of [...extra, ...fallback.attributes])
    byName.set(attribute.name.toLowerCase(), attribute);
  for (const attribute of own) byName.set(attribute.name.toLowerCase(), attribute);
  return { id: fallback.id, attributes: [...byName.values()] };
}

/**
 * The schemas a resource type's filters are evaluated against by the reference evaluator:
 * the server's declarations over RFC 7643's, with the common attributes (`id`, `externalId`,
 * `meta`) that section 3.1 gives every resource.
 */
export function filterSchemas(info: ServerInfo, type: 'User' | 'Group'): FilterSchemaDefinition[] {
  if (type === 'Group') return [declared(info, groupDefinition, commonAttributes)];
  return [declared(info, userDefinition, commonAttributes), declared(info, enterpriseUserDefinition)];
}
