import { describe, expect, it } from 'vitest';
import { customResourceType, simpleAttribute } from './__fixtures__/custom.js';
import {
  enterpriseUserDefinition,
  groupResourceType,
  userDefinition,
  userResourceType,
} from './definitions.js';
import { resolveAttribute } from './lookup.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';

describe('resolveAttribute', () => {
  it('resolves an unqualified name case-insensitively against the core schema', () => {
    const found = resolveAttribute(userResourceType, { attribute: 'USERNAME' });
    expect(found?.schema).toBe(userDefinition);
    expect(found?.attribute.name).toBe('userName');
    expect(found?.subAttribute).toBeUndefined();
  });

  it('resolves a sub-attribute', () => {
    const found = resolveAttribute(userResourceType, { attribute: 'emails', subAttribute: 'VALUE' });
    expect(found?.attribute.name).toBe('emails');
    expect(found?.subAttribute?.name).toBe('value');
  });

  it('resolves a dotted name as attribute and sub-attribute', () => {
    const found = resolveAttribute(userResourceType, { attribute: 'name.givenname' });
    expect(found?.attribute.name).toBe('name');
    expect(found?.subAttribute?.name).toBe('givenName');
  });

  it('resolves the common attributes id, externalId and meta', () => {
    expect(resolveAttribute(userResourceType, { attribute: 'ID' })?.attribute.returned).toBe('always');
    expect(resolveAttribute(groupResourceType, { attribute: 'externalid' })?.attribute.name).toBe(
      'externalId',
    );
    expect(
      resolveAttribute(groupResourceType, { attribute: 'meta', subAttribute: 'lastmodified' })?.subAttribute
        ?.type,
    ).toBe('dateTime');
  });

  it('resolves an explicit schema URN in any casing', () => {
    const found = resolveAttribute(userResourceType, {
      schema: ENTERPRISE_USER_SCHEMA.toUpperCase(),
      attribute: 'department',
    });
    expect(found?.schema).toBe(enterpriseUserDefinition);
    expect(found?.attribute.name).toBe('department');
  });

  it('resolves fully qualified names given as the attribute', () => {
    expect(resolveAttribute(userResourceType, { attribute: `${USER_SCHEMA}:userName` })?.attribute.name).toBe(
      'userName',
    );
    const manager = resolveAttribute(userResourceType, {
      attribute: `${ENTERPRISE_USER_SCHEMA.toLowerCase()}:Manager`,
      subAttribute: 'value',
    });
    expect(manager?.schema).toBe(enterpriseUserDefinition);
    expect(manager?.subAttribute?.name).toBe('value');
    const dotted = resolveAttribute(userResourceType, {
      attribute: `${ENTERPRISE_USER_SCHEMA}:manager.displayName`,
    });
    expect(dotted?.subAttribute?.mutability).toBe('readOnly');
  });

  it('does not resolve extension attributes without their URN', () => {
    expect(resolveAttribute(userResourceType, { attribute: 'department' })).toBeUndefined();
  });

  it('returns undefined for unknown names, schemas and sub-attributes', () => {
    expect(resolveAttribute(userResourceType, { attribute: 'nope' })).toBeUndefined();
    expect(resolveAttribute(userResourceType, { schema: 'urn:x', attribute: 'userName' })).toBeUndefined();
    expect(resolveAttribute(userResourceType, { attribute: 'userName', subAttribute: 'x' })).toBeUndefined();
    expect(resolveAttribute(userResourceType, { attribute: 'urn:x:y:userName' })).toBeUndefined();
    expect(
      resolveAttribute(groupResourceType, { attribute: `${ENTERPRISE_USER_SCHEMA}:department` }),
    ).toBeUndefined();
  });

  it('never resolves inherited object properties', () => {
    for (const name of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']) {
      expect(resolveAttribute(userResourceType, { attribute: name })).toBeUndefined();
      expect(resolveAttribute(userResourceType, { attribute: 'name', subAttribute: name })).toBeUndefined();
      expect(resolveAttribute(userResourceType, { schema: name, attribute: 'userName' })).toBeUndefined();
    }
  });

  it('works for a custom resource type declared at runtime', () => {
    const device = customResourceType('Device', [
      simpleAttribute('serialNumber', 'string', { required: true, mutability: 'immutable' }),
    ]);
    expect(resolveAttribute(device, { attribute: 'urn:EXAMPLE:device:SerialNumber' })?.attribute.name).toBe(
      'serialNumber',
    );
  });
});

describe('userDefinition', () => {
  it('declares password writeOnly and never returned, groups readOnly', () => {
    const password = resolveAttribute(userResourceType, { attribute: 'password' })?.attribute;
    expect(password).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(resolveAttribute(userResourceType, { attribute: 'groups' })?.attribute.mutability).toBe(
      'readOnly',
    );
    expect(resolveAttribute(groupResourceType, { attribute: 'displayName' })?.attribute.required).toBe(true);
  });
});
