// The protocol's own schemas (RFC 7644): Error, PatchOp, SearchRequest, Bulk messages, resource
// metadata and the discovery resources. Their names are claimed before any server schema's.
import {
  commonAttributes,
  resourceTypeDefinition,
  SCIM_ERROR_TYPES,
  schemaDefinition,
  serviceProviderConfigDefinition,
} from '@scimkit/schema';
import {
  BULK_REQUEST_SCHEMA,
  BULK_RESPONSE_SCHEMA,
  ERROR_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  SEARCH_REQUEST_SCHEMA,
} from '@scimkit/schema/errors';
import { objectSchema } from './attributes.js';
import type { Attribute } from './discovery.js';
import type { JsonSchema } from './document.js';

/** Component names of the protocol schemas. */
export const MESSAGE_NAMES = [
  'Meta',
  'Error',
  'ListResponse',
  'PatchOp',
  'PatchOperation',
  'SearchRequest',
  'BulkRequest',
  'BulkOperation',
  'BulkResponse',
  'BulkOperationResponse',
  'ServiceProviderConfig',
  'ResourceType',
  'Schema',
] as const;

/** A `$ref` to `components.schemas[name]`. */
export function schemaRef(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

/** The common attributes `id`, `externalId`, `meta` (RFC 7643 section 3.1). */
export const COMMON: readonly Attribute[] = commonAttributes;
const META = COMMON.find((attribute) => attribute.name === 'meta')!;

/** A `schemas` property: the URNs a message or resource carries. */
export function schemasProperty(description: string, urn?: string): JsonSchema {
  return {
    type: 'array',
    items: urn === undefined ? { type: 'string' } : { type: 'string', examples: [urn] },
    minItems: 1,
    description,
  };
}

/** A request message's `schemas`: exactly its URN. */
function fixedSchemas(urn: string): JsonSchema {
  return { type: 'array', items: { const: urn }, minItems: 1, description: `Always \`["${urn}"]\`.` };
}

function object(properties: Record<string, JsonSchema>, required: string[], description: string): JsonSchema {
  return { type: 'object', description, properties, required };
}

const text = (description: string): JsonSchema => ({ type: 'string', description });
const integer = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });
const anything = (description: string): JsonSchema => ({ description });

/** Discovery resources as the server serves them: their schema's attributes plus `schemas` and `meta`. */
function discoveryResource(attributes: readonly Attribute[], description: string): JsonSchema {
  const body = objectSchema(attributes, 'response', 'examples');
  return {
    ...body,
    description,
    properties: {
      schemas: schemasProperty('Schema URNs of the resource.'),
      ...body.properties,
      meta: schemaRef('Meta'),
    },
  };
}

/** A ListResponse whose `Resources` are `item`s (RFC 7644 section 3.4.2; cursors from RFC 9865). */
export function listResponseSchema(item: JsonSchema, description: string): JsonSchema {
  return object(
    {
      schemas: schemasProperty('Always the ListResponse URN.', LIST_RESPONSE_SCHEMA),
      totalResults: integer('The number of results matching the query.'),
      startIndex: { type: 'integer', minimum: 1, description: 'The 1-based index of the first result.' },
      itemsPerPage: integer('The number of results on this page.'),
      Resources: { type: 'array', items: item, description: 'The results (required when totalResults > 0).' },
      nextCursor: text('The cursor of the next page (RFC 9865).'),
      previousCursor: text('The cursor of the previous page (RFC 9865).'),
    },
    ['schemas', 'totalResults'],
    description,
  );
}

