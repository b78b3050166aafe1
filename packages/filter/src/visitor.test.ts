import { describe, expect, it } from 'vitest';
import type { Filter } from './ast.js';
import { and, eq, pr } from './builder.js';
import { parseFilter } from './parser.js';
import { formatFilter } from './printer.js';
import { transformFilter, visitFilter } from './visitor.js';

describe('visitFilter', () => {
  it('visits nodes depth-first, left to right, with enter and leave', () => {
    const events: string[] = [];
    visitFilter(parseFilter('a pr and not (b eq 1) or emails[type pr]'), {
      enter: (node) => void events.push(`enter ${node.kind}`),
      leave: (node) => events.push(`leave ${node.kind}`),
      Comparison: (node) => events.push(`cmp ${node.path.attribute}`),
      Present: (node) => events.push(`pr ${node.path.attribute}`),
    });
    expect(events).toEqual([
      'enter Or',
      'enter And',
      'enter Present',
      'pr a',
      'leave Present',
      'enter Not',
      'enter Comparison',
      'cmp b',
      'leave Comparison',
      'leave Not',
      'leave And',
      'enter ValuePath',
      'enter Present',
      'pr type',
      'leave Present',
      'leave ValuePath',
      'leave Or',
    ]);
  });

  it('passes the parent and skips children when enter returns false', () => {
    const seen: string[] = [];
    visitFilter(parseFilter('emails[type pr] and b pr'), {
      enter: (node) => node.kind !== 'ValuePath',
      Present: (node, parent) => seen.push(`${node.path.attribute} in ${parent?.kind}`),
    });
    expect(seen).toEqual(['b in And']);
  });

  it('walks a 100 000-term chain without recursion', () => {
    const filter = and(...Array.from({ length: 100_000 }, (_, i) => eq('a', i)));
    let count = 0;
    visitFilter(filter, { Comparison: () => void count++ });
    expect(count).toBe(100_000);
  });
});

describe('transformFilter', () => {
  it('rewrites bottom-up and keeps unchanged subtrees', () => {
    const input = parseFilter('userName eq "a" and (title pr or emails[type eq "work"])');
    const output = transformFilter(input, (node) =>
      node.kind === 'Comparison' && node.path.attribute === 'userName' ? { ...node, value: 'b' } : undefined,
    );
    expect(formatFilter(output)).toBe('userName eq "b" and (title pr or emails[type eq "work"])');
    expect((output as Filter & { kind: 'And' }).right).toBe((input as Filter & { kind: 'And' }).right);
    expect(formatFilter(input)).toBe('userName eq "a" and (title pr or emails[type eq "work"])');
  });

  it('returns the same tree when nothing changes', () => {
    const input = parseFilter('not (a pr) or b pr');
    expect(transformFilter(input, () => undefined)).toBe(input);
  });

  it('can replace whole subtrees', () => {
    const output = transformFilter(parseFilter('not (not (a pr))'), (node) =>
      node.kind === 'Not' && node.filter.kind === 'Not' ? node.filter.filter : undefined,
    );
    expect(formatFilter(output)).toBe('a pr');
  });

  it('transforms a 100 000-term chain without recursion', () => {
    const filter = and(...Array.from({ length: 100_000 }, () => pr('a')));
    const output = transformFilter(filter, (node) => (node.kind === 'Present' ? pr('b') : undefined));
    let count = 0;
    visitFilter(output, { Present: (node) => void (node.path.attribute === 'b' && count++) });
    expect(count).toBe(100_000);
  });
});
