/**
 * The sharing shaper (what a server shapes its responses with) against the copying one: the
 * same output, key order and all, for any input and projection; the input itself when nothing
 * changes; and never a write into the input.
 */
import { generateUser, rfcEnterpriseUser, rfcGroup } from '@scimkit/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResourceTypeDefinition } from './definition.js';
import { groupResourceType, userResourceType } from './definitions.js';
import { createResourceShaper, createSharingShaper, type ShapeResourceOptions } from './shape.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';

/** A value with its key order made visible (and undefined kept apart from missing). */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.keys(value).map((key) => [key, ordered((value as Record<string, unknown>)[key])]);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

const PROJECTIONS: Omit<ShapeResourceOptions, 'resourceType'>[] = [
  {},
  { attributes: 'userName,emails.value,members' },
  { excludedAttributes: 'emails.type,name,members.display' },
  { attributes: ENTERPRISE_USER_SCHEMA },
  { excludedAttributes: `${ENTERPRISE_USER_SCHEMA}:manager` },
  { attributes: 'x509Certificates,password' },
];

/** Shapes with both shapers and expects the same output; returns the sharing one's. */
function bothAgree(resourceType: ResourceTypeDefinition, input: Record<string, unknown>, options = {}) {
  const snapshot = structuredClone(input);
  deepFreeze(input);
  const copied = createResourceShaper({ resourceType, ...options })(input);
  const shared = createSharingShaper({ resourceType, ...options })(input);
  expect(ordered(shared)).toStrictEqual(ordered(copied));
  expect(JSON.stringify(shared)).toBe(JSON.stringify(copied));
  expect(input).toStrictEqual(snapshot);
  return shared;
}

const keys = fc.constantFrom(
  'schemas',
  'Schemas',
  'id',
  'userName',
  'USERNAME',
  'name',
  'givenName',
  'GivenName',
  'emails',
  'value',
  'type',
  'primary',
  'display',
  'password',
  'x509Certificates',
  'members',
  'meta',
  'version',
  'active',
  'unknownKey',
  '__proto__',
  ENTERPRISE_USER_SCHEMA,
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user',
  USER_SCHEMA,
  'urn:example:custom',
);
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, undefined, 'a', 1, true, [], {}),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(keys, tie('value'), { maxKeys: 5 }),
  ),
})).value;
/** Resources whose first key is usually `schemas`, as stored ones are. */
const resources = fc
  .tuple(fc.boolean(), fc.dictionary(keys, values, { maxKeys: 10 }))
  .map(([schemasFirst, rest]) => {
    if (!schemasFirst) return rest;
    const { schemas: _schemas, ...others } = rest;
    return { schemas: [USER_SCHEMA], ...others };
  })
  .map((resource) => JSON.parse(JSON.stringify(resource)) as Record<string, unknown>);

describe('createSharingShaper', () => {
  it('gives what the copying shaper gives, for any resource and projection, and writes nothing', () => {
    fc.assert(
      fc.property(resources, fc.constantFrom(...PROJECTIONS), fc.boolean(), (resource, projection, group) => {
        bothAgree(group ? groupResourceType : userResourceType, resource, projection);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives what the copying shaper gives for generated users, each changed in one place', () => {
    const changes: ((user: Record<string, unknown>) => void)[] = [
      () => {},
      (user) => void (user['password'] = 'secret'),
      (user) => void (user['DisplayName'] = 'Other casing'),
      (user) => void (user['title'] = null),
      (user) => void ((user['emails'] as Record<string, unknown>[])[0]!['Type'] = 'work'),
      (user) => void (user['emails'] as unknown[]).push({}),
      (user) => void (user[ENTERPRISE_USER_SCHEMA] = {}),
      (user) => {
        // An extension before a core attribute: the output moves it after them.
        const { meta, ...rest } = user;
        for (const key of Object.keys(user)) delete user[key];
        Object.assign(user, rest, { meta });
      },
    ];
    for (let i = 0; i < 50; i++) {
      for (const change of changes) {
        const user = JSON.parse(JSON.stringify(generateUser(i))) as Record<string, unknown>;
        change(user);
        for (const projection of PROJECTIONS) bothAgree(userResourceType, structuredClone(user), projection);
      }
    }
  });

  it('gives a resource back itself when nothing is dropped, renamed or moved', () => {
    const user = JSON.parse(JSON.stringify(rfcEnterpriseUser)) as Record<string, unknown>;
    delete user['password'];
    expect(bothAgree(userResourceType, user)).toBe(user);
    const group = JSON.parse(JSON.stringify(rfcGroup)) as Record<string, unknown>;
    expect(bothAgree(groupResourceType, group)).toBe(group);
  });

  it('copies what changes and shares the values that do not', () => {
    const user = JSON.parse(JSON.stringify(rfcEnterpriseUser)) as Record<string, unknown>;
    user['password'] = 'secret';
    user['name'] = { GivenName: 'Barbara', familyName: 'Jensen' };
    const shaped = bothAgree(userResourceType, user);
    expect(shaped).not.toBe(user);
    expect(shaped).not.toHaveProperty('password');
    expect(shaped['name']).toEqual({ givenName: 'Barbara', familyName: 'Jensen' });
    expect(shaped['emails']).toBe(user['emails']);
    expect(shaped[ENTERPRISE_USER_SCHEMA]).toBe(user[ENTERPRISE_USER_SCHEMA]);
  });

  it('copies a list from the first value that changes, and drops values left empty', () => {
    const user = {
      schemas: [USER_SCHEMA],
      id: '1',
      userName: 'a',
      emails: [
        { value: 'a@x.org' },
        { value: 'b@x.org', type: 'work' },
        { display: undefined },
        { value: 'c@x.org' },
      ],
    };
    const shaped = bothAgree(userResourceType, user, { excludedAttributes: 'emails.type' });
    expect(shaped['emails']).toEqual([{ value: 'a@x.org' }, { value: 'b@x.org' }, { value: 'c@x.org' }]);
    expect((shaped['emails'] as unknown[])[0]).toBe(user.emails[0]);
  });
});
