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
export type { ScimErrorBody, ScimErrorLike, ScimErrorOptions, ScimErrorType } from './errors.js';
export { ERROR_SCHEMA, isScimError, SCIM_ERROR_MARKER, ScimError } from './errors.js';
export type { Meta, ScimResource } from './resource.js';
