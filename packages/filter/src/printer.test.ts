import { rfcFilters, rfcPaths } from '@scimkit/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterAst } from './__fixtures__/arbitraries.js';
import { strip } from './__fixtures__/strip.js';
import type { Filter } from './ast.js';
import { and, eq, not, or, pr } from './builder.js';
import { parseFilter, parsePath } from './parser.js';
import { formatAttributePath, formatFilter, formatPath } from './printer.js';

describe('formatFilter', () => {
  it.each(rfcFilters)('round-trips the RFC 7644 example %s', (text) => {
    const ast = parseFilter(text);
    const printed = formatFilter(ast);
    expect(strip(parseFilter(printed))).toEqual(strip(ast));
    expect(formatFilter(parseFilter(printed))).toBe(printed);
  });

  it('prints canonical text with minimal parentheses', () => {
    const cases: [string, string][] = [
      [
        '(userName EQ "x") AND (title pr OR active eq true)',
        'userName eq "x" and (title pr or active eq true)',
      ],
      ['((a pr)) or ((b pr and c pr))', 'a pr or b pr and c pr'],
      ['(a pr or b pr) and c pr', '(a pr or b pr) and c pr'],
      ['a pr or (b pr or c pr)', 'a pr or (b pr or c pr)'],
      ['(a pr or b pr) or c pr', 'a pr or b pr or c pr'],
      ['a pr and (b pr and c pr)', 'a pr and (b pr and c pr)'],
      ['NOT(a pr)', 'not (a pr)'],
      ['not ((a pr))', 'not (a pr)'],
      ['emails[type EQ "work" and (value co "x")]', 'emails[type eq "work" and value co "x"]'],
      ['a eq "q\\"\\u0001\\/é"', 'a eq "q\\"\\u0001/é"'],
      ['a eq -0', 'a eq -0'],
      ['a eq 1E3', 'a eq 1000'],
      ['a eq 1e21', 'a eq 1e+21'],
      ['a eq null and b ne false', 'a eq null and b ne false'],
      ['URN:acme:scim:ext:2.0:Device:serial pr', 'URN:acme:scim:ext:2.0:Device:serial pr'],
    ];
    for (const [input, output] of cases) expect(formatFilter(parseFilter(input))).toBe(output);
  });

  it('round-trips arbitrary ASTs and is idempotent', () => {
    fc.assert(
      fc.property(filterAst, (ast: Filter) => {
        const printed = formatFilter(ast);
        expect(
          strip(parseFilter(printed, { maxLength: Number.POSITIVE_INFINITY, maxDepth: 10_000 })),
        ).toEqual(ast);
        expect(
          formatFilter(parseFilter(printed, { maxLength: Number.POSITIVE_INFINITY, maxDepth: 10_000 })),
        ).toBe(printed);
      }),
      { numRuns: 300 },
    );
  });

  it('prints 10 000-term chains without overflowing', () => {
    const filter = and(...Array.from({ length: 10_000 }, (_, i) => eq(`a${i}`, i)));
    const text = formatFilter(filter);
    expect(text.startsWith('a0 eq 0 and a1 eq 1 and')).toBe(true);
    expect(formatFilter(parseFilter(text, { maxLength: Number.POSITIVE_INFINITY }))).toBe(text);
  });

  it('keeps the shape of mixed builder trees', () => {
    const tree = and(or(pr('a'), pr('b')), not(or(pr('c'), and(pr('d'), pr('e')))));
    expect(formatFilter(tree)).toBe('(a pr or b pr) and not (c pr or d pr and e pr)');
    expect(strip(parseFilter(formatFilter(tree)))).toEqual(tree);
  });

  it('rejects non-finite numbers', () => {
    expect(() =>
      formatFilter({
        kind: 'Comparison',
        path: { kind: 'AttributePath', attribute: 'a' },
        operator: 'eq',
        value: Number.NaN,
      }),
    ).toThrow(TypeError);
  });
});

describe('formatPath', () => {
  it.each(rfcPaths)('round-trips the RFC 7644 example %s', (text) => {
    expect(formatPath(parsePath(text))).toBe(text);
  });

  it('canonicalises a value path with a sub-attribute', () => {
    expect(formatPath(parsePath('emails[type EQ "work"  ].value', { lenient: true }))).toBe(
      'emails[type eq "work"].value',
    );
  });
});

describe('formatAttributePath', () => {
  it('prints schema, attribute and sub-attribute', () => {
    expect(
      formatAttributePath({
        kind: 'AttributePath',
        schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        attribute: 'manager',
        subAttribute: 'value',
      }),
    ).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value');
    expect(formatAttributePath({ kind: 'AttributePath', attribute: 'userName' })).toBe('userName');
  });
});
