import {
  type AttributeDefinition,
  ENTERPRISE_USER_SCHEMA,
  groupResourceType,
  PATCH_OP_SCHEMA,
  type ResourceTypeDefinition,
  ScimError,
  USER_SCHEMA,
  userResourceType,
} from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { deepFreeze, patch } from './__fixtures__/frozen-patch.js';
import { bjensen, group, plainUser } from './__fixtures__/resources.js';
import { applyPatch, safeApplyPatch } from './apply.js';
import type { PatchOperation, PatchOptions } from './types.js';

function errorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    return error as ScimError;
  }
  throw new Error('expected a ScimError');
}

function expectError(run: () => unknown, scimType: string, detail: string | RegExp): void {
  const error = errorOf(run);
  expect(error.status).toBe(400);
  expect(error.scimType).toBe(scimType);
  if (typeof detail === 'string') expect(error.detail).toBe(detail);
  else expect(error.detail).toMatch(detail);
}

const ENT = ENTERPRISE_USER_SCHEMA;

/** The core User resource type with one more readWrite attribute. */
function userTypeWith(
  attribute: Pick<AttributeDefinition, 'name' | 'type' | 'multiValued'>,
): ResourceTypeDefinition {
  const extra: AttributeDefinition = {
    ...attribute,
    required: false,
    mutability: 'readWrite',
    returned: 'default',
  };
  return {
    ...userResourceType,
    schema: { ...userResourceType.schema, attributes: [...userResourceType.schema.attributes, extra] },
  };
}

