import { rfcEnterpriseUser, rfcFullUser, rfcGroup } from '@scimkit/test-utils';
import { describe, expect, it } from 'vitest';
import { customResourceType, simpleAttribute } from './__fixtures__/custom.js';
import { groupResourceType, userResourceType } from './definitions.js';
import { createResourceShaper, projectionShows, shapeResource } from './shape.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './urns.js';

const users = { resourceType: userResourceType };

describe('shapeResource', () => {
  it('returns default attributes and never the password', () => {
    const shaped = shapeResource(rfcFullUser, users) as Record<string, unknown>;
    expect(shaped).not.toHaveProperty('password');
    expect(shaped['userName']).toBe('bjensen@example.com');
    expect(shaped['meta']).toEqual(rfcFullUser.meta);
    expect(shaped['groups']).toEqual(rfcFullUser.groups);
    expect(Object.keys(shaped)[0]).toBe('schemas');
  });

  it('never returns the password, even when asked for', () => {
    expect(shapeResource(rfcFullUser, { ...users, attributes: 'password' })).toEqual({
      schemas: [USER_SCHEMA],
      id: rfcFullUser.id,
    });
  });

  it('keeps only the requested attributes plus id and schemas', () => {
    expect(shapeResource(rfcFullUser, { ...users, attributes: 'USERNAME, name.givenName' })).toEqual({
      schemas: [USER_SCHEMA],
      id: rfcFullUser.id,
      userName: 'bjensen@example.com',
      name: { givenName: 'Barbara' },
    });
  });

  it('applies sub-attribute paths to every value of a multi-valued attribute', () => {
    expect(shapeResource(rfcFullUser, { ...users, attributes: ['emails.value'] })).toEqual({
      schemas: [USER_SCHEMA],
      id: rfcFullUser.id,
      emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }],
    });
  });

  it('accepts already-parsed paths and URN-qualified paths', () => {
    expect(
      shapeResource(rfcEnterpriseUser, {
        ...users,
        attributes: [
          { schema: ENTERPRISE_USER_SCHEMA, attribute: 'manager', subAttribute: 'value' },
          `${USER_SCHEMA}:displayName`,
          { attribute: `${ENTERPRISE_USER_SCHEMA.toLowerCase()}:department` },
        ],
      }),
    ).toEqual({
      schemas: rfcEnterpriseUser.schemas,
      id: rfcEnterpriseUser.id,
      displayName: 'Babs Jensen',
      [ENTERPRISE_USER_SCHEMA]: {
        department: 'Tour Operations',
        manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' },
      },
    });
  });

  it('selects or excludes a whole extension by its URN', () => {
    const only = shapeResource(rfcEnterpriseUser, { ...users, attributes: ENTERPRISE_USER_SCHEMA }) as Record<
      string,
      unknown
    >;
    expect(only[ENTERPRISE_USER_SCHEMA]).toEqual(rfcEnterpriseUser[ENTERPRISE_USER_SCHEMA]);
    expect(only).not.toHaveProperty('userName');
    const without = shapeResource(rfcEnterpriseUser, {
      ...users,
      excludedAttributes: ENTERPRISE_USER_SCHEMA,
    });
    expect(without).not.toHaveProperty(ENTERPRISE_USER_SCHEMA);
    expect(without).toHaveProperty('userName');
  });

  it('selects or excludes a whole extension by a parsed URN path (schema + last segment)', () => {
    // What parseAttributeList of @scimkit/filter makes of the bare URN.
    const parsed = [{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attribute: 'User' }];
    const only = shapeResource(rfcEnterpriseUser, { ...users, attributes: parsed }) as Record<
      string,
      unknown
    >;
    expect(only[ENTERPRISE_USER_SCHEMA]).toEqual(rfcEnterpriseUser[ENTERPRISE_USER_SCHEMA]);
    expect(only).not.toHaveProperty('userName');
    const without = shapeResource(rfcEnterpriseUser, { ...users, excludedAttributes: parsed });
    expect(without).not.toHaveProperty(ENTERPRISE_USER_SCHEMA);
    expect(without).toHaveProperty('userName');
    const core = shapeResource(rfcEnterpriseUser, {
      ...users,
      attributes: [{ schema: 'urn:ietf:params:scim:schemas:core:2.0', attribute: 'User' }],
    }) as Record<string, unknown>;
    expect(core).toHaveProperty('userName');
    expect(core).not.toHaveProperty(ENTERPRISE_USER_SCHEMA);
  });

  it('drops excluded attributes and sub-attributes but keeps returned: always ones', () => {
    const shaped = shapeResource(rfcFullUser, {
      ...users,
      excludedAttributes: 'emails,id,name.middleName,meta',
    }) as Record<string, unknown>;
    expect(shaped).not.toHaveProperty('emails');
    expect(shaped).not.toHaveProperty('meta');
    expect(shaped['id']).toBe(rfcFullUser.id);
    expect(shaped['name']).not.toHaveProperty('middleName');
    expect(shaped['name']).toHaveProperty('givenName', 'Barbara');
  });

  it('excludes Group members (Entra ID excludedAttributes=members)', () => {
    const shaped = shapeResource(rfcGroup, {
      resourceType: groupResourceType,
      excludedAttributes: 'members',
    });
    expect(shaped).toEqual({
      schemas: rfcGroup.schemas,
      id: rfcGroup.id,
      displayName: 'Tour Guides',
      meta: rfcGroup.meta,
    });
  });

  it('returns returned: request attributes only when asked for', () => {
    const device = customResourceType('Device', [
      simpleAttribute('label', 'string'),
      simpleAttribute('secretHint', 'string', { returned: 'request' }),
    ]);
    const resource = { schemas: ['urn:example:Device'], id: 'd', label: 'x', secretHint: 'y' };
    expect(shapeResource(resource, { resourceType: device })).toEqual({
      schemas: ['urn:example:Device'],
      id: 'd',
      label: 'x',
    });
    expect(shapeResource(resource, { resourceType: device, attributes: 'secrethint' })).toEqual({
      schemas: ['urn:example:Device'],
      id: 'd',
      secretHint: 'y',
    });
    expect(shapeResource(resource, { resourceType: device, excludedAttributes: 'label' })).toEqual({
      schemas: ['urn:example:Device'],
      id: 'd',
    });
  });

  it('returns only id and schemas when attributes names nothing known', () => {
    expect(
      shapeResource(rfcGroup, { resourceType: groupResourceType, attributes: 'nope,__proto__' }),
    ).toEqual({
      schemas: rfcGroup.schemas,
      id: rfcGroup.id,
    });
  });

  it('emits schema casing and does not modify its input', () => {
    const input = { schemas: [USER_SCHEMA], ID: '1', USERNAME: 'a', Password: 'p' };
    const copy = structuredClone(input);
    expect(shapeResource(input, users)).toEqual({ schemas: [USER_SCHEMA], id: '1', userName: 'a' });
    expect(input).toEqual(copy);
  });

  it('keeps attributes no schema defines unless attributes restricts the response', () => {
    const input = { schemas: [USER_SCHEMA], id: '1', userName: 'a', 'urn:example:custom': { x: 1 } };
    expect(shapeResource(input, users)).toHaveProperty('urn:example:custom');
    expect(shapeResource(input, { ...users, attributes: 'userName' })).not.toHaveProperty(
      'urn:example:custom',
    );
  });
});

