import { isDateTime } from '@scimkit/filter/internal';
import { z } from 'zod';
import { ERROR_SCHEMA, SCIM_ERROR_TYPES } from './errors.js';
import {
  BULK_REQUEST_SCHEMA,
  BULK_RESPONSE_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  SEARCH_REQUEST_SCHEMA,
} from './urns.js';
import { isBase64 } from './values.js';

const optionalString = () => z.string().exactOptional();
const optionalBoolean = () => z.boolean().exactOptional();

/** An xsd:dateTime string (offsets and fractional seconds allowed). @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3.5 */
export const dateTimeSchema = z.string().refine(isDateTime, { message: 'Expected an xsd:dateTime' });

/** A base64 string (SCIM `binary`). @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3.6 */
export const binarySchema = z.string().refine(isBase64, { message: 'Expected base64' });

/** Resource metadata. @see https://www.rfc-editor.org/rfc/rfc7643#section-3.1 */
export const metaSchema = z.looseObject({
  resourceType: z.string(),
  created: dateTimeSchema,
  lastModified: dateTimeSchema,
  location: z.string(),
  version: z.string(),
});

const partialMetaSchema = z.looseObject({
  resourceType: optionalString(),
  created: dateTimeSchema.exactOptional(),
  lastModified: dateTimeSchema.exactOptional(),
  location: optionalString(),
  version: optionalString(),
});

/** The `value`/`display`/`type`/`primary` shape of multi-valued attributes. @see https://www.rfc-editor.org/rfc/rfc7643#section-2.4 */
export const multiValuedAttributeSchema = z.looseObject({
  value: optionalString(),
  display: optionalString(),
  type: optionalString(),
  primary: optionalBoolean(),
});

/** An X.509 certificate value (base64 DER). @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export const x509CertificateSchema = multiValuedAttributeSchema.extend({
  value: binarySchema.exactOptional(),
});

/** A User's name. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.1 */
export const nameSchema = z.looseObject({
  formatted: optionalString(),
  familyName: optionalString(),
  givenName: optionalString(),
  middleName: optionalString(),
  honorificPrefix: optionalString(),
  honorificSuffix: optionalString(),
});

/** A mailing address. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export const addressSchema = z.looseObject({
  formatted: optionalString(),
  streetAddress: optionalString(),
  locality: optionalString(),
  region: optionalString(),
  postalCode: optionalString(),
  country: optionalString(),
  type: optionalString(),
  primary: optionalBoolean(),
});

/** A `User.groups` entry. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2 */
export const groupMembershipSchema = z.looseObject({
  value: optionalString(),
  $ref: optionalString(),
  display: optionalString(),
  type: optionalString(),
});

/** A Group member. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2 */
export const groupMemberSchema = groupMembershipSchema;

/** The Enterprise User extension. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.3 */
export const enterpriseUserSchema = z.looseObject({
  employeeNumber: optionalString(),
  costCenter: optionalString(),
  organization: optionalString(),
  division: optionalString(),
  department: optionalString(),
  manager: z
    .looseObject({ value: optionalString(), $ref: optionalString(), displayName: optionalString() })
    .exactOptional(),
});

const userShape = {
  schemas: z.array(z.string()).min(1),
  externalId: optionalString(),
  userName: z.string().min(1),
  name: nameSchema.exactOptional(),
  displayName: optionalString(),
  nickName: optionalString(),
  profileUrl: optionalString(),
  title: optionalString(),
  userType: optionalString(),
  preferredLanguage: optionalString(),
  locale: optionalString(),
  timezone: optionalString(),
  active: optionalBoolean(),
  emails: z.array(multiValuedAttributeSchema).exactOptional(),
  phoneNumbers: z.array(multiValuedAttributeSchema).exactOptional(),
  ims: z.array(multiValuedAttributeSchema).exactOptional(),
  photos: z.array(multiValuedAttributeSchema).exactOptional(),
  addresses: z.array(addressSchema).exactOptional(),
  entitlements: z.array(multiValuedAttributeSchema).exactOptional(),
  roles: z.array(multiValuedAttributeSchema).exactOptional(),
  x509Certificates: z.array(x509CertificateSchema).exactOptional(),
  [ENTERPRISE_USER_SCHEMA]: enterpriseUserSchema.exactOptional(),
};

