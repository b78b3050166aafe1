/**
 * The differential query tests: generated filters, sorts and pages run against a SQL store and
 * through the in-memory reference (`compileFilter` of `@scimkit/filter`, `queryInMemory` of
 * `@scimkit/server`), which must answer the same.
 */
import { compileFilter, formatFilter } from '@scimkit/filter';
import { isScimError, type ScimResource, userResourceType } from '@scimkit/schema';
import { queryInMemory, type StoreQuery } from '@scimkit/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, filters, sorts } from './arbitraries.js';
import type { SqlStoreHarness, SqlTestDatabase, SuiteStore } from './harness.js';

type Outcome = { ids: string[]; total: number } | { error: number };

async function outcome(
  run: () => Promise<{ resources: ScimResource[]; totalResults: number }>,
): Promise<Outcome> {
  try {
    const result = await run();
    return { ids: result.resources.map((r) => r.id), total: result.totalResults };
  } catch (error) {
    if (isScimError(error)) return { error: error.status };
    throw error;
  }
}

const compileOptions = {
  schemas: [userResourceType.schema, ...userResourceType.extensions.map((extension) => extension.schema)],
  resourceSchema: userResourceType.schema.id,
};

/** Options of {@link describeQueryDifferential}. */
export interface QueryDifferentialOptions<S extends SuiteStore> {
  /**
   * The database of the whole suite, instead of `harness.database()`: for example one whose
   * collation does not sort by code point, so that answers cannot depend on the locale.
   */
  database?: () => Promise<Pick<SqlTestDatabase<S>, 'open' | 'drop'>>;
}

/**
 * Registers the differential query tests (vitest `describe`): generated filters against
 * generated Users must select exactly what `compileFilter` selects (and fail with the same
 * status), mostly pushed down to SQL; generated sorts and pages (index and cursor) must answer
 * as `queryInMemory`. One store for the suite, each generated dataset in a tenant of its own.
 *
 * @example
 * ```ts
 * import { describeQueryDifferential, type SqlStoreHarness } from '@scimkit/sql-store-suite';
 *
 * declare const sqliteHarness: SqlStoreHarness; // test/sqlite.ts of @scimkit/store-sqlite
 * describeQueryDifferential(sqliteHarness);
 * ```
 */
export function describeQueryDifferential<S extends SuiteStore>(
  harness: SqlStoreHarness<S>,
  options: QueryDifferentialOptions<S> = {},
): void {
  let database: Pick<SqlTestDatabase<S>, 'open' | 'drop'>;
  let store: S;
  let lastStatement = '';
  beforeAll(async () => {
    database = await (options.database ?? harness.database)();
    store = await database.open({
      onQuery: ({ sql }) => {
        lastStatement = sql;
      },
    });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop?.();
  });

  describe(`${harness.name} query (differential)`, () => {
    it('selects exactly the resources compileFilter selects, pushing most filters down to SQL', async () => {
      let run = 0;
      let pushedDown = 0;
      let fellBack = 0;
      await fc.assert(
        fc.asyncProperty(
          dataset,
          fc.array(filters, { minLength: 1, maxLength: 8 }),
          async (resources, queries) => {
            run += 1;
            const context = { tenant: `filter-${run}` };
            for (const resource of resources) await store.create(userResourceType, resource, { context });
            const stored: ScimResource[] = [];
            for (const resource of resources)
              stored.push((await store.get(userResourceType, resource.id, { context }))!);
            for (const filter of queries) {
              const expected = await outcome(async () => {
                const matches = compileFilter(filter, compileOptions);
                const found = stored.filter((resource) => matches(resource));
                return { resources: found, totalResults: found.length };
              });
              lastStatement = '';
              const actual = await outcome(() =>
                store.query(
                  userResourceType,
                  { filter, page: { kind: 'index', startIndex: 1, count: 100 } },
                  { context },
                ),
              );
              // The in-memory fallback streams rows without LIMIT; a pushed-down page has one.
              if (lastStatement.includes(' LIMIT ')) pushedDown += 1;
              else if (lastStatement !== '') fellBack += 1;
              expect(actual, formatFilter(filter)).toEqual(expected);
            }
          },
        ),
        { numRuns: 100 },
      );
      // The comparison must exercise the SQL translation, not only the fallback.
      expect(pushedDown).toBeGreaterThan(fellBack * 3);
    });

    it('sorts and pages (index and cursor) exactly as queryInMemory does', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          dataset,
          fc.array(fc.tuple(sorts, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 5 })), {
            minLength: 1,
            maxLength: 6,
          }),
          async (resources, queries) => {
            run += 1;
            const context = { tenant: `sort-${run}` };
            for (const resource of resources) await store.create(userResourceType, resource, { context });
            const stored: ScimResource[] = [];
            for (const resource of resources)
              stored.push((await store.get(userResourceType, resource.id, { context }))!);
            for (const [sort, startIndex, count] of queries) {
              const query: StoreQuery = {
                ...(sort ? { sort } : {}),
                page: { kind: 'index', startIndex, count },
              };
              const expected = queryInMemory(stored, query, { resourceType: userResourceType });
              const actual = await store.query(userResourceType, query, { context });
              expect(
                actual.resources.map((r) => r.id),
                JSON.stringify(query),
              ).toEqual(expected.resources.map((r) => r.id));
              expect(actual.totalResults).toBe(expected.totalResults);
              // Walking every cursor page gives the whole sorted list once.
              const all = queryInMemory(
                stored,
                { ...query, page: { kind: 'index', startIndex: 1, count: 1000 } },
                {
                  resourceType: userResourceType,
                },
              );
              const walked: string[] = [];
              let cursor: string | undefined = '';
              while (cursor !== undefined && count > 0) {
                const page: Awaited<ReturnType<typeof store.query>> = await store.query(
                  userResourceType,
                  { ...query, page: { kind: 'cursor', cursor, count } },
                  { context },
                );
                walked.push(...page.resources.map((r) => r.id));
                cursor = page.nextCursor;
              }
              if (count > 0) expect(walked).toEqual(all.resources.map((r) => r.id));
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}
