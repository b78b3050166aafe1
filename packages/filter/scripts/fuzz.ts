/**
 * The long fuzz run (not part of CI): `pnpm --filter @scimkit/filter run fuzz [runs]`
 * (runs tsx with `--expose-gc --max-semi-space-size=64` so timings measure the parser, not the collector).
 *
 * 1. Arbitrary and filter-like texts: only FilterSyntaxError escapes, what parses round-trips,
 *    compiled filters run on sample resources.
 * 2. Arbitrary ASTs: print, parse back, compare.
 * 3. Linear time: parsing inputs of doubling size takes roughly doubling time.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { filterAst } from '../src/__fixtures__/arbitraries.js';
import { anyText, checkText, filterish, spaced } from '../src/__fixtures__/fuzz.js';
import { strip } from '../src/__fixtures__/strip.js';
import { isFilterSyntaxError, parseFilter } from '../src/index.js';
import { formatFilter } from '../src/printer.js';

const runs = Number(process.argv[2] ?? 200_000);
const started = Date.now();

fc.assert(fc.property(fc.oneof(anyText, filterish, spaced), checkText), { numRuns: runs });
console.log(`texts: ${runs} runs passed`);

fc.assert(
  fc.property(filterAst, (ast) => {
    const printed = formatFilter(ast);
    const back = parseFilter(printed, { maxLength: Number.POSITIVE_INFINITY, maxDepth: 100_000 });
    if (!isDeepStrictEqual(strip(back), strip(ast))) throw new Error(`round trip failed: ${printed}`);
  }),
  { numRuns: Math.ceil(runs / 10) },
);
console.log(`ASTs: ${Math.ceil(runs / 10)} runs passed`);

/** The best of 7 timings, in nanoseconds (the minimum is robust against a busy machine). */
function time(text: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 7; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    try {
      parseFilter(text, { maxLength: Number.POSITIVE_INFINITY, lenient: true });
    } catch (error) {
      if (!isFilterSyntaxError(error)) throw error;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return best;
}

const shapes: Record<string, (n: number) => string> = {
  'and chain': (n) => Array.from({ length: n }, (_, i) => `a${i} eq "v${i}"`).join(' and '),
  'or of value paths': (n) =>
    Array.from({ length: n }, (_, i) => `emails[type eq "t${i}" or value pr]`).join(' or '),
  'long string': (n) => `a eq "${'x\\"'.repeat(n * 10)}"`,
  'long attribute': (n) => `urn:${'a:'.repeat(n * 10)}b pr`,
  'unclosed nesting': (n) => '('.repeat(n),
  'garbage tail': (n) => `a pr and ${'@'.repeat(n * 10)}`,
};
for (const [name, make] of Object.entries(shapes)) {
  time(make(1000)); // warm up
  const small = time(make(10_000));
  const large = time(make(40_000));
  const ratio = large / small;
  console.log(
    `${name}: 10k ${(small / 1e6).toFixed(2)} ms, 40k ${(large / 1e6).toFixed(2)} ms, ratio ${ratio.toFixed(1)} (linear ≈ 4)`,
  );
  // Quadratic growth would give 16 and more; the collector (the AST of a large input stays
  // alive while it grows) adds some slack above the linear 4, less with the flags of the
  // package script (`--expose-gc --max-semi-space-size=64`).
  if (ratio > 12) throw new Error(`${name} looks super-linear (ratio ${ratio.toFixed(1)})`);
}
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