/**
 * A User as a client sends it (create, replace). Names are matched exactly here; use
 * `validateResource` for the case-insensitive, schema-driven checks a server needs.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1
 */
export const userInputSchema = z.looseObject({ ...userShape, password: optionalString() });

/** A User as a service provider returns it. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1 */
export const userSchema = z.looseObject({
  ...userShape,
  id: z.string().min(1),
  meta: metaSchema,
  groups: z.array(groupMembershipSchema).exactOptional(),
});

/** A Group as a client sends it. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2 */
export const groupInputSchema = z.looseObject({
  schemas: z.array(z.string()).min(1),
  externalId: optionalString(),
  displayName: z.string(),
  members: z.array(groupMemberSchema).exactOptional(),
});

/** A Group as a service provider returns it. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2 */
export const groupSchema = groupInputSchema.extend({ id: z.string().min(1), meta: metaSchema });

/**
 * A ListResponse of `item`. `Resources` defaults to `[]` when a service provider leaves it out.
 * @example
 * ```ts
 * import { listResponseSchema, userSchema } from '@scimkit/schema';
 *
 * const response = await fetch('https://idm.example.com/scim/v2/Users', {
 *   headers: { authorization: `Bearer ${process.env.SCIM_TOKEN}` },
 * });
 * const page = listResponseSchema(userSchema).parse(await response.json());
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 */
export function listResponseSchema<T extends z.ZodType>(item: T) {
  return z.object({
    schemas: z.tuple([z.literal(LIST_RESPONSE_SCHEMA)]),
    totalResults: z.number().int().nonnegative(),
    startIndex: z.number().int().exactOptional(),
    itemsPerPage: z.number().int().nonnegative().exactOptional(),
    Resources: z.array(item).default([]),
    nextCursor: optionalString(),
    previousCursor: optionalString(),
  });
}

/** The scimType values. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12 */
export const scimErrorTypeSchema = z.literal(SCIM_ERROR_TYPES);

/**
 * The SCIM Error body. A numeric `status` (some service providers send one) becomes a string.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export const scimErrorSchema = z.object({
  schemas: z.tuple([z.literal(ERROR_SCHEMA)]),
  status: z.union([z.string(), z.number().transform(String)]),
  scimType: scimErrorTypeSchema.exactOptional(),
  detail: optionalString(),
});

/**
 * One PATCH operation; `op` is accepted in any casing (Entra sends `Replace`) and output lower-case.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export const patchOperationSchema = z.object({
  op: z
    .string()
    .transform((op) => op.toLowerCase())
    .pipe(z.literal(['add', 'remove', 'replace'])),
  path: optionalString(),
  value: z.unknown().exactOptional(),
});

/** A PATCH request body. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2 */
export const patchOpSchema = z.object({
  schemas: z.tuple([z.literal(PATCH_OP_SCHEMA)]),
  Operations: z.array(patchOperationSchema).min(1),
});

