import { describe, expect, it } from 'vitest';
import { machineInfo } from './machine.js';
import { slope, verdict } from './rss.js';
import { type RssSample, rssMarkdown } from './rss-report.js';

const MB = 1024 * 1024;
/** Samples every 10k requests from `from` MB, growing by `perStep` MB per sample, with a GC sawtooth. */
const samples = (from: number, perStep: number): RssSample[] =>
  Array.from({ length: 100 }, (_, i) => ({
    requests: (i + 1) * 10_000,
    seconds: i,
    rss: (from + perStep * i + (i % 5 === 0 ? 3 : 0)) * MB,
  }));

describe('verdict', () => {
  it('calls a sawtooth around a constant flat', () => {
    const result = verdict(100 * MB, samples(100, 0));
    expect(result.flat).toBe(true);
    expect(result.peak).toBe(103 * MB);
    expect(Math.abs(result.slopePer100k)).toBeLessThan(0.1 * MB);
  });

  it('calls a steady growth of 0.5 MB per 10k requests growing', () => {
    const result = verdict(100 * MB, samples(100, 0.5));
    expect(result.flat).toBe(false);
    expect(result.slopePer100k / MB).toBeCloseTo(5, 0);
  });

  it('calls an end far above the start growing even when the second half is level', () => {
    const run = [...samples(100, 0.8).slice(0, 50), ...samples(140, 0).slice(50)];
    expect(verdict(100 * MB, run).flat).toBe(false);
  });
});

describe('slope', () => {
  it('is zero for fewer than two samples', () => {
    expect(slope([{ requests: 1, seconds: 0, rss: 5 }])).toBe(0);
  });
});

describe('rssMarkdown', () => {
  it('writes one row per store and the RSS at each tenth', () => {
    const run = samples(100, 0);
    const text = rssMarkdown({
      machine: machineInfo(),
      runs: [
        {
          store: 'memory',
          requests: 1_000_000,
          seconds: 100,
          failed: 0,
          seeded: 90 * MB,
          start: 100 * MB,
          ...verdict(100 * MB, run),
          samples: run,
        },
      ],
    }).join('\n');
    expect(text).toContain('| memory | 1,000,000 | 10,000 | 0 | 90.0 MB | 100.0 MB | 103.0 MB |');
    expect(text).toContain('| flat |');
    expect(text).toContain(`| memory |${' 100.0 |'.repeat(11)}`);
  });
});
