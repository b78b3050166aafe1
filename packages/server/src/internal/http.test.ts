import { describe, expect, it } from 'vitest';
import { checkQueryEncoding, errorResult, MethodNotAllowedError } from './http.js';

describe('errorResult', () => {
  it('answers a MethodNotAllowedError with 405 and its typed Allow header', () => {
    const result = errorResult(new MethodNotAllowedError('GET, POST'), () => {
      throw new Error('not unexpected');
    });
    expect(result).toEqual({
      status: 405,
      headers: { allow: 'GET, POST' },
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '405',
        detail: 'This endpoint accepts GET, POST only.',
      },
    });
  });
});

describe('checkQueryEncoding', () => {
  const check = (query: string) => () => checkQueryEncoding(new URL(`http://h/scim/v2/Users${query}`));

  it('accepts UTF-8, plain text, literal percent signs and a query without escapes', () => {
    for (const query of [
      '',
      '?filter=userName%20eq%20%22%C3%A9%22',
      '?filter=a%zz',
      '?filter=a%zz%C3%A9%',
      '?filter=userName%20eq%20%22%C3%A9%22&attributes=%75serName&%C3%A9=%F0%9F%98%80',
      '?count=10&x',
      '?filter=%7F%00%41&count=%31',
      '?a=%F0%9F%98%80',
    ]) {
      expect(check(query), query).not.toThrow();
    }
  });

  it('names the parameter whose bytes are not UTF-8: invalidFilter for filter, invalidSyntax otherwise', () => {
    expect(check('?count=1&Filter=%FF')).toThrow(
      expect.objectContaining({
        status: 400,
        scimType: 'invalidFilter',
        detail:
          'The query parameter "Filter" is not valid UTF-8 once percent-decoded; percent-encode UTF-8 bytes only.',
      }),
    );
    expect(check('?excludedAttributes=%C3')).toThrow(
      expect.objectContaining({
        scimType: 'invalidSyntax',
        detail: expect.stringContaining('"excludedAttributes"'),
      }),
    );
    // An encoded lone surrogate (CESU-8) and an overlong encoding are not UTF-8 either.
    expect(check('?filter=%ED%A0%80')).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
    expect(check('?filter=%C0%AF')).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
    expect(check('?%FF=1')).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
    // A literal percent sign does not excuse the bytes after it.
    expect(check('?filter=100%25%zz%FF')).toThrow(expect.objectContaining({ scimType: 'invalidFilter' }));
    // Valid parts before and after do not hide the one that is not UTF-8.
    expect(check('?count=%31&sortBy=%C3&filter=%C3%A9')).toThrow(
      expect.objectContaining({ scimType: 'invalidSyntax', detail: expect.stringContaining('"sortBy"') }),
    );
  });
});
