import { describe, expect, it } from 'vitest';
import { bodyText, cacheableBodies, errorResult, listBodies, MethodNotAllowedError } from './http.js';

describe('bodyText', () => {
  it('writes a ListResponse from cached resource texts exactly as JSON.stringify does', () => {
    const cached = Object.freeze({ id: 'a', name: { givenName: 'Ä "quoted"' }, emails: [{ value: 'x' }] });
    cacheableBodies.add(cached);
    expect(bodyText(cached)).toBe(JSON.stringify(cached));
    for (const Resources of [[], [cached], [cached, { id: 'b', note: 'line\nbreak' }]]) {
      const body = {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 7,
        startIndex: 1,
        itemsPerPage: Resources.length,
        Resources,
      };
      listBodies.add(body);
      expect(bodyText(body)).toBe(JSON.stringify(body));
    }
  });

  it('stringifies any other body as JSON.stringify does', () => {
    const body = { schemas: ['x'], detail: 'no "cache"', status: '400' };
    expect(bodyText(body)).toBe(JSON.stringify(body));
    expect(bodyText('text')).toBe('"text"');
  });
});

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
