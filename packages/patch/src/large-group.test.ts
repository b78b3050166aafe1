import { PATCH_OP_SCHEMA } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { group } from './__fixtures__/resources.js';
import { applyPatch } from './apply.js';

const SIZE = 100_000;

describe('applyPatch on a 100k-member group', () => {
  const big = group(SIZE);
  const members = big.members as Record<string, unknown>[];

  it('adds and removes one member, reporting only those in the delta', () => {
    const { resource, changed, deltas } = applyPatch(big, {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: 'newcomer', display: 'New' }] },
        { op: 'remove', path: 'members[value eq "m50000"]' },
      ],
    });
    expect(changed).toBe(true);
    expect(deltas).toEqual([
      {
        attribute: 'members',
        added: [{ value: 'newcomer', display: 'New' }],
        removed: [{ value: 'm50000', display: 'Member 50000' }],
      },
    ]);
    const after = resource.members as Record<string, unknown>[];
    expect(after).toHaveLength(SIZE);
    expect(after[SIZE - 1]).toEqual({ value: 'newcomer', display: 'New' });
    expect(after.some((member) => member.value === 'm50000')).toBe(false);
    // Untouched members are shared, not copied; the input keeps its members.
    expect(after[0]).toBe(members[0]);
    expect(members).toHaveLength(SIZE);
    expect(members[50_000]?.value).toBe('m50000');
    // Untouched attributes are shared too.
    expect(resource.meta).toBe(big.meta);
  });

  it('treats re-adding an existing member as a no-op', () => {
    const result = applyPatch(big, [{ op: 'add', path: 'members', value: [{ value: 'm99999' }] }]);
    expect(result.changed).toBe(false);
    expect(result.resource).toBe(big);
  });

  it('applies many Entra-style single-member operations in one request', () => {
    const operations = [];
    for (let i = 0; i < 499; i++) operations.push({ op: 'Remove', path: `members[value eq "m${i}"]` });
    for (let i = 0; i < 500; i++)
      operations.push({ op: 'Add', path: 'members', value: [{ value: `n${i}` }] });
    operations.push({ op: 'Remove', path: 'members', value: [{ value: 'm600' }, { value: 'm601' }] });
    const { resource, deltas } = applyPatch(big, operations);
    expect((resource.members as unknown[]).length).toBe(SIZE - 1);
    expect(deltas[0]?.added).toHaveLength(500);
    expect(deltas[0]?.removed).toHaveLength(501);
  });
});
