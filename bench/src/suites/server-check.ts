/**
 * `pnpm bench --check`: the built server must be about as fast as its sources. A build that
 * loses the Node adapter's fast path (as when each entry point of dist/ kept its own registry of
 * servers) answers GET by id several times slower, while every test still passes; this catches
 * it. Both servers run side by side in one run, so machine load hits them alike.
 */
import type { ChildProcess } from 'node:child_process';
import type { ChildReady } from '../server/protocol.js';
import { cannon, ROUTES, startChild, stopChild } from './server.js';

/** Options of {@link checkBuiltServer}. */
export interface CheckOptions {
  /** Seconds per measurement. */
  seconds: number;
  /** Measurements per server, interleaved (built, source, built, …); the best of each counts. */
  rounds: number;
  /**
   * The check fails when the built server's best GET throughput is below this share of the
   * source's. Wide, because a busy machine moves single numbers by ±30%; a lost fast path
   * costs 3–4×.
   */
  minimumRatio: number;
}

/** What {@link checkBuiltServer} measured: best requests per second of each, and their ratio. */
export interface CheckResult {
  built: number;
  source: number;
  /** built / source. */
  ratio: number;
  passed: boolean;
}

/** Measures GET /Users/{id} of the built and the source server (memory store, 1000 users). */
export async function checkBuiltServer(options: CheckOptions): Promise<CheckResult> {
  const route = ROUTES[0]!;
  const running: { name: 'built' | 'source'; child: ChildProcess; ready: ChildReady }[] = [];
  try {
    for (const name of ['built', 'source'] as const) {
      running.push({ name, ...(await startChild('scimkit', 1000, { source: name === 'source' })) });
    }
    // Warm up the JIT of each server before measuring.
    for (const server of running) await cannon(server.ready, route, 1);
    const best = { built: 0, source: 0 };
    for (let round = 0; round < options.rounds; round++) {
      for (const server of running) {
        const result = await cannon(server.ready, route, options.seconds);
        const failed = result.non2xx + result.errors + result.timeouts;
        if (result.requests.total === 0 || failed > 0) {
          throw new Error(`${server.name} server: ${failed} of ${result.requests.total} requests failed`);
        }
        console.log(`  round ${round + 1}: ${server.name} ${Math.round(result.requests.average)} req/s`);
        best[server.name] = Math.max(best[server.name], result.requests.average);
      }
    }
    const ratio = best.built / best.source;
    return { ...best, ratio, passed: ratio >= options.minimumRatio };
  } finally {
    await Promise.all(running.map((server) => stopChild(server.child)));
  }
}
