import type { ScimErrorBody } from './errors.js';
import type { Meta } from './resource.js';
import type {
  BULK_REQUEST_SCHEMA,
  BULK_RESPONSE_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  SEARCH_REQUEST_SCHEMA,
} from './urns.js';

/**
 * The sub-attributes shared by most multi-valued complex attributes.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.4
 */
export type MultiValuedAttribute<TValue = string> = {
  /** The value, e.g. an email address. */
  value?: TValue;
  /** A human-readable name, primarily used for display purposes. */
  display?: string;
  /** A label such as `work` or `home` (canonical values are suggestions only). */
  type?: string;
  /** Whether this is the primary value; at most one value has `primary: true`. */
  primary?: boolean;
};

/** An email address of a User. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export type Email = MultiValuedAttribute;
/** A phone number of a User. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export type PhoneNumber = MultiValuedAttribute;
/** An instant messaging address of a User. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export type InstantMessagingAddress = MultiValuedAttribute;
/** A photo URL of a User. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export type Photo = MultiValuedAttribute;
/** An entitlement of a User. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export type Entitlement = MultiValuedAttribute;
/** A role of a User. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export type Role = MultiValuedAttribute;
/** A base64 DER X.509 certificate of a User. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export type X509Certificate = MultiValuedAttribute;

/** A physical mailing address of a User. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export type Address = {
  /** The full mailing address, formatted for display. */
  formatted?: string;
  /** The full street address component. */
  streetAddress?: string;
  /** The city or locality component. */
  locality?: string;
  /** The state or region component. */
  region?: string;
  /** The zip code or postal code component. */
  postalCode?: string;
  /** The country name component (ISO 3166-1 alpha-2). */
  country?: string;
  /** A label: `work`, `home`, `other`. */
  type?: string;
  /** Whether this is the primary address. */
  primary?: boolean;
};

/** The components of a User's real name. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.1 */
export type Name = {
  /** The full name, including all middle names, titles and suffixes. */
  formatted?: string;
  /** The family name, or last name. */
  familyName?: string;
  /** The given name, or first name. */
  givenName?: string;
  /** The middle name(s). */
  middleName?: string;
  /** The honorific prefix(es), or title. */
  honorificPrefix?: string;
  /** The honorific suffix(es). */
  honorificSuffix?: string;
};

/** A group a User belongs to (`User.groups`, read-only). @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export type GroupMembership = {
  /** The Group's `id`. */
  value?: string;
  /** The Group's URI. */
  $ref?: string;
  /** The Group's display name. */
  display?: string;
  /** `direct` or `indirect`. */
  type?: string;
};

/** A member of a Group. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2 */
export type GroupMember = {
  /** The member's `id`. */
  value?: string;
  /** The member's URI. */
  $ref?: string;
  /** The member's display name. */
  display?: string;
  /** `User` or `Group`. */
  type?: string;
};

/** The manager of an Enterprise User. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.3 */
export type Manager = {
  /** The manager's `id`. */
  value?: string;
  /** The manager's URI. */
  $ref?: string;
  /** The manager's display name (read-only). */
  displayName?: string;
};

/**
 * The Enterprise User extension, found on a User under its URN.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.3
 * @scimSchema urn:ietf:params:scim:schemas:extension:enterprise:2.0:User
 */
export type EnterpriseUser = {
  /** Identifier assigned to a person, typically based on order of hire. */
  employeeNumber?: string;
  /** The name of a cost center. */
  costCenter?: string;
  /** The name of an organization. */
  organization?: string;
  /** The name of a division. */
  division?: string;
  /** The name of a department. */
  department?: string;
  /** The User's manager. */
  manager?: Manager;
};

/**
 * The writable attributes of a User, shared by {@link UserInput} and {@link User}.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1
 */
