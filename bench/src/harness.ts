import { Bench } from 'tinybench';

/** Command-line options of `pnpm bench`. */
export interface RunOptions {
  /** Tiny time budgets, for development on a shared machine. */
  quick: boolean;
  /** Also run the 1M-user SQLite case. */
  large: boolean;
  /** Suites to run (all when empty). */
  only: string[];
  /** Skip writing results/latest.json and docs/performance.md. */
  noWrite: boolean;
  /** Write results/baseline.json (the "before" of docs/performance.md) instead. */
  baseline: boolean;
}

/** One measured (library, case) pair. */
export interface Measurement {
  suite: string;
  case: string;
  library: string;
  /** Operations per second (one operation = `unitsPerOp` units of work). */
  opsPerSec: number;
  /** What one operation is, e.g. "parse of 222 filters". */
  unit: string;
  /** Relative margin of error of the mean, in percent. */
  rme: number;
  samples: number;
  /** Set when the library could not run the case or gave a result that differs from the reference. */
  note?: string;
  /** True when the library failed the case (no timing). */
  failed?: boolean;
}

/** Time budget of one task. */
export interface Budget {
  /** Milliseconds of measurement. */
  time: number;
  /** Milliseconds of warm-up. */
  warmupTime: number;
  /** Minimum measured iterations. */
  iterations: number;
  /**
   * How many times each library of a case is measured, interleaved (a, b, c, a, b, c); the best
   * round counts. On a shared machine this keeps a burst of someone else's work from landing
   * on one library only.
   */
  rounds: number;
}

/** The default in-process budget for the mode. */
export function budgetFor(options: RunOptions, scale = 1): Budget {
  return options.quick
    ? { time: 60 * scale, warmupTime: 20 * scale, iterations: 2, rounds: 1 }
    : { time: 300 * scale, warmupTime: 80 * scale, iterations: 5, rounds: 2 };
}

/** What a task measures: a function, optionally with an untimed per-iteration setup. */
export interface TaskSpec {
  fn: () => unknown;
  beforeEach?: () => void;
  /**
   * How many operations one call of `fn` performs (default 1): calls of a few microseconds
   * run in batches so that the timer's own cost (tens of nanoseconds per reading) stays out
   * of the result. ops/s counts operations, not calls.
   */
  batch?: number;
}

/**
 * Measures one task with tinybench and returns ops/s (1000 / mean latency in ms). Throws what
 * the task throws.
 */
export async function measure(
  spec: TaskSpec,
  budget: Budget,
): Promise<{ opsPerSec: number; rme: number; samples: number }> {
  // One untimed call first: it warms up, surfaces errors, and tells how slow the task is, so
  // that a task taking hundreds of milliseconds runs a few times instead of `iterations` times.
  spec.beforeEach?.();
  const started = performance.now();
  await spec.fn();
  const once = performance.now() - started;
  // Over two budgets for one call: that call is the measurement (a slow peer would otherwise
  // take minutes at 100k users).
  const batch = spec.batch ?? 1;
  if (once > budget.time * 2) return { opsPerSec: (1000 * batch) / once, rme: 0, samples: 1 };
  const slow = once > budget.time / 4;
  const bench = new Bench({
    time: slow ? 0 : budget.time,
    warmupTime: slow ? 0 : budget.warmupTime,
    iterations: slow
      ? Math.max(2, Math.min(budget.iterations, Math.ceil((budget.time * 2) / once)))
      : budget.iterations,
    warmupIterations: slow ? 0 : 1,
    throws: true,
  });
  bench.add('task', spec.fn, spec.beforeEach ? { beforeEach: spec.beforeEach } : {});
  await bench.run();
  const task = bench.tasks[0]!;
  const result = task.result;
  if (result.state === 'errored') throw result.error;
  if (result.state !== 'completed') throw new Error(`benchmark did not complete: ${result.state}`);
  return {
    opsPerSec: (1000 * batch) / result.period,
    rme: result.latency.rme,
    samples: result.latency.samplesCount,
  };
}

/** What identifies a measurement. */
export interface Base {
  suite: string;
  case: string;
  library: string;
  unit: string;
  note?: string;
}

/** Collects measurements and prints them as they come. */
export class Recorder {
  readonly measurements: Measurement[] = [];

  /** Measures `spec` for `library` and records it; a thrown error is recorded as a failure. */
  async run(base: Base, spec: TaskSpec, budget: Budget): Promise<Measurement> {
    return (await this.runCase([{ base, spec }], budget))[0]!;
  }

  /**
   * Measures the libraries of one case in `budget.rounds` interleaved rounds and records the
   * best round of each; a library that throws is recorded as a failure.
   */
  async runCase(entries: readonly { base: Base; spec: TaskSpec }[], budget: Budget): Promise<Measurement[]> {
    const best: (Measurement | undefined)[] = entries.map(() => undefined);
    for (let round = 0; round < budget.rounds; round++) {
      for (let i = 0; i < entries.length; i++) {
        const { base, spec } = entries[i]!;
        const previous = best[i];
        if (previous?.failed || (previous && previous.samples === 1)) continue;
        try {
          const r = await measure(spec, budget);
          const note =
            r.samples === 1 ? [base.note, 'one timed call (slow)'].filter(Boolean).join('; ') : base.note;
          if (!previous || r.opsPerSec > previous.opsPerSec)
            best[i] = { ...base, ...r, ...(note ? { note } : {}) };
        } catch (error) {
          best[i] = {
            ...base,
            opsPerSec: 0,
            rme: 0,
            samples: 0,
            failed: true,
            note: `error: ${describe(error)}`,
          };
        }
      }
    }
    const out = best.map((m) => m!);
    for (const m of out) this.add(m);
    return out;
  }

  /** Records a measurement made elsewhere (autocannon). */
  add(m: Measurement): void {
    this.measurements.push(m);
    const ops = m.failed ? 'failed' : formatOps(m.opsPerSec);
    console.log(
      `  ${m.case.padEnd(48).slice(0, 48)} ${m.library.padEnd(26)} ${ops.padStart(12)}${m.note ? `  (${m.note})` : ''}`,
    );
  }

  /** Records a library that was skipped for a case, with the reason. */
  skip(base: { suite: string; case: string; library: string; unit: string }, reason: string): void {
    this.add({ ...base, opsPerSec: 0, rme: 0, samples: 0, failed: true, note: reason });
  }
}

/** A short message for an error thrown by a library. */
export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 90);
}

/** 1234567 → "1.23M". */
export function formatOps(ops: number): string {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)}M`;
  if (ops >= 1e4) return `${(ops / 1e3).toFixed(1)}k`;
  if (ops >= 100) return ops.toFixed(0);
  if (ops >= 1) return ops.toFixed(1);
  return ops.toFixed(3);
}
