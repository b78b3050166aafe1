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
  resourceTypeResourceType,
  schemaDefinition,
  schemaResourceType,
  serviceProviderConfigDefinition,
  serviceProviderConfigResourceType,
  userDefinition,
  userResourceType,
} from './definitions.js';
export type { ScimErrorBody, ScimErrorLike, ScimErrorOptions, ScimErrorType } from './errors.js';
export {
  ERROR_SCHEMA,
  isScimError,
  isScimErrorType,
  SCIM_ERROR_MARKER,
  SCIM_ERROR_TYPES,
  ScimError,
} from './errors.js';
export type { AttributeReference, ResolvedAttribute } from './lookup.js';
export { resolveAttribute } from './lookup.js';
export type { Meta, ScimResource } from './resource.js';
export type { AttributeList, ShapeResourceOptions } from './shape.js';
export { createResourceShaper, shapeResource } from './shape.js';
export type {
  Address,
  AuthenticationScheme,
  BulkMethod,
  BulkOperation,
  BulkOperationResponse,
  BulkRequest,
  BulkResponse,
  Email,
  EnterpriseUser,
  Entitlement,
  Group,
  GroupInput,
  GroupMember,
  GroupMembership,
  InstantMessagingAddress,
  ListResponse,
  Manager,
  MultiValuedAttribute,
  Name,
  PaginationCapability,
  PatchOp,
  PatchOperation,
  PatchOperationType,
  PhoneNumber,
  Photo,
  ResourceType,
  Role,
  SchemaAttribute,
  SchemaResource,
  ScimErrorResponse,
  SearchRequest,
  ServiceProviderConfig,
  SupportedCapability,
  User,
  UserAttributes,
  UserInput,
  X509Certificate,
} from './types.js';
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
export { safeValidateResource, validateResource } from './validate.js';
export type {
  UniquenessHint,
  ValidateResourceOptions,
  ValidationContext,
  ValidationFailure,
  ValidationIssue,
  ValidationResult,
  ValidationSuccess,
  ValidationWarning,
  ValidationWarningCode,
} from './validation.js';
export { ScimValidationError } from './validation.js';
export {
  addressSchema,
  binarySchema,
  bulkOperationResponseSchema,
  bulkOperationSchema,
  bulkRequestSchema,
  bulkResponseSchema,
  dateTimeSchema,
  enterpriseUserSchema,
  groupInputSchema,
  groupMemberSchema,
  groupMembershipSchema,
  groupSchema,
  listResponseSchema,
  metaSchema,
  multiValuedAttributeSchema,
  nameSchema,
  patchOperationSchema,
  patchOpSchema,
  resourceTypeSchema,
  schemaAttributeSchema,
  schemaResourceSchema,
  scimErrorSchema,
  scimErrorTypeSchema,
  searchRequestSchema,
  serviceProviderConfigSchema,
  userInputSchema,
  userSchema,
  x509CertificateSchema,
} from './zod.js';
