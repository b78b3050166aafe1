import { describe, expect, it } from 'vitest';
import {
  groupRef,
  groupsByMember,
  memberColumns,
  memberFromRow,
  membersChangedInPlace,
  planMemberDelta,
} from './members.js';

describe('memberColumns', () => {
  it('maps a member to its child-table columns and skips values without a string value', () => {
    expect(memberColumns({ value: 'u1', type: 'User', $ref: 'https://x/Users/u1', display: 7 })).toEqual({
      value: 'u1',
      type: 'User',
      display: null,
      $ref: 'https://x/Users/u1',
    });
    expect(memberColumns({ value: 1 })).toBeUndefined();
    expect(memberColumns('u1')).toBeUndefined();
    expect(memberColumns(null)).toBeUndefined();
    expect(memberColumns(Object.create({ value: 'inherited' }))).toBeUndefined();
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

describe('memberFromRow', () => {
  it('lists value, $ref, display and type, leaving out null columns', () => {
    expect(Object.entries(memberFromRow('u1', 'User', 'Babs', 'https://x/Users/u1'))).toEqual([
      ['value', 'u1'],
      ['$ref', 'https://x/Users/u1'],
      ['display', 'Babs'],
      ['type', 'User'],
    ]);
    expect(memberFromRow('u2', null, null, null)).toEqual({ value: 'u2' });
    // The row codec round-trips what memberColumns reads.
    const member = { value: 'u3', display: 'Cat', type: 'User' };
    const columns = memberColumns(member)!;
    expect(memberFromRow(columns.value, columns.type, columns.display, columns.$ref)).toEqual(member);
  });
});

describe('planMemberDelta', () => {
  const row = (value: string, extra: { type?: string; display?: string } = {}) => ({
    value,
    type: extra.type ?? null,
    display: extra.display ?? null,
    $ref: null,
  });

  it('deletes removed values, appends added ones, and updates in place a value changed where it stood', () => {
    const members = [{ value: 'a', display: 'A' }, { value: 'b' }, { value: 'd' }];
    const plan = planMemberDelta(
      { added: [{ value: 'a', display: 'A' }, { value: 'd' }], removed: [{ value: 'a' }, { value: 'c' }] },
      members,
    );
    expect(plan).toEqual({ deleted: ['c'], updated: [row('a', { display: 'A' })], inserted: [row('d')] });
  });

  it('deletes and appends a value removed and added again at the end', () => {
    const plan = planMemberDelta({ added: [{ value: 'b' }], removed: [{ value: 'b' }] }, [
      { value: 'a' },
      { value: 'b' },
    ]);
    expect(plan).toEqual({ deleted: ['b'], updated: [], inserted: [row('b')] });
  });

  it('changes each value once, as the delta first lists it, and skips members without a value', () => {
    const plan = planMemberDelta(
      {
        added: [{ value: 'x', type: 'User' }, { value: 'x', type: 'Group' }, { display: 'no value' }],
        removed: [{ value: 'y' }, { value: 'y' }, 7],
      },
      [{ value: 'x', type: 'User' }],
    );
    expect(plan).toEqual({ deleted: ['y'], updated: [], inserted: [row('x', { type: 'User' })] });
  });
});

describe('groupRef and groupsByMember', () => {
  it('keeps a displayName only when it is a string', () => {
    expect(groupRef('g1', 'Admins')).toEqual({ id: 'g1', displayName: 'Admins' });
    expect(groupRef('g2', null)).toEqual({ id: 'g2' });
    expect(groupRef('g3', { not: 'text' })).toEqual({ id: 'g3' });
  });

  it('answers an entry for every member id, once, with its groups in row order', () => {
    const groups = groupsByMember(
      ['u1', 'u2', '__proto__', 'u1'],
      [
        { member: 'u2', id: 'g1', displayName: 'Admins' },
        { member: 'u1', id: 'g2', displayName: null },
        { member: 'u2', id: 'g2', displayName: null },
        { member: 'stranger', id: 'g3', displayName: 'x' },
      ],
    );
    expect([...groups.entries()]).toEqual([
      ['u1', [{ id: 'g2' }]],
      ['u2', [{ id: 'g1', displayName: 'Admins' }, { id: 'g2' }]],
      ['__proto__', []],
    ]);
  });
});
