import type { SqlStoreHarness, SuiteStore } from './harness.js';
import { describeImport } from './import.js';
import { describeLifecycle } from './lifecycle.js';
import { describeMemberFilters } from './member-filters.js';
import { describeMemberSlices } from './member-slices.js';
import { describeMembers } from './members.js';
import { describeQueries } from './queries.js';

/**
 * Registers the behaviour tests every SQL store of scimkit passes (vitest `describe` blocks
 * named after `harness.name`): writes and reads, uniqueness enforced by the database itself,
 * optimistic concurrency, durability across reopening, transactions, tenants, Group members as
 * rows (PATCH deltas, order, projection hints, `groupsOfMany`, member slices against the full
 * PATCH path), and queries (escaping, hostile
 * names, caseExact, multi-valued attributes, index lookups by query plan, sorting, index and
 * cursor paging, in-memory filtering), and `importResources` against `create`. Every test runs on a fresh database.
 *
 * @example
 * ```ts
 * import { describeSqlStore, type SqlStoreHarness } from '@scimkit/sql-store-suite';
 *
 * declare const sqliteHarness: SqlStoreHarness; // test/sqlite.ts of @scimkit/store-sqlite
 * describeSqlStore(sqliteHarness);
 * ```
 */
export function describeSqlStore<S extends SuiteStore>(harness: SqlStoreHarness<S>): void {
  describeLifecycle(harness);
  describeMembers(harness);
  describeMemberFilters(harness);
  describeMemberSlices(harness);
  describeQueries(harness);
  describeImport(harness);
}
