import { rfcFilters, rfcPaths } from '@scimkit/test-utils';
import { describe, expect, it } from 'vitest';
import { errorOf } from './__fixtures__/error-of.js';
import { strip } from './__fixtures__/strip.js';
import { isFilterSyntaxError } from './errors.js';
import { MAX_DEPTH_CEILING } from './options.js';
import {
  parseAttributeList,
  parseFilter,
  parsePath,
  parseSortBy,
  safeParseFilter,
  safeParsePath,
} from './parser.js';

const path = (attribute: string, extra: { schema?: string; subAttribute?: string } = {}) => ({
  kind: 'AttributePath',
  ...(extra.schema ? { schema: extra.schema } : {}),
  attribute,
  ...(extra.subAttribute ? { subAttribute: extra.subAttribute } : {}),
});

describe('parseFilter', () => {
  it.each(rfcFilters)('parses the RFC 7644 example %s', (text) => {
    const filter = parseFilter(text);
    expect(filter.loc).toEqual({ start: 0, end: text.length });
  });

  it('parses a comparison with positions on every node', () => {
    expect(parseFilter('userName eq "bjensen"')).toEqual({
      kind: 'Comparison',
      path: { kind: 'AttributePath', attribute: 'userName', loc: { start: 0, end: 8 } },
      operator: 'eq',
      value: 'bjensen',
      loc: { start: 0, end: 21 },
    });
  });

  it('splits a schema URN from the attribute at the last colon', () => {
    expect(strip(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName pr'))).toEqual({
      kind: 'Present',
      path: path('name', { schema: 'urn:ietf:params:scim:schemas:core:2.0:User', subAttribute: 'givenName' }),
    });
    expect(strip(parseFilter('urn:acme:scim:ext:2.0:Device:serial eq "a:b"'))).toMatchObject({
      path: path('serial', { schema: 'urn:acme:scim:ext:2.0:Device' }),
      value: 'a:b',
    });
  });

  it('splits IETF URNs the same way in any case and version', () => {
    for (const schema of [
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Group',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Userx',
      'urn:ietf:params:scim:schemas:extension:acme:1.5:Device',
      'URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER',
    ]) {
      expect(strip(parseFilter(`${schema}:members.value pr`))).toEqual({
        kind: 'Present',
        path: path('members', { schema, subAttribute: 'value' }),
      });
    }
    expect(errorOf(() => parseFilter('urn:ietf:params:scim:schemas:core:2.0:User: pr')).message).toBe(
      'Expected an attribute name, found " " at position 43.',
    );
    expect(errorOf(() => parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:a.b.c pr')).position).toBe(
      46,
    );
  });

  it('binds and tighter than or, and chains to the left', () => {
    expect(strip(parseFilter('a pr or b pr and c pr or d pr'))).toEqual({
      kind: 'Or',
      left: {
        kind: 'Or',
        left: { kind: 'Present', path: path('a') },
        right: {
          kind: 'And',
          left: { kind: 'Present', path: path('b') },
          right: { kind: 'Present', path: path('c') },
        },
      },
      right: { kind: 'Present', path: path('d') },
    });
  });

  it('reads keywords and operators in any case', () => {
    expect(strip(parseFilter('A EQ 1 AND NOT(B Pr) oR c Le 2'))).toEqual(
      strip(parseFilter('A eq 1 and not(B pr) or c le 2')),
    );
  });

  it('accepts not with and without a space before the parenthesis', () => {
    expect(strip(parseFilter('not (a pr)'))).toEqual(strip(parseFilter('not(a pr)')));
    expect(parseFilter('not (a pr)').loc).toEqual({ start: 0, end: 10 });
  });

  it('treats an attribute named not as an attribute', () => {
    expect(strip(parseFilter('not eq "x"'))).toEqual({
      kind: 'Comparison',
      path: path('not'),
      operator: 'eq',
      value: 'x',
    });
  });

  it('parses every operator', () => {
    for (const operator of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']) {
      expect(parseFilter(`a ${operator} 1`)).toMatchObject({ operator });
    }
  });

  it('decodes JSON values', () => {
    const value = (text: string) => (parseFilter(`a eq ${text}`) as { value: unknown }).value;
    expect(value('"q\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"')).toBe('q"\\/\b\f\n\r\té😀');
    expect(value('"héllo 😀"')).toBe('héllo 😀');
    expect(value('-12.5e+3')).toBe(-12500);
    expect(value('0.25')).toBe(0.25);
    expect(value('1E2')).toBe(100);
    expect(value('0')).toBe(0);
    expect(value('true')).toBe(true);
    expect(value('false')).toBe(false);
    expect(value('null')).toBe(null);
  });

  it('parses value paths with relative paths inside', () => {
    expect(strip(parseFilter('emails[type eq "work" and value co "@example.com"]'))).toEqual({
      kind: 'ValuePath',
      path: path('emails'),
      filter: {
        kind: 'And',
        left: { kind: 'Comparison', path: path('type'), operator: 'eq', value: 'work' },
        right: { kind: 'Comparison', path: path('value'), operator: 'co', value: '@example.com' },
      },
    });
  });

  it('accepts $ref as an attribute name', () => {
    expect(strip(parseFilter('members.$ref pr'))).toEqual({
      kind: 'Present',
      path: path('members', { subAttribute: '$ref' }),
    });
  });

  it('parses 10 000 terms without overflowing', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `a${i} eq ${i}`).join(' and ');
    const filter = parseFilter(text, { maxLength: Number.POSITIVE_INFINITY });
    expect(filter.kind).toBe('And');
    expect(filter.loc).toEqual({ start: 0, end: text.length });
  });

  it('rejects 100 000 nested parentheses with an error, not a stack overflow', () => {
    const error = errorOf(() => parseFilter('('.repeat(100_000), { maxLength: Number.POSITIVE_INFINITY }));
    expect(error.message).toBe('Expected at most 64 levels of nesting, found "(" at position 64.');
    expect(error.position).toBe(64);
  });

  it('rejects 100 000 nested not( with an error, not a stack overflow', () => {
    const error = errorOf(() => parseFilter('not('.repeat(100_000), { maxLength: Number.POSITIVE_INFINITY }));
    expect(error.message).toBe('Expected at most 64 levels of nesting, found "not" at position 256.');
  });

  it('caps an unbounded maxDepth at MAX_DEPTH_CEILING, so 10 000 nested parentheses are a syntax error, not a RangeError', () => {
    const nested = (depth: number, open: string) => `${open.repeat(depth)}a pr${')'.repeat(depth)}`;
    for (const maxDepth of [Number.POSITIVE_INFINITY, Number.NaN, 1e9]) {
      const options = { maxDepth, maxLength: Number.POSITIVE_INFINITY };
      expect(parseFilter(nested(MAX_DEPTH_CEILING, '('), options).kind).toBe('Present');
      const parentheses = errorOf(() => parseFilter(nested(10_000, '('), options));
      expect(parentheses.message).toBe('Expected at most 256 levels of nesting, found "(" at position 256.');
      const nots = errorOf(() => parseFilter(nested(10_000, 'not ('), options));
      expect(nots.message).toBe('Expected at most 256 levels of nesting, found "not" at position 1280.');
      const path = errorOf(() => parsePath(`emails[${nested(10_000, '(')}]`, options));
      expect(path.scimType).toBe('invalidPath');
      expect(path.message).toBe('Expected at most 256 levels of nesting, found "(" at position 262.');
    }
  });

  it('honours maxDepth and maxLength', () => {
    expect(parseFilter('((a pr))', { maxDepth: 2 }).kind).toBe('Present');
    const deep = errorOf(() => parseFilter('((a pr))', { maxDepth: 1 }));
    expect(deep.message).toBe('Expected at most 1 levels of nesting, found "(" at position 1.');
    const long = errorOf(() => parseFilter('a eq "0123456789"', { maxLength: 10 }));
    expect(long.message).toBe('Expected at most 10 characters, found 17 characters at position 10.');
    expect(errorOf(() => parseFilter('('.repeat(100_000))).position).toBe(8192);
  });

  describe('lenient mode', () => {
    it('lowers an attribute after a value path into the value filter (Entra ID)', () => {
      const filter = parseFilter('emails[type eq "work"].value eq "x"', { lenient: true });
      expect(strip(filter)).toEqual({
        kind: 'ValuePath',
        path: path('emails'),
        filter: {
          kind: 'And',
          left: { kind: 'Comparison', path: path('type'), operator: 'eq', value: 'work' },
          right: { kind: 'Comparison', path: path('value'), operator: 'eq', value: 'x' },
        },
      });
      expect(filter.loc).toEqual({ start: 0, end: 35 });
    });

    it('accepts unquoted values, any-case literals and runs of whitespace', () => {
      expect(strip(parseFilter('externalId  eq\tabc@x.com and (a eq True)', { lenient: true }))).toEqual({
        kind: 'And',
        left: { kind: 'Comparison', path: path('externalId'), operator: 'eq', value: 'abc@x.com' },
        right: { kind: 'Comparison', path: path('a'), operator: 'eq', value: true },
      });
    });

    it('reads an unquoted dateTime as one string value (7 fraction digits, any offset)', () => {
      expect(
        strip(parseFilter('meta.created gt 2015-10-10T14:38:21.8617979-07:00', { lenient: true })),
      ).toEqual({
        kind: 'Comparison',
        path: path('meta', { subAttribute: 'created' }),
        operator: 'gt',
        value: '2015-10-10T14:38:21.8617979-07:00',
      });
      expect(strip(parseFilter('(a lt 2015-10-10T14:38:21Z) and b eq 42', { lenient: true }))).toEqual({
        kind: 'And',
        left: { kind: 'Comparison', path: path('a'), operator: 'lt', value: '2015-10-10T14:38:21Z' },
        right: { kind: 'Comparison', path: path('b'), operator: 'eq', value: 42 },
      });
      expect(errorOf(() => parseFilter('meta.created gt 2015-10-10T14:38:21Z')).message).toBe(
        'Expected "and", "or" or end of input, found "-10" at position 20.',
      );
    });

    it('still rejects a missing value', () => {
      expect(errorOf(() => parseFilter('a eq )', { lenient: true })).position).toBe(5);
    });
  });

  describe('errors', () => {
    const cases: [string, string, number][] = [
      ['', 'Expected an attribute path, "(" or "not", found end of input at position 0.', 0],
      [
        'userName',
        'Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr), found end of input at position 8.',
        8,
      ],
      [
        'userName xx "a"',
        'Expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr), found "xx" at position 9.',
        9,
      ],
      [
        'userName eq',
        'Expected a value (a string in double quotes, a number, true, false or null), found end of input at position 11.',
        11,
      ],
      [
        'userName eq bjensen',
        'Expected a value (a string in double quotes, a number, true, false or null), found "bjensen" at position 12.',
        12,
      ],
      [
        'a eq True',
        'Expected a value (a string in double quotes, a number, true, false or null), found "True" at position 5.',
        5,
      ],
      ['a eq "x', "Expected a closing '\"', found end of input at position 7.", 7],
      [
        'a eq "\\q"',
        'Expected an escape character (", \\, /, b, f, n, r, t or u), found "q" at position 7.',
        7,
      ],
      ['a eq "\\u12G4"', 'Expected a hexadecimal digit, found "G" at position 10.', 10],
      ['a eq "x\ny"', 'Unexpected "\\n" at position 7: control characters must be escaped in strings.', 7],
      ['a eq 01', 'Unexpected "1" at position 6: numbers do not start with 0.', 6],
      ['a eq -x', 'Expected a digit, found "x" at position 6.', 6],
      ['a eq 1.', 'Expected a digit, found end of input at position 7.', 7],
      ['a eq 1e', 'Expected a digit, found end of input at position 7.', 7],
      ['a pr b pr', 'Expected "and", "or" or end of input, found "b" at position 5.', 5],
      ['(a pr', 'Expected "and", "or" or ")", found end of input at position 5.', 5],
      ['a pr)', 'Expected "and", "or" or end of input, found ")" at position 4.', 4],
      ['not a pr', 'Expected "(", found "a" at position 4.', 4],
      ['a pr and', 'Expected an attribute path, "(" or "not", found end of input at position 8.', 8],
      ['a pr or @', 'Expected an attribute path, "(" or "not", found "@" at position 8.', 8],
      ['emails[type eq "work"', 'Expected "and", "or" or "]", found end of input at position 21.', 21],
      ['emails[type[value pr]]', 'Unexpected "[" at position 11: value paths cannot be nested.', 11],
      [
        'emails.value[type pr]',
        'Unexpected "[" at position 12: a value path applies to an attribute, not to a sub-attribute.',
        12,
      ],
      [
        'emails[type eq "work"].value eq "x"',
        'Unexpected "." at position 22: an attribute after a value path is accepted only in lenient mode.',
        22,
      ],
      ['a.b.c pr', 'Unexpected "." at position 3: paths have at most one sub-attribute.', 3],
      ['a. pr', 'Expected a sub-attribute name, found " " at position 2.', 2],
      ['a:b pr', 'Unexpected ":" at position 1: a schema URN starts with "urn:".', 1],
      ['urn:x: pr', 'Expected an attribute name, found " " at position 6.', 6],
      ['urn::a pr', 'Expected a schema URN, found ":" at position 4.', 4],
      ['a-b_c pr and _x pr', 'Expected an attribute path, "(" or "not", found "_" at position 13.', 13],
      ['a eq  "x"', 'Unexpected run of spaces at position 5: only single spaces separate tokens.', 5],
      ['a eq\t"x"', 'Unexpected tab at position 4: only single spaces separate tokens.', 4],
      ['a\npr', 'Unexpected line break at position 1: only single spaces separate tokens.', 1],
    ];
    it.each(cases)('reports %j', (text, message, position) => {
      const error = errorOf(() => parseFilter(text));
      expect(error.message).toBe(message);
      expect(error.detail).toBe(message);
      expect(error.position).toBe(position);
      expect(error.scimType).toBe('invalidFilter');
    });

    it('carries expected, found, a code frame and the RFC error body', () => {
      const error = errorOf(() => parseFilter('userName eq bjensen'));
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('FilterSyntaxError');
      expect(error.status).toBe(400);
      expect(error.expected).toBe('a value (a string in double quotes, a number, true, false or null)');
      expect(error.found).toBe('"bjensen"');
      expect(error.input).toBe('userName eq bjensen');
      expect(error.frame).toBe('userName eq bjensen\n            ^');
      expect(error.toJSON()).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidFilter',
        detail: error.detail,
      });
      expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
      expect((error as unknown as Record<symbol, unknown>)[Symbol.for('scimkit.error')]).toBe(true);
      expect(isFilterSyntaxError(error)).toBe(true);
      expect(isFilterSyntaxError(new Error('x'))).toBe(false);
      expect(isFilterSyntaxError(null)).toBe(false);
    });

    it('trims the code frame of long input around the position', () => {
      const text = `${'a pr and '.repeat(20)}b xx 1 and ${'c pr and '.repeat(20)}d pr`;
      const error = errorOf(() => parseFilter(text));
      const [line, caret] = error.frame.split('\n');
      expect(line!.startsWith('…')).toBe(true);
      expect(line!.endsWith('…')).toBe(true);
      expect(line![caret!.length - 1]).toBe('x');
    });

    it('rejects input that is not a string', () => {
      const error = errorOf(() => parseFilter(42 as unknown as string));
      expect(error.message).toBe('Expected a string, found number at position 0.');
    });
  });
});

