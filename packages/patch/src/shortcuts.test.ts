/**
 * What the engine's shortcuts for the usual requests must not change: request lists used as
 * they are, writes that skip a second key lookup, the one-pass merge of a path-less complex
 * value, the answers remembered for the last keys of a value, and the operation fields read in
 * one pass. Each test takes the shortcut and a case next to it that must not.
 */
import { ENTERPRISE_USER_SCHEMA, groupResourceType, userResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { patch } from './__fixtures__/frozen-patch.js';
import { bjensen, group, plainUser } from './__fixtures__/resources.js';
import { applyPatch } from './apply.js';
import type { PatchOperation } from './types.js';
import { deepEqual } from './values.js';

const ENT = ENTERPRISE_USER_SCHEMA;

describe('a request list that needs no change', () => {
  it('becomes the new value as it is, and is copied before the request writes to it again', () => {
    const emails = [{ value: 'a@x.org', type: 'work', primary: true }];
    const replaced = patch(bjensen(), [{ op: 'replace', value: { emails } }]);
    expect(replaced.resource.emails).toBe(emails);
    expect(replaced.deltas).toEqual([
      { attribute: 'emails', added: emails, removed: bjensen().emails, replaced: true },
    ]);

    const both = [
      { value: 'a@x.org', type: 'work', primary: true },
      { value: 'b@x.org', type: 'home', primary: true },
    ];
    const { resource } = patch(bjensen(), [
      { op: 'replace', path: 'emails', value: both },
      { op: 'add', path: 'emails', value: [{ value: 'c@x.org', type: 'other' }] },
    ]);
    // One primary left (the last), the third value appended: on a copy, the request is frozen.
    expect(resource.emails).toEqual([
      { value: 'a@x.org', type: 'work', primary: false },
      { value: 'b@x.org', type: 'home', primary: true },
      { value: 'c@x.org', type: 'other' },
    ]);
    expect(resource.emails).not.toBe(both);
  });

  it('is copied when one of its values changes', () => {
    const emails = [{ value: 'a@x.org', type: 'work', display: null }];
    const { resource } = patch(bjensen(), [{ op: 'replace', path: 'emails', value: emails }]);
    expect(resource.emails).toEqual([{ value: 'a@x.org', type: 'work' }]);
    expect(emails[0]).toHaveProperty('display', null);
  });
});

describe('top-level keys read once for a write', () => {
  it('removes, adds back and replaces one attribute within a request', () => {
    const { resource } = patch({ ...plainUser(), nickName: 'a', title: 't' }, [
      { op: 'remove', path: 'nickName' },
      { op: 'add', path: 'nickName', value: 'b' },
      { op: 'replace', path: 'title', value: 'u' },
      { op: 'remove', path: 'title' },
    ]);
    expect(resource.nickName).toBe('b');
    expect(resource).not.toHaveProperty('title');
  });

  it('replaces a key of another casing after a write of another attribute', () => {
    const { resource } = patch(
      { ...plainUser(), title: 't', DisplayName: 'Old', Emails: [{ value: 'o@x.org' }] },
      [{ op: 'replace', value: { title: 'u', displayName: 'New', emails: [{ value: 'n@x.org' }] } }],
    );
    expect(resource).toMatchObject({ title: 'u', displayName: 'New', emails: [{ value: 'n@x.org' }] });
    expect(resource).not.toHaveProperty('DisplayName');
    expect(resource).not.toHaveProperty('Emails');
  });
});

describe('an absent attribute added with one copy and one search of the keys', () => {
  it('adds the key in schema casing to a copy, the original untouched', () => {
    const original = plainUser();
    const { resource, changed } = patch(original, [{ op: 'add', path: 'nickName', value: 'b' }]);
    expect(changed).toBe(true);
    expect(resource).toEqual({ ...plainUser(), nickName: 'b' });
    expect(original).not.toHaveProperty('nickName');
    // A spread copy that got a new key would be a slow dictionary; the copy keeps key order.
    expect(Object.keys(resource)).toEqual([...Object.keys(plainUser()), 'nickName']);
  });

  it('replaces a key of another casing, which is not absent', () => {
    const { resource } = patch({ ...plainUser(), nickname: 'a' }, [
      { op: 'add', path: 'nickName', value: 'b' },
    ]);
    expect(resource.nickName).toBe('b');
    expect(resource).not.toHaveProperty('nickname');
  });

  it('is no change when the attribute was removed and added back with its value', () => {
    const original = { ...plainUser(), nickName: 'a' };
    const result = patch(original, [
      { op: 'remove', path: 'nickName' },
      { op: 'add', path: 'nickName', value: 'a' },
    ]);
    expect(result.changed).toBe(false);
    expect(result.resource).toBe(original);
    // After another write the draft is a copy: absent from it is not absent from the original.
    const other = patch(original, [
      { op: 'replace', path: 'title', value: 't' },
      { op: 'remove', path: 'title' },
      { op: 'remove', path: 'NICKNAME' },
      { op: 'add', path: 'nickName', value: 'a' },
    ]);
    expect(other.changed).toBe(false);
  });

  it('compares with a key of another casing in the original, and a removal of an absent one is none', () => {
    // Names are case-insensitive: `NickName` removed and `nickName` added with its value is no change.
    const same = patch({ ...plainUser(), NickName: 'a' }, [
      { op: 'remove', path: 'nickName' },
      { op: 'add', path: 'nickName', value: 'a' },
    ]);
    expect(same.changed).toBe(false);
    const other = patch({ ...plainUser(), NickName: 'a' }, [
      { op: 'remove', path: 'nickName' },
      { op: 'add', path: 'nickName', value: 'b' },
    ]);
    expect(other.changed).toBe(true);
    expect(other.resource).toHaveProperty('nickName', 'b');
    expect(other.resource).not.toHaveProperty('NickName');
    const none = patch(plainUser(), [{ op: 'remove', path: 'nickName' }]);
    expect(none.changed).toBe(false);
  });
});

describe('a path-less complex value merged in one pass', () => {
  it('replaces a stored sub-attribute of another casing and keeps the others', () => {
    const { resource } = patch({ ...plainUser(), name: { GivenName: 'a', familyName: 'f' } }, [
      { op: 'replace', value: { name: { givenName: 'b' } } },
    ]);
    expect(resource.name).toEqual({ familyName: 'f', givenName: 'b' });
  });

  it('lets the last of two casings of one sub-attribute win, as one value does', () => {
    const twice = patch(bjensen(), [{ op: 'replace', value: { name: { givenName: 'A', GIVENNAME: 'B' } } }]);
    expect((twice.resource.name as Record<string, unknown>).givenName).toBe('B');
    const back = patch(bjensen(), [
      { op: 'replace', value: { name: { givenName: 'A', GivenName: 'Barbara' } } },
    ]);
    expect(back.changed).toBe(false);
    const gone = patch(bjensen(), [{ op: 'replace', value: { name: { givenName: 'A', GIVENNAME: null } } }]);
    expect(gone.resource.name).toEqual({ formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen' });
  });

  it('removes sub-attributes given as null, and the attribute with the last of them', () => {
    const { resource } = patch({ ...plainUser(), name: { givenName: 'a', familyName: 'f' } }, [
      { op: 'replace', value: { name: { givenName: null, familyName: null, middleName: null } } },
    ]);
    expect(resource).not.toHaveProperty('name');
    const unchanged = patch(plainUser(), [{ op: 'replace', value: { name: { givenName: null } } }]);
    expect(unchanged.changed).toBe(false);
  });

  it('reports errors and warnings as the two passes did, in the order of the keys', () => {
    expect(() =>
      patch(plainUser(), [{ op: 'replace', value: { name: { givenName: 'a', familyName: 5 } } }]),
    ).toThrow('Operations[0] (replace): "name.familyName" expects a string, found number 5');
    const { resource, warnings } = patch(plainUser(), [
      { op: 'add', value: { name: { shoe: 1, givenName: 'a', hat: 2 } } },
    ]);
    expect(resource.name).toEqual({ givenName: 'a' });
    expect(warnings.map((warning) => warning.path)).toEqual(['name.shoe', 'name.hat']);
  });

  it('still checks the readOnly sub-attributes of a value that has them', () => {
    expect(() =>
      patch(bjensen(), [{ op: 'replace', value: { [ENT]: { manager: { value: 'm', displayName: 'x' } } } }]),
    ).toThrow(/manager\.displayName" is readOnly/);
  });
});

describe('the answers remembered for the last keys of a value', () => {
  it('belong to one schema and one attribute', () => {
    const user = patch(plainUser(), [{ op: 'add', value: { displayName: 'U' } }]);
    expect(user.resource.displayName).toBe('U');
    // The same key list, next for another resource type, an extension and a sub-attribute list.
    const team = applyPatch(group(1), [{ op: 'add', value: { displayName: 'G' } }], {
      resourceType: groupResourceType,
    });
    expect(team.resource.displayName).toBe('G');
    const { resource, warnings } = patch(plainUser(), [
      { op: 'add', value: { [ENT]: { department: 'D' } } },
      { op: 'add', value: { department: 'E' } },
    ]);
    expect(resource[ENT]).toEqual({ department: 'D' });
    expect(warnings.map((warning) => warning.path)).toEqual(['department']);
    const values = { value: 'v', type: 'work' };
    const lists = applyPatch(
      plainUser(),
      [{ op: 'add', value: { emails: [values], phoneNumbers: [values] } }],
      {
        resourceType: userResourceType,
      },
    );
    expect(lists.resource).toMatchObject({ emails: [values], phoneNumbers: [values] });
  });

  it('follow a change of keys, casing included, and requests that alternate', () => {
    const values = [
      { nickName: 'a' },
      { title: 'b' },
      { nickName: 'c' },
      { NickName: 'd' },
      { title: 'e' },
      { userType: 'f' },
      { nickName: 'g', title: 'h' },
      { nickName: 'i' },
    ];
    for (const value of values) {
      const { resource } = patch(plainUser(), [{ op: 'add', value }]);
      const [key, expected] = Object.entries(value)[0] as [string, string];
      expect(resource[key === 'NickName' ? 'nickName' : key]).toBe(expected);
      expect(Object.keys(resource).filter((name) => !(name in plainUser()))).toEqual(
        Object.keys(value).map((name) => (name === 'NickName' ? 'nickName' : name)),
      );
    }
    // Sub-attributes of one attribute from values with other keys, in turn.
    for (const name of [{ givenName: 'a' }, { familyName: 'b' }, { givenName: 'c' }, { middleName: 'd' }]) {
      expect(patch(plainUser(), [{ op: 'add', value: { name } }]).resource.name).toEqual(name);
    }
  });
});

describe('operation fields read in one pass', () => {
  it('reads an own field that is not enumerable, and never an inherited one', () => {
    const hidden = { op: 'replace', value: 'x' };
    Object.defineProperty(hidden, 'path', { value: 'nickName', enumerable: false });
    expect(patch(plainUser(), [hidden as PatchOperation]).resource.nickName).toBe('x');
    const inherited = Object.assign(Object.create({ path: 'nickName' }) as object, {
      op: 'replace',
      value: 'y',
    });
    expect(() => patch(plainUser(), [inherited as PatchOperation])).toThrow(/without a path needs an object/);
  });
});

describe('deepEqual', () => {
  it('takes keys in another order, and never an inherited or a missing key for an own one', () => {
    expect(deepEqual({ value: 'a', type: 'work' }, { value: 'a', type: 'work' })).toBe(true);
    expect(deepEqual({ value: 'a', type: 'work' }, { type: 'work', value: 'a' })).toBe(true);
    expect(deepEqual({ value: 'a', type: 'work' }, { value: 'a', kind: 'work' })).toBe(false);
    expect(deepEqual({ value: 'a' }, Object.create({ value: 'a' }) as object)).toBe(false);
    expect(deepEqual({ value: 'a', type: undefined }, { value: 'a' })).toBe(false);
    const hidden = Object.defineProperty({ value: 'a' }, 'type', { value: 'work', enumerable: false });
    expect(deepEqual({ value: 'a', type: 'work' }, hidden)).toBe(false);
    expect(deepEqual([{ a: 1, b: [2] }], [{ b: [2], a: 1 }])).toBe(true);
  });
});
