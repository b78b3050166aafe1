/** The URN of the core User schema. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1 */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** The URN of the core Group schema. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2 */
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** The URN of the Enterprise User extension. @see https://www.rfc-editor.org/rfc/rfc7643#section-4.3 */
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The URN of the ListResponse message. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2 */
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
/** The URN of the PatchOp message. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2 */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** The URN of the BulkRequest message. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
/** The URN of the BulkResponse message. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.7 */
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
/** The URN of the SearchRequest message. @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.3 */
export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
/** The URN of the ServiceProviderConfig schema. @see https://www.rfc-editor.org/rfc/rfc7643#section-5 */
export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
/** The URN of the ResourceType schema. @see https://www.rfc-editor.org/rfc/rfc7643#section-6 */
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
/** The URN of the Schema schema. @see https://www.rfc-editor.org/rfc/rfc7643#section-7 */
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
