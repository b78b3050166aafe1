import { userResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { inOrder, keyOrderOf } from './documents.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('inOrder', () => {
  const order = keyOrderOf(userResourceType);

  it('puts schema keys first in schema order, then the others as they come, at every depth', () => {
    // jsonb's order: shorter keys first.
    const stored = JSON.parse(
      '{"id":"u1","zz":[1,"a",null,{"b":2,"a":1}],"meta":{"version":"W/\\"1\\"","resourceType":"User"},"name":{"Other":1,"givenName":"B","familyName":"J"},"emails":[{"type":"work","value":"b@x","primary":true},"text",null],"schemas":["s"],"userName":"b","constructor":{"x":1},' +
        `"${ENTERPRISE}":{"manager":{"displayName":"M","value":"m1"},"department":"X"}}`,
    ) as Record<string, unknown>;
    const read = inOrder(stored, order) as Record<string, unknown>;
    expect(Object.keys(read)).toEqual([
      'schemas',
      'id',
      'userName',
      'name',
      'emails',
      ENTERPRISE,
      'meta',
      'zz',
      'constructor',
    ]);
    expect(Object.keys(read['name'] as object)).toEqual(['familyName', 'givenName', 'Other']);
    expect(Object.keys(read['meta'] as object)).toEqual(['resourceType', 'version']);
    expect(Object.keys((read[ENTERPRISE] as Record<string, object>)['manager']!)).toEqual([
      'value',
      'displayName',
    ]);
    // Not below a schema key: as it came.
    expect(Object.keys((read['zz'] as object[])[3]!)).toEqual(['b', 'a']);
    expect(read).toEqual(stored);
    expect(read).not.toBe(stored);
  });

  it('keeps __proto__ and constructor keys as plain own data', () => {
    const stored = JSON.parse(
      '{"schemas":[],"__proto__":{"polluted":true},"name":{"__proto__":1}}',
    ) as object;
    const read = inOrder(stored, order) as Record<string, unknown>;
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.hasOwn(read, '__proto__')).toBe(true);
    expect(Object.hasOwn(read['name'] as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(read)).toEqual(['schemas', 'name', '__proto__']);
  });
});
