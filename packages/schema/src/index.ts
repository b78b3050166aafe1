/**
 * @packageDocumentation
 * RFC 7643 for TypeScript: schema definitions as data, resource and message types, zod 4
 * validators, request/response rules and the common {@link ScimError}.
 */
export type {
  AttributeDefinition,
  AttributeType,
  Mutability,
  ResourceTypeDefinition,
  Returned,
  SchemaDefinition,
  Uniqueness,
} from './definition.js';
export {
  commonAttributes,
  coreSchemas,
  enterpriseUserDefinition,
  groupDefinition,
  groupResourceType,
  resourceTypeDefinition,
  schemaDefinition,
  serviceProviderConfigDefinition,
  userDefinition,
  userResourceType,
} from './definitions.js';
export type { ScimErrorBody, ScimErrorLike, ScimErrorOptions, ScimErrorType } from './errors.js';
export { ERROR_SCHEMA, isScimError, SCIM_ERROR_MARKER, ScimError } from './errors.js';
export type { AttributeReference, ResolvedAttribute } from './lookup.js';
export { resolveAttribute } from './lookup.js';
export type { Meta, ScimResource } from './resource.js';
export {
  BULK_REQUEST_SCHEMA,
  BULK_RESPONSE_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE_SCHEMA,
  PATCH_OP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SEARCH_REQUEST_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from './urns.js';
