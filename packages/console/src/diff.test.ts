import { describe, expect, it } from 'vitest';
import { diffResources } from './diff.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('diffResources', () => {
  it('lists every attribute of a creation as added and of a deletion as removed, without meta', () => {
    const user = { id: '1', userName: 'b', meta: { version: 'W/"1"' } };
    expect(diffResources(undefined, user).changes).toEqual([
      { kind: 'added', path: 'id', after: '1' },
      { kind: 'added', path: 'userName', after: 'b' },
    ]);
    expect(diffResources(user, undefined).changes).toEqual([
      { kind: 'removed', path: 'id', before: '1' },
      { kind: 'removed', path: 'userName', before: 'b' },
    ]);
  });

  it('names sub-attributes with dots and extension attributes with their URN', () => {
    const before = { name: { givenName: 'Barbara' }, [ENTERPRISE]: { department: 'Engineering' } };
    const after = {
      name: { givenName: 'Babs' },
      [ENTERPRISE]: { department: 'Finance', manager: { value: 'm' } },
    };
    expect(diffResources(before, after).changes).toEqual([
      { kind: 'changed', path: 'name.givenName', before: 'Barbara', after: 'Babs' },
      { kind: 'changed', path: `${ENTERPRISE}:department`, before: 'Engineering', after: 'Finance' },
      { kind: 'added', path: `${ENTERPRISE}:manager`, after: { value: 'm' } },
    ]);
  });

  it('matches multi-valued values by value: one member added reads as one change', () => {
    const before = { members: [{ value: 'a' }, { value: 'c' }] };
    const after = { members: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] };
    expect(diffResources(before, after).changes).toEqual([
      { kind: 'added', path: 'members[value eq "b"]', after: { value: 'b' } },
    ]);
    const emails = diffResources(
      { emails: [{ value: 'x@y', primary: true }] },
      { emails: [{ value: 'x@y', primary: false }] },
    );
    expect(emails.changes).toEqual([
      { kind: 'changed', path: 'emails[value eq "x@y"].primary', before: true, after: false },
    ]);
  });

  it('falls back to positions for lists without distinct values', () => {
    const changes = diffResources(
      { addresses: [{ locality: 'A' }] },
      { addresses: [{ locality: 'B' }] },
    ).changes;
    expect(changes).toEqual([{ kind: 'changed', path: 'addresses[0].locality', before: 'A', after: 'B' }]);
  });

  it('finds nothing when only the key order or meta differ', () => {
    expect(
      diffResources({ a: 1, b: { c: 2 }, meta: { v: 1 } }, { b: { c: 2 }, a: 1, meta: { v: 2 } }).changes,
    ).toEqual([]);
  });

  it('stops listing at the limit and counts the rest', () => {
    const before = { members: Array.from({ length: 500 }, (_, i) => ({ value: `m${i}` })) };
    const result = diffResources(before, { members: [] }, 50);
    expect(result.changes).toHaveLength(50);
    expect(result.omitted).toBe(450);
  });
});
