/**
 * The shared test suites of scimkit's SQL stores (`@scimkit/store-sqlite`,
 * `@scimkit/store-postgres`, and any store built on `@scimkit/sql`): give a harness that opens
 * the store on a fresh database, and every store runs the same behaviour, differential and
 * crash tests. `describeStoreConformance` of `@scimkit/test-utils` is the contract every store
 * (the memory store included) passes; these suites add what a SQL store promises beyond it.
 */
export { describeCrashConsistency } from './crash.js';
export { describeQueryDifferential, type QueryDifferentialOptions } from './differential.js';
export {
  all,
  freshStore,
  GROUP,
  group,
  ids,
  meta,
  queryUsers,
  rejection,
  type StoreEnvironment,
  USER,
  user,
} from './fixtures.js';
export type {
  OpenOptions,
  SqlStatement,
  SqlStoreHarness,
  SqlTestDatabase,
  SuiteStore,
  SuiteTable,
} from './harness.js';
export { describeSqlStore } from './sql-store-suite.js';
