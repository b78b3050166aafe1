import { parseAttributeList, parseFilter } from '@scimkit/filter';
import { groupResourceType, userResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { filterReadsChild, projectionShowsChild } from './projection.js';
import { storageLayout } from './storage-layout.js';

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
    // The whole core schema excluded: the shaper shows none of its attributes.
    expect(shows({ excludedAttributes: 'urn:ietf:params:scim:schemas:core:2.0:Group' })).toBe(false);
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
