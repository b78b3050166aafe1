// Paths, parameters, headers and responses: every endpoint RFC 7644 defines that the server's
// configuration advertises.
import type { Capabilities } from './discovery.js';
import type {
  JsonSchema,
  OpenApiHeader,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiPathItem,
  OpenApiReference,
  OpenApiResponse,
} from './document.js';
import { listResponseSchema, schemaRef } from './messages.js';

/** The media type of every SCIM body (RFC 7644 section 3.1). */
export const SCIM_MEDIA_TYPE = 'application/scim+json';

/** One resource type as the paths need it: names of its operations and components. */
export interface PathResourceType {
  /** The resource type name, used as the operations' tag. */
  name: string;
  /** `/Users`. */
  endpoint: string;
  /** Singular and plural identifiers for operation ids: `User`, `Users`. */
  operationNames: { one: string; many: string };
  /** Component names. */
  components: { resource: string; input: string; listResponse: string };
}

const parameter = (name: string): OpenApiReference => ({ $ref: `#/components/parameters/${name}` });
const response = (name: string): OpenApiReference => ({ $ref: `#/components/responses/${name}` });
const header = (name: string): OpenApiReference => ({ $ref: `#/components/headers/${name}` });

const query = (name: string, description: string, schema: JsonSchema): OpenApiParameter => ({
  name,
  in: 'query',
  description,
  schema,
});

/** The reusable parameters; the document keeps only those some operation uses. */
export const PARAMETERS: Record<string, OpenApiParameter> = {
  filter: query('filter', 'A filter expression (RFC 7644 section 3.4.2.2), e.g. `userName eq "bjensen"`.', {
    type: 'string',
  }),
  sortBy: query('sortBy', 'The attribute to sort by (RFC 7644 section 3.4.2.3).', { type: 'string' }),
  sortOrder: query('sortOrder', 'The sort order.', { type: 'string', enum: ['ascending', 'descending'] }),
  startIndex: query('startIndex', 'The 1-based index of the first result (RFC 7644 section 3.4.2.4).', {
    type: 'integer',
  }),
  count: query('count', 'The largest number of results per page; the server may return fewer.', {
    type: 'integer',
  }),
  cursor: query('cursor', 'The page cursor; empty for the first page (RFC 9865).', { type: 'string' }),
  attributes: query('attributes', 'Comma-separated attribute paths to return (RFC 7644 section 3.9).', {
    type: 'string',
  }),
  excludedAttributes: query('excludedAttributes', 'Comma-separated attribute paths to leave out.', {
    type: 'string',
  }),
  id: { name: 'id', in: 'path', required: true, description: 'The resource id.', schema: { type: 'string' } },
  schemaId: {
    name: 'id',
    in: 'path',
    required: true,
    description: 'The schema URN.',
    schema: { type: 'string' },
  },
  resourceTypeName: {
    name: 'name',
    in: 'path',
    required: true,
    description: 'The resource type name.',
    schema: { type: 'string' },
  },
  ifMatch: {
    name: 'If-Match',
    in: 'header',
    description: 'Only write if the resource still has this version (RFC 7644 section 3.14); 412 otherwise.',
    schema: { type: 'string' },
  },
  ifNoneMatch: {
    name: 'If-None-Match',
    in: 'header',
    description: 'Answer 304 Not Modified if the resource still has this version (RFC 7644 section 3.14).',
    schema: { type: 'string' },
  },
};

/** Response headers. */
export const HEADERS: Record<string, OpenApiHeader> = {
  ETag: { description: 'The resource version, as in `meta.version`.', schema: { type: 'string' } },
  Location: {
    description: 'The URI of the created resource, as in `meta.location`.',
    schema: { type: 'string', format: 'uri' },
  },
};

const errorBody = { [SCIM_MEDIA_TYPE]: { schema: schemaRef('Error') } };
const failure = (description: string): OpenApiResponse => ({ description, content: errorBody });

/** Responses shared by every operation, each an RFC 7644 section 3.12 status. */
export const RESPONSES: Record<string, OpenApiResponse> = {
  NotModified: { description: 'Not Modified: the resource still has the version of If-None-Match.' },
  BadRequest: failure('Bad Request: invalid syntax, filter, path, value or mutability (see scimType).'),
  Unauthorized: failure('Unauthorized: no or invalid credentials.'),
  Forbidden: failure('Forbidden: the operation is not allowed for these credentials.'),
  NotFound: failure('Not Found: no resource with this id.'),
  Conflict: failure('Conflict: a unique attribute value is taken (scimType uniqueness).'),
  PreconditionFailed: failure('Precondition Failed: the resource changed since the If-Match version.'),
  PayloadTooLarge: failure('Payload Too Large: the body, or the bulk operations, exceed the server limits.'),
  InternalServerError: failure('Internal Server Error.'),
  NotImplemented: failure('Not Implemented: the server does not support this operation.'),
};

