/**
 * The results of `pnpm bench:rss` (src/rss.ts) and how they read in the console and in
 * docs/performance.md.
 */
import type { MachineInfo } from './machine.js';

/** The stores the reference server can run on without an external database. */
export const RSS_STORES = ['memory', 'sqlite'] as const;
export type RssStore = (typeof RSS_STORES)[number];

/** One RSS sample: requests completed so far and the server's resident set in bytes. */
export interface RssSample {
  requests: number;
  seconds: number;
  rss: number;
}

/** What one store's run measured. */
export interface RssRun {
  store: RssStore;
  requests: number;
  seconds: number;
  /** Requests that were not answered 2xx (must be 0). */
  failed: number;
  /** RSS after seeding the users, before any load. */
  seeded: number;
  /** RSS after the warm-up: the start of the measured run. */
  start: number;
  peak: number;
  end: number;
  /** Growth of the fitted line over the second half, in bytes per 100k requests. */
  slopePer100k: number;
  flat: boolean;
  samples: RssSample[];
}

/** bench/results/rss.json. */
export interface RssResults {
  machine: MachineInfo;
  runs: RssRun[];
}

const MB = 1024 * 1024;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

/** One line per run, for the console and the docs. */
export function describeRun(run: RssRun): string {
  return (
    `${run.store}: ${run.requests.toLocaleString('en')} requests in ${run.seconds.toFixed(0)} s ` +
    `(${Math.round(run.requests / run.seconds).toLocaleString('en')}/s, ${run.failed} failed); RSS seeded ${mb(run.seeded)}, ` +
    `start ${mb(run.start)}, peak ${mb(run.peak)}, end ${mb(run.end)}; second half ` +
    `${(run.slopePer100k / MB).toFixed(2)} MB per 100k requests: ${run.flat ? 'flat' : 'GROWING'}`
  );
}

/** The "memory" section of docs/performance.md. */
export function rssMarkdown(results: RssResults): string[] {
  const { machine } = results;
  const out = [
    '',
    '## memory',
    '',
    `\`pnpm bench:rss\` (run ${machine.date}, load average ${machine.loadAverage.join(', ')} at start): the built`,
    '`scimkit serve` under a sustained mix of GET by id (2 of 4 requests), `userName eq` lists and PATCH',
    '(10 autocannon connections, 1000 seeded users), after a warm-up of 50k requests. RSS of the server process.',
    '',
    '| store | requests | requests/s | failed | RSS seeded | start | peak | end | slope, 2nd half | |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const run of results.runs) {
    out.push(
      `| ${run.store} | ${run.requests.toLocaleString('en')} | ${Math.round(run.requests / run.seconds).toLocaleString('en')} | ${run.failed} | ${mb(run.seeded)} | ${mb(run.start)} | ${mb(run.peak)} | ${mb(run.end)} | ${(run.slopePer100k / MB).toFixed(2)} MB per 100k | ${run.flat ? 'flat' : '**growing**'} |`,
    );
  }
  out.push('', 'RSS at each tenth of the run (MB):', '');
  const header = ['store', ...Array.from({ length: 11 }, (_, i) => `${i * 10}%`)];
  out.push(`| ${header.join(' | ')} |`, `| --- |${' ---: |'.repeat(10 + 1)}`);
  for (const run of results.runs) {
    const cells: string[] = [run.store];
    for (let tenth = 0; tenth <= 10; tenth++) {
      const wanted = (run.requests * tenth) / 10;
      const sample = tenth === 0 ? undefined : run.samples.find((s) => s.requests >= wanted);
      cells.push(((sample?.rss ?? run.start) / MB).toFixed(1));
    }
    out.push(`| ${cells.join(' | ')} |`);
  }
  return out;
}
