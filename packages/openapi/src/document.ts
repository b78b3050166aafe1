// The part of OpenAPI 3.1 that toOpenApi writes, as plain data types. Not a full model of the
// specification: only what the generated documents contain, so that readers can walk them typed.

/** A JSON type name of JSON Schema. */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/**
 * A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as written by {@link toOpenApi}.
 * Keywords starting with `x-scim-` carry SCIM characteristics that JSON Schema has no word for.
 * @see https://spec.openapis.org/oas/v3.1.0#schema-object
 */
export interface JsonSchema {
  /** A reference to a component: `#/components/schemas/Name`. */
  $ref?: string;
  /** The JSON type. */
  type?: JsonType;
  /** `date-time` for SCIM dateTime, `uri-reference` for SCIM reference. */
  format?: string;
  /** `base64` for SCIM binary. */
  contentEncoding?: string;
  /** Human-readable description. */
  description?: string;
  /** Properties of an object. */
  properties?: Record<string, JsonSchema>;
  /** Properties an object must have. */
  required?: string[];
  /** Whether (or which) other properties an object may have. */
  additionalProperties?: boolean | JsonSchema;
  /** The schema of an array's items. */
  items?: JsonSchema;
  /** The least number of items of an array. */
  minItems?: number;
  /** The least value of a number. */
  minimum?: number;
  /** The closed list of allowed values. */
  enum?: unknown[];
  /** The one allowed value. */
  const?: unknown;
  /** Example values (SCIM `canonicalValues` land here: suggestions, not a closed list). */
  examples?: unknown[];
  /** Any of these schemas. */
  anyOf?: JsonSchema[];
  /** Only in responses (SCIM `mutability: readOnly`). */
  readOnly?: boolean;
  /** Only in requests (SCIM `mutability: writeOnly` or `returned: never`). */
  writeOnly?: boolean;
  /** SCIM characteristics and other extensions. */
  [extension: `x-${string}`]: unknown;
}

/** A `$ref` to a reusable component. */
export interface OpenApiReference {
  /** `#/components/<kind>/<name>`. */
  $ref: string;
}

/** A header of a response. @see https://spec.openapis.org/oas/v3.1.0#header-object */
export interface OpenApiHeader {
  /** What the header carries. */
  description: string;
  /** The header value's schema. */
  schema: JsonSchema;
}

/** A request or response body by media type. */
export type OpenApiContent = Record<string, { schema: JsonSchema }>;

/** A response. @see https://spec.openapis.org/oas/v3.1.0#response-object */
export interface OpenApiResponse {
  /** What the response means. */
  description: string;
  /** Response headers. */
  headers?: Record<string, OpenApiHeader | OpenApiReference>;
  /** The body by media type. */
  content?: OpenApiContent;
}

/** A query, path or header parameter. @see https://spec.openapis.org/oas/v3.1.0#parameter-object */
export interface OpenApiParameter {
  /** The parameter name. */
  name: string;
  /** Where it goes. */
  in: 'query' | 'path' | 'header';
  /** What it does. */
  description: string;
  /** Whether it must be sent (always true for path parameters). */
  required?: boolean;
  /** The value's schema. */
  schema: JsonSchema;
}

/** A request body. @see https://spec.openapis.org/oas/v3.1.0#request-body-object */
export interface OpenApiRequestBody {
  /** What the body carries. */
  description?: string;
  /** Whether a body must be sent. */
  required: boolean;
  /** The body by media type. */
  content: OpenApiContent;
}

/** One operation of a path. @see https://spec.openapis.org/oas/v3.1.0#operation-object */
export interface OpenApiOperation {
  /** A unique name, e.g. `createUser` (openapi-typescript's `operations` key). */
  operationId: string;
  /** One line. */
  summary: string;
  /** More detail, with the RFC section. */
  description?: string;
  /** Grouping: the resource type name, `Discovery` or `Bulk`. */
  tags: string[];
  /** Query and header parameters. */
  parameters?: (OpenApiParameter | OpenApiReference)[];
  /** The body of POST, PUT and PATCH. */
  requestBody?: OpenApiRequestBody;
  /** Responses by status code. */
  responses: Record<string, OpenApiResponse | OpenApiReference>;
}

/** The HTTP methods SCIM uses. */
export type OpenApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The operations of one path. @see https://spec.openapis.org/oas/v3.1.0#path-item-object */
export type OpenApiPathItem = { [M in OpenApiMethod]?: OpenApiOperation } & {
  /** Parameters every operation of the path takes (the `{id}` of item paths). */
  parameters?: (OpenApiParameter | OpenApiReference)[];
};

/** A security scheme. @see https://spec.openapis.org/oas/v3.1.0#security-scheme-object */
export interface OpenApiSecurityScheme {
  /** Always `http` here. */
  type: 'http';
  /** `bearer`, `basic` or `digest`. */
  scheme: string;
  /** Where it comes from (the ServiceProviderConfig's authentication scheme). */
  description?: string;
}

/**
 * One resource type of the server as {@link toOpenApi} mapped it: the root extension
 * `x-scim-resourceTypes` lists them, so that code generators (`scimkit codegen`,
 * {@link renderResourceMap}) find each type's components without guessing.
 */
export interface ScimResourceTypeEntry {
  /** The resource type name from `/ResourceTypes`: `User`, `Group`, `Device`. */
  name: string;
  /** Its endpoint, starting with `/`: `/Users`. */
  endpoint: string;
  /** Its description, if the server gave one. */
  description?: string;
  /** The core schema URN. */
  schema: string;
  /** Extension schema URNs and whether resources must carry them. */
  schemaExtensions: { schema: string; required: boolean }[];
  /** Component names in `components.schemas`. */
  components: {
    /** The resource as the server returns it. */
    resource: string;
    /** What POST and PUT take. */
    input: string;
    /** The ListResponse of GET on the endpoint. */
    listResponse: string;
  };
}

/**
 * An OpenAPI 3.1 document as {@link toOpenApi} writes it: plain JSON data, ready for
 * `JSON.stringify`, openapi-typescript, a validator or an API explorer.
 * @see https://spec.openapis.org/oas/v3.1.0
 */
export interface OpenApiDocument {
  /** The OpenAPI version. */
  openapi: '3.1.0';
  /** Title, version and description. */
  info: { title: string; version: string; description?: string };
  /** The SCIM base URL, when it was given. */
  servers?: { url: string }[];
  /** Alternatives: any one of these schemes authenticates a request. */
  security: Record<string, string[]>[];
  /** Tags of the operations, with descriptions. */
  tags: { name: string; description?: string }[];
  /** Every endpoint. */
  paths: Record<string, OpenApiPathItem>;
  /** Reusable schemas, parameters, responses, headers and security schemes. */
  components: {
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, OpenApiParameter>;
    responses: Record<string, OpenApiResponse>;
    headers: Record<string, OpenApiHeader>;
    securitySchemes: Record<string, OpenApiSecurityScheme>;
  };
  /** The resource types and their components (see {@link ScimResourceTypeEntry}). */
  'x-scim-resourceTypes': ScimResourceTypeEntry[];
}
