import { describe, expect, it } from 'vitest';
import { ERROR_SCHEMA, isScimError, SCIM_ERROR_MARKER, ScimError } from './errors.js';
import { ScimValidationError } from './validation.js';

describe('ScimError', () => {
  it('carries status, scimType and detail and serialises to the RFC Error body', () => {
    const error = new ScimError('userName "bjensen" is already taken', {
      status: 409,
      scimType: 'uniqueness',
    });
    expect(error.message).toBe('userName "bjensen" is already taken');
    expect(error.toJSON()).toEqual({
      schemas: [ERROR_SCHEMA],
      status: '409',
      scimType: 'uniqueness',
      detail: 'userName "bjensen" is already taken',
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
  });

  it('defaults to 400 without a scimType', () => {
    expect(new ScimError('bad').toJSON()).toEqual({ schemas: [ERROR_SCHEMA], status: '400', detail: 'bad' });
  });
});

describe('isScimError', () => {
  it('recognises scimkit errors and their subclasses', () => {
    expect(isScimError(new ScimError('x'))).toBe(true);
    expect(
      isScimError(new ScimValidationError([{ path: 'a', scimType: 'invalidValue', message: 'm' }])),
    ).toBe(true);
  });

  it('recognises an error of another installed copy by its Symbol.for marker', () => {
    const foreign = Object.assign(new Error('from another copy'), {
      status: 400,
      scimType: 'invalidFilter',
      detail: 'from another copy',
      toJSON: () => ({ schemas: [ERROR_SCHEMA], status: '400' }),
      [Symbol.for('scimkit.error')]: true,
    });
    expect(isScimError(foreign)).toBe(true);
    expect(isScimError({ [SCIM_ERROR_MARKER]: true })).toBe(true);
  });

  it('rejects other values', () => {
    for (const value of [
      new Error('x'),
      { status: 400, detail: 'x' },
      null,
      undefined,
      'error',
      42,
      { [Symbol('scimkit.error')]: true },
    ]) {
      expect(isScimError(value)).toBe(false);
    }
  });
});

describe('ScimValidationError', () => {
  it('takes its scimType from the first issue and summarises at most five issues', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({
      path: `a${i}`,
      scimType: i === 0 ? ('mutability' as const) : ('invalidValue' as const),
      message: `m${i}`,
    }));
    const error = new ScimValidationError(issues);
    expect(error.scimType).toBe('mutability');
    expect(error.status).toBe(400);
    expect(error.name).toBe('ScimValidationError');
    expect(error.detail).toBe('a0: m0; a1: m1; a2: m2; a3: m3; a4: m4 (and 2 more)');
    expect(error.issues).toHaveLength(7);
  });
});
