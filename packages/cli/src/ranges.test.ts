import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RangeSet } from './ranges.js';

describe('RangeSet', () => {
  it('merges adjacent numbers into ranges', () => {
    const set = new RangeSet();
    for (const n of [1, 2, 3, 5, 6, 4, 10]) set.add(n);
    expect(set.toJSON()).toEqual([
      [1, 6],
      [10, 10],
    ]);
    expect(set.size).toBe(7);
    expect(set.has(4)).toBe(true);
    expect(set.has(7)).toBe(false);
  });

  it('rebuilds from state-file ranges, dropping malformed ones', () => {
    const set = RangeSet.from([
      [5, 9],
      [1, 3],
      [4, 4],
      [0, 2],
      [8, 7],
    ]);
    expect(set.toJSON()).toEqual([[1, 9]]);
  });

  it('agrees with a plain Set whatever the insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 80 }), (numbers) => {
        const set = new RangeSet();
        for (const n of numbers) set.add(n);
        const reference = new Set(numbers);
        for (let n = 0; n <= 61; n++) expect(set.has(n)).toBe(reference.has(n));
        expect(set.size).toBe(reference.size);
        const ranges = set.toJSON();
        for (let index = 1; index < ranges.length; index++) {
          expect(ranges[index]![0]).toBeGreaterThan(ranges[index - 1]![1] + 1);
        }
        expect(RangeSet.from(ranges).toJSON()).toEqual(ranges);
      }),
      { numRuns: 200 },
    );
  });
});
