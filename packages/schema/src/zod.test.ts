import { describe, expect, it } from 'vitest';
import { ERROR_SCHEMA } from './errors.js';
import { ENTERPRISE_USER_SCHEMA, LIST_RESPONSE_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from './urns.js';
import {
  dateTimeSchema,
  groupInputSchema,
  listResponseSchema,
  patchOpSchema,
  scimErrorSchema,
  userInputSchema,
  userSchema,
  x509CertificateSchema,
} from './zod.js';

const meta = {
  resourceType: 'User',
  created: '2010-01-23T04:56:22Z',
  lastModified: '2011-05-13T04:42:34Z',
  location: 'https://example.com/v2/Users/2819c223',
  version: 'W/"a330bc54f0671c9"',
};

describe('userSchema', () => {
  it('parses a User and keeps extension objects', () => {
    const user = userSchema.parse({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      id: '2819c223',
      userName: 'bjensen',
      meta,
      [ENTERPRISE_USER_SCHEMA]: { department: 'Tour Operations' },
      'urn:example:custom': { x: 1 },
    });
    expect(user[ENTERPRISE_USER_SCHEMA]?.department).toBe('Tour Operations');
    expect(user['urn:example:custom']).toEqual({ x: 1 });
  });

  it('rejects a User without id or meta', () => {
    expect(userSchema.safeParse({ schemas: [USER_SCHEMA], userName: 'bjensen' }).success).toBe(false);
  });
});

describe('userInputSchema', () => {
  it('requires userName', () => {
    const result = userInputSchema.safeParse({ schemas: [USER_SCHEMA] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['userName']);
  });

  it('rejects a string boolean (use validateResource for lenient input)', () => {
    expect(userInputSchema.safeParse({ schemas: [USER_SCHEMA], userName: 'a', active: 'True' }).success).toBe(
      false,
    );
  });
});

describe('groupInputSchema', () => {
  it('requires displayName', () => {
    expect(
      groupInputSchema.safeParse({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }).success,
    ).toBe(false);
  });
});

describe('listResponseSchema', () => {
  it('defaults Resources to an empty list', () => {
    const page = listResponseSchema(userSchema).parse({ schemas: [LIST_RESPONSE_SCHEMA], totalResults: 0 });
    expect(page.Resources).toEqual([]);
  });

  it('validates every item', () => {
    const result = listResponseSchema(userSchema).safeParse({
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: 1,
      Resources: [{ userName: 'x' }],
    });
    expect(result.success).toBe(false);
  });
});

describe('patchOpSchema', () => {
  it('lower-cases Entra op names', () => {
    const body = patchOpSchema.parse({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(body.Operations[0]?.op).toBe('replace');
  });

  it('rejects an unknown op', () => {
    expect(
      patchOpSchema.safeParse({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'move' }] }).success,
    ).toBe(false);
  });
});

describe('scimErrorSchema', () => {
  it('turns a numeric status into a string', () => {
    expect(scimErrorSchema.parse({ schemas: [ERROR_SCHEMA], status: 404 }).status).toBe('404');
  });
});

describe('dateTimeSchema', () => {
  it('accepts offsets and fractional seconds and rejects impossible dates', () => {
    expect(dateTimeSchema.safeParse('2011-08-01T18:29:49.793Z').success).toBe(true);
    expect(dateTimeSchema.safeParse('2011-08-01T20:29:49+02:00').success).toBe(true);
    expect(dateTimeSchema.safeParse('2011-02-30T00:00:00Z').success).toBe(false);
    expect(dateTimeSchema.safeParse('yesterday').success).toBe(false);
  });
});

describe('x509CertificateSchema', () => {
  it('requires base64 values', () => {
    expect(x509CertificateSchema.safeParse({ value: 'TUlJRERD' }).success).toBe(true);
    expect(x509CertificateSchema.safeParse({ value: 'not base64!' }).success).toBe(false);
  });
});
