import { groupResourceType, type ScimResource, userResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { renderSql } from './fragment.js';
import { childTables, indexedValues, storageLayout, storedDocument } from './storage-layout.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function user(extra: Record<string, unknown>): ScimResource {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: 'u1',
    ...extra,
    meta: { resourceType: 'User', created: '', lastModified: '', location: '', version: 'W/"1"' },
  } as ScimResource;
}

describe('storageLayout', () => {
  it('indexes unique and looked-up attributes with their normalisation and uniqueness scope', () => {
    const layout = storageLayout(userResourceType);
    expect(layout.childAttribute).toBeUndefined();
    const summary = [...layout.indexed.values()].map(({ path, caseExact, uniqueScope }) => [
      path,
      caseExact,
      uniqueScope ?? null,
    ]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['userName', false, 'type:User'],
        ['externalId', true, null],
        ['emails.value', false, null],
        ['displayName', false, null],
      ]),
    );
    expect(layout.indexed.has('id')).toBe(false);
  });

  it('keeps Group members in a child table, never in the index', () => {
    const layout = storageLayout(groupResourceType);
    expect(layout.childAttribute).toBe('members');
    expect([...layout.indexed.keys()].some((path) => path.startsWith('members'))).toBe(false);
  });

  it('adds extra attributes by canonical path, changes the signature, and rejects unusable ones', () => {
    const layout = storageLayout(userResourceType, { indexedAttributes: [`${ENTERPRISE}:employeeNumber`] });
    expect(layout.indexed.get(`${ENTERPRISE}:employeeNumber`)?.holder).toBe(ENTERPRISE);
    expect(layout.signature).not.toBe(storageLayout(userResourceType).signature);
    expect(() => storageLayout(userResourceType, { indexedAttributes: ['nope'] })).toThrow(TypeError);
    expect(() => storageLayout(userResourceType, { indexedAttributes: ['active'] })).toThrow(/not a string/);
  });
});

describe('indexedValues', () => {
  const layout = storageLayout(userResourceType, { indexedAttributes: [`${ENTERPRISE}:employeeNumber`] });
  const entry = (path: string) => {
    const found = layout.indexed.get(path);
    if (!found) throw new Error(path);
    return found;
  };

  it('lower-cases case-insensitive values, keeps case-exact ones, and deduplicates', () => {
    expect(indexedValues(user({ userName: 'BJensen' }), entry('userName'))).toEqual(['bjensen']);
    expect(indexedValues(user({ externalId: 'AbC' }), entry('externalId'))).toEqual(['AbC']);
    const emails = [{ value: 'A@x.org' }, { value: 'a@X.org' }, { value: 7 }, 'loose'];
    expect(indexedValues(user({ emails }), entry('emails.value'))).toEqual(['a@x.org']);
    expect(
      indexedValues(user({ [ENTERPRISE]: { employeeNumber: 'E1' } }), entry(`${ENTERPRISE}:employeeNumber`)),
    ).toEqual(['e1']);
  });

  it('reads lists only for multi-valued attributes and only own properties', () => {
    expect(indexedValues(user({ userName: ['a', 'b'] }), entry('userName'))).toEqual([]);
    expect(indexedValues(user({ emails: { value: 'a@x.org' } }), entry('emails.value'))).toEqual([]);
    expect(indexedValues(user(JSON.parse('{"__proto__": {"userName": "x"}}')), entry('userName'))).toEqual(
      [],
    );
  });
});

describe('storedDocument and childTables', () => {
  const groups = storageLayout(groupResourceType);
  const group = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id: 'g1',
    displayName: 'Admins',
    members: [{ value: 'u1' }],
    meta: { resourceType: 'Group', created: '', lastModified: '', location: '', version: 'W/"1"' },
  } as ScimResource;

  it('stores the child attribute as an empty list, its rows holding it', () => {
    expect(JSON.parse(storedDocument(groups, group))).toEqual({ ...group, members: [] });
    const { members: _members, ...memberless } = group;
    expect(JSON.parse(storedDocument(groups, memberless as ScimResource))).toEqual(memberless);
    expect(storedDocument(storageLayout(userResourceType), user({ userName: 'x' }))).toBe(
      JSON.stringify(user({ userName: 'x' })),
    );
  });

  it('describes the members table for the translator, correlated with the resource row r', () => {
    const [members] = childTables(groups, 'scim.members');
    expect(members).toMatchObject({ attribute: 'members', table: 'scim.members', orderColumn: 'seq' });
    expect(members?.columns).toEqual({ value: 'value', type: 'type', display: 'display', $ref: 'ref' });
    expect(renderSql(members!.correlate('m1'), () => '?')).toEqual({
      sql: 'm1.tenant = r.tenant AND m1.group_type = r.type AND m1.group_id = r.id AND m1.attribute = ?',
      params: ['members'],
    });
    expect(childTables(storageLayout(userResourceType), 'members')).toEqual([]);
  });
});