describe('applyPatch', () => {
  describe('request envelope', () => {
    it('accepts a PatchOp body or a bare operations array', () => {
      const user = deepFreeze(plainUser());
      const body = applyPatch(user, {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'displayName', value: 'A' }],
      });
      const array = applyPatch(user, [{ op: 'replace', path: 'displayName', value: 'A' }]);
      expect(body.resource).toEqual(array.resource);
      expect(body.resource.displayName).toBe('A');
    });

    it('rejects a body without Operations', () => {
      expectError(
        () => applyPatch(plainUser(), { schemas: [PATCH_OP_SCHEMA] } as never),
        'invalidSyntax',
        '"Operations" must be an array of operations',
      );
    });

    it('rejects an unknown op naming its index', () => {
      expectError(
        () => patch(plainUser(), [{ op: 'move', path: 'userName' }]),
        'invalidSyntax',
        'Operations[0]: "op" must be "add", "replace" or "remove", found "move"',
      );
    });

    it('requires a value for add and replace', () => {
      expectError(
        () => patch(plainUser(), [{ op: 'add', path: 'nickName' }]),
        'invalidSyntax',
        'Operations[0] (add "nickName"): "value" is required',
      );
    });

    it('answers noTarget to a remove without a path', () => {
      expectError(
        () => patch(plainUser(), [{ op: 'remove' }]),
        'noTarget',
        'Operations[0] (remove): remove needs a "path"',
      );
    });

    it('bounds the number of operations', () => {
      const operations = Array.from({ length: 3 }, () => ({ op: 'replace', path: 'nickName', value: 'x' }));
      expectError(
        () => patch(plainUser(), operations, { maxOperations: 2 }),
        'invalidValue',
        'Too many operations: 3, at most 2 are accepted',
      );
    });

    it('bounds the number of values and the length of strings', () => {
      expectError(
        () =>
          patch(group(0), [{ op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }], {
            maxValues: 1,
          }),
        'invalidValue',
        'Operations[0] (add "members"): "members" has 2 values, at most 1 are accepted',
      );
      expectError(
        () =>
          patch(plainUser(), [{ op: 'replace', path: 'nickName', value: 'x'.repeat(11) }], {
            maxStringLength: 10,
          }),
        'invalidValue',
        /longer than 10 characters/,
      );
    });

    it('requires the PatchOp URN and a body in strict mode', () => {
      expectError(
        () => applyPatch(plainUser(), { schemas: [], Operations: [] }, { strict: true }),
        'invalidSyntax',
        `"schemas" must list "${PATCH_OP_SCHEMA}"`,
      );
      expectError(() => applyPatch(plainUser(), [], { strict: true }), 'invalidSyntax', /PatchOp body/);
      expect(
        applyPatch(plainUser(), { schemas: [PATCH_OP_SCHEMA], Operations: [] }, { strict: true }).changed,
      ).toBe(false);
    });
  });

  describe('add', () => {
    it('merges a path-less value: single-valued replaced, complex merged, multi-valued appended', () => {
      const { resource, changed } = patch(bjensen(), [
        {
          op: 'add',
          value: {
            nickName: 'Babs',
            name: { middleName: 'Jane' },
            emails: [{ value: 'b@x.org', type: 'other' }],
          },
        },
      ]);
      expect(changed).toBe(true);
      expect(resource.nickName).toBe('Babs');
      expect(resource.name).toEqual({
        formatted: 'Ms. Barbara J Jensen, III',
        familyName: 'Jensen',
        givenName: 'Barbara',
        middleName: 'Jane',
      });
      expect(resource.emails).toHaveLength(3);
    });

    it('treats an identical existing value as a no-op and keeps the resource', () => {
      const user = deepFreeze(bjensen());
      const result = applyPatch(user, [
        { op: 'add', path: 'emails', value: [{ value: 'babs@jensen.org', type: 'home' }] },
      ]);
      expect(result.changed).toBe(false);
      expect(result.resource).toBe(user);
      expect(result.deltas).toEqual([]);
    });

    it('creates the value from the filter when nothing matches, and fills one value from several operations', () => {
      const { resource } = patch(plainUser(), [
        { op: 'add', path: 'emails[type eq "work"].value', value: 'a@b.c' },
        { op: 'add', path: 'emails[type eq "work"].primary', value: true },
        { op: 'add', path: 'addresses[type eq "work"].locality', value: 'Paris' },
        { op: 'add', path: 'addresses[type eq "work"].country', value: 'FR' },
      ]);
      expect(resource.emails).toEqual([{ type: 'work', value: 'a@b.c', primary: true }]);
      expect(resource.addresses).toEqual([{ type: 'work', locality: 'Paris', country: 'FR' }]);
    });

    it('answers noTarget when a filter that matches nothing cannot build a value', () => {
      expectError(
        () => patch(plainUser(), [{ op: 'add', path: 'emails[type ne "work"].value', value: 'a@b.c' }]),
        'noTarget',
        'Operations[0] (add "emails[type ne \\"work\\"].value"): no value matches the filter, and a value cannot be built from it',
      );
    });

    it('updates every value the filter matches', () => {
      const { resource } = patch(bjensen(), [
        { op: 'add', path: 'phoneNumbers[value sw "555"].display', value: 'n/a' },
      ]);
      expect((resource.phoneNumbers as { display: string }[]).map((phone) => phone.display)).toEqual([
        'n/a',
        'n/a',
      ]);
    });

    it('sets a sub-attribute of a single-valued complex attribute, creating it', () => {
      const { resource } = patch(plainUser(), [{ op: 'add', path: 'name.givenName', value: 'Alice' }]);
      expect(resource.name).toEqual({ givenName: 'Alice' });
    });

    it('clears the old primary when a new primary value is added', () => {
      const { resource } = patch(bjensen(), [
        { op: 'add', path: 'emails', value: [{ value: 'new@x.org', type: 'work', primary: true }] },
      ]);
      expect(resource.emails).toEqual([
        { value: 'bjensen@example.com', type: 'work', primary: false },
        { value: 'babs@jensen.org', type: 'home' },
        { value: 'new@x.org', type: 'work', primary: true },
      ]);
    });

    it('allows adding an immutable attribute that has no value yet', () => {
      const { resource } = patch(group(0), [
        { op: 'add', path: 'members', value: [{ value: 'u1', display: 'Alice' }] },
      ]);
      expect(resource.members).toEqual([{ value: 'u1', display: 'Alice' }]);
    });
  });

  describe('replace', () => {
    it('replaces every value the filter matches, not just the first', () => {
      const { resource } = patch(bjensen(), [
        { op: 'replace', path: 'phoneNumbers[value sw "555"].type', value: 'other' },
      ]);
      expect((resource.phoneNumbers as { type: string }[]).map((phone) => phone.type)).toEqual([
        'other',
        'other',
      ]);
    });

    it('answers noTarget when the filter matches nothing', () => {
      expectError(
        () =>
          patch(plainUser(), [
            { op: 'add', path: 'nickName', value: 'x' },
            { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@b.c' },
          ]),
        'noTarget',
        'Operations[1] (replace "emails[type eq \\"work\\"].value"): no value matches the filter',
      );
    });

    it('replaces a whole multi-valued attribute without a filter', () => {
      const { resource, deltas } = patch(bjensen(), [
        { op: 'replace', path: 'emails', value: [{ value: 'only@x.org' }] },
      ]);
      expect(resource.emails).toEqual([{ value: 'only@x.org' }]);
      expect(deltas).toEqual([
        { attribute: 'emails', added: [{ value: 'only@x.org' }], removed: bjensen().emails, replaced: true },
      ]);
    });

    it('replaces a matched value wholesale', () => {
      const { resource } = patch(bjensen(), [
        { op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h@x.org', type: 'home' } },
      ]);
      expect((resource.emails as unknown[])[1]).toEqual({ value: 'h@x.org', type: 'home' });
    });

    it('merges sub-attributes of a complex attribute and keeps the others', () => {
      const { resource } = patch(bjensen(), [{ op: 'replace', path: 'name', value: { givenName: 'Babs' } }]);
      expect(resource.name).toEqual({
        formatted: 'Ms. Barbara J Jensen, III',
        familyName: 'Jensen',
        givenName: 'Babs',
      });
    });

    it('behaves as add when the target is absent', () => {
      const { resource } = patch(plainUser(), [{ op: 'replace', path: 'title', value: 'Tour Guide' }]);
      expect(resource.title).toBe('Tour Guide');
    });

    it('reports no change when the value is the same', () => {
      const user = deepFreeze(bjensen());
      const result = applyPatch(user, [
        { op: 'replace', path: 'userName', value: 'bjensen@example.com' },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'bjensen@example.com' },
      ]);
      expect(result).toEqual({ resource: user, changed: false, deltas: [], warnings: [] });
    });

    it('reports no change when a change is reverted within the request', () => {
      const user = deepFreeze(bjensen());
      const result = applyPatch(user, [
        { op: 'replace', path: 'displayName', value: 'x' },
        { op: 'replace', path: 'displayName', value: 'Babs Jensen' },
      ]);
      expect(result.changed).toBe(false);
    });

    it('unassigns with null', () => {
      const { resource } = patch(bjensen(), [{ op: 'replace', path: 'displayName', value: null }]);
      expect(Object.hasOwn(resource, 'displayName')).toBe(false);
    });
  });

  describe('value filters', () => {
    it('compares strings case-insensitively unless caseExact, with and/or/not and pr', () => {
      const { resource } = patch(bjensen(), [
        { op: 'replace', path: 'emails[TYPE eq "WORK" and not (value ew ".org")].display', value: 'Work' },
        { op: 'replace', path: 'emails[type eq "nope" or primary pr].type', value: 'main' },
      ]);
      expect(resource.emails).toEqual([
        { value: 'bjensen@example.com', type: 'main', primary: true, display: 'Work' },
        { value: 'babs@jensen.org', type: 'home' },
      ]);
    });

    it('filters simple multi-valued values through "value"', () => {
      const user = { ...plainUser(), schemas: ['x'] };
      const resourceType = userTypeWith({ name: 'tags', type: 'string', multiValued: true });
      const added = patch(user, [{ op: 'add', path: 'tags', value: ['a', 'B', 'c'] }], { resourceType });
      const { resource } = patch(
        added.resource,
        [{ op: 'remove', path: 'tags[value eq "b" or value sw "C"]' }],
        { resourceType },
      );
      expect(resource.tags).toEqual(['a']);
    });

    it('answers invalidPath for an ordering comparison on a boolean', () => {
      expectError(
        () => patch(bjensen(), [{ op: 'remove', path: 'emails[primary gt true]' }]),
        'invalidPath',
        /^Operations\[0\] \(remove "emails\[primary gt true\]"\): /,
      );
    });

    it('answers invalidPath for a value filter on a single-valued attribute', () => {
      expectError(
        () => patch(bjensen(), [{ op: 'remove', path: 'name[givenName eq "x"]' }]),
        'invalidPath',
        'Operations[0] (remove "name[givenName eq \\"x\\"]"): "name" is single-valued and cannot take a value filter',
      );
    });

    it('finds members by value whatever the casing of the id', () => {
      const { resource } = patch(group(3), [{ op: 'remove', path: 'members[value eq "M1"]' }]);
      expect((resource.members as { value: string }[]).map((member) => member.value)).toEqual(['m0', 'm2']);
    });
  });

  describe('remove', () => {
    it('removes every value the filter matches', () => {
      const { resource } = patch(bjensen(), [{ op: 'remove', path: 'phoneNumbers[value sw "555"]' }]);
      expect(Object.hasOwn(resource, 'phoneNumbers')).toBe(false);
    });

    it('writes two sub-attributes of one value in one request, leaving the input as it was', () => {
      const user = deepFreeze({ ...plainUser(), name: { GivenName: 'Old', familyName: 'Jensen' } });
      const { resource } = patch(user, [
        { op: 'replace', path: 'name.familyName', value: 'Smith' },
        { op: 'replace', path: 'name.givenName', value: 'Babs' },
        { op: 'remove', path: 'name.familyName' },
        { op: 'add', path: 'name.middleName', value: 'J' },
      ]);
      expect(resource.name).toEqual({ givenName: 'Babs', middleName: 'J' });
      expect(user.name).toEqual({ GivenName: 'Old', familyName: 'Jensen' });
    });

    it('removes one sub-attribute', () => {
      const { resource } = patch(bjensen(), [
        { op: 'remove', path: 'name.formatted' },
        { op: 'remove', path: 'emails[type eq "work"].primary' },
      ]);
      expect(resource.name).toEqual({ familyName: 'Jensen', givenName: 'Barbara' });
      expect((resource.emails as unknown[])[0]).toEqual({ value: 'bjensen@example.com', type: 'work' });
    });

    it('is a no-op for an absent attribute', () => {
      const user = deepFreeze(plainUser());
      expect(applyPatch(user, [{ op: 'remove', path: 'nickName' }]).resource).toBe(user);
    });
  });

  describe('names and schemas', () => {
    it('matches names case-insensitively and writes them in schema casing', () => {
      const { resource } = patch(bjensen(), [
        { op: 'replace', path: 'NAME.GIVENNAME', value: 'B' },
        { op: 'replace', path: 'EMAILS[TYPE eq "WORK"].VALUE', value: 'w@x.org' },
        { op: 'add', value: { NickName: 'Babs' } },
      ]);
      expect((resource.name as Record<string, unknown>).givenName).toBe('B');
      expect((resource.emails as Record<string, unknown>[])[0]?.value).toBe('w@x.org');
      expect(resource.nickName).toBe('Babs');
      expect(Object.hasOwn(resource, 'NickName')).toBe(false);
    });

    it('rewrites an attribute stored in another casing under the schema casing', () => {
      const { resource } = patch({ ...plainUser(), NickName: 'old' }, [
        { op: 'replace', path: 'nickname', value: 'new' },
      ]);
      expect(resource.nickName).toBe('new');
      expect(Object.hasOwn(resource, 'NickName')).toBe(false);
    });

    it('finds a stored key whose non-ASCII letters lower-case to the name (toLowerCase rules)', () => {
      // U+212A (Kelvin sign) lower-cases to "k": the key is the same attribute.
      const kelvin = patch({ ...plainUser(), 'nic\u212Aname': 'old' }, [
        { op: 'replace', path: 'nickName', value: 'new' },
      ]).resource;
      expect(kelvin.nickName).toBe('new');
      expect(Object.hasOwn(kelvin, 'nic\u212Aname')).toBe(false);
      // Same length, a letter that does not lower-case to the name's: another key, kept.
      const other = patch({ ...plainUser(), 'nickNam\u00e9': 'kept' }, [
        { op: 'add', path: 'nickName', value: 'new' },
      ]).resource;
      expect(other.nickName).toBe('new');
      expect(other['nickNam\u00e9']).toBe('kept');
      // U+0130 lower-cases to "i\u0307": a shorter stored key matches a name spelled that way
      // (path-less: the path grammar has no combining marks).
      const dotted = userTypeWith({ name: 'i\u0307tem', type: 'string', multiValued: false });
      const shorter = patch(
        { ...plainUser(), '\u0130tem': 'old' },
        [{ op: 'replace', value: { 'i\u0307tem': 'new' } }],
        {
          resourceType: dotted,
        },
      ).resource;
      expect(shorter['i\u0307tem']).toBe('new');
      expect(Object.hasOwn(shorter, '\u0130tem')).toBe(false);
    });

    it('answers invalidPath for an unknown attribute or sub-attribute', () => {
      expectError(
        () => patch(plainUser(), [{ op: 'add', path: 'shoeSize', value: 42 }]),
        'invalidPath',
        'Operations[0] (add "shoeSize"): unknown attribute "shoeSize"',
      );
      expectError(
        () => patch(plainUser(), [{ op: 'add', path: 'name.nick', value: 'x' }]),
        'invalidPath',
        'Operations[0] (add "name.nick"): unknown sub-attribute "nick" of "name"',
      );
      expectError(
        () => patch(plainUser(), [{ op: 'add', value: { shoeSize: 42 } }], { strict: true }),
        'invalidPath',
        'Operations[0] (add): unknown attribute "shoeSize"',
      );
      expectError(
        () => patch(plainUser(), [{ op: 'add', path: 'emails[shoe eq "x"].value', value: 'x' }]),
        'invalidPath',
        'Operations[0] (add "emails[shoe eq \\"x\\"].value"): unknown sub-attribute "shoe" of "emails"',
      );
    });

    it('answers invalidPath for a malformed path', () => {
      expectError(
        () => patch(plainUser(), [{ op: 'add', path: 'emails[type eq', value: 'x' }]),
        'invalidPath',
        /^Operations\[0\] \(add "emails\[type eq"\): /,
      );
    });

    it('answers invalidValue for a value of the wrong type', () => {
      expectError(
        () => patch(plainUser(), [{ op: 'replace', path: 'active', value: 'yes' }]),
        'invalidValue',
        'Operations[0] (replace "active"): "active" expects a boolean, found string "yes"',
      );
      expectError(
        () => patch(plainUser(), [{ op: 'replace', path: 'name', value: 'x' }]),
        'invalidValue',
        'Operations[0] (replace "name"): "name" expects an object of sub-attributes',
      );
    });

    it('checks dateTime values with the xsd:dateTime rule of validateResource', () => {
      const resourceType = userTypeWith({ name: 'hired', type: 'dateTime', multiValued: false });
      const hired = (value: string) =>
        patch(plainUser(), [{ op: 'replace', path: 'hired', value }], { resourceType }).resource.hired;
      expect(hired('2011-05-13T04:42:34.5+02:00')).toBe('2011-05-13T04:42:34.5+02:00');
      expect(hired('2016-12-31T23:59:60Z')).toBe('2016-12-31T23:59:60Z');
      for (const value of ['2011-05-13', 'May 13, 2011', '2011-02-30T00:00:00Z', '2011-05-13 04:42:34Z']) {
        expectError(
          () => hired(value),
          'invalidValue',
          `Operations[0] (replace "hired"): "hired" expects an xsd:dateTime, found ${JSON.stringify(value)}`,
        );
      }
    });

    it('writes extension attributes by URN path and lists the URN in schemas', () => {
      const { resource } = patch(plainUser(), [
        { op: 'add', path: `${ENT}:department`, value: 'Sales' },
        { op: 'add', path: `${ENT.toUpperCase()}:manager.value`, value: 'boss' },
      ]);
      expect(resource[ENT]).toEqual({ department: 'Sales', manager: { value: 'boss' } });
      expect(resource.schemas).toEqual([USER_SCHEMA, ENT]);
    });

    it('accepts extension attributes nested under the URN in a path-less value', () => {
      const { resource } = patch(plainUser(), [
        { op: 'replace', value: { [ENT]: { costCenter: '42' }, displayName: 'A' } },
      ]);
      expect(resource[ENT]).toEqual({ costCenter: '42' });
      expect(resource.schemas).toEqual([USER_SCHEMA, ENT]);
    });

    it('accepts a core attribute written fully qualified', () => {
      const { resource } = patch(plainUser(), [
        { op: 'replace', path: `${USER_SCHEMA}:userName`, value: 'bob' },
      ]);
      expect(resource.userName).toBe('bob');
    });

    it('drops the extension and its URN when its last attribute goes', () => {
      const { resource } = patch(bjensen(), [
        { op: 'remove', path: `${ENT}:employeeNumber` },
        { op: 'remove', path: `${ENT}:department` },
        { op: 'remove', path: `${ENT}:manager` },
      ]);
      expect(Object.hasOwn(resource, ENT)).toBe(false);
      expect(resource.schemas).toEqual([USER_SCHEMA]);
    });

    it('removes a whole extension by its URN', () => {
      const { resource } = patch(bjensen(), [{ op: 'remove', path: ENT }]);
      expect(Object.hasOwn(resource, ENT)).toBe(false);
      expect(resource.schemas).toEqual([USER_SCHEMA]);
    });

    it('answers invalidPath for an unknown schema URN', () => {
      expectError(
        () => patch(plainUser(), [{ op: 'add', path: 'urn:example:custom:1.0:User:x', value: 1 }]),
        'invalidPath',
        /unknown schema in path/,
      );
    });

    it('uses the Group resource type for a resource listing the Group schema', () => {
      const { resource } = patch(group(1), [{ op: 'replace', path: 'displayName', value: 'X' }]);
      expect(resource.displayName).toBe('X');
      expectError(
        () => patch(group(1), [{ op: 'add', path: 'userName', value: 'x' }]),
        'invalidPath',
        /unknown attribute "userName"/,
      );
      expect(
        patch(
          { schemas: ['x'], displayName: 'a' },
          [{ op: 'add', path: 'members', value: [{ value: 'm' }] }],
          { resourceType: groupResourceType },
        ).resource.members,
      ).toEqual([{ value: 'm' }]);
    });
  });

  describe('mutability', () => {
    it('rejects writes to readOnly attributes', () => {
      expectError(
        () => patch(plainUser(), [{ op: 'replace', path: 'id', value: 'other' }]),
        'mutability',
        'Operations[0] (replace "id"): "id" is readOnly',
      );
      expectError(
        () => patch(plainUser(), [{ op: 'remove', path: 'meta' }]),
        'mutability',
        'Operations[0] (remove "meta"): "meta" is readOnly',
      );
      expectError(
        () => patch(plainUser(), [{ op: 'add', path: 'groups', value: [{ value: 'g' }] }]),
        'mutability',
        'Operations[0] (add "groups"): "groups" is readOnly',
      );
      expectError(
        () => patch(bjensen(), [{ op: 'replace', path: `${ENT}:manager.displayName`, value: 'x' }]),
        'mutability',
        /manager\.displayName" is readOnly/,
      );
    });

    it('skips an unchanged readOnly value in a path-less replace (Okta) but not a changed one', () => {
      const user = deepFreeze(plainUser());
      const same = applyPatch(user, [{ op: 'replace', value: { id: 'u1', userName: 'alice' } }]);
      expect(same.changed).toBe(false);
      expectError(
        () => applyPatch(user, [{ op: 'replace', value: { id: 'u2' } }]),
        'mutability',
        'Operations[0] (replace): "id" is readOnly',
      );
      expectError(
        () =>
          applyPatch(
            user,
            { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', value: { id: 'u1' } }] },
            { strict: true },
          ),
        'mutability',
        'Operations[0] (replace): "id" is readOnly',
      );
    });

    it('rejects changing an immutable member value but allows adding and removing members', () => {
      expectError(
        () => patch(group(2), [{ op: 'replace', path: 'members[value eq "m0"].value', value: 'x' }]),
        'mutability',
        'Operations[0] (replace "members[value eq \\"m0\\"].value"): "members.value" is immutable and already has a value',
      );
      expectError(
        () => patch(group(2), [{ op: 'replace', path: 'members[value eq "m0"]', value: { value: 'x' } }]),
        'mutability',
        /"members.value" is immutable/,
      );
      const { resource } = patch(group(2), [
        { op: 'remove', path: 'members[value eq "m0"]' },
        { op: 'add', path: 'members', value: [{ value: 'm9' }] },
      ]);
      expect(resource.members).toEqual([{ value: 'm1', display: 'Member 1' }, { value: 'm9' }]);
    });

    it('is all or nothing: a failing operation leaves no trace', () => {
      const user = deepFreeze(bjensen());
      expect(() =>
        applyPatch(user, [
          { op: 'replace', path: 'displayName', value: 'x' },
          { op: 'replace', path: 'id', value: 'y' },
        ]),
      ).toThrow(ScimError);
      expect(user.displayName).toBe('Babs Jensen');
    });
  });

  describe('compatibility', () => {
    it('accepts capitalised ops, unless turned off', () => {
      expect(patch(plainUser(), [{ op: 'Replace', path: 'nickName', value: 'x' }]).resource.nickName).toBe(
        'x',
      );
      expectError(
        () =>
          patch(plainUser(), [{ op: 'Replace', path: 'nickName', value: 'x' }], {
            compat: { capitalisedOps: false },
          }),
        'invalidSyntax',
        /found "Replace"/,
      );
    });

    it('reads "Op", "Path" and "Value" in any casing (the usual spelling first), unless turned off', () => {
      const capitalised = { Op: 'Replace', Path: ' nickName\t', Value: 'x' };
      expect(patch(plainUser(), [capitalised as never]).resource.nickName).toBe('x');
      expect(
        patch(plainUser(), [{ OP: 'remove', op: 'replace', path: 'nickName', value: 'y' } as never]).resource
          .nickName,
      ).toBe('y');
      expectError(
        () => patch(plainUser(), [capitalised as never], { compat: { capitalisedOps: false } }),
        'invalidSyntax',
        /found nothing/,
      );
    });

    it('accepts "True" and "False" for booleans, unless turned off', () => {
      expect(patch(plainUser(), [{ op: 'Replace', path: 'active', value: 'False' }]).resource.active).toBe(
        false,
      );
      expectError(
        () =>
          patch(plainUser(), [{ op: 'replace', path: 'active', value: 'False' }], {
            compat: { stringBooleans: false },
          }),
        'invalidValue',
        /expects a boolean/,
      );
    });

    it('reads a bare manager id as manager.value, unless turned off', () => {
      const { resource } = patch(plainUser(), [{ op: 'Add', path: `${ENT}:manager`, value: 'boss-id' }]);
      expect(resource[ENT]).toEqual({ manager: { value: 'boss-id' } });
      expectError(
        () =>
          patch(plainUser(), [{ op: 'add', path: `${ENT}:manager`, value: 'boss-id' }], {
            compat: { managerAsString: false },
          }),
        'invalidValue',
        /expects an object/,
      );
    });

    it('skips unknown attributes and sub-attributes of values with a warning, unless turned off', () => {
      const operations: PatchOperation[] = [
        { op: 'add', path: 'members', value: [{ value: 'm9', displayName: 'new User' }] },
        { op: 'replace', value: { shoeSize: 42, nickName: 'x', [`${ENT}:shoe`]: 1, 'name.nick': 'y' } },
        { op: 'add', path: ENT, value: { department: 'Sales', floor: 3 } },
      ];
      const { resource, warnings } = patch({ ...group(1), nickName: 'a' }, operations.slice(0, 1));
      expect(resource.members).toEqual([{ value: 'm0', display: 'Member 0' }, { value: 'm9' }]);
      expect(warnings).toEqual([
        {
          operation: 0,
          path: 'members.displayName',
          message: 'unknown sub-attribute "displayName" of "members"; ignored',
        },
      ]);
      const user = patch(plainUser(), operations.slice(1));
      expect(user.resource.nickName).toBe('x');
      expect(user.resource[ENT]).toEqual({ department: 'Sales' });
      expect(user.warnings.map((warning) => [warning.operation, warning.path])).toEqual([
        [0, 'shoeSize'],
        [0, `${ENT}:shoe`],
        [0, 'name.nick'],
        [1, `${ENT}:floor`],
      ]);
      for (const [index, operation] of operations.entries()) {
        expectError(
          () =>
            patch(index === 0 ? group(1) : plainUser(), [operation], {
              compat: { ignoreUnknownAttributes: false },
            }),
          'invalidPath',
          /unknown (sub-)?attribute/,
        );
      }
    });

    it('never skips a name that reaches into prototypes', () => {
      for (const text of ['{"constructor":1}', '{"name.toString":"x"}', '{"name":{"__proto__":{"x":1}}}']) {
        expectError(
          () => patch(plainUser(), [{ op: 'add', value: JSON.parse(text) }]),
          'invalidPath',
          /unknown/,
        );
      }
      expectError(
        () =>
          patch(group(1), [
            { op: 'add', path: 'members', value: JSON.parse('[{"value":"m9","__proto__":1}]') },
          ]),
        'invalidPath',
        /unknown sub-attribute "__proto__"/,
      );
    });

    it('reads a bare string as a member value, unless turned off', () => {
      const { resource } = patch(group(1), [{ op: 'add', path: 'members', value: 'm7' }]);
      expect(resource.members).toEqual([{ value: 'm0', display: 'Member 0' }, { value: 'm7' }]);
      const listed = patch(group(0), [{ op: 'add', path: 'members', value: ['m7', { value: 'm8' }] }]);
      expect(listed.resource.members).toEqual([{ value: 'm7' }, { value: 'm8' }]);
      expectError(
        () =>
          patch(group(1), [{ op: 'add', path: 'members', value: 'm7' }], {
            compat: { stringAsValue: false },
          }),
        'invalidValue',
        /expects an object/,
      );
    });

    it('ignores "schemas" inside an extension value (scim2-client), unless turned off', () => {
      for (const op of ['add', 'replace'] as const) {
        const { resource, warnings } = patch(plainUser(), [
          { op, path: ENT, value: { schemas: [ENT], employeeNumber: '1' } },
        ]);
        expect(resource[ENT]).toEqual({ employeeNumber: '1' });
        expect(warnings).toEqual([]);
      }
      expectError(
        () =>
          patch(plainUser(), [{ op: 'add', path: ENT, value: { schemas: [ENT], employeeNumber: '1' } }], {
            compat: { schemasInExtension: false, ignoreUnknownAttributes: false },
          }),
        'invalidPath',
        /unknown attribute "schemas"/,
      );
    });

    it('removes only the listed members (Entra), unless turned off', () => {
      const { resource, deltas } = patch(group(3), [
        { op: 'Remove', path: 'members', value: [{ value: 'm1' }, { value: 'nobody' }] },
      ]);
      expect((resource.members as { value: string }[]).map((member) => member.value)).toEqual(['m0', 'm2']);
      expect(deltas).toEqual([
        { attribute: 'members', added: [], removed: [{ value: 'm1', display: 'Member 1' }] },
      ]);
      expectError(
        () =>
          patch(group(3), [{ op: 'remove', path: 'members', value: [{ value: 'm1' }] }], {
            compat: { removeByValueList: false },
          }),
        'invalidSyntax',
        /remove takes no "value"/,
      );
    });

    it('takes a single value where a list is expected, unless turned off', () => {
      expect(
        patch(group(0), [{ op: 'add', path: 'members', value: { value: 'a' } }]).resource.members,
      ).toEqual([{ value: 'a' }]);
      expectError(
        () =>
          patch(group(0), [{ op: 'add', path: 'members', value: { value: 'a' } }], {
            compat: { singleValueAsArray: false },
          }),
        'invalidValue',
        /expects a list/,
      );
    });

    it('takes attribute paths as keys of a path-less value (Entra), unless turned off', () => {
      const { resource } = patch(bjensen(), [
        {
          op: 'Replace',
          value: { 'name.givenName': 'Barb', [`${ENT}:department`]: 'Sales', [`${ENT}:manager.value`]: 'm2' },
        },
      ]);
      expect((resource.name as Record<string, unknown>).givenName).toBe('Barb');
      expect(resource[ENT]).toEqual({
        employeeNumber: '701984',
        department: 'Sales',
        manager: { value: 'm2', displayName: 'John Smith' },
      });
      expectError(
        () =>
          patch(bjensen(), [{ op: 'replace', value: { 'name.givenName': 'Barb' } }], {
            compat: { pathKeysInValue: false },
          }),
        'invalidPath',
        /unknown attribute "name.givenName"/,
      );
    });

    it('accepts Okta group push: path-less replace with the unchanged id, then members', () => {
      const pushed: Record<string, unknown> = deepFreeze({ ...group(0), members: [] });
      const empty = applyPatch(pushed, [{ op: 'replace', path: 'members', value: [] }]);
      expect(empty.changed).toBe(false);
      const { resource, deltas } = applyPatch(pushed, {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [
          { op: 'replace', value: { id: 'g1', displayName: 'Renamed' } },
          { op: 'add', path: 'members', value: [{ value: 'u1', display: 'Alice' }] },
        ],
      });
      expect(resource.displayName).toBe('Renamed');
      expect(resource.members).toEqual([{ value: 'u1', display: 'Alice' }]);
      expect(deltas).toEqual([
        { attribute: 'members', added: [{ value: 'u1', display: 'Alice' }], removed: [] },
      ]);
    });

    it('turns every switch off under strict, explicit switches still winning', () => {
      const options: PatchOptions = { strict: true, compat: { stringBooleans: true } };
      expect(
        patch(plainUser(), [{ op: 'replace', path: 'active', value: 'false' }], options).resource.active,
      ).toBe(false);
      expectError(
        () => patch(plainUser(), [{ op: 'Replace', path: 'active', value: false }], options),
        'invalidSyntax',
        /found "Replace"/,
      );
    });
  });

  describe('deltas', () => {
    it('reports added and removed values per multi-valued attribute', () => {
      const { deltas } = patch(group(2), [
        { op: 'add', path: 'members', value: [{ value: 'x' }] },
        { op: 'remove', path: 'members[value eq "m0"]' },
      ]);
      expect(deltas).toEqual([
        { attribute: 'members', added: [{ value: 'x' }], removed: [{ value: 'm0', display: 'Member 0' }] },
      ]);
    });

    it('cancels unchanged values of a wholesale replace', () => {
      const { deltas, changed } = patch(group(2), [
        { op: 'replace', path: 'members', value: [{ value: 'm0', display: 'Member 0' }, { value: 'new' }] },
      ]);
      expect(changed).toBe(true);
      expect(deltas).toEqual([
        {
          attribute: 'members',
          added: [{ value: 'new' }],
          removed: [{ value: 'm1', display: 'Member 1' }],
          replaced: true,
        },
      ]);
    });

    it('marks only a replace of the whole list as replaced (kept values may then move)', () => {
      const filtered = patch(group(2), [
        { op: 'add', path: 'members', value: [{ value: 'new' }] },
        { op: 'replace', path: 'members[value eq "m0"].type', value: 'User' },
      ]);
      expect(filtered.deltas).toHaveLength(1);
      expect(filtered.deltas[0]).not.toHaveProperty('replaced');
      const whole = patch(group(2), [
        { op: 'replace', path: 'members', value: [{ value: 'new' }, ...(group(2).members as unknown[])] },
      ]);
      expect(whole.deltas).toEqual([
        { attribute: 'members', added: [{ value: 'new' }], removed: [], replaced: true },
      ]);
    });

    it('names extension attributes by URN', () => {
      const badges = 'urn:example:params:scim:schemas:extension:badges:2.0:User';
      const resourceType = {
        ...userResourceType,
        extensions: [
          {
            required: false,
            schema: {
              id: badges,
              attributes: [
                {
                  name: 'badges',
                  type: 'string',
                  multiValued: true,
                  required: false,
                  caseExact: true,
                  mutability: 'readWrite',
                  returned: 'default',
                },
              ],
            },
          },
        ],
      } satisfies ResourceTypeDefinition;
      const { resource, deltas } = patch(
        plainUser(),
        [{ op: 'add', path: `${badges}:badges`, value: ['gold', 'Gold', 'gold'] }],
        { resourceType },
      );
      expect(resource[badges]).toEqual({ badges: ['gold', 'Gold'] });
      expect(resource.schemas).toEqual([USER_SCHEMA, badges]);
      expect(deltas).toEqual([{ attribute: `${badges}:badges`, added: ['gold', 'Gold'], removed: [] }]);
      const removed = patch(resource, [{ op: 'remove', path: `${badges}:badges[value eq "gold"]` }], {
        resourceType,
      });
      expect(removed.resource[badges]).toEqual({ badges: ['Gold'] });
    });
  });
});

describe('safeApplyPatch', () => {
  it('returns the result or the SCIM error', () => {
    const ok = safeApplyPatch(plainUser(), [{ op: 'replace', path: 'nickName', value: 'x' }]);
    expect(ok.success && ok.data.resource.nickName).toBe('x');
    const failed = safeApplyPatch(plainUser(), [{ op: 'replace', path: 'id', value: 'x' }]);
    expect(failed.success).toBe(false);
    if (!failed.success)
      expect(failed.error.toJSON()).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'mutability',
        detail: 'Operations[0] (replace "id"): "id" is readOnly',
      });
  });
});
