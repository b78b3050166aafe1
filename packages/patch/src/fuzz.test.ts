import { ENTERPRISE_USER_SCHEMA, ScimError } from '@scimkit/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bjensen, group } from './__fixtures__/resources.js';
import { applyPatch } from './apply.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

const names = [
  'userName',
  'NAME',
  'name',
  'givenName',
  'emails',
  'members',
  'value',
  'type',
  'primary',
  'display',
  'active',
  'id',
  'meta',
  'groups',
  'manager',
  'department',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'x',
  '$ref',
  'schemas',
  ENTERPRISE_USER_SCHEMA,
];
const fragment = fc.oneof(
  fc.constantFrom(...names),
  fc.constantFrom(
    '.',
    '[',
    ']',
    ' eq ',
    ' and ',
    ' or ',
    'not (',
    ')',
    ' pr',
    '"work"',
    '"m1"',
    'true',
    ':',
    ' ',
  ),
  fc.string({ maxLength: 4 }),
);
const name = fc.constantFrom(...names);
const structured = fc
  .tuple(
    name,
    fc.option(fc.tuple(name, fc.constantFrom('eq', 'ne', 'co', 'gt', 'pr'), fc.jsonValue({ maxDepth: 0 }))),
    fc.option(name),
  )
  .map(([attribute, filter, sub]) => {
    let text = attribute;
    if (filter)
      text +=
        filter[1] === 'pr' ? `[${filter[0]} pr]` : `[${filter[0]} ${filter[1]} ${JSON.stringify(filter[2])}]`;
    if (sub) text += `.${sub}`;
    return text;
  });
const path = fc.oneof(
  fc.array(fragment, { maxLength: 8 }).map((parts) => parts.join('')),
  structured,
);
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(...names, 'name.givenName', `${ENTERPRISE_USER_SCHEMA}:department`),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 4 },
  ),
);
const operation = fc.record(
  { op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'REMOVE', 'bogus'), path, value },
  { requiredKeys: ['op'] },
);

describe('applyPatch fuzzing', () => {
  it('lets only ScimErrors escape, never modifies its input or the request and never pollutes prototypes', () => {
    const user = deepFreeze(bjensen());
    const members = deepFreeze(group(5));
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 5 }),
        fc.boolean(),
        fc.boolean(),
        (operations, onGroup, strict) => {
          const resource = onGroup ? members : user;
          const before = JSON.stringify(resource);
          // Frozen: request values that need no change land in the result uncopied.
          deepFreeze(operations);
          try {
            const request = strict
              ? { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations }
              : operations;
            const result = applyPatch(resource, request, { strict });
            expect(typeof result.changed).toBe('boolean');
            JSON.stringify(result.resource);
          } catch (error) {
            if (!(error instanceof ScimError)) throw error;
            expect(error.status).toBe(400);
            expect(error.detail.length).toBeGreaterThan(0);
          }
          expect(JSON.stringify(resource)).toBe(before);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(Object.keys(Object.prototype)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
