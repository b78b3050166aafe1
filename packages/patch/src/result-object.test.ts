import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { bjensen, plainUser } from './__fixtures__/resources.js';
import { applyPatch } from './apply.js';
import { growableCopy } from './result-object.js';
import type { PatchOperation } from './types.js';

const ENT = ENTERPRISE_USER_SCHEMA;

function patch(resource: Record<string, unknown>, operations: PatchOperation[]) {
  return applyPatch(Object.freeze(resource), { schemas: [PATCH_OP_SCHEMA], Operations: operations });
}

function expectPlain(value: object): void {
  expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  expect(value.constructor).toBe(Object);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('the patched resource (built once from the original and the writes)', () => {
  it('adds an absent attribute last, keeping the original keys and their order', () => {
    const user = plainUser();
    const { resource, changed } = patch(user, [{ op: 'add', path: 'nickName', value: 'Babs' }]);
    expect(changed).toBe(true);
    expect(Object.keys(resource)).toEqual([...Object.keys(user), 'nickName']);
    expect(resource).toEqual({ ...user, nickName: 'Babs' });
    expect(user).not.toHaveProperty('nickName');
    expectPlain(resource);
  });

  it('writes replaced attributes in place and removed ones nowhere', () => {
    const user = bjensen();
    const { resource } = patch(user, [
      { op: 'replace', path: 'displayName', value: 'B' },
      { op: 'remove', path: 'active' },
      { op: 'add', path: 'title', value: 'Guide' },
    ]);
    const expected: Record<string, unknown> = { ...user, displayName: 'B', title: 'Guide' };
    delete expected.active;
    expect(Object.keys(resource)).toEqual(Object.keys(expected));
    expect(resource).toEqual(expected);
    expect(user.active).toBe(true);
    expectPlain(resource);
  });

  it('reads its own writes within a request, and gives the original back when they cancel out', () => {
    const user = plainUser();
    const { resource, changed } = patch(user, [
      { op: 'add', path: 'nickName', value: 'Babs' },
      { op: 'replace', path: 'nickName', value: 'B' },
      { op: 'remove', path: 'nickName' },
    ]);
    expect(changed).toBe(false);
    expect(resource).toBe(user);
    const { resource: kept } = patch(plainUser(), [
      { op: 'add', path: 'nickName', value: 'Babs' },
      { op: 'add', path: 'nickName', value: 'B' },
    ]);
    expect(kept.nickName).toBe('B');
  });

  it('replaces a top-level key of another casing by the schema casing, one request after another', () => {
    const lower = plainUser();
    expect(patch(lower, [{ op: 'add', path: 'nickName', value: 'A' }]).resource.nickName).toBe('A');
    // The same path on a resource that spells the key differently: nothing of the first call is reused.
    const other = { ...plainUser(), NICKNAME: 'old', DisplayName: 'Old' };
    const { resource } = patch(other, [
      { op: 'add', path: 'nickName', value: 'B' },
      { op: 'replace', path: 'displayName', value: 'New' },
    ]);
    expect(resource).not.toHaveProperty('NICKNAME');
    expect(resource).not.toHaveProperty('DisplayName');
    expect(resource.nickName).toBe('B');
    expect(resource.displayName).toBe('New');
    expect(other.NICKNAME).toBe('old');
    // And a resource without it after that one: no key of the previous resource is dropped or read.
    const { resource: again } = patch(plainUser(), [{ op: 'replace', path: 'displayName', value: 'C' }]);
    expect(again).toEqual({ ...plainUser(), displayName: 'C' });
  });

  it('keeps an own __proto__ key of a parsed resource as data when adding and removing keys', () => {
    const text = `{"schemas": ["${USER_SCHEMA}"], "userName": "a", "active": true, "__proto__": {"polluted": 1}}`;
    for (const operations of [
      [{ op: 'add', path: 'nickName', value: 'B' }],
      [{ op: 'remove', path: 'active' }],
      [{ op: 'replace', path: 'userName', value: 'b' }],
      [
        { op: 'add', path: 'nickName', value: 'B' },
        { op: 'remove', path: 'active' },
      ],
    ] as PatchOperation[][]) {
      const { resource, changed } = patch(JSON.parse(text), operations);
      expect(changed).toBe(true);
      expectPlain(resource);
      expect(Object.hasOwn(resource, '__proto__')).toBe(true);
      expect((resource as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('adds and drops extension objects with their schemas entry', () => {
    const { resource: added } = patch(plainUser(), [
      { op: 'add', path: `${ENT}:department`, value: 'Sales' },
    ]);
    expect(added[ENT]).toEqual({ department: 'Sales' });
    expect(added.schemas).toEqual([USER_SCHEMA, ENT]);
    expectPlain(added);
    const user = bjensen();
    const { resource: dropped } = patch(user, [{ op: 'remove', path: ENT }]);
    expect(dropped).not.toHaveProperty(ENT);
    expect(dropped.schemas).toEqual([USER_SCHEMA]);
    expect(user[ENT]).toBeDefined();
  });

  it('growableCopy copies keys in order, leaves the original alone and keeps an own __proto__ as data', () => {
    const original = Object.freeze({ a: 1, b: 2 }) as Record<string, unknown>;
    const copy = growableCopy(original);
    expect(copy).not.toBe(original);
    expect(Object.keys(copy)).toEqual(['a', 'b']);
    copy.c = 3;
    expect(copy).toEqual({ a: 1, b: 2, c: 3 });
    expectPlain(copy);
    expect(original).toEqual({ a: 1, b: 2 });
    const parsed = JSON.parse('{"a": 1, "__proto__": {"polluted": 1}}') as Record<string, unknown>;
    const kept = growableCopy(parsed);
    expectPlain(kept);
    expect(Object.hasOwn(kept, '__proto__')).toBe(true);
    expect(kept.polluted).toBeUndefined();
  });
});
