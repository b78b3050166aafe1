/**
 * @packageDocumentation
 * `@scimkit/sql/internal`: what the SQL stores of scimkit (`@scimkit/store-sqlite`,
 * `@scimkit/store-postgres`) share beyond the translator, independent of the database: the
 * storage layout of a resource type (index side table, members child table), the member-row
 * codec and PATCH delta plan, the projection and residual-filter rules, paging, migrations, and
 * the SCIM errors of a store. Dialect and driver code stays in each store.
 *
 * @internal Not part of the public API: it may change in any release, without a major version.
 */
export { childValueHolders, foldedValueKey, foldedValueSql } from '../child-index.js';
export type { MemberColumns, MemberDeltaPlan } from '../members.js';
export {
  groupRef,
  groupsByMember,
  memberColumns,
  memberFromRow,
  membersChangedInPlace,
  planMemberDelta,
} from '../members.js';
export type { Migration } from '../migrations.js';
export { pendingMigrations } from '../migrations.js';
export { filterReadsChild, projectionShowsChild } from '../projection.js';
export type { IndexedAttribute, StorageLayout, StorageLayoutOptions } from '../storage-layout.js';
export {
  childTables,
  DEFAULT_INDEXED_ATTRIBUTES,
  indexedValues,
  storageLayout,
  storedDocument,
} from '../storage-layout.js';
export {
  checkVersion,
  queryTimedOut,
  resourceExists,
  resourceNotFound,
  shortened,
  valueInUse,
  versionMismatch,
} from '../store-errors.js';
export type { PageRow } from '../store-query.js';
export {
  indexLookup,
  pageOf,
  queryTimeoutOf,
  residualMatcher,
  tenantOf,
  totalFromPage,
} from '../store-query.js';
