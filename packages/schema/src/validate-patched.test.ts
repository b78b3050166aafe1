import { generateGroup, generateUser, rfcEnterpriseUser } from '@scimkit/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResourceTypeDefinition } from './definition.js';
import { groupResourceType, userResourceType } from './definitions.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';
import { safeValidateResource, validatePatchedResource } from './validate.js';
import type { ValidateResourceOptions, ValidationResult } from './validation.js';

type Json = Record<string, unknown>;

/** A stored resource as a server keeps it: a create validation's output, plus `id` and `meta`. */
function stored(
  input: unknown,
  resourceType: ResourceTypeDefinition,
  options: Partial<ValidateResourceOptions>,
): Json {
  const result = safeValidateResource(input, { resourceType, context: 'create', ...options });
  if (!result.success) throw result.error;
  const { schemas, ...attributes } = result.data;
  return {
    schemas,
    id: '2819c223-7f76-453a-919d-413861904646',
    ...attributes,
    meta: {
      resourceType: resourceType.name,
      created: '2024-01-01T00:00:00.000Z',
      lastModified: '2024-01-01T00:00:00.000Z',
      version: 'W/"3"',
    },
  };
}

const keys = fc.constantFrom(
  'userName',
  'USERNAME',
  'name',
  'name.givenName',
  'emails',
  'phoneNumbers',
  'addresses',
  'active',
  'title',
  'displayName',
  'password',
  'members',
  'externalId',
  'id',
  'meta',
  'groups',
  'schemas',
  'unknownThing',
  '__proto__',
  ENTERPRISE_USER_SCHEMA,
  `${ENTERPRISE_USER_SCHEMA}:department`,
  `${ENTERPRISE_USER_SCHEMA}:manager.value`,
  `${USER_SCHEMA}:nickName`,
);
const innerKeys = fc.constantFrom(
  'department',
  'Department',
  'manager',
  'employeeNumber',
  'costCenter',
  'nope',
);
const values = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      '',
      'x\u0000y',
      '\ud800',
      'True',
      'False',
      '2024-02-30T00:00:00Z',
      '2024-05-01T10:00:00Z',
    ),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(
      fc.record({ value: fc.string(), primary: fc.boolean(), type: fc.constantFrom('work', 'home') }),
      {
        maxLength: 3,
      },
    ),
    fc.dictionary(fc.oneof(keys, innerKeys), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** One edit of a patch outcome: set or remove a top-level key, or one attribute of the extension. */
const edits = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: keys, value: values }),
    fc.record({ kind: fc.constant('remove' as const), key: keys }),
    fc.record({ kind: fc.constant('inner' as const), key: innerKeys, value: fc.option(values) }),
  ),
  { maxLength: 4 },
);

/** The outcome of a PATCH as `@scimkit/patch` makes it: a copy sharing every untouched value. */
type Edits = typeof edits extends fc.Arbitrary<infer E> ? E : never;

function patched(base: Json, changes: Edits): Json {
  const out: Json = { ...base };
  for (const edit of changes) {
    if (edit.kind === 'set')
      Object.defineProperty(out, edit.key, {
        value: edit.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else if (edit.kind === 'remove') delete out[edit.key];
    else {
      const container = out[ENTERPRISE_USER_SCHEMA];
      const copy: Json =
        typeof container === 'object' && container !== null ? { ...(container as Json) } : {};
      if (edit.value === null) delete copy[edit.key];
      else copy[edit.key] = edit.value;
      out[ENTERPRISE_USER_SCHEMA] = copy;
    }
  }
  return out;
}

/** The comparable part of a result: data with its key order, warnings, or the issues. */
function comparable(result: ValidationResult<Json>): unknown {
  return result.success
    ? { data: JSON.stringify(result.data), warnings: result.warnings }
    : { issues: result.error.issues };
}

const optionSets: Partial<ValidateResourceOptions>[] = [
  {},
  { strict: true },
  { coerceBooleans: false, unknownAttributes: 'reject' },
];

describe('validatePatchedResource', () => {
  it('gives what a full validation of the patch outcome gives (differential)', () => {
    const bases = [
      ...[0, 1, 7, 42].map((i) => ({ type: userResourceType, input: generateUser(i) as unknown })),
      { type: userResourceType, input: rfcEnterpriseUser as unknown },
      { type: groupResourceType, input: generateGroup(3, ['a', 'b']) as unknown },
    ];
    fc.assert(
      fc.property(
        fc.nat({ max: bases.length - 1 }),
        fc.constantFrom(...optionSets),
        edits,
        (which, settings, changes) => {
          const { type, input } = bases[which]!;
          const base = stored(input, type, settings);
          const outcome = patched(base, changes);
          const options: ValidateResourceOptions = {
            resourceType: type,
            context: 'patch',
            existing: base,
            ...settings,
          };
          const full = safeValidateResource(outcome, options);
          const partial = validatePatchedResource(outcome, options, base);
          expect(comparable(partial)).toEqual(comparable(full));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('still checks the rules of the whole resource: a removed required attribute', () => {
    const base = stored(generateUser(5), userResourceType, {});
    const { userName: _userName, ...outcome } = base;
    const options: ValidateResourceOptions = {
      resourceType: userResourceType,
      context: 'patch',
      existing: base,
    };
    const result = validatePatchedResource(outcome, options, base);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((issue) => issue.path)).toEqual(['userName']);
  });

  it('checks a value the patch wrote: a second primary email', () => {
    const base = stored(generateUser(5), userResourceType, {});
    const outcome = {
      ...base,
      emails: [
        { value: 'a@example.com', primary: true },
        { value: 'b@example.com', primary: true },
      ],
    };
    const options: ValidateResourceOptions = {
      resourceType: userResourceType,
      context: 'patch',
      existing: base,
    };
    const result = validatePatchedResource(outcome, options, base);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.path).toBe('emails');
  });
});

describe('complex values spelt exactly (the fast path of checkComplex)', () => {
  /** The input with every key inside complex values upper-cased: the case-insensitive path. */
  function recased(value: unknown, depth = 0): unknown {
    if (Array.isArray(value)) return value.map((item) => recased(item, depth));
    if (typeof value !== 'object' || value === null) return value;
    const out: Json = {};
    for (const [key, inner] of Object.entries(value)) {
      const name = depth > 0 && !key.startsWith('urn:') ? key.toUpperCase() : key;
      out[name] = recased(inner, key.startsWith('urn:') ? depth : depth + 1);
    }
    return out;
  }

  it('gives what the case-insensitive path gives, issues included', () => {
    const subValues = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.integer(),
      fc.constant(null),
      fc.constant('x\u0000'),
    );
    const complex = fc.record(
      { value: subValues, type: subValues, primary: subValues, display: subValues },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.nat({ max: 60 }),
        fc.array(complex, { maxLength: 3 }),
        fc.option(fc.record({ givenName: subValues, familyName: subValues }, { requiredKeys: [] })),
        fc.constantFrom(...optionSets),
        (i, emails, name, settings) => {
          const input: Json = { ...(generateUser(i) as unknown as Json), emails };
          if (name !== null) input.name = name;
          const options: ValidateResourceOptions = {
            resourceType: userResourceType,
            context: 'create',
            ...settings,
          };
          const exact = safeValidateResource(input, options);
          const insensitive = safeValidateResource(recased(input), options);
          expect(comparable(exact)).toEqual(comparable(insensitive));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
