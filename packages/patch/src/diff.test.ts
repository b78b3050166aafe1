import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from '@scimkit/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bjensen, group } from './__fixtures__/resources.js';
import { applyPatch } from './apply.js';
import { diffResources } from './diff.js';
import { canonicalKey } from './values.js';

const ENT = ENTERPRISE_USER_SCHEMA;

/** Drops empty values, sorts multi-valued lists: what "the same resource" means to SCIM. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalise).filter((item) => item !== undefined);
    return items.length === 0
      ? undefined
      : items.sort((a, b) => (canonicalKey(a) < canonicalKey(b) ? -1 : 1));
  }
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const normalised = normalise(item);
      if (normalised !== undefined) result[key] = normalised;
    }
    return Object.keys(result).length === 0 ? undefined : result;
  }
  return value === null ? undefined : value;
}

const text = fc.constantFrom('a', 'b', 'c', 'x y', 'Ünï', '"q"', 'a]b', 'urn:x:y');
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** A multi-valued complex list with unique values and at most one primary. */
function multi(values: fc.Arbitrary<string>, types: string[]) {
  return fc
    .uniqueArray(
      fc.record(
        { value: values, type: optional(fc.constantFrom(...types)), primary: optional(fc.boolean()) },
        { requiredKeys: ['value'] },
      ),
      {
        selector: (item) => item.value,
        maxLength: 4,
      },
    )
    .map((list) => {
      let seen = false;
      return list.map((item) => {
        if (item.primary !== true) return item;
        if (seen) return { ...item, primary: false };
        seen = true;
        return item;
      });
    });
}

