import { parseFilter } from '@scimkit/filter';
import { type ScimResource, userResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { sqliteDialect } from './dialect.js';
import { decodeCursor, translateQuery } from './paging.js';
import { storageLayout } from './storage-layout.js';
import {
  indexLookup,
  pageOf,
  queryTimeoutOf,
  residualMatcher,
  tenantOf,
  totalFromPage,
} from './store-query.js';

const users = storageLayout(userResourceType);

function user(id: string, userName: string): ScimResource {
  return {
    schemas: [userResourceType.schema.id],
    id,
    userName,
    meta: { resourceType: 'User', created: '', lastModified: '', location: '', version: 'W/"1"' },
  };
}

describe('tenantOf and queryTimeoutOf', () => {
  it('names the default tenant by the empty string', () => {
    expect(tenantOf(undefined)).toBe('');
    expect(tenantOf({})).toBe('');
    expect(tenantOf({ tenant: 'acme' })).toBe('acme');
  });

  it('takes the fallback when absent, 0 for no bound, and rejects what is not whole milliseconds', () => {
    expect(queryTimeoutOf(undefined, 2000)).toBe(2000);
    expect(queryTimeoutOf(0, 2000)).toBe(0);
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => queryTimeoutOf(bad, 2000)).toThrow(
        /queryTimeout must be a whole number of milliseconds \(0: none\)/,
      );
    }
  });
});

describe('indexLookup', () => {
  it('normalises the value as the index holds it, and declines an attribute indexed with another case rule', () => {
    expect(indexLookup(users, { attribute: 'userName', value: 'BJensen', caseExact: false })).toMatchObject({
      entry: { path: 'userName' },
      value: 'bjensen',
    });
    expect(indexLookup(users, { attribute: 'externalId', value: 'B-1', caseExact: true })).toMatchObject({
      value: 'B-1',
    });
    expect(indexLookup(users, { attribute: 'userName', value: 'x', caseExact: true })).toBeUndefined();
    expect(indexLookup(users, { attribute: 'nickName', value: 'x', caseExact: false })).toBeUndefined();
  });
});

describe('residualMatcher', () => {
  it('evaluates the whole filter with the type and its extensions', () => {
    const matches = residualMatcher(
      userResourceType,
      parseFilter('userName eq "BJENSEN" and not (employeeNumber pr)'),
    );
    expect(matches(user('u1', 'bjensen'))).toBe(true);
    expect(
      matches({
        ...user('u2', 'bjensen'),
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '7' },
      }),
    ).toBe(false);
  });
});

describe('pageOf', () => {
  const translate = (
    page: { kind: 'index'; startIndex: number; count: number } | { kind: 'cursor'; count: number },
  ) =>
    translateQuery({ page }, { dialect: sqliteDialect(), resourceType: userResourceType, tiebreak: 'seq' });
  const resources = [user('u1', 'a'), user('u2', 'b'), user('u3', 'c')];

  it('keeps `limit` resources and, with cursor paging, points the next cursor at the last one kept', () => {
    const translated = translate({ kind: 'cursor', count: 2 });
    const page = pageOf(translated, true, [{ seq: '7' }, { seq: 9 }, { seq: 12 }], resources, 10);
    expect(page.resources.map((resource) => resource.id)).toEqual(['u1', 'u2']);
    expect(page.totalResults).toBe(10);
    // The cursor carries the total, bound to the filter it counted.
    expect(decodeCursor(translated.sort, page.nextCursor!)).toEqual({
      key: null,
      id: 9,
      total: 10,
      counted: translated.filterDigest,
    });
  });

  it('has no next cursor when no row lies beyond the page, nor with index paging', () => {
    expect(pageOf(translate({ kind: 'cursor', count: 3 }), true, [{ seq: 1 }], resources, 3)).toEqual({
      resources,
      totalResults: 3,
    });
    expect(
      pageOf(
        translate({ kind: 'index', startIndex: 1, count: 1 }),
        false,
        [{ seq: 1 }, { seq: 2 }],
        resources,
        3,
      ),
    ).toEqual({ resources: [resources[0]], totalResults: 3 });
  });
});

describe('totalFromPage', () => {
  const translate = (page: Parameters<typeof translateQuery>[0]['page']) =>
    translateQuery({ page }, { dialect: sqliteDialect(), resourceType: userResourceType, tiebreak: 'seq' });

  it('takes the total from a page that read fewer rows than it asked for, and counts otherwise', () => {
    const first = translate({ kind: 'index', startIndex: 1, count: 100 });
    expect(totalFromPage(first, false, 1)).toBe(1);
    expect(totalFromPage(first, false, 0)).toBe(0);
    expect(totalFromPage(first, false, 100)).toBeUndefined();
    const later = translate({ kind: 'index', startIndex: 201, count: 100 });
    expect(totalFromPage(later, false, 7)).toBe(207);
    // Past the end: how far is unknown.
    expect(totalFromPage(later, false, 0)).toBeUndefined();
    expect(totalFromPage(translate({ kind: 'index', startIndex: 1, count: 0 }), false, 0)).toBeUndefined();
    // A cursor page reads one row more than it shows; after a cursor position, rows lie before it.
    const cursor = translate({ kind: 'cursor', count: 2 });
    expect(totalFromPage(cursor, true, 2)).toBe(2);
    expect(totalFromPage(cursor, true, 3)).toBeUndefined();
    const next = pageOf(
      cursor,
      true,
      [{ seq: 1 }, { seq: 2 }, { seq: 3 }],
      [user('u1', 'a'), user('u2', 'b')],
      9,
    );
    expect(
      totalFromPage(translate({ kind: 'cursor', cursor: next.nextCursor!, count: 2 }), true, 1),
    ).toBeUndefined();
  });
});
