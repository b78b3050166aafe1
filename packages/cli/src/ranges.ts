/**
 * A set of positive integers kept as sorted, disjoint, inclusive ranges: the completed line
 * numbers of an import, small however many lines a file has (gaps only where lines failed).
 */
export class RangeSet {
  readonly #ranges: [number, number][] = [];

  /** Builds a set from `[[from, to], …]` (any order, overlaps allowed). */
  static from(ranges: readonly (readonly [number, number])[]): RangeSet {
    const set = new RangeSet();
    const sorted = ranges
      .filter(
        ([from, to]) => Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 1 && from <= to,
      )
      .sort((a, b) => a[0] - b[0]);
    for (const [from, to] of sorted) {
      const last = set.#ranges.at(-1);
      if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
      else set.#ranges.push([from, to]);
    }
    return set;
  }

  /** Whether `n` is in the set. */
  has(n: number): boolean {
    let low = 0;
    let high = this.#ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const [from, to] = this.#ranges[middle]!;
      if (n < from) high = middle - 1;
      else if (n > to) low = middle + 1;
      else return true;
    }
    return false;
  }

  /** Adds `n`; cheap when numbers arrive in increasing order. */
  add(n: number): void {
    const ranges = this.#ranges;
    const last = ranges.at(-1);
    if (!last || n > last[1] + 1) {
      ranges.push([n, n]);
      return;
    }
    if (n === last[1] + 1) {
      last[1] = n;
      return;
    }
    if (this.has(n)) return;
    // Insert out of order: find the first range that starts after n.
    let index = ranges.findIndex(([from]) => from > n);
    if (index === -1) index = ranges.length;
    const before = ranges[index - 1];
    const after = ranges[index];
    if (before && before[1] + 1 === n && after && after[0] - 1 === n) {
      before[1] = after[1];
      ranges.splice(index, 1);
    } else if (before && before[1] + 1 === n) before[1] = n;
    else if (after && after[0] - 1 === n) after[0] = n;
    else ranges.splice(index, 0, [n, n]);
  }

  /** How many numbers the set holds. */
  get size(): number {
    return this.#ranges.reduce((sum, [from, to]) => sum + to - from + 1, 0);
  }

  /** The ranges, for a state file. */
  toJSON(): [number, number][] {
    return this.#ranges.map(([from, to]) => [from, to]);
  }
}