const STATUS: Record<string, string> = {
  304: 'NotModified',
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'PayloadTooLarge',
  500: 'InternalServerError',
  501: 'NotImplemented',
};

function body(schema: JsonSchema, description: string, headers: string[] = []): OpenApiResponse {
  return {
    description,
    ...(headers.length > 0
      ? { headers: Object.fromEntries(headers.map((name) => [name, header(name)])) }
      : {}),
    content: { [SCIM_MEDIA_TYPE]: { schema } },
  };
}

function requestBody(schema: JsonSchema, description: string) {
  return { description, required: true, content: { [SCIM_MEDIA_TYPE]: { schema } } };
}

/** An operation with its success responses and the shared failures for `statuses`. */
function operation(
  fields: Omit<OpenApiOperation, 'responses'>,
  success: Record<string, OpenApiResponse | OpenApiReference>,
  statuses: number[],
): OpenApiOperation {
  const responses: OpenApiOperation['responses'] = { ...success };
  for (const status of statuses) responses[status] = response(STATUS[status]!);
  if (fields.parameters?.length === 0) delete fields.parameters;
  return { ...fields, responses };
}

const projection = (): OpenApiReference[] => [parameter('attributes'), parameter('excludedAttributes')];

function listParameters({ filter, sort, index, cursor }: Capabilities): OpenApiReference[] {
  return [
    ...(filter ? [parameter('filter')] : []),
    ...(sort ? [parameter('sortBy'), parameter('sortOrder')] : []),
    ...(index ? [parameter('startIndex')] : []),
    parameter('count'),
    ...(cursor ? [parameter('cursor')] : []),
    ...projection(),
  ];
}

/** How an item path names its resource: `/Users/{id}` or `/Me`. */
interface ItemFlavour {
  /** Appended to operation ids: `getUser` or `getUserMe`. */
  suffix: string;
  /** `a User` or `the authenticated User (/Me)`. */
  subject: string;
  /** Statuses beyond the usual ones (501 for /Me). */
  extra: number[];
}

/** GET, PUT, PATCH and DELETE of one resource. */
function itemPath(type: PathResourceType, capabilities: Capabilities, flavour: ItemFlavour): OpenApiPathItem {
  const { resource, input } = type.components;
  const { etag } = capabilities;
  const one = `${type.operationNames.one}${flavour.suffix}`;
  const { subject, extra } = flavour;
  const tags = [type.name];
  const ifMatch = etag ? [parameter('ifMatch')] : [];
  const preconditions = etag ? [412] : [];
  const returned = body(schemaRef(resource), `The ${type.name}.`, etag ? ['ETag'] : []);
  const item: OpenApiPathItem = {
    get: operation(
      {
        operationId: `get${one}`,
        summary: `Read ${subject}`,
        description: 'RFC 7644 section 3.4.1.',
        tags,
        parameters: [...projection(), ...(etag ? [parameter('ifNoneMatch')] : [])],
      },
      { 200: returned, ...(etag ? { 304: response('NotModified') } : {}) },
      [400, 401, 403, 404, 500, ...extra],
    ),
    put: operation(
      {
        operationId: `replace${one}`,
        summary: `Replace ${subject}`,
        description: 'RFC 7644 section 3.5.1: read-only attributes are ignored, immutable ones must match.',
        tags,
        parameters: [...ifMatch, ...projection()],
        requestBody: requestBody(schemaRef(input), `The ${type.name} as it should be.`),
      },
      { 200: returned },
      [400, 401, 403, 404, 409, ...preconditions, 413, 500, ...extra],
    ),
  };
  if (capabilities.patch) {
    item.patch = operation(
      {
        operationId: `patch${one}`,
        summary: `Modify ${subject}`,
        description: 'RFC 7644 section 3.5.2: operations applied in order, all or nothing.',
        tags,
        parameters: [...ifMatch, ...projection()],
        requestBody: requestBody(schemaRef('PatchOp'), 'The PATCH operations.'),
      },
      { 200: returned, 204: { description: `The ${type.name} was modified.` } },
      [400, 401, 403, 404, 409, ...preconditions, 413, 500, ...extra],
    );
  }
  item.delete = operation(
    {
      operationId: `delete${one}`,
      summary: `Delete ${subject}`,
      description: 'RFC 7644 section 3.6.',
      tags,
      parameters: ifMatch,
    },
    { 204: { description: `The ${type.name} was deleted.` } },
    [401, 403, 404, ...preconditions, 500, ...extra],
  );
  return item;
}

