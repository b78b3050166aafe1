/**
 * Shared test fixtures for scimkit: the RFC 7643 section 8 example resources, the RFC 7644 example
 * filters and PATCH paths, and generators of realistic Users and Groups.
 */
export type { GeneratedGroup, GeneratedUser } from './generate.js';
export { generateGroup, generateUser } from './generate.js';
export {
  rfcEnterpriseUser,
  rfcFullUser,
  rfcGroup,
  rfcMinimalUser,
  rfcResourceTypes,
  rfcServiceProviderConfig,
} from './rfc-examples.js';
export { rfcFilters, rfcPaths } from './rfc-filters.js';
export {
  type ConformanceCallOptions,
  type ConformanceResource,
  type ConformanceResourceType,
  type ConformanceStore,
  describeStoreConformance,
  type StoreConformanceOptions,
  stringAttribute,
} from './store-conformance.js';
