import { generateUser, rfcEnterpriseUser } from '@scimkit/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupResourceType, userResourceType } from './definitions.js';
import { shapeResource } from './shape.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';
import { safeValidateResource } from './validate.js';
import { ScimValidationError } from './validation.js';

const keys = fc.constantFrom(
  'schemas',
  'userName',
  'USERNAME',
  'name',
  'emails',
  'active',
  'id',
  'meta',
  'groups',
  'members',
  'displayName',
  '__proto__',
  'constructor',
  'toString',
  'name.givenName',
  ENTERPRISE_USER_SCHEMA,
  `${ENTERPRISE_USER_SCHEMA}:manager.value`,
  `${USER_SCHEMA}:userName`,
);
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(keys, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('safeValidateResource (fuzzed)', () => {
  it('only ever reports ScimValidationError and never pollutes prototypes', () => {
    fc.assert(
      fc.property(fc.dictionary(keys, values, { maxKeys: 8 }), fc.boolean(), (input, strict) => {
        for (const resourceType of [userResourceType, groupResourceType]) {
          for (const context of ['create', 'replace', 'patch', 'response'] as const) {
            const result = safeValidateResource(input, { resourceType, context, strict, existing: input });
            if (!result.success) {
              expect(result.error).toBeInstanceOf(ScimValidationError);
              expect(result.error.issues.length).toBeGreaterThan(0);
            } else {
              shapeResource(result.data, { resourceType, attributes: 'userName,name.givenName' });
            }
          }
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('accepts every generated user and is idempotent on its own output', () => {
    fc.assert(
      fc.property(fc.nat(100_000), (i) => {
        const first = safeValidateResource(generateUser(i), {
          resourceType: userResourceType,
          context: 'create',
        });
        expect(first.success).toBe(true);
        if (!first.success) return;
        const second = safeValidateResource(first.data, {
          resourceType: userResourceType,
          context: 'create',
        });
        expect(second.success && second.data).toEqual(first.data);
      }),
      { numRuns: 200 },
    );
  });
});

describe('shapeResource (fuzzed)', () => {
  const paths = fc.constantFrom(
    'password',
    'PASSWORD',
    `${USER_SCHEMA}:password`,
    'userName',
    'name.givenName',
    'emails.value',
    'emails',
    'meta',
    'id',
    ENTERPRISE_USER_SCHEMA,
    `${ENTERPRISE_USER_SCHEMA}:manager.value`,
    'nope',
    '__proto__',
  );

  it('never returns the password and always returns id and schemas', () => {
    fc.assert(
      fc.property(
        fc.array(paths, { maxLength: 5 }),
        fc.array(paths, { maxLength: 5 }),
        (attributes, excluded) => {
          const shaped = shapeResource(rfcEnterpriseUser, {
            resourceType: userResourceType,
            ...(attributes.length > 0 ? { attributes } : {}),
            excludedAttributes: excluded.join(','),
          }) as Record<string, unknown>;
          expect(Object.keys(shaped).some((key) => key.toLowerCase() === 'password')).toBe(false);
          expect(shaped['id']).toBe(rfcEnterpriseUser.id);
          expect(shaped['schemas']).toEqual(rfcEnterpriseUser.schemas);
        },
      ),
      { numRuns: 200 },
    );
  });
});