/** The protocol schemas; Bulk ones only when the server supports bulk. */
export function protocolSchemas(options: { bulk: boolean }): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {
    Meta: {
      ...objectSchema(META.subAttributes, 'response', 'examples'),
      description: 'Resource metadata, maintained by the service provider (RFC 7643 section 3.1).',
      readOnly: true,
    },
    Error: object(
      {
        schemas: schemasProperty('Always the Error URN.', ERROR_SCHEMA),
        status: { type: 'string', description: 'The HTTP status code, as a string.', examples: ['400'] },
        scimType: { type: 'string', description: 'The SCIM error type.', examples: [...SCIM_ERROR_TYPES] },
        detail: text('A human-readable explanation.'),
      },
      ['schemas', 'status'],
      'The SCIM Error response body (RFC 7644 section 3.12).',
    ),
    ListResponse: listResponseSchema({}, 'A query response (RFC 7644 section 3.4.2); never a bare array.'),
    PatchOp: object(
      {
        schemas: fixedSchemas(PATCH_OP_SCHEMA),
        Operations: { type: 'array', items: schemaRef('PatchOperation'), minItems: 1 },
      },
      ['schemas', 'Operations'],
      'A PATCH request body (RFC 7644 section 3.5.2): operations applied in order, all or nothing.',
    ),
    PatchOperation: object(
      {
        op: { type: 'string', enum: ['add', 'remove', 'replace'], description: 'The operation.' },
        path: text('The attribute path (`attrPath` or `valuePath[.subAttr]`); optional for add and replace.'),
        value: anything('The value to add or replace with, or the values to remove.'),
      },
      ['op'],
      'One PATCH operation (RFC 7644 section 3.5.2).',
    ),
    SearchRequest: object(
      {
        schemas: fixedSchemas(SEARCH_REQUEST_SCHEMA),
        attributes: { type: 'array', items: { type: 'string' }, description: 'Attributes to return.' },
        excludedAttributes: {
          type: 'array',
          items: { type: 'string' },
          description: 'Attributes not to return.',
        },
        filter: text('The filter expression (RFC 7644 section 3.4.2.2).'),
        sortBy: text('The attribute to sort by.'),
        sortOrder: { type: 'string', enum: ['ascending', 'descending'], description: 'The sort order.' },
        startIndex: { type: 'integer', description: 'The 1-based index of the first result.' },
        count: { type: 'integer', description: 'The page size.' },
        cursor: text('The page cursor (RFC 9865); empty for the first page.'),
      },
      ['schemas'],
      'A `POST /.search` body (RFC 7644 section 3.4.3).',
    ),
    ServiceProviderConfig: discoveryResource(
      serviceProviderConfigDefinition.attributes,
      'The service provider configuration (RFC 7643 section 5; pagination from RFC 9865).',
    ),
    ResourceType: discoveryResource(
      resourceTypeDefinition.attributes,
      'A resource type (RFC 7643 section 6).',
    ),
    Schema: discoveryResource(schemaDefinition.attributes, 'A schema definition (RFC 7643 section 7).'),
  };
  if (!options.bulk) return schemas;
  return {
    ...schemas,
    BulkRequest: object(
      {
        schemas: fixedSchemas(BULK_REQUEST_SCHEMA),
        failOnErrors: { type: 'integer', minimum: 1, description: 'Stop after this many errors.' },
        Operations: { type: 'array', items: schemaRef('BulkOperation'), minItems: 1 },
      },
      ['schemas', 'Operations'],
      'A bulk request body (RFC 7644 section 3.7).',
    ),
    BulkOperation: object(
      {
        method: { type: 'string', enum: ['POST', 'PUT', 'PATCH', 'DELETE'], description: 'The HTTP method.' },
        bulkId: text('A client-chosen id later operations reference as `bulkId:<id>` (required for POST).'),
        version: text('The resource version (ETag) to match, as with If-Match.'),
        path: text('The resource path relative to the base URL, e.g. `/Users` or `/Users/2819c223`.'),
        data: anything('The request body of POST, PUT and PATCH.'),
      },
      ['method', 'path'],
      'One operation of a bulk request.',
    ),
    BulkResponse: object(
      {
        schemas: schemasProperty('Always the BulkResponse URN.', BULK_RESPONSE_SCHEMA),
        Operations: { type: 'array', items: schemaRef('BulkOperationResponse') },
      },
      ['schemas', 'Operations'],
      'A bulk response body (RFC 7644 section 3.7).',
    ),
    BulkOperationResponse: object(
      {
        method: { type: 'string', description: 'The HTTP method of the operation.' },
        bulkId: text("The operation's bulkId, if it had one."),
        version: text('The resource version after the operation.'),
        location: { type: 'string', format: 'uri-reference', description: 'The resource URI.' },
        status: { type: 'string', description: 'The HTTP status code, as a string.', examples: ['201'] },
        response: anything('The response body, such as an Error, when the operation failed.'),
      },
      ['method', 'status'],
      'The outcome of one bulk operation.',
    ),
  };
}
