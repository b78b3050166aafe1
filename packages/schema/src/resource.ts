/**
 * Resource metadata, maintained by the service provider.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-3.1
 */
export interface Meta {
  resourceType: string;
  created: string;
  lastModified: string;
  /**
   * The resource's URL. `@scimkit/server` computes it for each response (from its `baseUrl`)
   * and never stores it: a resource as a store holds it has none.
   */
  location: string;
  /** The ETag, e.g. `W/"3"`. */
  version: string;
}

/**
 * Any SCIM resource as it leaves a service provider: `id`, `schemas` and `meta` always set;
 * other attributes (and extension objects keyed by URN) as the schemas define them.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-3
 */
export interface ScimResource {
  schemas: string[];
  id: string;
  externalId?: string;
  meta: Meta;
  [attribute: string]: unknown;
}
