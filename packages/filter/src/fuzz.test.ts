import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyText, checkText, filterish, spaced } from './__fixtures__/fuzz.js';
import { compileFilter } from './evaluator.js';
import { parseFilter, parsePath } from './parser.js';
import { formatFilter } from './printer.js';

describe('parseFilter (property)', () => {
  it('lets only FilterSyntaxError escape for arbitrary strings, and round-trips what parses', () => {
    fc.assert(fc.property(anyText, checkText), { numRuns: 300 });
  });

  it('lets only FilterSyntaxError escape for filter-like fragments', () => {
    fc.assert(fc.property(fc.oneof(filterish, spaced), checkText), { numRuns: 300 });
  });

  it('parses 100 000-term inputs in one pass without overflowing', () => {
    const options = { maxLength: Number.POSITIVE_INFINITY };
    const terms = Array.from({ length: 100_000 }, (_, i) =>
      i % 3 === 0 ? `emails[type eq "t${i}"]` : i % 3 === 1 ? `not (a${i} pr)` : `b.c${i} ge ${i}`,
    );
    const text = terms.join(' or ');
    const filter = parseFilter(text, options);
    expect(filter.loc).toEqual({ start: 0, end: text.length });
    expect(formatFilter(filter).length).toBeGreaterThan(0);
    expect(compileFilter(filter)({ b: { c99998: 1e9 } })).toBe(true);
  });

  it('rejects deep nesting of every kind with an error instead of a stack overflow', () => {
    const options = { maxLength: Number.POSITIVE_INFINITY };
    for (const text of [
      '('.repeat(1e5),
      'not ('.repeat(1e5),
      'not('.repeat(1e5),
      `${'('.repeat(1e5)}a pr${')'.repeat(1e5)}`,
    ]) {
      expect(() => parseFilter(text, options)).toThrow('levels of nesting');
    }
    expect(() => parsePath(`a[${'('.repeat(1e5)}`, options)).toThrow('levels of nesting');
  });

  it('rejects long garbage quickly at the first bad character', () => {
    const text = `a eq "x" and ${'@'.repeat(1e6)}`;
    expect(() => parseFilter(text, { maxLength: Number.POSITIVE_INFINITY })).toThrow(
      'found "@" at position 13',
    );
  });
});
