import { describe, expect, it } from 'vitest';
import { machineInfo } from './machine.js';
import { scaleMarkdown } from './scale/report.js';
import type { ScaleResult } from './scale/run.js';

/** A PostgreSQL result whose machine had `atEnd` load at the end, and `afterLatencies` if recorded. */
function result(atEnd: number, afterLatencies?: number): ScaleResult {
  const machine = { ...machineInfo(), cores: 2, loadAverage: [atEnd, atEnd, atEnd] };
  return {
    store: 'postgres',
    population: { users: 1000, groups: 10, bigGroup: 100 },
    loadSeconds: 1,
    latencies: [
      { name: 'userName eq', samples: 10, p50: 1, p99: 2, max: 3, floor: { p50: 0.2, p99: 1.5, max: 2 } },
      { name: 'cursor page', samples: 10, p50: 3, p99: 6, max: 9 },
    ],
    ...(afterLatencies === undefined ? {} : { latencyLoadAverage: [afterLatencies, 1, 1] }),
    throughput: [{ route: 'GET /Users/{id}', processes: 4, requestsPerSecond: 100, p99: 5, errors: 0 }],
    date: '2026-12-03T00:00:00.000Z',
    machine,
  };
}

describe('scaleMarkdown', () => {
  it('judges a busy machine by the load after the latencies, not the load its own throughput runs made', () => {
    const quiet = scaleMarkdown([result(6, 0.8)]);
    expect(quiet).toContain('load average 0.8 1 1 after the latency measurements, 6 6 6 at the end');
    expect(quiet).not.toContain('Busy machine');
    expect(scaleMarkdown([result(6, 5)])).toContain('**Busy machine:**');
  });

  it('falls back to the load at the end for results recorded before the load after the latencies was', () => {
    const page = scaleMarkdown([result(6)]);
    expect(page).toContain('load average 6 6 6 at the end');
    expect(page).toContain('**Busy machine:**');
  });

  it("shows each row's floor next to it, and a dash for a row measured without one", () => {
    const page = scaleMarkdown([result(1, 0.5)]);
    expect(page).toContain('| userName eq | 1 | 2 | 3 | 10 | met | 0.2 / 1.5 | — |');
    expect(page).toContain('| cursor page | 3 | 6 | 9 | 10 | not met | — | — |');
  });
});
