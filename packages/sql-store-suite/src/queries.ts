/**
 * Queries of a SQL store: filters translated safely and exactly (wildcards, quotes, hostile
 * names, caseExact, multi-valued attributes), index lookups, sorting and paging, and the
 * in-memory part of a filter SQL cannot answer.
 */
import { parseAttributeList, parseFilter } from '@scimkit/filter';
import { type ScimResource, userResourceType } from '@scimkit/schema';
import { queryInMemory } from '@scimkit/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { all, freshStore, queryUsers, rejection, user } from './fixtures.js';
import type { SqlStatement, SqlStoreHarness, SuiteStore } from './harness.js';

/** Registers the query tests of a SQL store. */
export function describeQueries<S extends SuiteStore>(harness: SqlStoreHarness<S>): void {
  describe(`${harness.name} query`, () => {
    const env = freshStore(harness);

    beforeEach(async () => {
      for (const person of queryUsers()) await env.store.create(userResourceType, person, { context: {} });
    });

    it('matches % and _ literally in co, sw and ew', async () => {
      expect(await env.ids(userResourceType, 'nickName co "%_"')).toEqual(['u3']);
      expect(await env.ids(userResourceType, 'nickName sw "100%"')).toEqual(['u3']);
      expect(await env.ids(userResourceType, 'nickName co "_"')).toEqual(['u3']);
      expect(await env.ids(userResourceType, 'nickName ew "_SURE"')).toEqual(['u3']);
      expect(await env.ids(userResourceType, 'nickName co "\\\\"')).toEqual([]);
    });

    it('treats quotes and SQL in values as data', async () => {
      expect(await env.ids(userResourceType, `userName eq "o'brien"`)).toEqual(['u4']);
      expect(await env.ids(userResourceType, 'displayName co "DROP TABLE resources"')).toEqual(['u4']);
      expect(await env.ids(userResourceType, `userName eq "x' OR '1'='1"`)).toEqual([]);
      expect(await env.ids(userResourceType, 'userName pr')).toHaveLength(5);
    });

    it('matches nothing for hostile attribute names and rejects them in sortBy, without touching SQL', async () => {
      for (const name of ['"; DROP TABLE resources; --', '__proto__', 'toString', 'constructor']) {
        const filter = {
          kind: 'Comparison' as const,
          path: { kind: 'AttributePath' as const, attribute: name },
          operator: 'eq' as const,
          value: 'x',
        };
        expect(await env.store.query(userResourceType, { filter, page: all() }, { context: {} })).toEqual({
          resources: [],
          totalResults: 0,
        });
        expect(
          await rejection(
            env.store.query(
              userResourceType,
              { sort: { path: { kind: 'AttributePath', attribute: name }, order: 'ascending' }, page: all() },
              { context: {} },
            ),
          ),
        ).toMatchObject({ status: 400 });
      }
      expect(await env.ids(userResourceType, 'userName pr')).toHaveLength(5);
    });

    it('compares externalId case-exactly and userName case-insensitively', async () => {
      expect(await env.ids(userResourceType, 'externalId eq "B-1"')).toEqual(['u2']);
      expect(await env.ids(userResourceType, 'userName eq "CAROL"')).toEqual(['u3']);
      expect(await env.ids(userResourceType, 'userName gt "b" and userName lt "d"')).toEqual(['u2', 'u3']);
    });

    it('matches multi-valued attributes by any value and value paths within one value', async () => {
      expect(await env.ids(userResourceType, 'emails.type eq "work"')).toEqual(['u1', 'u3']);
      expect(await env.ids(userResourceType, 'emails.type eq "work" and emails.value sw "carol"')).toEqual([
        'u3',
      ]);
      expect(await env.ids(userResourceType, 'emails[type eq "work" and value sw "carol"]')).toEqual([]);
      expect(await env.ids(userResourceType, 'emails co "@work"')).toEqual(['u1', 'u3']);
      expect(await env.ids(userResourceType, 'not (emails pr)')).toEqual(['u4', 'u5']);
      expect(await env.ids(userResourceType, 'active eq false or externalId eq "b-1"')).toEqual(['u2', 'u5']);
    });

    it('uses the attribute index for userName, externalId and emails.value lookups', async () => {
      await env.store.close();
      const statements: SqlStatement[] = [];
      env.store = await env.database.open({ onQuery: (statement) => statements.push(statement) });
      await harness.queryPlan.prepare?.(env.database);
      for (const filter of [
        'userName eq "bob"',
        'externalId eq "B-1"',
        'emails.value eq "bob@home.example"',
      ]) {
        statements.length = 0;
        expect(await env.ids(userResourceType, filter)).toEqual(['u2']);
        // The page statement (which may also read the count and the groups: one round trip).
        const select = statements.find((s) => s.sql.includes('r.seq AS seq'))!;
        harness.queryPlan.expectIndexLookup(await harness.queryPlan.explain(env.database, select));
      }
    });

    it('sorts with missing values last and pages by index and by cursor', async () => {
      const sortBy = (attribute: string, order: 'ascending' | 'descending') => ({
        path: { kind: 'AttributePath' as const, attribute },
        order,
      });
      const page = await env.store.query(
        userResourceType,
        { sort: sortBy('userName', 'descending'), page: { kind: 'index', startIndex: 2, count: 2 } },
        { context: {} },
      );
      expect(page.resources.map((r) => r.id)).toEqual(['u5', 'u3']);
      expect(page.totalResults).toBe(5);
      const nick = await env.store.query(
        userResourceType,
        { sort: sortBy('nickName', 'ascending'), page: all() },
        { context: {} },
      );
      expect(nick.resources.map((r) => r.id)).toEqual(['u4', 'u3', 'u1', 'u2', 'u5']);
      const seen: string[] = [];
      let cursor: string | undefined = '';
      while (cursor !== undefined) {
        const result = await env.store.query(
          userResourceType,
          { sort: sortBy('emails', 'descending'), page: { kind: 'cursor', cursor, count: 2 } },
          { context: {} },
        );
        expect(result.totalResults).toBe(5);
        seen.push(...result.resources.map((r) => r.id));
        cursor = result.nextCursor;
      }
      // emails sorts by the primary value, else the first: carol@…, bob@…, alice@…, then none.
      expect(seen).toEqual(['u3', 'u2', 'u1', 'u4', 'u5']);
      expect(
        await rejection(
          env.store.query(
            userResourceType,
            { sort: sortBy('userName', 'ascending'), page: { kind: 'cursor', cursor: 'bm9wZQ', count: 2 } },
            { context: {} },
          ),
        ),
      ).toEqual({ status: 400, scimType: 'invalidCursor' });
      const zero = await env.store.query(
        userResourceType,
        { filter: parseFilter('userName pr'), page: { kind: 'index', startIndex: 1, count: 0 } },
        { context: {} },
      );
      expect(zero).toEqual({ resources: [], totalResults: 5 });
    });

    it("counts totalResults once per cursor walk: later pages carry the first page's total, index pages always count", async () => {
      const statements: SqlStatement[] = [];
      await env.store.close();
      env.store = await env.database.open({ onQuery: (statement) => statements.push(statement) });
      const counts = () => statements.filter((s) => s.sql.startsWith('SELECT count')).length;
      const filter = parseFilter('userName ne "dave"');
      const page = (cursor: string, f = filter) =>
        env.store.query(
          userResourceType,
          { filter: f, page: { kind: 'cursor', cursor, count: 2 } },
          { context: {} },
        );
      const first = await page('');
      expect([first.totalResults, counts()]).toEqual([4, 1]);
      // A user added during the walk: the walk sees it, its total stays the first page's.
      await env.store.create(userResourceType, user('u6', 'erin'), { context: {} });
      const second = await page(first.nextCursor!);
      const third = await page(second.nextCursor!);
      expect([second.totalResults, third.totalResults, counts()]).toEqual([4, 4, 1]);
      expect([...first.resources, ...second.resources, ...third.resources].map((r) => r.id)).toEqual([
        'u1',
        'u2',
        'u3',
        'u4',
        'u6',
      ]);
      // The same cursor with another filter is counted for that filter.
      const other = await page(first.nextCursor!, parseFilter('userName pr'));
      expect([other.totalResults, counts()]).toEqual([6, 2]);
      // Index paging counts every page exactly; a page that ends before its count needs no count.
      const index = await env.store.query(
        userResourceType,
        { filter, page: { kind: 'index', startIndex: 1, count: 2 } },
        { context: {} },
      );
      expect([index.totalResults, counts()]).toEqual([5, 3]);
      const lookup = await env.store.query(
        userResourceType,
        { filter: parseFilter('userName eq "ALICE"'), page: all() },
        { context: {} },
      );
      expect([lookup.totalResults, counts()]).toEqual([1, 3]);
    });

    it('sorts by a complex attribute (no sort key: every resource misses it) in insertion order, by index and cursor', async () => {
      // A tenant of its own: this describe's users live in the default one.
      await env.store.create(userResourceType, user('u1', 'one', { name: { familyName: 'B' } }), {
        context: {
          tenant: 'sort',
        },
      });
      await env.store.create(userResourceType, user('u2', 'two', { name: { familyName: 'A' } }), {
        context: {
          tenant: 'sort',
        },
      });
      await env.store.create(userResourceType, user('u3', 'three'), { context: { tenant: 'sort' } });
      for (const attribute of [
        'name',
        'meta',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
      ]) {
        const sort = { path: parseAttributeList(attribute)[0]!, order: 'descending' as const };
        const indexed = await env.store.query(
          userResourceType,
          { sort, page: all() },
          { context: { tenant: 'sort' } },
        );
        expect(indexed.resources.map((resource) => resource.id)).toEqual(['u1', 'u2', 'u3']);
        const first = await env.store.query(
          userResourceType,
          { sort, page: { kind: 'cursor', count: 2 } },
          { context: { tenant: 'sort' } },
        );
        expect(first.resources.map((resource) => resource.id)).toEqual(['u1', 'u2']);
        const next = await env.store.query(
          userResourceType,
          { sort, page: { kind: 'cursor', cursor: first.nextCursor ?? '', count: 2 } },
          { context: { tenant: 'sort' } },
        );
        expect(next.resources.map((resource) => resource.id)).toEqual(['u3']);
      }
    });

    it('answers an empty page for a startIndex or count beyond 2^53 instead of a datatype mismatch', async () => {
      const far = await env.store.query(
        userResourceType,
        { page: { kind: 'index', startIndex: 1e20, count: 10 } },
        { context: {} },
      );
      expect(far).toEqual({ resources: [], totalResults: 5 });
      const huge = await env.store.query(
        userResourceType,
        { page: { kind: 'index', startIndex: 2, count: 1e20 } },
        { context: {} },
      );
      expect(huge.resources).toHaveLength(4);
      expect(huge.totalResults).toBe(5);
    });
  });

  describe(`${harness.name} in-memory filtering`, () => {
    const env = freshStore(harness);

    it('walks more rows than one batch in SQL order, with index and cursor paging as in memory', async () => {
      const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
      const people = Array.from({ length: 1200 }, (_, i) =>
        user(`u${i}`, `user${String(i).padStart(4, '0')}`, {
          [ENTERPRISE]: { employeeNumber: String(i % 7) },
        }),
      );
      for (let start = 0; start < people.length; start += 100) {
        await Promise.all(
          people
            .slice(start, start + 100)
            .map((person) => env.store.create(userResourceType, person, { context: {} })),
        );
      }
      // An unqualified extension attribute: left to compileFilter (the translator does not guess it).
      const filter = parseFilter('employeeNumber eq "3" and userName sw "user0"');
      const sort = {
        path: { kind: 'AttributePath' as const, attribute: 'userName' },
        order: 'descending' as const,
      };
      const stored = await Promise.all(
        people.map((person) => env.store.get(userResourceType, person.id, { context: {} })),
      );
      const expected = queryInMemory(
        stored as ScimResource[],
        { filter, sort, page: all(2000) },
        { resourceType: userResourceType },
      );
      expect(expected.totalResults).toBe(143);
      const page = await env.store.query(
        userResourceType,
        { filter, sort, page: { kind: 'index', startIndex: 101, count: 30 } },
        { context: {} },
      );
      expect(page.totalResults).toBe(143);
      expect(page.resources.map((r) => r.id)).toEqual(expected.resources.slice(100, 130).map((r) => r.id));
      const walked: string[] = [];
      let cursor: string | undefined = '';
      while (cursor !== undefined) {
        const next: Awaited<ReturnType<typeof env.store.query>> = await env.store.query(
          userResourceType,
          { filter, sort, page: { kind: 'cursor', cursor, count: 40 } },
          { context: {} },
        );
        walked.push(...next.resources.map((r) => r.id));
        cursor = next.nextCursor;
      }
      expect(walked).toEqual(expected.resources.map((r) => r.id));
      // It was the in-memory walk: one statement, without LIMIT, read through a cursor.
      await env.store.close();
      const statements: string[] = [];
      env.store = await env.database.open({ onQuery: ({ sql }) => void statements.push(sql) });
      await env.store.query(userResourceType, { filter, sort, page: all(10) }, { context: {} });
      expect(statements).toHaveLength(1);
      expect(statements[0]).not.toContain('LIMIT');
    });
  });
}