export type UserAttributes = {
  /** Schema URNs of the resource: the User URN and any extension present. */
  schemas: string[];
  /** The client's identifier for the User. */
  externalId?: string;
  /** Unique identifier used to sign in (case-insensitive, unique on the server). */
  userName: string;
  /** The components of the User's real name. */
  name?: Name;
  /** The name of the User, suitable for display. */
  displayName?: string;
  /** The casual way to address the User. */
  nickName?: string;
  /** A URL pointing to the User's online profile. */
  profileUrl?: string;
  /** The User's title, e.g. "Vice President". */
  title?: string;
  /** The relationship between organisation and User, e.g. "Employee". */
  userType?: string;
  /** The User's preferred written or spoken language, e.g. `en-US`. */
  preferredLanguage?: string;
  /** The User's default location for localisation, e.g. `en-US`. */
  locale?: string;
  /** The User's time zone, e.g. `America/Los_Angeles`. */
  timezone?: string;
  /** The User's administrative status. */
  active?: boolean;
  /** Email addresses. */
  emails?: Email[];
  /** Phone numbers. */
  phoneNumbers?: PhoneNumber[];
  /** Instant messaging addresses. */
  ims?: InstantMessagingAddress[];
  /** Photo URLs. */
  photos?: Photo[];
  /** Physical mailing addresses. */
  addresses?: Address[];
  /** Entitlements. */
  entitlements?: Entitlement[];
  /** Roles. */
  roles?: Role[];
  /** X.509 certificates. */
  x509Certificates?: X509Certificate[];
  /** The Enterprise User extension. */
  [ENTERPRISE_USER_SCHEMA]?: EnterpriseUser;
};

/**
 * A User as a client sends it on create or replace: no `id`, `meta` or read-only `groups`;
 * `userName` required; `password` allowed (it is never returned).
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1
 * @interface
 */
export type UserInput = UserAttributes & {
  /** The cleartext password (write-only). */
  password?: string;
};

/**
 * A User as a service provider returns it: `id` and `meta` always present, `password` never.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1
 * @interface
 * @scimSchema urn:ietf:params:scim:schemas:core:2.0:User
 */
export type User = UserAttributes & {
  /** The service provider's unique identifier. */
  id: string;
  /** Resource metadata. */
  meta: Meta;
  /** Groups the User belongs to (read-only; change membership through the Group). */
  groups?: GroupMembership[];
};

/**
 * A Group as a client sends it on create or replace.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2
 * @interface
 */
export type GroupInput = {
  /** Schema URNs of the resource. */
  schemas: string[];
  /** The client's identifier for the Group. */
  externalId?: string;
  /** A human-readable name for the Group (required, errata 5606). */
  displayName: string;
  /** Members of the Group. */
  members?: GroupMember[];
};

/**
 * A Group as a service provider returns it.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2
 * @interface
 * @scimSchema urn:ietf:params:scim:schemas:core:2.0:Group
 */
export type Group = GroupInput & {
  /** The service provider's unique identifier. */
  id: string;
  /** Resource metadata. */
  meta: Meta;
};

/**
 * A query response: never a bare array. RFC 9865 adds `nextCursor` and `previousCursor`.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 */
export type ListResponse<T> = {
  /** Always the ListResponse URN. */
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  /** The total number of results matching the query. */
  totalResults: number;
  /** The 1-based index of the first result (index paging). */
  startIndex?: number;
  /** The number of results on this page. */
  itemsPerPage?: number;
  /** The results; `[]` when nothing matches. */
  Resources: T[];
  /** The cursor of the next page (RFC 9865). */
  nextCursor?: string;
  /** The cursor of the previous page (RFC 9865). */
  previousCursor?: string;
};

/** The SCIM Error response body. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12 */
export type ScimErrorResponse = ScimErrorBody;

/** The three PATCH operation names. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2 */
export type PatchOperationType = 'add' | 'remove' | 'replace';