describe('shapeResource of wide resources', () => {
  it('keeps the key order, and an own "__proto__" key as data, for any number of attributes', () => {
    for (const size of [3, 18, 19, 20, 30]) {
      const type = customResourceType(
        'Wide',
        Array.from({ length: size }, (_, i) => simpleAttribute(`a${i}`, 'string')),
      );
      type.extensions = [
        { schema: { id: 'urn:example:ext', attributes: [simpleAttribute('x', 'string')] }, required: false },
      ];
      const values = Array.from({ length: size }, (_, i) => `"A${i}":"${i}"`).join(',');
      const input = JSON.parse(
        `{"schemas":["urn:example:Wide"],"__proto__":{"p":1},${values},"urn:example:ext":{"x":"y"},"SCHEMAS":["s"]}`,
      ) as Record<string, unknown>;
      const shaped = shapeResource(input, { resourceType: type }) as Record<string, unknown>;
      // `schemas` first, then the order of the resource as given.
      expect(Object.keys(shaped)).toEqual([
        'schemas',
        '__proto__',
        ...Array.from({ length: size }, (_, i) => `a${i}`),
        'urn:example:ext',
      ]);
      expect(shaped['schemas']).toEqual(['s']);
      expect(shaped['a1']).toBe('1');
      expect(Object.getPrototypeOf(shaped)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(shaped, '__proto__')?.value).toEqual({ p: 1 });
      expect(shaped['urn:example:ext']).toEqual({ x: 'y' });
    }
  });
});

