/**
 * Member filters on Groups (`members[value eq "…"]`, what Entra ID and Okta send to find a
 * user's groups) answered from the member index: the same groups as the filter evaluator
 * (case-insensitive, U+212A KELVIN SIGN, non-ASCII values, tenants), and a plan that starts
 * from the index instead of testing the members of every group.
 */
import { parseFilter } from '@scimkit/filter';
import { groupResourceType, type ScimResource } from '@scimkit/schema';
import { queryInMemory } from '@scimkit/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { all, freshStore, group } from './fixtures.js';
import type { SqlStatement, SqlStoreHarness, SuiteStore } from './harness.js';

/** Groups whose member values differ in case, fold through U+212A, or are not ASCII. */
function memberGroups(): ScimResource[] {
  return [
    group('g1', 'G1', ['u1', 'U2', 'abc-\u212a']),
    group('g2', 'G2', ['u1', 'Ärger', 'x%_']),
    group('g3', 'G3', ['u3']),
    group('g4', 'G4', []),
  ];
}

/** Registers the member-filter tests of a SQL store. */
export function describeMemberFilters<S extends SuiteStore>(harness: SqlStoreHarness<S>): void {
  describe(`${harness.name} member filters`, () => {
    const env = freshStore(harness);

    beforeEach(async () => {
      for (const g of memberGroups()) await env.store.create(groupResourceType, g, { context: {} });
      // Another tenant's group holding the same member: never an answer of the default tenant.
      await env.store.create(groupResourceType, group('t1', 'T1', ['u1', 'u3']), {
        context: { tenant: 'other' },
      });
    });

    it('finds the groups of a member as the filter evaluator does', async () => {
      const stored = await Promise.all(
        memberGroups().map((g) => env.store.get(groupResourceType, g.id, { context: {} })),
      );
      const cases: [string, string[]][] = [
        ['members[value eq "u1"]', ['g1', 'g2']],
        ['members[value eq "U1"]', ['g1', 'g2']],
        ['members[value eq "u2"]', ['g1']],
        ['members.value eq "U3"', ['g3']],
        ['members eq "u3"', ['g3']],
        ['MEMBERS[VALUE eq "u3"]', ['g3']],
        // U+212A lower-cases to an ASCII k: found from the folded index as well.
        ['members[value eq "ABC-K"]', ['g1']],
        ['members[value eq "abc-\u212a"]', ['g1']],
        // Not ASCII once folded: tested row by row, same answer.
        ['members[value eq "ärger"]', ['g2']],
        ['members[value eq "x%_"]', ['g2']],
        ['members[value eq "x"]', []],
        ['members[value eq "u1"] and displayName eq "G2"', ['g2']],
        ['members[value eq "u3"] or members[value eq "u2"]', ['g1', 'g3']],
        ['not (members[value eq "u1"])', ['g3', 'g4']],
        ['members[value ne "u1"]', ['g1', 'g2', 'g3']],
        ['members[value eq "u1" and type eq "User"]', ['g1', 'g2']],
      ];
      for (const [filter, expected] of cases) {
        const evaluated = queryInMemory(
          stored as ScimResource[],
          { filter: parseFilter(filter), page: all() },
          { resourceType: groupResourceType },
        );
        expect(
          evaluated.resources.map((g) => g.id),
          filter,
        ).toEqual(expected);
        expect(await env.ids(groupResourceType, filter), filter).toEqual(expected);
      }
      const other = await env.store.query(
        groupResourceType,
        { filter: parseFilter('members[value eq "U1"]'), page: all() },
        { context: { tenant: 'other' } },
      );
      expect(other.resources.map((g) => g.id)).toEqual(['t1']);
    });

    it('starts members[value eq] from the member index, not from every group', async () => {
      await env.store.close();
      const statements: SqlStatement[] = [];
      env.store = await env.database.open({ onQuery: (statement) => statements.push(statement) });
      await harness.queryPlan.prepare?.(env.database);
      for (const filter of ['members[value eq "U1"]', 'members.value eq "u1"', 'members eq "u1"']) {
        statements.length = 0;
        // A page of one of the two groups: the count runs too.
        const page = await env.store.query(
          groupResourceType,
          { filter: parseFilter(filter), page: { kind: 'index', startIndex: 1, count: 1 } },
          { context: {} },
        );
        expect([page.totalResults, page.resources.map((g) => g.id)], filter).toEqual([2, ['g1']]);
        // The count and the page: two statements, or one that reads both (one round trip).
        const run = statements.filter(
          (s) => s.sql.startsWith('SELECT count') || s.sql.includes('r.seq AS seq'),
        );
        expect(run.length, filter).toBeGreaterThanOrEqual(1);
        expect(run.length, filter).toBeLessThanOrEqual(2);
        for (const statement of run)
          harness.queryPlan.expectMemberLookup(await harness.queryPlan.explain(env.database, statement));
      }
    });
  });
}