/**
 * One PATCH operation. `op` is lower-case here; parsers accept Entra's `Add`/`Replace`/`Remove`
 * (`PatchOperation` of `@scimkit/patch` is this type with `op` in any casing).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export type PatchOperation = {
  /** The operation. */
  op: PatchOperationType;
  /** The attribute path (`attrPath` or `valuePath[.subAttr]`); optional for add and replace. */
  path?: string;
  /** The value to add or replace with, or the values to remove. */
  value?: unknown;
};

/** A PATCH request body. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2 */
export type PatchOp = {
  /** Always the PatchOp URN. */
  schemas: [typeof PATCH_OP_SCHEMA];
  /** The operations, applied in order, all or nothing. */
  Operations: PatchOperation[];
};

/** The HTTP methods of bulk operations. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One operation of a bulk request. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export type BulkOperation = {
  /** The HTTP method. */
  method: BulkMethod;
  /** A client-chosen id that later operations reference as `bulkId:<id>` (required for POST). */
  bulkId?: string;
  /** The resource version (ETag) to match, as with `If-Match`. */
  version?: string;
  /** The resource path relative to the base URL, e.g. `/Users` or `/Users/2819c223`. */
  path: string;
  /** The request body (POST, PUT, PATCH). */
  data?: unknown;
};

/** A bulk request body. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export type BulkRequest = {
  /** Always the BulkRequest URN. */
  schemas: [typeof BULK_REQUEST_SCHEMA];
  /** Stop after this many errors. */
  failOnErrors?: number;
  /** The operations. */
  Operations: BulkOperation[];
};

/** The outcome of one bulk operation. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export type BulkOperationResponse = {
  /** The HTTP method of the operation. */
  method: BulkMethod;
  /** The operation's `bulkId`, if it had one. */
  bulkId?: string;
  /** The resource version after the operation. */
  version?: string;
  /** The resource URI. */
  location?: string;
  /** The HTTP status code, as a string (e.g. `"201"`). */
  status: string;
  /** The response body, such as an Error, when the operation failed. */
  response?: unknown;
};

/** A bulk response body. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export type BulkResponse = {
  /** Always the BulkResponse URN. */
  schemas: [typeof BULK_RESPONSE_SCHEMA];
  /** One entry per operation processed. */
  Operations: BulkOperationResponse[];
};

/** A `POST /.search` body. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.3 */
export type SearchRequest = {
  /** Always the SearchRequest URN. */
  schemas: [typeof SEARCH_REQUEST_SCHEMA];
  /** Attributes to return (in addition to `returned: always`). */
  attributes?: string[];
  /** Attributes not to return. */
  excludedAttributes?: string[];
  /** The filter expression. */
  filter?: string;
  /** The attribute to sort by. */
  sortBy?: string;
  /** The sort order. */
  sortOrder?: 'ascending' | 'descending';
  /** The 1-based index of the first result. */
  startIndex?: number;
  /** The page size. */
  count?: number;
  /** The page cursor (RFC 9865); empty for the first page. */
  cursor?: string;
};

/** A supported authentication scheme. @see https://www.rfc-editor.org/rfc/rfc7643#section-5 */
export type AuthenticationScheme = {
  /** The scheme: `oauth`, `oauth2`, `oauthbearertoken`, `httpbasic`, `httpdigest`. */
  type: string;
  /** The common name, e.g. "OAuth Bearer Token". */
  name: string;
  /** A description of the scheme. */
  description: string;
  /** A URL of the scheme's specification. */
  specUri?: string;
  /** A URL of documentation. */
  documentationUri?: string;
  /** Whether this is the preferred scheme. */
  primary?: boolean;
};

/** A `{ supported }` capability. @see https://www.rfc-editor.org/rfc/rfc7643#section-5 */
export type SupportedCapability = {
  /** Whether the feature is supported. */
  supported: boolean;
};

