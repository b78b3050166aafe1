import { describe, expect, it } from 'vitest';
import { strip } from './__fixtures__/strip.js';
import { and, attributePath, co, eq, ew, ge, gt, le, lt, ne, not, or, pr, sw, valuePath } from './builder.js';
import { FilterSyntaxError } from './errors.js';
import { parseFilter } from './parser.js';
import { formatFilter } from './printer.js';

describe('attributePath', () => {
  it('parses URN-qualified paths with sub-attributes and leaves loc out', () => {
    expect(attributePath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value')).toEqual(
      {
        kind: 'AttributePath',
        schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        attribute: 'manager',
        subAttribute: 'value',
      },
    );
  });

  it('throws invalidPath for malformed text', () => {
    expect(() => attributePath('emails[')).toThrow(FilterSyntaxError);
  });
});

describe('eq', () => {
  it('builds a comparison from a text path and escapes the value when printed', () => {
    const filter = eq('emails.value', 'a"b\\c');
    expect(filter).toEqual({
      kind: 'Comparison',
      path: { kind: 'AttributePath', attribute: 'emails', subAttribute: 'value' },
      operator: 'eq',
      value: 'a"b\\c',
    });
    expect(formatFilter(filter)).toBe('emails.value eq "a\\"b\\\\c"');
    expect(strip(parseFilter(formatFilter(filter)))).toEqual(filter);
  });

  it('accepts an AttributePath node', () => {
    const path = attributePath('userName');
    expect(eq(path, 'x').path).toBe(path);
  });

  it('rejects values JSON cannot carry', () => {
    expect(() => eq('a', Number.POSITIVE_INFINITY)).toThrow(
      'A filter value must be a finite number, got Infinity',
    );
    expect(() => eq('a', {} as never)).toThrow(
      'A filter value must be a string, number, boolean or null, got object',
    );
  });
});

describe('operators', () => {
  it('build every comparison and pr', () => {
    const filters = [
      ne('a', 1),
      co('a', 'x'),
      sw('a', 'x'),
      ew('a', 'x'),
      gt('a', 1),
      ge('a', 1),
      lt('a', 1),
      le('a', '2011-05-13T04:42:34Z'),
      pr('a'),
    ];
    expect(filters.map(formatFilter)).toEqual([
      'a ne 1',
      'a co "x"',
      'a sw "x"',
      'a ew "x"',
      'a gt 1',
      'a ge 1',
      'a lt 1',
      'a le "2011-05-13T04:42:34Z"',
      'a pr',
    ]);
  });
});

describe('and', () => {
  it('folds to the left and returns a single filter as is', () => {
    const a = pr('a');
    expect(and(a)).toBe(a);
    expect(strip(and(pr('a'), pr('b'), pr('c')))).toEqual(strip(parseFilter('a pr and b pr and c pr')));
    expect(() => and()).toThrow('and() needs at least one filter');
  });
});

describe('or', () => {
  it('folds to the left and nests and inside without parentheses', () => {
    expect(formatFilter(or(and(pr('a'), pr('b')), pr('c')))).toBe('a pr and b pr or c pr');
    expect(() => or()).toThrow('or() needs at least one filter');
  });
});

describe('not', () => {
  it('wraps a filter', () => {
    expect(formatFilter(not(or(pr('a'), pr('b'))))).toBe('not (a pr or b pr)');
  });
});

describe('valuePath', () => {
  it('builds a value path with relative inner paths', () => {
    const filter = valuePath('emails', and(eq('type', 'work'), co('value', '@example.com')));
    expect(formatFilter(filter)).toBe('emails[type eq "work" and value co "@example.com"]');
    expect(strip(parseFilter(formatFilter(filter)))).toEqual(filter);
  });

  it('rejects a path with a sub-attribute', () => {
    expect(() => valuePath('emails.value', pr('type'))).toThrow(TypeError);
  });
});