describe('safeParseFilter', () => {
  it('returns the filter or the error', () => {
    const ok = safeParseFilter('a pr');
    expect(ok.success && ok.data.kind).toBe('Present');
    const bad = safeParseFilter('a');
    expect(!bad.success && bad.error.position).toBe(1);
  });
});

describe('parsePath', () => {
  it.each(rfcPaths)('parses the RFC 7644 example %s', (text) => {
    expect(parsePath(text).loc).toEqual({ start: 0, end: text.length });
  });

  it('parses an attribute path with a sub-attribute', () => {
    expect(strip(parsePath('name.familyName'))).toEqual({
      kind: 'PatchPath',
      path: path('name', { subAttribute: 'familyName' }),
    });
  });

  it('parses a value path with a sub-attribute after it', () => {
    expect(strip(parsePath('members[value eq "2819c223"].displayName'))).toEqual({
      kind: 'PatchPath',
      path: path('members'),
      valueFilter: { kind: 'Comparison', path: path('value'), operator: 'eq', value: '2819c223' },
      subAttribute: 'displayName',
    });
  });

  it('parses extension URN paths', () => {
    expect(
      strip(parsePath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value')),
    ).toEqual({
      kind: 'PatchPath',
      path: path('manager', {
        schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        subAttribute: 'value',
      }),
    });
  });

  const cases: [string, string, number][] = [
    ['', 'Expected an attribute path, found end of input at position 0.', 0],
    ['emails[type eq "work"', 'Expected "and", "or" or "]", found end of input at position 21.', 21],
    ['emails[type eq "work"].', 'Expected a sub-attribute name, found end of input at position 23.', 23],
    ['emails[type eq "work"].value.x', 'Unexpected "." at position 28.', 28],
    ['emails[type eq "work"] x', 'Expected "." or end of input, found "x" at position 23.', 23],
    ['emails x', 'Expected "[" or end of input, found "x" at position 7.', 7],
    [
      'emails[type eq work]',
      'Expected a value (a string in double quotes, a number, true, false or null), found "work" at position 15.',
      15,
    ],
    ['emails[type[x pr]]', 'Unexpected "[" at position 11: value paths cannot be nested.', 11],
  ];
  it.each(cases)('reports %j as invalidPath', (text, message, position) => {
    const error = errorOf(() => parsePath(text));
    expect(error.message).toBe(message);
    expect(error.position).toBe(position);
    expect(error.scimType).toBe('invalidPath');
    expect(error.toJSON().scimType).toBe('invalidPath');
  });
});

describe('safeParsePath', () => {
  it('returns the path or the error', () => {
    const ok = safeParsePath('members');
    expect(ok.success && ok.data.path.attribute).toBe('members');
    const bad = safeParsePath('members[');
    expect(!bad.success && bad.error.scimType).toBe('invalidPath');
  });
});

describe('parseAttributeList', () => {
  it('parses comma-separated attribute paths', () => {
    expect(strip(parseAttributeList('userName,name.givenName, urn:acme:scim:ext:2.0:Device:serial'))).toEqual(
      [
        path('userName'),
        path('name', { subAttribute: 'givenName' }),
        path('serial', { schema: 'urn:acme:scim:ext:2.0:Device' }),
      ],
    );
  });

  it('gives an empty list for an empty text', () => {
    expect(parseAttributeList('')).toEqual([]);
  });

  it('rejects empty items and stray characters', () => {
    const empty = errorOf(() => parseAttributeList('userName,,emails'));
    expect(empty.message).toBe('Expected an attribute path, found "," at position 9.');
    expect(empty.scimType).toBe('invalidPath');
    expect(errorOf(() => parseAttributeList('userName emails')).message).toBe(
      'Expected "," or end of input, found "emails" at position 9.',
    );
  });
});

describe('parseSortBy', () => {
  it('parses one attribute path', () => {
    expect(parseSortBy('name.familyName')).toEqual({
      kind: 'AttributePath',
      attribute: 'name',
      subAttribute: 'familyName',
      loc: { start: 0, end: 15 },
    });
  });

  it('rejects more than one path', () => {
    const error = errorOf(() => parseSortBy('userName,title'));
    expect(error.message).toBe('Expected end of input, found "," at position 8.');
    expect(error.scimType).toBe('invalidPath');
  });
});

describe('parseFilter numbers', () => {
  it('rejects a number out of range (1e400) at its position instead of yielding Infinity', () => {
    for (const [text, position] of [
      ['userName eq 1e400', 12],
      ['emails[value eq -1e400]', 16],
    ] as const) {
      const error = errorOf(() => parseFilter(text));
      expect(error.position).toBe(position);
      expect(error.detail).toMatch(/out of range/);
      expect(error.scimType).toBe('invalidFilter');
    }
    expect(parseFilter('x eq 1.7e308')).toMatchObject({ value: 1.7e308 });
  });
});
