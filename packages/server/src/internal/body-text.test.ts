import { describe, expect, it } from 'vitest';
import { bodyText, cacheableBodies, ListResponseBody } from './body-text.js';

const cached = Object.freeze({ id: 'a', name: { givenName: 'Ä "quoted"' }, emails: [{ value: 'x' }] });
cacheableBodies.add(cached);
const plain = { id: 'b', note: 'line\nbreak', '\u2028': '</script>' };

describe('bodyText', () => {
  it('writes a cached resource as JSON.stringify does, and reuses the text', () => {
    expect(bodyText(cached)).toBe(JSON.stringify(cached));
    expect(bodyText(cached)).toBe(bodyText(cached));
  });

  it('writes an index-paged ListResponse exactly as JSON.stringify does, with or without cached texts', () => {
    for (const Resources of [[], [cached], [plain], [cached, plain], [plain, cached]]) {
      const body = new ListResponseBody(7, { startIndex: 3 }, Resources);
      expect(Object.keys(body)).toEqual([
        'schemas',
        'totalResults',
        'startIndex',
        'itemsPerPage',
        'Resources',
      ]);
      expect(bodyText(body)).toBe(JSON.stringify(body));
      expect(JSON.parse(bodyText(body))).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 7,
        startIndex: 3,
        itemsPerPage: Resources.length,
        Resources,
      });
    }
  });

  it('writes a cursor-paged ListResponse with only the cursors it has, escaped', () => {
    const both = new ListResponseBody(2, { nextCursor: 'n"\\x', previousCursor: 'p\u0000' }, [cached]);
    expect(Object.keys(both)).toEqual([
      'schemas',
      'totalResults',
      'itemsPerPage',
      'nextCursor',
      'previousCursor',
      'Resources',
    ]);
    expect(bodyText(both)).toBe(JSON.stringify(both));
    expect(JSON.parse(bodyText(both)).nextCursor).toBe('n"\\x');
    const last = new ListResponseBody(2, { previousCursor: 'p' }, [plain]);
    expect(Object.keys(last)).not.toContain('nextCursor');
    expect(bodyText(last)).toBe(JSON.stringify(last));
    const none = new ListResponseBody(0, {}, []);
    expect(bodyText(none)).toBe(JSON.stringify(none));
  });

  it('stringifies any other body as JSON.stringify does', () => {
    const body = { schemas: ['x'], detail: 'no "cache"', status: '400' };
    expect(bodyText(body)).toBe(JSON.stringify(body));
    expect(bodyText('text')).toBe('"text"');
  });
});
