import { describe, expect, it } from 'vitest';
import * as main from '../index.js';
import * as errors from './errors.js';

describe('@scimkit/schema/errors', () => {
  it('exports the same values as the main entry', () => {
    const mainExports = new Map(Object.entries(main));
    for (const [name, value] of Object.entries(errors)) {
      expect(mainExports.has(name), name).toBe(true);
      expect(mainExports.get(name), name).toBe(value);
    }
  });

  it('exports ScimError, isScimError and the URNs', () => {
    expect(Object.keys(errors).sort()).toEqual(
      expect.arrayContaining([
        'ERROR_SCHEMA',
        'SCIM_ERROR_MARKER',
        'ScimError',
        'isScimError',
        'USER_SCHEMA',
      ]),
    );
  });
});

describe('isScimErrorType', () => {
  it('accepts every RFC 7644 and RFC 9865 scimType', () => {
    for (const type of errors.SCIM_ERROR_TYPES) expect(errors.isScimErrorType(type)).toBe(true);
    expect(errors.SCIM_ERROR_TYPES).toContain('invalidCursor');
    expect(errors.SCIM_ERROR_TYPES).toHaveLength(13);
  });

  it('rejects other values, also inherited names', () => {
    for (const value of ['toString', '__proto__', 'constructor', 'InvalidFilter', '', 1, null, undefined]) {
      expect(errors.isScimErrorType(value)).toBe(false);
    }
  });
});
