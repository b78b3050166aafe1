import { userResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import {
  checkVersion,
  queryTimedOut,
  resourceExists,
  resourceNotFound,
  shortened,
  valueInUse,
  versionMismatch,
} from './store-errors.js';

describe('store errors', () => {
  it('are SCIM errors with the status, scimType and an actionable detail', () => {
    expect(resourceNotFound(userResourceType, 'u1').toJSON()).toMatchObject({
      status: '404',
      detail: 'User "u1" does not exist.',
    });
    expect(versionMismatch(userResourceType, 'u1').toJSON()).toMatchObject({
      status: '412',
      detail: expect.stringMatching(/read it again and retry/),
    });
    expect(queryTimedOut(2000).toJSON()).toMatchObject({
      status: '400',
      scimType: 'tooMany',
      detail: expect.stringMatching(/\(2000 ms\): narrow the filter/),
    });
  });

  it('answers 409 uniqueness for a taken id or value, quoting at most 64 characters of the value', () => {
    expect(resourceExists(userResourceType, 'u1').toJSON()).toMatchObject({
      status: '409',
      scimType: 'uniqueness',
      detail: 'User "u1" already exists.',
    });
    expect(valueInUse('userName', 'bjensen').toJSON()).toMatchObject({
      status: '409',
      scimType: 'uniqueness',
      detail: 'userName "bjensen" is already in use by another resource.',
    });
    expect(valueInUse('emails.value').detail).toBe('emails.value is already in use by another resource.');
    expect(shortened('x'.repeat(65))).toBe(`${'x'.repeat(64)}…`);
    expect(shortened('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('checks an expected version against the stored one, and only when one is expected', () => {
    expect(() => checkVersion(userResourceType, 'u1', 'W/"2"', 'W/"1"')).toThrow(/version mismatch/);
    expect(() => checkVersion(userResourceType, 'u1', 'W/"2"', 'W/"2"')).not.toThrow();
    expect(() => checkVersion(userResourceType, 'u1', 'W/"2"', undefined)).not.toThrow();
  });
});
