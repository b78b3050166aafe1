import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA, ScimError } from '@scimkit/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { bjensen, group } from './__fixtures__/resources.js';
import { applyPatch } from './apply.js';

const ENT = ENTERPRISE_USER_SCHEMA;

function expectRejected(
  resource: Record<string, unknown>,
  operations: unknown,
  scimType = 'invalidPath',
): void {
  let caught: unknown;
  try {
    applyPatch(resource, { schemas: [PATCH_OP_SCHEMA], Operations: operations as never });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ScimError);
  expect((caught as ScimError).status).toBe(400);
  expect((caught as ScimError).scimType).toBe(scimType);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}

afterEach(() => {
  // If a test ever pollutes, clean up so later tests still report their own failures.
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('applyPatch safety', () => {
  describe('paths replaying GHSA-9m6g-wc8r-q59c', () => {
    const paths = [
      '__proto__.polluted',
      '__proto__',
      'constructor.prototype.polluted',
      'constructor.prototype',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'name.__proto__',
      'name.constructor',
      'name.toString',
      'emails.__proto__',
      `${ENT}:__proto__`,
      `${ENT}:constructor.prototype`,
      `${ENT}:manager.__proto__`,
    ];
    for (const op of ['add', 'replace', 'remove']) {
      for (const path of paths) {
        it(`rejects ${op} "${path}" with invalidPath`, () => {
          expectRejected(bjensen(), [{ op, path, value: { polluted: 'yes' } }]);
        });
      }
    }
  });

  describe('value paths replaying GHSA-2mhw-wcx5-v3xj', () => {
    const paths = [
      'emails[type eq "x"].__proto__',
      'emails[type eq "work"].__proto__',
      'emails[type eq "work"].constructor',
      'emails[__proto__ eq "x"].value',
      'emails[constructor pr].value',
      'emails[toString eq "x"]',
      '__proto__[polluted eq "yes"]',
      'constructor[prototype eq "x"].polluted',
      'members[value eq "m0"].__proto__',
    ];
    for (const op of ['add', 'replace', 'remove']) {
      for (const path of paths) {
        it(`rejects ${op} "${path}" with invalidPath`, () => {
          expectRejected(path.startsWith('members') ? group(2) : bjensen(), [{ op, path, value: 'yes' }]);
        });
      }
    }
  });

  describe('keys of values', () => {
    const values: [string, unknown][] = [
      ['a JSON.parse own __proto__ key', JSON.parse('{"__proto__": {"polluted": "yes"}}')],
      ['a dotted __proto__ key', { '__proto__.polluted': 'yes' }],
      ['a constructor.prototype key', { 'constructor.prototype.polluted': 'yes' }],
      ['a constructor object', { constructor: { prototype: { polluted: 'yes' } } }],
      ['an inherited name', { toString: 'yes' }],
      ['__proto__ inside a complex value', { name: JSON.parse('{"__proto__": {"polluted": "yes"}}') }],
      [
        '__proto__ inside a multi-valued value',
        { emails: [JSON.parse('{"value": "a@b.c", "__proto__": {"polluted": "yes"}}')] },
      ],
      ['__proto__ inside an extension', { [ENT]: JSON.parse('{"__proto__": {"polluted": "yes"}}') }],
      ['a flat extension __proto__ key', { [`${ENT}:__proto__`]: { polluted: 'yes' } }],
      ['a flat extension sub-attribute __proto__ key', { [`${ENT}:manager.__proto__`]: { polluted: 'yes' } }],
    ];
    for (const op of ['add', 'replace']) {
      for (const [label, value] of values) {
        it(`rejects a path-less ${op} with ${label}`, () => {
          expectRejected(bjensen(), [{ op, value }]);
        });
      }
    }

    it('rejects __proto__ inside the value of a path', () => {
      expectRejected(bjensen(), [
        { op: 'add', path: 'emails', value: [JSON.parse('{"__proto__": {"polluted": "yes"}}')] },
      ]);
      expectRejected(bjensen(), [
        { op: 'replace', path: 'name', value: JSON.parse('{"constructor": {"polluted": "yes"}}') },
      ]);
      expectRejected(group(1), [
        { op: 'remove', path: 'members', value: [JSON.parse('{"__proto__": {"polluted": "yes"}}')] },
      ]);
    });

    it('ignores an inherited (non-own) __proto__ of a JavaScript literal and never writes it', () => {
      const value = { nickName: 'Babs', __proto__: { polluted: 'yes' } };
      const { resource } = applyPatch(bjensen(), [{ op: 'add', value }]);
      expect(resource.nickName).toBe('Babs');
      expect(Object.getPrototypeOf(resource)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('rejects operation keys that are not own properties', () => {
      const operation = Object.create({ op: 'add', path: 'nickName', value: 'x' }) as object;
      expectRejected(bjensen(), [operation], 'invalidSyntax');
    });
  });

  it('never modifies the resource when it carries an own __proto__ key', () => {
    const resource = JSON.parse(
      '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a", "__proto__": {"x": 1}}',
    );
    const { resource: patched } = applyPatch(resource, [{ op: 'replace', path: 'userName', value: 'b' }]);
    expect(patched.userName).toBe('b');
    expect(Object.getPrototypeOf(patched)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('does not overflow on deeply nested values', () => {
    let value: unknown = 'x';
    for (let i = 0; i < 100_000; i++) value = { value };
    // name.value is no sub-attribute: skipped without being walked, or rejected under strict.
    const lenient = applyPatch(bjensen(), {
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'replace', path: 'name', value }],
    });
    expect(lenient.warnings.map((warning) => warning.path)).toEqual(['name.value']);
    expect(() =>
      applyPatch(
        bjensen(),
        { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'replace', path: 'name', value }] },
        { strict: true },
      ),
    ).toThrow(/unknown sub-attribute "value" of "name"/);
    expectRejected(bjensen(), [{ op: 'replace', path: 'emails', value: [value] }], 'invalidValue');
    let list: unknown = [];
    for (let i = 0; i < 100_000; i++) list = [list];
    expectRejected(bjensen(), [{ op: 'add', path: 'emails', value: list }], 'invalidValue');
  });

  it('rejects a value filter comparing with a number out of range (1e400) with invalidPath', () => {
    for (const op of ['add', 'replace', 'remove'] as const) {
      expectRejected(bjensen(), [{ op, path: 'emails[value eq 1e400].type', value: 'work' }]);
    }
  });

  it('names a number out of range (1e400) as Infinity, not null, in the error detail', () => {
    expect(() =>
      applyPatch(bjensen(), {
        schemas: [PATCH_OP_SCHEMA],
        Operations: [{ op: 'replace', path: 'displayName', value: JSON.parse('1e400') }],
      }),
    ).toThrow(/expects a string, found number Infinity/);
  });

  it('bounds hostile path lengths and filter depth', () => {
    expectRejected(bjensen(), [
      { op: 'add', path: `emails[${'('.repeat(10_000)}type eq "x"${')'.repeat(10_000)}].value`, value: 'x' },
    ]);
  });
});
