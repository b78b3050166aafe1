import { groupResourceType, isScimError, userResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { typeInfo } from './internal/type-info.js';
import { resolveLimits } from './options.js';
import {
  listParametersOfBody,
  listParametersOfUrl,
  parseProjection,
  parseQuery,
  projectionOfUrl,
  type QueryRules,
  queryPairs,
  queryParameter,
  storeProjection,
} from './query.js';

const users = typeInfo(userResourceType);
const groups = typeInfo(groupResourceType);
const rules: QueryRules = {
  compat: { lenientFilters: true },
  limits: resolveLimits({ maxResults: 50, defaultPageSize: 20 }),
  types: [users, groups],
};
const strictRules: QueryRules = { ...rules, compat: { lenientFilters: false } };
const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** The SCIM error `work` throws, as its RFC body. */
function errorOf(work: () => unknown) {
  try {
    work();
  } catch (error) {
    if (isScimError(error)) return error.toJSON();
    throw error;
  }
  throw new Error('expected a SCIM error');
}

describe('parseQuery', () => {
  it('parses a filter checked against the resource type', () => {
    const query = parseQuery(users, { filter: 'userName eq "bjensen"' }, rules);
    expect(query.filter).toMatchObject({ kind: 'Comparison', operator: 'eq', value: 'bjensen' });
    expect(query.page).toEqual({ kind: 'index', startIndex: 1, count: 20 });
    expect(query.projection).toEqual({});
    expect(parseQuery(users, { filter: '' }, rules).filter).toBeUndefined();
  });

  it('rejects a filter that is not a string, names an unknown or hidden attribute, or is too lenient for strict mode', () => {
    expect(errorOf(() => parseQuery(users, { filter: 42 }, rules))).toMatchObject({
      status: '400',
      scimType: 'invalidFilter',
      detail: '"filter" must be a string.',
    });
    expect(errorOf(() => parseQuery(users, { filter: 'shoeSize eq 1' }, rules))).toMatchObject({
      scimType: 'invalidFilter',
      detail: 'The filter names "shoeSize", which User resources do not have.',
    });
    expect(errorOf(() => parseQuery(users, { filter: 'password eq "x"' }, rules))).toMatchObject({
      scimType: 'invalidFilter',
      detail: 'The filter names "password", which is never returned, so it cannot be filtered on.',
    });
    const entra = 'emails[type eq "work"].value eq "a@example.com"';
    expect(parseQuery(users, { filter: entra }, rules).filter).toBeDefined();
    expect(errorOf(() => parseQuery(users, { filter: entra }, strictRules))).toMatchObject({
      scimType: 'invalidFilter',
    });
  });

  it('checks a filter across every type against each (root search): hidden attributes of any are refused', () => {
    expect(parseQuery(undefined, { filter: 'displayName sw "a"' }, rules).filter).toBeDefined();
    expect(errorOf(() => parseQuery(undefined, { filter: 'password pr' }, rules))).toMatchObject({
      scimType: 'invalidFilter',
    });
  });

  it('bounds filter length and depth by the limits', () => {
    const tight: QueryRules = {
      ...rules,
      limits: { ...rules.limits, maxFilterLength: 20, maxFilterDepth: 2 },
    };
    expect(errorOf(() => parseQuery(users, { filter: 'userName eq "a long value"' }, tight))).toMatchObject({
      scimType: 'invalidFilter',
      detail: 'Expected at most 20 characters, found 26 characters at position 20.',
    });
    expect(errorOf(() => parseQuery(users, { filter: '((((userName pr))))' }, tight))).toMatchObject({
      scimType: 'invalidFilter',
      detail: 'Expected at most 2 levels of nesting, found "(" at position 2.',
    });
    expect(parseQuery(users, { filter: '((userName pr))' }, tight).filter).toBeDefined();
  });

  it('parses sortBy and a sortOrder in any case', () => {
    expect(parseQuery(users, { sortBy: 'name.familyName' }, rules).sort).toMatchObject({
      path: { attribute: 'name', subAttribute: 'familyName' },
      order: 'ascending',
    });
    expect(parseQuery(users, { sortBy: 'userName', sortOrder: 'DESCENDING' }, rules).sort?.order).toBe(
      'descending',
    );
    // Without sortBy, sortOrder is ignored.
    expect(parseQuery(users, { sortOrder: 'sideways' }, rules).sort).toBeUndefined();
  });

  it('refuses to sort by an unknown, never-returned or computed attribute, or in an unknown order', () => {
    expect(errorOf(() => parseQuery(users, { sortBy: 'shoeSize' }, rules))).toEqual(
      expect.objectContaining({
        scimType: 'invalidValue',
        detail: 'sortBy "shoeSize" is not an attribute of User resources.',
      }),
    );
    for (const sortBy of ['password', 'groups.display']) {
      expect(errorOf(() => parseQuery(users, { sortBy }, rules))).toMatchObject({
        scimType: 'invalidValue',
        detail: `sortBy "${sortBy}" names an attribute that is never returned or is computed (User.groups), so results cannot be sorted by it.`,
      });
    }
    // Across types, a hidden attribute of any type is refused; an attribute of only some is fine.
    expect(errorOf(() => parseQuery(undefined, { sortBy: 'password' }, rules))).toMatchObject({
      scimType: 'invalidValue',
    });
    expect(parseQuery(undefined, { sortBy: 'displayName' }, rules).sort?.order).toBe('ascending');
    expect(
      errorOf(() => parseQuery(users, { sortBy: 'userName', sortOrder: 'sideways' }, rules)),
    ).toMatchObject({
      scimType: 'invalidValue',
      detail: 'sortOrder must be "ascending" or "descending".',
    });
    expect(errorOf(() => parseQuery(users, { sortBy: ['userName'] }, rules))).toMatchObject({
      detail: '"sortBy" must be a string.',
    });
  });

  it('pages by index: startIndex below 1 is 1, a negative count is 0, count is capped at maxResults', () => {
    expect(parseQuery(users, { startIndex: '3', count: '10' }, rules).page).toEqual({
      kind: 'index',
      startIndex: 3,
      count: 10,
    });
    expect(parseQuery(users, { startIndex: -3, count: -5 }, rules).page).toEqual({
      kind: 'index',
      startIndex: 1,
      count: 0,
    });
    expect(parseQuery(users, { count: 5000 }, rules).page.count).toBe(50);
    expect(parseQuery(users, { startIndex: '99999999999999999999' }, rules).page).toMatchObject({
      startIndex: Number.MAX_SAFE_INTEGER,
    });
    expect(parseQuery(users, { count: ' 7 ' }, rules).page.count).toBe(7);
  });

  it('reads count and startIndex as decimal integers only', () => {
    for (const count of ['ten', '1e3', '0x10', '0b1', '2.5', 2.5]) {
      expect(errorOf(() => parseQuery(users, { count }, rules))).toMatchObject({
        status: '400',
        scimType: 'invalidValue',
        detail: `"count" must be an integer, not ${JSON.stringify(count)}.`,
      });
    }
    expect(errorOf(() => parseQuery(users, { startIndex: 'first' }, rules))).toMatchObject({
      detail: '"startIndex" must be an integer, not "first".',
    });
  });

  it('pages by cursor (RFC 9865): an empty cursor asks for the first page', () => {
    expect(parseQuery(users, { cursor: '', count: '2' }, rules).page).toEqual({ kind: 'cursor', count: 2 });
    expect(parseQuery(users, { cursor: 'abc' }, rules).page).toEqual({
      kind: 'cursor',
      count: 20,
      cursor: 'abc',
    });
    expect(errorOf(() => parseQuery(users, { cursor: '', count: '-1' }, rules))).toMatchObject({
      scimType: 'invalidCount',
      detail: '"count" must not be negative.',
    });
    expect(errorOf(() => parseQuery(users, { cursor: '', startIndex: '1' }, rules))).toMatchObject({
      scimType: 'invalidValue',
      detail: 'Use either "cursor" or "startIndex" paging, not both.',
    });
    expect(errorOf(() => parseQuery(users, { cursor: 7 }, rules))).toMatchObject({
      scimType: 'invalidCursor',
      detail: '"cursor" must be a string.',
    });
  });

  it('checks the filter before the sort and the sort before the page', () => {
    expect(
      errorOf(() => parseQuery(users, { filter: 'x eq', sortBy: 'nope', count: 'x' }, rules)),
    ).toMatchObject({
      scimType: 'invalidFilter',
    });
    expect(errorOf(() => parseQuery(users, { sortBy: 'nope', count: 'x' }, rules))).toMatchObject({
      detail: 'sortBy "nope" is not an attribute of User resources.',
    });
  });
});

describe('parseProjection', () => {
  it('parses comma-separated text or an array of paths; blank lists are absent', () => {
    expect(parseProjection({ attributes: 'userName, name.givenName' }, rules)).toMatchObject({
      attributes: [{ attribute: 'userName' }, { attribute: 'name', subAttribute: 'givenName' }],
    });
    expect(parseProjection({ excludedAttributes: ['emails', 'groups'] }, rules)).toMatchObject({
      excludedAttributes: [{ attribute: 'emails' }, { attribute: 'groups' }],
    });
    expect(parseProjection({ attributes: '  ', excludedAttributes: null }, rules)).toEqual({});
  });

  it('rejects a list that is neither text nor an array of strings', () => {
    expect(errorOf(() => parseProjection({ attributes: [1] }, rules))).toMatchObject({
      status: '400',
      scimType: 'invalidValue',
      detail: '"attributes" must be a comma-separated list of attribute paths.',
    });
    expect(errorOf(() => parseProjection({ excludedAttributes: {} }, rules))).toMatchObject({
      detail: '"excludedAttributes" must be a comma-separated list of attribute paths.',
    });
  });
});

describe('storeProjection', () => {
  it('hands the store the parsed lists, leaving absent ones out', () => {
    const projection = parseProjection({ attributes: 'userName' }, rules);
    expect(storeProjection(projection)).toEqual({ attributes: projection.attributes });
    expect(Object.keys(storeProjection({}))).toEqual([]);
  });
});

describe('queryParameter', () => {
  it('finds a parameter in any case, the exact spelling first, else the first of any spelling', () => {
    const url = new URL('http://h/Users?FILTER=a&Filter=b&count=1');
    expect(queryParameter(url, 'filter')).toBe('a');
    expect(queryParameter(new URL('http://h/Users?Filter=b&filter=c'), 'filter')).toBe('c');
    expect(queryParameter(url, 'sortBy')).toBeNull();
  });
});

describe('value filters in attributes (lenient)', () => {
  const list = 'userName, emails[type eq "work"].value';
  it('keeps where each item starts, for errors and for the selection', () => {
    const projection = parseProjection({ attributes: list }, rules, users);
    expect(projection.valueSelections).toMatchObject([
      { filter: 'emails[type eq "work"]', input: list, start: 10 },
    ]);
  });

  it('gives the position in the attributes text of a syntax error in any item', () => {
    expect(
      errorOf(() => parseProjection({ attributes: 'userName,emails[type eq ]' }, rules, users)),
    ).toMatchObject({
      status: '400',
      detail: expect.stringContaining('at position 24'),
    });
    expect(
      errorOf(() => parseProjection({ attributes: 'emails[type eq "a"], name..x' }, rules, users)),
    ).toMatchObject({ status: '400', detail: expect.stringContaining('at position 26') });
  });

  it("refuses a filter the type's schemas refuse before anything runs, at its position in the text", () => {
    const attributes = 'userName, emails[primary gt true]';
    expect(errorOf(() => parseProjection({ attributes }, rules, users))).toMatchObject({
      status: '400',
      scimType: 'invalidFilter',
      detail: 'Expected a string, number or dateTime value for "gt", found true at position 28.',
    });
    // The same text, parsed for every type at once (POST /.search), is only checked per type later.
    expect(parseProjection({ attributes }, rules).valueSelections).toHaveLength(1);
  });
});

describe('listParametersOfUrl and projectionOfUrl', () => {
  it('reads the list parameters of a query string in any case, and nothing else', () => {
    const url = new URL('http://h/Users?Filter=userName%20pr&SORTBY=userName&startindex=2&Count=3&other=1');
    expect(listParametersOfUrl(url)).toEqual({
      filter: 'userName pr',
      sortBy: 'userName',
      startIndex: '2',
      count: '3',
    });
  });

  it('takes of each parameter the first value of its exact spelling, else the first of any spelling', () => {
    const url = new URL(
      'http://h/Users?FILTER=a&filter=b&filter=c&Count=1&COUNT=2&__proto__=x&constructor=y',
    );
    const parameters = listParametersOfUrl(url);
    expect(parameters).toEqual({ filter: 'b', count: '1' });
    for (const name of ['filter', 'count', 'sortBy', 'startIndex', 'attributes'] as const)
      expect(parameters[name] ?? null, name).toBe(queryParameter(url, name));
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype);
    expect(listParametersOfUrl(new URL('http://h/Users'))).toEqual({});
  });

  it('splits a query string into exactly the pairs URLSearchParams lists', () => {
    for (const query of [
      '',
      '?',
      '?filter=userName%20eq%20%22bjensen%40example.com%22&startIndex=1&count=100',
      '?filter=a+b%2Bc&&=x&y&z=&a=b=c',
      '?filter=%C3%A9&%C3%A9=%F0%9F%98%80',
      '?filter=caf\u00e9 "x"<y>',
      '?filter=a%zz&count=2',
      '?filter=%FF&count=%C3',
      '?filter=%&count=%2',
      '?%00=%0a',
    ]) {
      const url = new URL(`http://h/Users${query}`);
      expect(queryPairs(url), query).toEqual([...url.searchParams]);
    }
  });

  it('parses the projection of a URL', () => {
    expect(projectionOfUrl(new URL('http://h/Users/1'), rules, users)).toEqual({});
    expect(projectionOfUrl(new URL('http://h/Users/1?Attributes=userName'), rules, users)).toMatchObject({
      attributes: [{ attribute: 'userName' }],
    });
  });
});

describe('listParametersOfBody', () => {
  it('reads SearchRequest keys in any case and ignores others, inherited names included', () => {
    const body = JSON.parse(
      `{"schemas":["${SEARCH_REQUEST}"],"FILTER":"userName pr","sortby":"userName","startIndex":1,"__proto__":{"count":9},"constructor":"x","toString":"y"}`,
    ) as Record<string, unknown>;
    const parameters = listParametersOfBody(body, { requireSchema: true });
    expect(parameters).toEqual({ filter: 'userName pr', sortBy: 'userName', startIndex: 1 });
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype);
  });

  it('requires the SearchRequest URN in schemas unless told not to', () => {
    expect(errorOf(() => listParametersOfBody({ filter: 'a pr' }, { requireSchema: true }))).toMatchObject({
      status: '400',
      scimType: 'invalidSyntax',
      detail: `A search body must list "${SEARCH_REQUEST}" in "schemas".`,
    });
    expect(listParametersOfBody({ filter: 'a pr' }, { requireSchema: false })).toEqual({ filter: 'a pr' });
  });
});
