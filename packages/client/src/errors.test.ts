import { ERROR_SCHEMA, isScimError, ScimError } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { httpError, ScimClientError, ScimHttpError, ScimPreconditionFailedError } from './errors.js';

describe('ScimClientError', () => {
  it('is a ScimError of @scimkit/schema with its RFC 7644 body', () => {
    const error = new ScimClientError('pageSize must be a positive integer, got 0.', {
      status: 400,
      scimType: 'invalidValue',
    });
    expect(error).toBeInstanceOf(ScimError);
    expect(isScimError(error)).toBe(true);
    expect(error.name).toBe('ScimClientError');
    expect(error.toJSON()).toEqual({
      schemas: [ERROR_SCHEMA],
      status: '400',
      scimType: 'invalidValue',
      detail: 'pageSize must be a positive integer, got 0.',
    });
  });

  it('keeps the cause', () => {
    const cause = new Error('boom');
    expect(new ScimClientError('failed', { status: 502, cause }).cause).toBe(cause);
  });
});

describe('httpError', () => {
  it('reads detail and a known scimType from the Error body', () => {
    const error = httpError({
      status: 409,
      method: 'POST',
      url: 'https://example.com/Users',
      body: { schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness', detail: 'userName taken' },
    });
    expect(error).toBeInstanceOf(ScimHttpError);
    expect(error).toBeInstanceOf(ScimError);
    expect(error.scimType).toBe('uniqueness');
    expect(error.detail).toBe('userName taken');
    expect(error.toJSON().status).toBe('409');
  });

  it('drops a scimType that is not one of the RFC values, also inherited names', () => {
    for (const scimType of ['notAType', 'toString', '__proto__', 42]) {
      const error = httpError({
        status: 400,
        method: 'GET',
        url: 'https://example.com/Users',
        body: { scimType },
      });
      expect(error.scimType).toBeUndefined();
      expect(error.detail).toBe('The server answered HTTP 400 without an error detail.');
    }
  });

  it('builds a ScimPreconditionFailedError for 412', () => {
    const error = httpError({ status: 412, method: 'PUT', url: 'https://example.com/Users/1', body: '' });
    expect(error).toBeInstanceOf(ScimPreconditionFailedError);
  });
});
