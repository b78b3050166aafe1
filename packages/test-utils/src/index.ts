/**
 * Shared test fixtures for scimkit: the RFC 7643 section 8 example resources and generators of
 * realistic Users and Groups.
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
export {
  type ConformanceResource,
  type ConformanceResourceType,
  type ConformanceStore,
  describeStoreConformance,
  type StoreConformanceOptions,
} from './store-conformance.js';