const userArbitrary = fc
  .record(
    {
      userName: text,
      externalId: optional(text),
      displayName: optional(text),
      nickName: optional(text),
      active: optional(fc.boolean()),
      name: optional(fc.record({ givenName: text, familyName: text, formatted: text }, { requiredKeys: [] })),
      emails: optional(
        multi(
          fc.constantFrom(
            'a@x.org',
            'b@x.org',
            'q"@x.org',
            'e]f@x.org',
            'urn:ietf:params:scim:schemas:core:2.0:User:x',
          ),
          ['work', 'home'],
        ),
      ),
      phoneNumbers: optional(multi(fc.constantFrom('1', '2', '3'), ['work', 'mobile'])),
      roles: optional(multi(fc.constantFrom('admin', 'dev', 'ops'), ['x'])),
      addresses: optional(
        fc.array(fc.record({ locality: text, country: fc.constantFrom('FR', 'DE') }, { requiredKeys: [] }), {
          maxLength: 3,
        }),
      ),
      enterprise: optional(
        fc.record(
          { department: text, costCenter: text, manager: fc.record({ value: text }) },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: ['userName'] },
  )
  .map(({ enterprise, ...rest }) => {
    const user: Record<string, unknown> = { schemas: [USER_SCHEMA], id: 'fixed-id', ...rest };
    for (const key of Object.keys(user)) if (user[key] === undefined) delete user[key];
    if (enterprise && Object.keys(normalise(enterprise) ?? {}).length > 0) {
      user[ENT] = enterprise;
      user.schemas = [USER_SCHEMA, ENT];
    }
    return JSON.parse(JSON.stringify(user)) as Record<string, unknown>;
  });

const groupArbitrary = fc
  .record(
    {
      displayName: text,
      externalId: optional(text),
      members: optional(
        fc.uniqueArray(
          fc.record(
            {
              value: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'g1'),
              display: text,
              type: fc.constantFrom('User', 'Group'),
            },
            { requiredKeys: ['value'] },
          ),
          { selector: (member) => member.value, maxLength: 5 },
        ),
      ),
    },
    { requiredKeys: ['displayName'] },
  )
  .map(
    (group) =>
      JSON.parse(JSON.stringify({ schemas: [GROUP_SCHEMA], id: 'g', ...group })) as Record<string, unknown>,
  );

describe('diffResources', () => {
  it('gives no operation for equal resources', () => {
    expect(diffResources(bjensen(), bjensen())).toEqual([]);
  });

  it('uses value filters for multi-valued attributes and URN paths for extensions', () => {
    const before = bjensen();
    const after = bjensen();
    after.emails = [
      { value: 'bjensen@example.com', type: 'work' },
      { value: 'new@x.org', type: 'home' },
    ];
    (after[ENT] as Record<string, unknown>).department = 'Sales';
    delete after.nickName;
    delete after.displayName;
    expect(diffResources(before, after)).toEqual([
      { op: 'remove', path: 'displayName' },
      { op: 'remove', path: 'emails[value eq "babs@jensen.org"]' },
      {
        op: 'replace',
        path: 'emails[value eq "bjensen@example.com"]',
        value: { value: 'bjensen@example.com', type: 'work' },
      },
      { op: 'replace', path: `${ENT}:department`, value: 'Sales' },
      { op: 'add', path: 'emails', value: [{ value: 'new@x.org', type: 'home' }] },
    ]);
  });

  it('replaces changed sub-attributes of a complex attribute and removes vanished ones', () => {
    const after = bjensen();
    after.name = { givenName: 'Babs', familyName: 'Jensen' };
    expect(diffResources(bjensen(), after)).toEqual([
      { op: 'remove', path: 'name.formatted' },
      { op: 'replace', path: 'name', value: { givenName: 'Babs' } },
    ]);
  });

  it('removes a vanished extension by its URN and skips readOnly attributes', () => {
    const after = bjensen();
    delete after[ENT];
    after.meta = { resourceType: 'User' };
    after.id = 'other';
    expect(diffResources(bjensen(), after)).toEqual([{ op: 'remove', path: ENT }]);
  });

  it('replaces a whole list whose values cannot be told apart', () => {
    const before = { ...bjensen(), addresses: [{ locality: 'Paris' }] };
    const after = { ...bjensen(), addresses: [{ locality: 'Lyon' }] };
    expect(diffResources(before, after)).toEqual([
      { op: 'replace', path: 'addresses', value: [{ locality: 'Lyon' }] },
    ]);
  });

  it('removes and re-adds a group member whose immutable display changed', () => {
    const before = group(2);
    const after = group(2);
    after.members = [
      { value: 'm0', display: 'Renamed' },
      { value: 'm1', display: 'Member 1' },
    ];
    const operations = diffResources(before, after);
    expect(operations).toEqual([
      { op: 'remove', path: 'members[value eq "m0"]' },
      { op: 'add', path: 'members', value: [{ value: 'm0', display: 'Renamed' }] },
    ]);
    expect(normalise(applyPatch(before, operations).resource)).toEqual(normalise(after));
  });

  it('produces a patch that turns before into after (property)', () => {
    fc.assert(
      fc.property(userArbitrary, userArbitrary, (before, after) => {
        const operations = diffResources(before, after);
        const { resource, changed } = applyPatch(
          before,
          { schemas: [PATCH_OP_SCHEMA], Operations: operations },
          { strict: true },
        );
        expect(normalise(resource)).toEqual(normalise(after));
        if (operations.length === 0) expect(changed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('produces a patch that turns one group into another (property)', () => {
    fc.assert(
      fc.property(groupArbitrary, groupArbitrary, (before, after) => {
        const { resource, deltas } = applyPatch(before, diffResources(before, after), { strict: false });
        expect(normalise(resource)).toEqual(normalise(after));
        for (const delta of deltas) expect(delta.attribute).toBe('members');
      }),
      { numRuns: 200 },
    );
  });

  it('produces a patch that default (compatible) mode applies too (property)', () => {
    fc.assert(
      fc.property(userArbitrary, userArbitrary, (before, after) => {
        const { resource } = applyPatch(before, diffResources(before, after));
        expect(normalise(resource)).toEqual(normalise(after));
      }),
      { numRuns: 150 },
    );
  });
});
