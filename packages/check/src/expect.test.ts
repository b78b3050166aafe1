import { describe, expect, it } from 'vitest';
import { CheckFailure, expectIds, expectScimError, mismatch, readList } from './expect.js';
import type { Answer } from './http.js';

function answer(status: number, body: unknown): Answer {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    status,
    headers: new Headers(),
    text,
    body,
    exchange: {
      request: {
        method: 'GET',
        url: 'http://127.0.0.1/scim/v2/Users?filter=userName%20eq%20%22x%22',
        headers: {},
      },
      response: { status, headers: {}, body: text },
    },
  };
}

function failureOf(run: () => void): CheckFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof CheckFailure) return error;
    throw error;
  }
  throw new Error('no failure');
}

describe('mismatch', () => {
  it('reads objects as toMatchObject does: listed keys only, arrays element by element', () => {
    expect(mismatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } })).toBeUndefined();
    expect(mismatch({ a: [{ v: 1, x: 0 }] }, { a: [{ v: 1 }] })).toBeUndefined();
    expect(mismatch({ a: [{ v: 1 }, { v: 2 }] }, { a: [{ v: 1 }] })).toBe(
      'a has 2 values, expected 1: [{"v":1},{"v":2}]',
    );
    expect(mismatch({ b: { c: 3 } }, { b: { c: 2 } })).toBe('b.c is 3, expected 2');
    expect(mismatch({ b: 'x' }, { b: { c: 2 } })).toBe('b is "x", expected an object');
    expect(mismatch(undefined, { b: 1 })).toBe('the body is nothing, expected an object');
  });
});

describe('expectScimError', () => {
  it('accepts an RFC 7644 Error with the status as a string', () => {
    expectScimError(
      answer(409, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '409',
        scimType: 'uniqueness',
      }),
      409,
      'uniqueness',
    );
  });

  it('says what is wrong: status, schema, status type, scimType', () => {
    expect(failureOf(() => expectScimError(answer(200, {}), 400)).message).toBe(
      'GET /scim/v2/Users?filter=userName eq "x" answered 200, expected 400',
    );
    expect(failureOf(() => expectScimError(answer(400, { status: '400' }), 400)).message).toBe(
      "the 400 answer's body does not carry the Error schema URN",
    );
    const numeric = { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: 400 };
    expect(failureOf(() => expectScimError(answer(400, numeric), 400)).details.expected).toBe(
      '"status": "400" (the HTTP status as a JSON string)',
    );
    const typed = { ...numeric, status: '400', scimType: 'invalidValue' };
    expect(failureOf(() => expectScimError(answer(400, typed), 400, 'invalidFilter')).message).toBe(
      'the Error body\'s scimType is "invalidValue"',
    );
  });
});

describe('readList', () => {
  it('reads a bare array leniently and says it is no ListResponse', () => {
    const list = readList(answer(200, [{ id: 'a' }]));
    expect(list).toMatchObject({ isListResponse: false, totalResults: undefined, resources: [{ id: 'a' }] });
  });

  it('takes a missing Resources as none', () => {
    const body = { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0 };
    expect(readList(answer(200, body))).toMatchObject({
      isListResponse: true,
      totalResults: 0,
      resources: [],
    });
  });
});

describe('expectIds', () => {
  it('names the resources found and expected', () => {
    const names = new Map([
      ['1', 'alice'],
      ['2', 'bob'],
    ]);
    const failure = failureOf(() => expectIds(answer(200, {}), ['2', '2'], ['1', '2'], names));
    expect(failure.details).toMatchObject({ expected: 'alice, bob', actual: 'bob, bob' });
  });
});
