/**
 * @packageDocumentation
 * @scimkit/server (work in progress).
 */
/** Package version marker, replaced by the real surface. */
export const placeholder = true;
export type {
  PageRequest,
  ReplaceOptions,
  ScimStore,
  StoreContext,
  StoreQuery,
  StoreQueryResult,
  StoreResourceType,
} from './store.js';