/** Pagination capabilities (RFC 9865 section 4). @see https://www.rfc-editor.org/rfc/rfc9865 */
export type PaginationCapability = {
  /** Whether cursor paging is supported. */
  cursor?: boolean;
  /** Whether index paging is supported. */
  index?: boolean;
  /** The method used when a request names none. */
  defaultPaginationMethod?: 'cursor' | 'index';
  /** The page size when a request sets no count. */
  defaultPageSize?: number;
  /** The largest page size. */
  maxPageSize?: number;
  /** Seconds a cursor stays valid. */
  cursorTimeout?: number;
};

/**
 * The service provider's configuration (`/ServiceProviderConfig`).
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-5
 * @scimSchema urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig
 */
export type ServiceProviderConfig = {
  /** Schema URNs: the ServiceProviderConfig URN. */
  schemas: string[];
  /** A URL of help documentation. */
  documentationUri?: string;
  /** PATCH support. */
  patch: SupportedCapability;
  /** Bulk support and limits. */
  bulk: SupportedCapability & {
    /** The maximum number of operations. */
    maxOperations: number;
    /** The maximum payload size in bytes. */
    maxPayloadSize: number;
  };
  /** Filter support and the result cap. */
  filter: SupportedCapability & {
    /** The maximum number of resources returned. */
    maxResults: number;
  };
  /** Password change support. */
  changePassword: SupportedCapability;
  /** Sort support. */
  sort: SupportedCapability;
  /** ETag support. */
  etag: SupportedCapability;
  /** Supported authentication schemes. */
  authenticationSchemes: AuthenticationScheme[];
  /** Paging support (RFC 9865). */
  pagination?: PaginationCapability;
  /** Resource metadata. */
  meta?: Partial<Meta>;
};

/**
 * A resource type as served by `/ResourceTypes`.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-6
 * @scimSchema urn:ietf:params:scim:schemas:core:2.0:ResourceType
 */
export type ResourceType = {
  /** Schema URNs: the ResourceType URN. */
  schemas: string[];
  /** The id, often the same as `name`. */
  id?: string;
  /** The name, e.g. `User`. */
  name: string;
  /** A description. */
  description?: string;
  /** The endpoint relative to the base URL, e.g. `/Users`. */
  endpoint: string;
  /** The core schema URN. */
  schema: string;
  /** Extension schemas. */
  schemaExtensions?: {
    /** The extension URN. */
    schema: string;
    /** Whether resources must carry it. */
    required: boolean;
  }[];
  /** Resource metadata. */
  meta?: Partial<Meta>;
};

/** An attribute as `/Schemas` serves it (plain JSON arrays). @see https://www.rfc-editor.org/rfc/rfc7643#section-7 */
export type SchemaAttribute = {
  /** The attribute name. */
  name: string;
  /** The data type. */
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';
  /** Whether the attribute is multi-valued. */
  multiValued: boolean;
  /** A description. */
  description?: string;
  /** Whether the attribute is required. */
  required: boolean;
  /** Whether string values are case sensitive. */
  caseExact?: boolean;
  /** Suggested values. */
  canonicalValues?: string[];
  /** `readOnly`, `readWrite`, `immutable` or `writeOnly`. */
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  /** `always`, `never`, `default` or `request`. */
  returned: 'always' | 'never' | 'default' | 'request';
  /** `none`, `server` or `global`. */
  uniqueness?: 'none' | 'server' | 'global';
  /** Resource types a reference may point at. */
  referenceTypes?: string[];
  /** Sub-attributes of a complex attribute. */
  subAttributes?: SchemaAttribute[];
};

/**
 * A schema as served by `/Schemas` (the resource form of a {@link SchemaDefinition}).
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 * @scimSchema urn:ietf:params:scim:schemas:core:2.0:Schema
 */
export type SchemaResource = {
  /** Schema URNs: the Schema URN. */
  schemas?: string[];
  /** The schema URN. */
  id: string;
  /** The schema name. */
  name?: string;
  /** The schema description. */
  description?: string;
  /** The attributes. */
  attributes: SchemaAttribute[];
  /** Resource metadata. */
  meta?: Partial<Meta>;
};