describe('createResourceShaper', () => {
  it('shapes many resources with one resolved plan', () => {
    const shape = createResourceShaper({ resourceType: groupResourceType, attributes: 'displayName' });
    expect([rfcGroup, rfcGroup].map(shape)).toEqual([
      { schemas: rfcGroup.schemas, id: rfcGroup.id, displayName: 'Tour Guides' },
      { schemas: rfcGroup.schemas, id: rfcGroup.id, displayName: 'Tour Guides' },
    ]);
  });
});

describe('projectionShows', () => {
  /** Paths as the filter package parses them: a URN splits at its last colon, a name at its dot. */
  const paths = (text: string | undefined) =>
    text?.split(',').map((item) => {
      const colon = item.lastIndexOf(':');
      const schema = colon > 0 ? item.slice(0, colon) : undefined;
      const [attribute, subAttribute] = item.slice(colon + 1).split('.') as [string, string?];
      return { ...(schema ? { schema } : {}), attribute, ...(subAttribute ? { subAttribute } : {}) };
    });
  const projections: { attributes?: string; excludedAttributes?: string }[] = [
    {},
    { excludedAttributes: 'members' },
    { excludedAttributes: `${GROUP_SCHEMA}:MEMBERS` },
    { excludedAttributes: 'members.display' },
    { excludedAttributes: GROUP_SCHEMA },
    { excludedAttributes: 'displayName' },
    { attributes: 'displayName' },
    { attributes: 'displayName,members.value' },
    { attributes: 'Members' },
    { attributes: GROUP_SCHEMA },
    { attributes: `${GROUP_SCHEMA}:members.display` },
    { attributes: 'members.nosuch' },
    { attributes: 'urn:example:Other:members' },
    { attributes: 'members', excludedAttributes: 'members' },
  ];

  it('agrees with the shaper on whether a Group response shows members', () => {
    const group = { ...rfcGroup, members: [{ value: 'u1', display: 'U' }] };
    for (const projection of projections) {
      const attributes = paths(projection.attributes);
      const excludedAttributes = paths(projection.excludedAttributes);
      const refs = {
        ...(attributes ? { attributes } : {}),
        ...(excludedAttributes ? { excludedAttributes } : {}),
      };
      const shaped = shapeResource(group, { resourceType: groupResourceType, ...refs });
      expect(projectionShows(groupResourceType, 'members', refs), JSON.stringify(projection)).toBe(
        'members' in shaped,
      );
    }
  });

  it('shows returned:always attributes always, never and unknown ones never, request ones only when named', () => {
    const type = customResourceType('Thing', [
      simpleAttribute('always', 'string', { returned: 'always' }),
      simpleAttribute('never', 'string', { returned: 'never' }),
      simpleAttribute('asked', 'string', { returned: 'request' }),
    ]);
    const excluded = { excludedAttributes: [{ attribute: 'always' }, { attribute: 'never' }] };
    expect(projectionShows(type, 'always', excluded)).toBe(true);
    expect(projectionShows(type, 'always', { attributes: [{ attribute: 'asked' }] })).toBe(true);
    expect(projectionShows(type, 'never', { attributes: [{ attribute: 'never' }] })).toBe(false);
    expect(projectionShows(type, 'missing', {})).toBe(false);
    expect(projectionShows(type, 'asked', {})).toBe(false);
    expect(projectionShows(type, 'asked', { attributes: [{ attribute: 'ASKED' }] })).toBe(true);
    expect(projectionShows(type, 'asked', { attributes: [{ attribute: 'urn:example:Thing' }] })).toBe(true);
  });

  it('shows User.groups unless a projection leaves it out', () => {
    expect(projectionShows(userResourceType, 'groups', {})).toBe(true);
    expect(projectionShows(userResourceType, 'groups', { excludedAttributes: paths('groups') })).toBe(false);
    expect(projectionShows(userResourceType, 'groups', { excludedAttributes: paths(USER_SCHEMA) })).toBe(
      false,
    );
    expect(
      projectionShows(userResourceType, 'groups', { excludedAttributes: paths(ENTERPRISE_USER_SCHEMA) }),
    ).toBe(true);
    expect(
      projectionShows(userResourceType, 'groups', { attributes: paths('userName,groups.display') }),
    ).toBe(true);
  });
});
