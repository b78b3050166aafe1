// The message and schema URNs the client sends, typed against @scimkit/schema's constants
// (a typo fails to compile) without importing that package at run time: its single-file
// bundle would bring zod into browser bundles of the client.
import type * as Schema from '@scimkit/schema';

export const USER_SCHEMA: typeof Schema.USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA: typeof Schema.GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP_SCHEMA: typeof Schema.PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const BULK_REQUEST_SCHEMA: typeof Schema.BULK_REQUEST_SCHEMA =
  'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const SEARCH_REQUEST_SCHEMA: typeof Schema.SEARCH_REQUEST_SCHEMA =
  'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