const bulkMethodSchema = z.literal(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One bulk operation. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export const bulkOperationSchema = z.object({
  method: bulkMethodSchema,
  bulkId: optionalString(),
  version: optionalString(),
  path: z.string(),
  data: z.unknown().exactOptional(),
});

/** A bulk request body. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export const bulkRequestSchema = z.object({
  schemas: z.tuple([z.literal(BULK_REQUEST_SCHEMA)]),
  failOnErrors: z.number().int().nonnegative().exactOptional(),
  Operations: z.array(bulkOperationSchema),
});

/** One bulk operation's outcome. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export const bulkOperationResponseSchema = z.object({
  method: bulkMethodSchema,
  bulkId: optionalString(),
  version: optionalString(),
  location: optionalString(),
  status: z.union([z.string(), z.number().transform(String)]),
  response: z.unknown().exactOptional(),
});

/** A bulk response body. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export const bulkResponseSchema = z.object({
  schemas: z.tuple([z.literal(BULK_RESPONSE_SCHEMA)]),
  Operations: z.array(bulkOperationResponseSchema),
});

/** A `POST /.search` body. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.3 */
export const searchRequestSchema = z.object({
  schemas: z.tuple([z.literal(SEARCH_REQUEST_SCHEMA)]),
  attributes: z.array(z.string()).exactOptional(),
  excludedAttributes: z.array(z.string()).exactOptional(),
  filter: optionalString(),
  sortBy: optionalString(),
  sortOrder: z.literal(['ascending', 'descending']).exactOptional(),
  startIndex: z.number().int().exactOptional(),
  count: z.number().int().exactOptional(),
  cursor: optionalString(),
});

const supportedSchema = z.looseObject({ supported: z.boolean() });

/** The service provider configuration. @see https://www.rfc-editor.org/rfc/rfc7643#section-5 */
export const serviceProviderConfigSchema = z.looseObject({
  schemas: z.array(z.string()).min(1),
  documentationUri: optionalString(),
  patch: supportedSchema,
  bulk: supportedSchema.extend({ maxOperations: z.number().int(), maxPayloadSize: z.number().int() }),
  filter: supportedSchema.extend({ maxResults: z.number().int() }),
  changePassword: supportedSchema,
  sort: supportedSchema,
  etag: supportedSchema,
  authenticationSchemes: z.array(
    z.looseObject({
      type: z.string(),
      name: z.string(),
      description: z.string(),
      specUri: optionalString(),
      documentationUri: optionalString(),
      primary: optionalBoolean(),
    }),
  ),
  pagination: z
    .looseObject({
      cursor: optionalBoolean(),
      index: optionalBoolean(),
      defaultPaginationMethod: z.literal(['cursor', 'index']).exactOptional(),
      defaultPageSize: z.number().int().exactOptional(),
      maxPageSize: z.number().int().exactOptional(),
      cursorTimeout: z.number().int().exactOptional(),
    })
    .exactOptional(),
  meta: partialMetaSchema.exactOptional(),
});

/** A resource type as served by `/ResourceTypes`. @see https://www.rfc-editor.org/rfc/rfc7643#section-6 */
export const resourceTypeSchema = z.looseObject({
  schemas: z.array(z.string()).min(1),
  id: optionalString(),
  name: z.string(),
  description: optionalString(),
  endpoint: z.string(),
  schema: z.string(),
  schemaExtensions: z.array(z.looseObject({ schema: z.string(), required: z.boolean() })).exactOptional(),
  meta: partialMetaSchema.exactOptional(),
});

/** An attribute definition as served by `/Schemas`. @see https://www.rfc-editor.org/rfc/rfc7643#section-7 */
export const schemaAttributeSchema = z.looseObject({
  name: z.string(),
  type: z.literal(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex']),
  multiValued: z.boolean(),
  description: optionalString(),
  required: z.boolean(),
  caseExact: optionalBoolean(),
  canonicalValues: z.array(z.string()).exactOptional(),
  mutability: z.literal(['readOnly', 'readWrite', 'immutable', 'writeOnly']),
  returned: z.literal(['always', 'never', 'default', 'request']),
  uniqueness: z.literal(['none', 'server', 'global']).exactOptional(),
  referenceTypes: z.array(z.string()).exactOptional(),
  get subAttributes(): z.ZodExactOptional<z.ZodArray<typeof schemaAttributeSchema>> {
    return z.array(schemaAttributeSchema).exactOptional();
  },
});

/** A schema as served by `/Schemas`. @see https://www.rfc-editor.org/rfc/rfc7643#section-7 */
export const schemaResourceSchema = z.looseObject({
  schemas: z.array(z.string()).exactOptional(),
  id: z.string(),
  name: optionalString(),
  description: optionalString(),
  attributes: z.array(schemaAttributeSchema),
  meta: partialMetaSchema.exactOptional(),
});
