/**
 * A small deterministic PRNG (mulberry32), so every run benchmarks exactly the same data.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    bool: (probability = 0.5) => next() < probability,
  };
}

/** The generator returned by {@link createRandom}. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with the given probability. */
  bool(probability?: number): boolean;
}

/** A deterministic UUID-shaped id for index `i` in namespace `ns` (no crypto, stable across runs). */
export function deterministicId(ns: number, i: number): string {
  const random = createRandom((ns * 2654435761) ^ (i * 40503));
  const hex = (digits: number): string => {
    let out = '';
    for (let d = 0; d < digits; d++) out += random.int(16).toString(16);
    return out;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[random.int(4)]}${hex(3)}-${hex(12)}`;
}
