/**
 * @packageDocumentation
 * `@scimkit/schema/errors`: {@link ScimError}, {@link isScimError} and the SCIM URN constants
 * without the zod validators, for bundles that only throw or recognise SCIM errors (such as
 * browser builds of `@scimkit/client`). The main entry exports the same values.
 *
 * @example
 * ```ts
 * import { isScimError, ScimError } from '@scimkit/schema/errors';
 *
 * throw new ScimError('userName "bjensen" is already taken', { status: 409, scimType: 'uniqueness' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export type { ScimErrorBody, ScimErrorLike, ScimErrorOptions, ScimErrorType } from '../errors.js';
export {
  ERROR_SCHEMA,
  isScimError,
  isScimErrorType,
  SCIM_ERROR_MARKER,
  SCIM_ERROR_TYPES,
  ScimError,
} from '../errors.js';
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
} from '../urns.js';
