import { describe, expect, it } from 'vitest';
import { customResourceType, simpleAttribute } from './__fixtures__/custom.js';
import type { ResourceTypeDefinition } from './definition.js';
import { groupResourceType, userResourceType } from './definitions.js';
import { isScimError, ScimError } from './errors.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './urns.js';
import { safeValidateResource, validateResource } from './validate.js';
import { ScimValidationError, type ValidateResourceOptions, type ValidationIssue } from './validation.js';

const create: ValidateResourceOptions = { resourceType: userResourceType, context: 'create' };

function issuesOf(input: unknown, options: ValidateResourceOptions = create): ValidationIssue[] {
  const result = safeValidateResource(input, options);
  if (result.success) throw new Error(`expected a failure, got ${JSON.stringify(result.data)}`);
  return [...result.error.issues];
}

function dataOf(input: unknown, options: ValidateResourceOptions = create): Record<string, unknown> {
  const result = safeValidateResource(input, options);
  if (!result.success) throw new Error(`expected success, got ${result.error.detail}`);
  return result.data;
}

describe('validateResource', () => {
  it('returns the normalised resource and throws ScimValidationError on failure', () => {
    expect(validateResource({ schemas: [USER_SCHEMA], userName: 'bjensen' }, create)).toEqual({
      schemas: [USER_SCHEMA],
      userName: 'bjensen',
    });
    let thrown: unknown;
    try {
      validateResource({ schemas: [USER_SCHEMA] }, create);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ScimValidationError);
    expect(thrown).toBeInstanceOf(ScimError);
    expect(isScimError(thrown)).toBe(true);
    const error = thrown as ScimValidationError;
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe('userName: Attribute "userName" is required');
    expect(error.toJSON()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidValue',
      detail: 'userName: Attribute "userName" is required',
    });
  });

  it('reports every issue at once', () => {
    const issues = issuesOf({
      schemas: [USER_SCHEMA],
      active: 'maybe',
      emails: [{ value: 1 }],
      name: 'Barbara',
    });
    expect(issues).toEqual([
      { path: 'name', scimType: 'invalidValue', message: 'Expected an object, found a string' },
      { path: 'active', scimType: 'invalidValue', message: 'Expected a boolean, found a string' },
      { path: 'emails[0].value', scimType: 'invalidValue', message: 'Expected a string, found a number' },
      { path: 'userName', scimType: 'invalidValue', message: 'Attribute "userName" is required' },
    ]);
  });

  it('rejects a body that is not an object', () => {
    expect(issuesOf([1, 2])).toEqual([
      { path: '', scimType: 'invalidSyntax', message: 'Expected a JSON object, found an array' },
    ]);
    expect(issuesOf('x')[0]?.scimType).toBe('invalidSyntax');
  });

  describe('names and URNs', () => {
    it('matches attribute names and URNs case-insensitively and emits schema casing', () => {
      const data = dataOf({
        SCHEMAS: [USER_SCHEMA.toUpperCase(), ENTERPRISE_USER_SCHEMA.toLowerCase()],
        USERNAME: 'bjensen',
        Name: { GIVENNAME: 'Barbara' },
        emails: [{ VALUE: 'b@example.com', Primary: true }],
        [ENTERPRISE_USER_SCHEMA.toLowerCase()]: { DEPARTMENT: 'Tours', Manager: { VALUE: '26118915' } },
      });
      expect(data).toEqual({
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        userName: 'bjensen',
        name: { givenName: 'Barbara' },
        emails: [{ value: 'b@example.com', primary: true }],
        [ENTERPRISE_USER_SCHEMA]: { department: 'Tours', manager: { value: '26118915' } },
      });
    });

    it('accepts flat URN-qualified keys and dotted sub-attribute keys (Entra ID)', () => {
      const data = dataOf({
        schemas: [USER_SCHEMA],
        [`${USER_SCHEMA}:userName`]: 'bjensen',
        'name.familyName': 'Jensen',
        name: { givenName: 'Barbara' },
        [`${ENTERPRISE_USER_SCHEMA}:department`]: 'Tours',
        [`${ENTERPRISE_USER_SCHEMA}:manager.value`]: 'boss',
      });
      expect(data).toEqual({
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        userName: 'bjensen',
        name: { givenName: 'Barbara', familyName: 'Jensen' },
        [ENTERPRISE_USER_SCHEMA]: { department: 'Tours', manager: { value: 'boss' } },
      });
    });

    it('lists an extension in schemas when its object is present', () => {
      const data = dataOf({
        schemas: [USER_SCHEMA],
        userName: 'a',
        [ENTERPRISE_USER_SCHEMA]: { division: 'x' },
      });
      expect(data['schemas']).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    });

    it('rejects an extension value that is not an object', () => {
      expect(issuesOf({ schemas: [USER_SCHEMA], userName: 'a', [ENTERPRISE_USER_SCHEMA]: 'x' })).toEqual([
        {
          path: ENTERPRISE_USER_SCHEMA,
          scimType: 'invalidSyntax',
          message: 'Expected an object of attributes, found a string',
        },
      ]);
    });

    it('rejects schemas that is not a list of strings', () => {
      expect(issuesOf({ schemas: USER_SCHEMA, userName: 'a' })[0]).toEqual({
        path: 'schemas',
        scimType: 'invalidSyntax',
        message: 'Expected an array of schema URNs, found a string',
      });
      expect(issuesOf({ schemas: [7], userName: 'a' })[0]?.path).toBe('schemas[0]');
    });
  });

  describe('unknown attributes', () => {
    it('drops unknown attributes and schemas with a warning by default', () => {
      const result = safeValidateResource(
        {
          schemas: [USER_SCHEMA, 'urn:example:unknown'],
          userName: 'a',
          shoeSize: 44,
          'urn:example:unknown': { x: 1 },
        },
        create,
      );
      expect(result.success).toBe(true);
      if (!result.success) return;
      expect(result.data).toEqual({ schemas: [USER_SCHEMA], userName: 'a' });
      expect(result.warnings).toEqual([
        {
          path: 'schemas[1]',
          code: 'unknownAttribute',
          message: 'Schema "urn:example:unknown" is not defined by the schema; ignored',
        },
        {
          path: 'shoeSize',
          code: 'unknownAttribute',
          message: 'Attribute "shoeSize" is not defined by the schema; ignored',
        },
        {
          path: 'urn:example:unknown',
          code: 'unknownAttribute',
          message: 'Schema or attribute "urn:example:unknown" is not defined by the schema; ignored',
        },
      ]);
    });

    it('rejects unknown attributes and sub-attributes in strict mode', () => {
      const options = { ...create, strict: true };
      expect(issuesOf({ schemas: [USER_SCHEMA], userName: 'a', shoeSize: 44 }, options)).toEqual([
        {
          path: 'shoeSize',
          scimType: 'invalidSyntax',
          message: 'Attribute "shoeSize" is not defined by the schema',
        },
      ]);
      expect(issuesOf({ schemas: [USER_SCHEMA], userName: 'a', name: { nick: 'x' } }, options)[0]?.path).toBe(
        'name.nick',
      );
      expect(
        issuesOf({ schemas: [USER_SCHEMA], userName: 'a', x: 1 }, { ...options, context: 'patch' })[0]
          ?.scimType,
      ).toBe('invalidPath');
    });

    it('can reject unknown attributes without the rest of strict mode', () => {
      const options: ValidateResourceOptions = { ...create, unknownAttributes: 'reject' };
      expect(issuesOf({ schemas: [USER_SCHEMA], userName: 'a', x: 1 }, options)).toHaveLength(1);
      expect(dataOf({ schemas: [USER_SCHEMA], userName: 'a', active: 'True' }, options)['active']).toBe(true);
    });

    it('never treats inherited or prototype names as attributes', () => {
      const input = JSON.parse(
        `{"schemas":["${USER_SCHEMA}"],"userName":"a","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"toString":"x","name":{"__proto__":{"polluted":true}}}`,
      );
      const result = safeValidateResource(input, create);
      expect(result.success).toBe(true);
      if (!result.success) return;
      expect(result.data).toEqual({ schemas: [USER_SCHEMA], userName: 'a' });
      expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(result.warnings.map((warning) => warning.path)).toEqual([
        '__proto__',
        'constructor',
        'toString',
        'name.__proto__',
      ]);
    });
  });

  describe('read-only input', () => {
    it('ignores client id and meta silently and other read-only input with a warning', () => {
      const result = safeValidateResource(
        {
          schemas: [USER_SCHEMA],
          id: 'client-chosen',
          meta: { resourceType: 'User', created: 'garbage' },
          userName: 'a',
          groups: [{ value: 'g1' }],
          [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm', displayName: 'Boss' } },
        },
        { ...create, context: 'replace' },
      );
      expect(result.success).toBe(true);
      if (!result.success) return;
      expect(result.data).toEqual({
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        userName: 'a',
        [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm' } },
      });
      expect(result.warnings).toEqual([
        { path: 'groups', code: 'readOnlyIgnored', message: 'Attribute "groups" is read-only; ignored' },
      ]);
    });

    it('keeps and checks read-only attributes in responses and patch results', () => {
      const response = { resourceType: userResourceType, context: 'response' } as const;
      expect(
        dataOf({ schemas: [USER_SCHEMA], id: '1', userName: 'a', groups: [{ value: 'g' }] }, response),
      ).toEqual({
        schemas: [USER_SCHEMA],
        id: '1',
        userName: 'a',
        groups: [{ value: 'g' }],
      });
      expect(issuesOf({ schemas: [USER_SCHEMA], id: 1, userName: 'a' }, response)).toEqual([
        { path: 'id', scimType: 'invalidValue', message: 'Expected a string, found a number' },
      ]);
      expect(
        issuesOf({ schemas: [USER_SCHEMA], userName: 'a', meta: { created: 'x' } }, response)[0]?.path,
      ).toBe('meta.created');
    });

    it('drops write-only attributes from responses', () => {
      const data = dataOf(
        { schemas: [USER_SCHEMA], userName: 'a', password: 'secret' },
        { ...create, context: 'response' },
      );
      expect(data).not.toHaveProperty('password');
    });
  });

  describe('immutable attributes', () => {
    const device = customResourceType('Device', [
      simpleAttribute('serial', 'string', { required: true, mutability: 'immutable' }),
      simpleAttribute('owner', 'complex', {
        subAttributes: [
          simpleAttribute('badge', 'string', { caseExact: true, mutability: 'immutable' }),
          simpleAttribute('name', 'string'),
        ],
      }),
    ]);
    const existing = {
      schemas: ['urn:example:Device'],
      id: 'd1',
      serial: 'ABC',
      owner: { badge: 'B1', name: 'x' },
    };

    it('accepts a replace that keeps immutable values (case-insensitive when not caseExact)', () => {
      const data = dataOf(
        { schemas: ['urn:example:Device'], serial: 'abc', owner: { badge: 'B1', name: 'y' } },
        { resourceType: device, context: 'replace', existing },
      );
      expect(data['owner']).toEqual({ badge: 'B1', name: 'y' });
    });

    it('rejects a replace that changes an immutable value with mutability', () => {
      expect(
        issuesOf(
          { schemas: ['urn:example:Device'], serial: 'XYZ', owner: { badge: 'b1' } },
          { resourceType: device, context: 'replace', existing },
        ),
      ).toEqual([
        {
          path: 'serial',
          scimType: 'mutability',
          message: 'Attribute "serial" is immutable and cannot be changed',
        },
        {
          path: 'owner.badge',
          scimType: 'mutability',
          message: 'Sub-attribute "badge" is immutable and cannot be changed',
        },
      ]);
    });

    it('carries immutable values a replace leaves out over from existing', () => {
      const data = dataOf(
        { schemas: ['urn:example:Device'], serial: 'ABC', owner: { name: 'z' } },
        { resourceType: device, context: 'replace', existing },
      );
      expect(data['owner']).toEqual({ name: 'z', badge: 'B1' });
    });

    it('rejects a patch result that removes an immutable value', () => {
      expect(
        issuesOf(
          { schemas: ['urn:example:Device'], owner: { badge: 'B1' } },
          { resourceType: device, context: 'patch', existing },
        )[0],
      ).toEqual({
        path: 'serial',
        scimType: 'mutability',
        message: 'Attribute "serial" is immutable and cannot be removed',
      });
    });

    it('compares immutable dateTimes as instants, to the nanosecond', () => {
      const sensor = customResourceType('Sensor', [
        simpleAttribute('installed', 'dateTime', { mutability: 'immutable' }),
      ]);
      const replace = (installed: string, stored: string) =>
        safeValidateResource(
          { schemas: ['urn:example:Sensor'], installed },
          { resourceType: sensor, context: 'replace', existing: { installed: stored } },
        ).success;
      expect(replace('2011-05-13T06:42:34+02:00', '2011-05-13T04:42:34Z')).toBe(true);
      // A leap second is a valid dateTime, and the same value is no change.
      expect(replace('2016-12-31T23:59:60Z', '2016-12-31T23:59:60Z')).toBe(true);
      expect(replace('2011-05-13T04:42:34.0000002Z', '2011-05-13T04:42:34.0000001Z')).toBe(false);
    });

    it('allows setting immutable values on create and when existing had none', () => {
      expect(
        dataOf(
          { schemas: ['urn:example:Device'], serial: 'NEW' },
          { resourceType: device, context: 'create' },
        ),
      ).toEqual({
        schemas: ['urn:example:Device'],
        serial: 'NEW',
      });
      expect(
        dataOf(
          { schemas: ['urn:example:Device'], serial: 'ABC', owner: { badge: 'B9' } },
          { resourceType: device, context: 'replace', existing: { serial: 'ABC' } },
        )['owner'],
      ).toEqual({ badge: 'B9' });
    });

    it('lets a Group replace change its member list (members.value is immutable per value)', () => {
      const data = dataOf(
        { schemas: [GROUP_SCHEMA], displayName: 'g', members: [{ value: 'u2' }] },
        {
          resourceType: groupResourceType,
          context: 'replace',
          existing: { displayName: 'g', members: [{ value: 'u1' }] },
        },
      );
      expect(data['members']).toEqual([{ value: 'u2' }]);
    });
  });

  describe('types', () => {
    const custom = customResourceType('Thing', [
      simpleAttribute('count', 'integer'),
      simpleAttribute('ratio', 'decimal'),
      simpleAttribute('seen', 'dateTime'),
      simpleAttribute('blob', 'binary'),
      simpleAttribute('link', 'reference', { referenceTypes: ['external'] }),
      simpleAttribute('tags', 'string', { multiValued: true }),
    ]);
    const options = { resourceType: custom, context: 'create' } as const;
    const base = { schemas: ['urn:example:Thing'] };

    it('accepts well-typed values', () => {
      const input = {
        ...base,
        count: 3,
        ratio: 0.5,
        seen: '2011-08-01T20:29:49.793+02:00',
        blob: 'TUlJRERD',
        link: 'https://example.com/x',
        tags: ['a', 'b'],
      };
      expect(dataOf(input, options)).toEqual(input);
    });

    it('rejects ill-typed values with invalidValue', () => {
      const issues = issuesOf(
        { ...base, count: 1.5, ratio: 'half', seen: '2011-13-01T00:00:00Z', blob: '***', link: 5, tags: 'a' },
        options,
      );
      expect(issues).toEqual([
        { path: 'count', scimType: 'invalidValue', message: 'Expected an integer, found a number' },
        { path: 'ratio', scimType: 'invalidValue', message: 'Expected a number, found a string' },
        {
          path: 'seen',
          scimType: 'invalidValue',
          message: 'Expected an xsd:dateTime such as 2011-08-01T18:29:49.793Z, found "2011-13-01T00:00:00Z"',
        },
        { path: 'blob', scimType: 'invalidValue', message: 'Expected base64-encoded binary data' },
        { path: 'link', scimType: 'invalidValue', message: 'Expected a reference, found a number' },
        {
          path: 'tags',
          scimType: 'invalidValue',
          message: 'Expected an array (the attribute is multi-valued), found a string',
        },
      ]);
    });

    it('rejects a non-finite or unsafe number', () => {
      expect(issuesOf({ ...base, count: 2 ** 60 }, options)[0]?.path).toBe('count');
    });

    it('rejects text no store can hold (U+0000, an unpaired surrogate) naming the attribute, and keeps surrogate pairs', () => {
      const message = (index: number) =>
        `Text must not contain U+0000 or an unpaired UTF-16 surrogate (found at index ${index})`;
      expect(issuesOf({ ...base, link: 'a\u0000b', tags: ['ok', '\ud800', 'x\udc00'] }, options)).toEqual([
        { path: 'link', scimType: 'invalidValue', message: message(1) },
        { path: 'tags[1]', scimType: 'invalidValue', message: message(0) },
        { path: 'tags[2]', scimType: 'invalidValue', message: message(1) },
      ]);
      expect(issuesOf({ schemas: [USER_SCHEMA], userName: 'u', name: { givenName: 'Ann\udbff' } })).toEqual([
        { path: 'name.givenName', scimType: 'invalidValue', message: message(3) },
      ]);
      expect(issuesOf({ schemas: [USER_SCHEMA], userName: 'u', externalId: '\u0000' })[0]?.path).toBe(
        'externalId',
      );
      expect(dataOf({ ...base, tags: ['😀', 'é', '\ud83d\ude00'] }, options)).toMatchObject({
        tags: ['😀', 'é', '😀'],
      });
    });
  });

  describe('booleans', () => {
    it('coerces "True"/"False" strings by default (Entra ID)', () => {
      expect(dataOf({ schemas: [USER_SCHEMA], userName: 'a', active: 'False' })['active']).toBe(false);
      expect(dataOf({ schemas: [USER_SCHEMA], userName: 'a', active: 'TRUE' })['active']).toBe(true);
      expect(
        dataOf({ schemas: [USER_SCHEMA], userName: 'a', emails: [{ value: 'x', primary: 'True' }] })[
          'emails'
        ],
      ).toEqual([{ value: 'x', primary: true }]);
    });

    it('rejects string booleans in strict mode or with coerceBooleans false', () => {
      expect(
        issuesOf({ schemas: [USER_SCHEMA], userName: 'a', active: 'True' }, { ...create, strict: true }),
      ).toEqual([
        { path: 'active', scimType: 'invalidValue', message: 'Expected a boolean, found a string' },
      ]);
      expect(
        issuesOf(
          { schemas: [USER_SCHEMA], userName: 'a', active: 'True' },
          { ...create, coerceBooleans: false },
        ),
      ).toHaveLength(1);
    });
  });

  describe('required', () => {
    it('requires userName and Group displayName, also when empty', () => {
      expect(issuesOf({ schemas: [USER_SCHEMA], userName: '' })).toEqual([
        { path: 'userName', scimType: 'invalidValue', message: 'Attribute "userName" is required' },
      ]);
      expect(
        issuesOf({ schemas: [GROUP_SCHEMA] }, { resourceType: groupResourceType, context: 'create' }),
      ).toEqual([
        { path: 'displayName', scimType: 'invalidValue', message: 'Attribute "displayName" is required' },
      ]);
    });

    it('requires a required extension', () => {
      const strictUsers: ResourceTypeDefinition = {
        ...userResourceType,
        extensions: [{ schema: userResourceType.extensions[0]!.schema, required: true }],
      };
      expect(
        issuesOf({ schemas: [USER_SCHEMA], userName: 'a' }, { resourceType: strictUsers, context: 'create' }),
      ).toEqual([
        {
          path: ENTERPRISE_USER_SCHEMA,
          scimType: 'invalidValue',
          message: `The extension ${ENTERPRISE_USER_SCHEMA} is required`,
        },
      ]);
      expect(
        dataOf(
          { schemas: [USER_SCHEMA], userName: 'a', [ENTERPRISE_USER_SCHEMA]: { department: 'x' } },
          { resourceType: strictUsers, context: 'create' },
        ),
      ).toHaveProperty(ENTERPRISE_USER_SCHEMA);
    });
  });

  describe('multi-valued attributes', () => {
    it('allows at most one primary value', () => {
      expect(
        issuesOf({
          schemas: [USER_SCHEMA],
          userName: 'a',
          emails: [
            { value: 'a@x', primary: true },
            { value: 'b@x', primary: 'True' },
          ],
        }),
      ).toEqual([
        {
          path: 'emails',
          scimType: 'invalidValue',
          message: 'At most one value may have primary set to true, found 2',
        },
      ]);
      expect(
        dataOf({
          schemas: [USER_SCHEMA],
          userName: 'a',
          emails: [
            { value: 'a@x', primary: true },
            { value: 'b@x', primary: false },
          ],
        })['emails'],
      ).toHaveLength(2);
    });

    it('accepts non-canonical type values', () => {
      expect(
        dataOf({ schemas: [USER_SCHEMA], userName: 'a', emails: [{ value: 'a@x', type: 'Corporate' }] })[
          'emails'
        ],
      ).toEqual([{ value: 'a@x', type: 'Corporate' }]);
    });
  });

  describe('null and empty values', () => {
    it('treats null, empty lists and null items as unassigned', () => {
      expect(
        dataOf({
          schemas: [USER_SCHEMA],
          userName: 'a',
          displayName: null,
          emails: [],
          phoneNumbers: [null],
          name: { givenName: null },
          [ENTERPRISE_USER_SCHEMA]: null,
        }),
      ).toEqual({ schemas: [USER_SCHEMA], userName: 'a' });
    });
  });

  describe('schemas list', () => {
    it('derives a missing schemas list with a warning, or rejects it in strict mode', () => {
      const result = safeValidateResource({ userName: 'a' }, create);
      expect(result.success && result.data['schemas']).toEqual([USER_SCHEMA]);
      expect(result.success && result.warnings[0]?.path).toBe('schemas');
      expect(issuesOf({ userName: 'a' }, { ...create, strict: true })).toEqual([
        { path: 'schemas', scimType: 'invalidSyntax', message: 'Attribute "schemas" is required' },
      ]);
    });

    it('adds the core URN when missing, or rejects it in strict mode', () => {
      expect(dataOf({ schemas: [ENTERPRISE_USER_SCHEMA], userName: 'a' })['schemas']).toEqual([
        USER_SCHEMA,
        ENTERPRISE_USER_SCHEMA,
      ]);
      expect(issuesOf({ schemas: [], userName: 'a' }, { ...create, strict: true })[0]?.scimType).toBe(
        'invalidValue',
      );
    });
  });

  describe('identity providers', () => {
    it('accepts an Entra ID create as sent', () => {
      const data = dataOf({
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
        active: 'True',
        emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.com' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        roles: [],
        [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: '42',
      });
      expect(data).toEqual({
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
        userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
        active: true,
        emails: [{ value: 'Test_User_fd0ea19b@testuser.com', type: 'work', primary: true }],
        [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '42' },
      });
    });

    it('accepts an Okta create with empty groups and a password, without warnings', () => {
      const result = safeValidateResource(
        {
          schemas: [USER_SCHEMA],
          userName: 'isaac.brock@example.com',
          name: { givenName: 'Isaac', familyName: 'Brock' },
          emails: [{ primary: true, value: 'isaac.brock@example.com', type: 'work' }],
          displayName: 'Isaac Brock',
          locale: 'en-US',
          externalId: '00ujl29u0le5T6Aj10h7',
          groups: [],
          password: '1mz050nq',
          active: true,
        },
        create,
      );
      expect(result.success && result.warnings).toEqual([]);
      expect(result.success && result.data['password']).toBe('1mz050nq');
    });
  });

  describe('uniqueness', () => {
    it('hands over values the server must check for uniqueness', () => {
      const result = safeValidateResource({ schemas: [USER_SCHEMA], userName: 'BJensen', id: 'x' }, create);
      expect(
        result.success &&
          result.uniqueness.map(({ path, uniqueness, value }) => ({ path, uniqueness, value })),
      ).toEqual([{ path: 'userName', uniqueness: 'server', value: 'BJensen' }]);
    });
  });
});

describe('validateResource of wide resources', () => {
  it('keeps schema order, and an attribute named "__proto__" as data, for any number of attributes', () => {
    for (const size of [3, 17, 18, 19, 20, 30]) {
      const type = customResourceType('Wide', [
        simpleAttribute('__proto__', 'string'),
        ...Array.from({ length: size }, (_, i) => simpleAttribute(`a${i}`, 'string')),
      ]);
      type.extensions = [
        { schema: { id: 'urn:example:ext', attributes: [simpleAttribute('x', 'string')] }, required: false },
      ];
      const values = Array.from({ length: size }, (_, i) => `"A${size - 1 - i}":"${size - 1 - i}"`).join(',');
      const input = JSON.parse(
        `{"urn:example:ext":{"x":"y"},${values},"__proto__":"p","schemas":["urn:example:Wide","urn:example:ext"]}`,
      );
      const data = dataOf(input, { resourceType: type, context: 'create' });
      expect(Object.keys(data)).toEqual([
        'schemas',
        '__proto__',
        ...Array.from({ length: size }, (_, i) => `a${i}`),
        'urn:example:ext',
      ]);
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toBe('p');
      expect(data['a0']).toBe('0');
      expect(data['urn:example:ext']).toEqual({ x: 'y' });
    }
  });
});
