import { parseAttributeList, parseFilter } from '@scimkit/filter';
import { groupResourceType, userResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import {
  filterReadsChild,
  membersChangedInPlace,
  projectionShowsChild,
  queryTimedOut,
  resourceNotFound,
  storageLayout,
  versionMismatch,
} from './index.js';

const groups = storageLayout(groupResourceType);
const users = storageLayout(userResourceType);

describe('projectionShowsChild', () => {
  const shows = (projection: { attributes?: string; excludedAttributes?: string }) =>
    projectionShowsChild(groups, {
      ...(projection.attributes ? { attributes: parseAttributeList(projection.attributes) } : {}),
      ...(projection.excludedAttributes
        ? { excludedAttributes: parseAttributeList(projection.excludedAttributes) }
        : {}),
    });

  it('skips the rows only when the response cannot show them', () => {
    expect(shows({})).toBe(true);
    expect(shows({ excludedAttributes: 'members' })).toBe(false);
    expect(shows({ excludedAttributes: 'urn:ietf:params:scim:schemas:core:2.0:Group:MEMBERS' })).toBe(false);
    // A sub-attribute or another schema excluded: the rows are still read.
    expect(shows({ excludedAttributes: 'members.display' })).toBe(true);
    expect(shows({ attributes: 'displayName' })).toBe(false);
    expect(shows({ attributes: 'displayName,members.value' })).toBe(true);
    expect(shows({ attributes: 'urn:ietf:params:scim:schemas:core:2.0:Group' })).toBe(true);
    // `attributes` wins over `excludedAttributes`.
    expect(shows({ attributes: 'members', excludedAttributes: 'members' })).toBe(true);
  });

  it('is false for a type without a child attribute', () => {
    expect(projectionShowsChild(users, {})).toBe(false);
  });
});

describe('filterReadsChild', () => {
  it('finds the child attribute anywhere in a filter, by name or URN, but not inside a value path of another', () => {
    expect(filterReadsChild(groups, parseFilter('displayName eq "x"'))).toBe(false);
    expect(filterReadsChild(groups, parseFilter('displayName eq "x" or members[value eq "1"]'))).toBe(true);
    expect(filterReadsChild(groups, parseFilter('not (Members.value pr)'))).toBe(true);
    expect(
      filterReadsChild(groups, parseFilter('urn:ietf:params:scim:schemas:core:2.0:Group:members pr')),
    ).toBe(true);
    expect(filterReadsChild(users, parseFilter('emails[value eq "members"]'))).toBe(false);
    expect(filterReadsChild(groups, undefined)).toBe(false);
  });
});

describe('store errors', () => {
  it('are SCIM errors with the status, scimType and an actionable detail', () => {
    expect(resourceNotFound(userResourceType, 'u1').toJSON()).toMatchObject({
      status: '404',
      detail: 'User "u1" does not exist.',
    });
    expect(versionMismatch(userResourceType, 'u1').toJSON()).toMatchObject({
      status: '412',
      detail: expect.stringMatching(/read it again and retry/),
    });
    expect(queryTimedOut(2000).toJSON()).toMatchObject({
      status: '400',
      scimType: 'tooMany',
      detail: expect.stringMatching(/\(2000 ms\): narrow the filter/),
    });
  });
});

describe('membersChangedInPlace', () => {
  const members = (...values: string[]) => values.map((value) => ({ value }));
  it('keeps in place a changed member with an unchanged one after it, and only that', () => {
    const delta = { added: members('a', 'c', 'x'), removed: members('a', 'c') };
    // a is followed by b (unchanged): changed where it stood; c and x were appended.
    expect([...membersChangedInPlace(delta, members('a', 'b', 'c', 'x'))]).toEqual(['a']);
    // Removed and added again at the end: not in place.
    expect(
      membersChangedInPlace({ added: members('b'), removed: members('b') }, members('a', 'c', 'b')).size,
    ).toBe(0);
    // Nothing both removed and added, or no list: nothing in place.
    expect(
      membersChangedInPlace({ added: members('x'), removed: members('a') }, members('b', 'x')).size,
    ).toBe(0);
    expect(membersChangedInPlace({ added: members('a'), removed: members('a') }, undefined).size).toBe(0);
  });
});
