import { parseFilter, parseSortBy } from '@scimkit/filter';
import { groupResourceType, type ScimResource, userResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { compiledFilter, typeInfo } from './internal/type-info.js';
import { queryInMemory } from './query-in-memory.js';

function user(id: string, attributes: Record<string, unknown>): ScimResource {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id,
    ...attributes,
    meta: {
      resourceType: 'User',
      created: '2026-01-01T00:00:00Z',
      lastModified: (attributes.modified as string | undefined) ?? '2026-01-01T00:00:00Z',
      location: `https://x/Users/${id}`,
      version: 'W/"1"',
    },
  };
}

const users = [
  user('1', {
    userName: 'b',
    emails: [{ value: 'z@x' }, { value: 'a@x', primary: true }],
    modified: '2026-03-01T10:00:00+02:00',
  }),
  user('2', { userName: 'C', emails: [{ value: 'm@x' }], modified: '2026-03-01T09:00:00Z' }),
  user('3', { userName: 'a', modified: '2026-03-01T08:30:00.5Z' }),
];
const options = { resourceType: userResourceType };
const index = (startIndex: number, count: number) => ({ kind: 'index' as const, startIndex, count });

describe('queryInMemory', () => {
  it('filters with the schema (case-insensitive userName, chronological dateTime)', () => {
    const byName = queryInMemory(
      users,
      { filter: parseFilter('userName eq "c"'), page: index(1, 10) },
      options,
    );
    expect(byName.resources.map((r) => r.id)).toEqual(['2']);
    const recent = queryInMemory(
      users,
      { filter: parseFilter('meta.lastModified gt "2026-03-01T08:30:00Z"'), page: index(1, 10) },
      options,
    );
    // User 1's 10:00+02:00 is 08:00Z: offsets count.
    expect(recent.resources.map((r) => r.id)).toEqual(['2', '3']);
    const later = queryInMemory(
      users,
      { filter: parseFilter('meta.lastModified ge "2026-03-01T09:00:00Z"'), page: index(1, 10) },
      options,
    );
    expect(later.resources.map((r) => r.id)).toEqual(['2']);
  });

  it('sorts strings case-insensitively, dateTimes chronologically and multi-valued by the primary value', () => {
    const sort = (text: string, order: 'ascending' | 'descending' = 'ascending') =>
      queryInMemory(
        users,
        { sort: { path: parseSortBy(text), order }, page: index(1, 10) },
        options,
      ).resources.map((r) => r.id);
    expect(sort('userName')).toEqual(['3', '1', '2']);
    expect(sort('userName', 'descending')).toEqual(['2', '1', '3']);
    expect(sort('meta.lastModified')).toEqual(['1', '3', '2']);
    expect(sort('emails')).toEqual(['1', '2', '3']);
    expect(sort('emails', 'descending')).toEqual(['2', '1', '3']);
  });

  it('clamps index paging and counts every match', () => {
    const page = queryInMemory(users, { page: index(-4, 2) }, options);
    expect(page).toMatchObject({ totalResults: 3 });
    expect(page.resources.map((r) => r.id)).toEqual(['1', '2']);
    expect(queryInMemory(users, { page: index(3, -1) }, options)).toEqual({ resources: [], totalResults: 3 });
  });

  it('pages with cursors bound to the query', () => {
    const sort = { path: parseSortBy('userName'), order: 'ascending' as const };
    const first = queryInMemory(users, { sort, page: { kind: 'cursor', count: 2 } }, options);
    expect(first.resources.map((r) => r.id)).toEqual(['3', '1']);
    expect(first.previousCursor).toBeUndefined();
    const second = queryInMemory(
      users,
      { sort, page: { kind: 'cursor', count: 2, cursor: first.nextCursor! } },
      options,
    );
    expect(second.resources.map((r) => r.id)).toEqual(['2']);
    expect(second.nextCursor).toBeUndefined();
    const back = queryInMemory(
      users,
      { sort, page: { kind: 'cursor', count: 2, cursor: second.previousCursor! } },
      options,
    );
    expect(back.resources.map((r) => r.id)).toEqual(['3', '1']);
    expect(() =>
      queryInMemory(users, { page: { kind: 'cursor', count: 2, cursor: first.nextCursor! } }, options),
    ).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidCursor' }));
  });
});

describe('compiledFilter', () => {
  it('compiles a filter AST once per type and reuses the matcher', () => {
    const filter = parseFilter('userName eq "a"');
    const users = typeInfo(userResourceType);
    const matcher = compiledFilter(filter, users);
    expect(compiledFilter(filter, users)).toBe(matcher);
    expect(compiledFilter(filter, typeInfo(groupResourceType))).not.toBe(matcher);
    expect(compiledFilter(parseFilter('userName eq "a"'), users)).not.toBe(matcher);
    expect(matcher({ userName: 'A' })).toBe(true);
  });

  it('answers each AST and type with its own matcher, however many compilations came between', () => {
    const users = typeInfo(userResourceType);
    const groups = typeInfo(groupResourceType);
    // userName: case-insensitive on User, absent from Group (never matches there).
    const filters = Array.from({ length: 10 }, (_, i) => parseFilter(`userName eq "n${i}"`));
    for (let round = 0; round < 2; round++) {
      for (const [i, filter] of filters.entries()) {
        for (const info of [users, groups]) {
          const matcher = compiledFilter(filter, info);
          expect(matcher({ userName: `N${i}` }), `${info.name} ${i}`).toBe(info === users);
          expect(matcher({ userName: `n${i}` }), `${info.name} ${i}`).toBe(info === users);
          expect(matcher({ userName: `n${i + 1}` }), `${info.name} ${i}`).toBe(false);
        }
      }
    }
  });
});