/** The endpoint, `.search` and item paths of a resource type. */
export function resourcePaths(
  type: PathResourceType,
  capabilities: Capabilities,
): Record<string, OpenApiPathItem> {
  const { endpoint, name, components, operationNames } = type;
  const tags = [name];
  const list = body(schemaRef(components.listResponse), `A page of ${name} resources.`);
  const created = body(
    schemaRef(components.resource),
    `The created ${name}.`,
    capabilities.etag ? ['Location', 'ETag'] : ['Location'],
  );
  return {
    [endpoint]: {
      get: operation(
        {
          operationId: `list${operationNames.many}`,
          summary: `List or filter ${name} resources`,
          description: 'RFC 7644 section 3.4.2: a ListResponse, paged by index or cursor (RFC 9865).',
          tags,
          parameters: listParameters(capabilities),
        },
        { 200: list },
        [400, 401, 403, 500],
      ),
      post: operation(
        {
          operationId: `create${operationNames.one}`,
          summary: `Create a ${name}`,
          description: 'RFC 7644 section 3.3: answers 201 with the resource as stored.',
          tags,
          parameters: projection(),
          requestBody: requestBody(schemaRef(components.input), `The new ${name}.`),
        },
        { 201: created },
        [400, 401, 403, 409, 413, 500],
      ),
    },
    [`${endpoint}/.search`]: {
      post: operation(
        {
          operationId: `search${operationNames.many}`,
          summary: `Search ${name} resources with a POST body`,
          description: 'RFC 7644 section 3.4.3: like GET, but the query stays out of URLs and logs.',
          tags,
          requestBody: requestBody(schemaRef('SearchRequest'), 'The query.'),
        },
        { 200: list },
        [400, 401, 403, 413, 500],
      ),
    },
    [`${endpoint}/{id}`]: {
      parameters: [parameter('id')],
      ...itemPath(type, capabilities, { suffix: '', subject: `a ${name}`, extra: [] }),
    },
  };
}

/** `/Me`: the authenticated subject's own User (RFC 7644 section 3.11); 501 where unsupported. */
export function mePath(user: PathResourceType, capabilities: Capabilities): OpenApiPathItem {
  return itemPath(user, capabilities, {
    suffix: 'Me',
    subject: `the authenticated ${user.name} (/Me)`,
    extra: [501],
  });
}

/** A GET of a discovery document. */
function discovery(operationId: string, summary: string, schema: JsonSchema, statuses: number[]) {
  return {
    get: operation({ operationId, summary, tags: ['Discovery'] }, { 200: body(schema, summary) }, statuses),
  };
}

/**
 * Discovery (RFC 7644 section 4), the root `/.search` over every resource type (`resources`
 * are their component names) and `/Bulk` when supported.
 */
export function servicePaths(
  resources: readonly string[],
  capabilities: Capabilities,
): Record<string, OpenApiPathItem> {
  const anyResource: JsonSchema =
    resources.length > 0 ? { anyOf: resources.map((name) => schemaRef(name)) } : {};
  const paths: Record<string, OpenApiPathItem> = {
    '/ServiceProviderConfig': discovery(
      'getServiceProviderConfig',
      'The service provider configuration',
      schemaRef('ServiceProviderConfig'),
      [401, 500],
    ),
    '/ResourceTypes': discovery(
      'listResourceTypes',
      'Every resource type',
      listResponseSchema(schemaRef('ResourceType'), 'The resource types.'),
      [401, 500],
    ),
    '/ResourceTypes/{name}': {
      parameters: [parameter('resourceTypeName')],
      ...discovery('getResourceType', 'One resource type', schemaRef('ResourceType'), [401, 404, 500]),
    },
    '/Schemas': discovery(
      'listSchemas',
      'Every schema',
      listResponseSchema(schemaRef('Schema'), 'The schemas.'),
      [401, 500],
    ),
    '/Schemas/{id}': {
      parameters: [parameter('schemaId')],
      ...discovery('getSchema', 'One schema', schemaRef('Schema'), [401, 404, 500]),
    },
    '/.search': {
      post: operation(
        {
          operationId: 'searchAll',
          summary: 'Search every resource type at once',
          description: 'RFC 7644 section 3.4.3; 501 where the server does not support it.',
          tags: ['Search'],
          requestBody: requestBody(schemaRef('SearchRequest'), 'The query.'),
        },
        { 200: body(listResponseSchema(anyResource, 'Resources of any type.'), 'A page of resources.') },
        [400, 401, 403, 413, 500, 501],
      ),
    },
  };
  if (capabilities.bulk) {
    paths['/Bulk'] = {
      post: operation(
        {
          operationId: 'bulk',
          summary: 'Run many operations in one request',
          description: 'RFC 7644 section 3.7: each operation answers its own status in the BulkResponse.',
          tags: ['Bulk'],
          requestBody: requestBody(schemaRef('BulkRequest'), 'The operations.'),
        },
        { 200: body(schemaRef('BulkResponse'), 'The outcome of each operation.') },
        [400, 401, 403, 413, 500],
      ),
    };
  }
  return paths;
}
