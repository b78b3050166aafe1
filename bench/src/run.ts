/**
 * `pnpm bench [--quick] [--large] [--only suite,suite] [--no-write]`
 *
 * Runs the suites on the built packages (`pnpm bench` builds first), prints a table of ops/s
 * with scimkit's ratio to each peer, writes bench/results/latest.json and regenerates
 * docs/performance.md. `--quick` uses tiny budgets and writes bench/results/quick.json only.
 * `--only` in a full run merges its suites into the existing latest.json. `--baseline` writes
 * bench/results/baseline.json instead (the "before" column of docs/performance.md) and leaves
 * the docs alone. `--check [--quick]` only compares the built server's GET by id with the
 * sources' and exits 1 when the build is clearly slower (see suites/server-check.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScimkit } from './adapters/scimkit.js';
import { Recorder, type RunOptions } from './harness.js';
import { machineInfo } from './machine.js';
import { checkTargets, type Results, textTables, writeResults } from './report.js';
import { runFilterEval } from './suites/filter-eval.js';
import { runFilterParse } from './suites/filter-parse.js';
import { runPatch } from './suites/patch.js';
import { runServer } from './suites/server.js';
import { checkBuiltServer } from './suites/server-check.js';
import { runSqlite } from './suites/sqlite.js';
import { runValidate } from './suites/validate.js';

/** Suite names accepted by `--only`, in run order. */
export const SUITES = ['filter-parse', 'filter-eval', 'patch', 'validate', 'server', 'sqlite'] as const;

/** Parses the command line. */
export function parseArgs(argv: readonly string[]): RunOptions {
  const options: RunOptions = { quick: false, large: false, only: [], noWrite: false, baseline: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') options.quick = true;
    else if (arg === '--large') options.large = true;
    else if (arg === '--no-write') options.noWrite = true;
    else if (arg === '--baseline') options.baseline = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      options.only.push(...(value ?? '').split(',').filter(Boolean));
    } else if (arg !== '--')
      throw new Error(
        `Unknown option ${arg}. Options: --quick --large --only <suite,…> --no-write --baseline`,
      );
  }
  for (const s of options.only) {
    if (!(SUITES as readonly string[]).includes(s))
      throw new Error(`Unknown suite ${s}; suites: ${SUITES.join(', ')}`);
  }
  return options;
}

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

const outputs = () => ({
  json: here('../results/latest.json'),
  markdown: here('../../docs/performance.md'),
  findings: here('../findings.md'),
  baseline: here('../results/baseline.json'),
  rss: here('../results/rss.json'),
});

/** `--check`: the built server's GET by id against the sources', in one run; false when it fails. */
async function check(quick: boolean): Promise<boolean> {
  const machine = machineInfo();
  console.log(
    `${machine.cpu} × ${machine.cores}, Node ${machine.node}, load ${machine.loadAverage.join(' ')}`,
  );
  const options = { seconds: quick ? 1 : 3, rounds: quick ? 1 : 3, minimumRatio: 0.6 };
  console.log(
    `GET /Users/{id}, built and source servers side by side: ${options.rounds} × ${options.seconds} s each, 10 connections`,
  );
  const result = await checkBuiltServer(options);
  const verdict = result.passed ? 'ok' : `FAILED: below ${options.minimumRatio} of the sources`;
  console.log(
    `built ${Math.round(result.built)} req/s, source ${Math.round(result.source)} req/s: ${result.ratio.toFixed(2)} (${verdict})`,
  );
  return result.passed;
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    if (!(await check(process.argv.includes('--quick')))) process.exitCode = 1;
    return;
  }
  if (process.argv[2] === '--render') {
    // Rewrites docs/performance.md from results/latest.json (after editing findings.md); measures nothing.
    const paths = outputs();
    writeResults(JSON.parse(readFileSync(paths.json, 'utf8')) as Results, paths);
    console.log('wrote docs/performance.md from bench/results/latest.json');
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  console.log(
    `${machine.cpu} × ${machine.cores}, Node ${machine.node}, load ${machine.loadAverage.join(' ')}`,
  );
  console.log(options.quick ? 'quick mode: tiny budgets, numbers are indicative only' : 'full run');
  const scimkit = await loadScimkit();
  const recorder = new Recorder();
  const wanted = (suite: string): boolean => options.only.length === 0 || options.only.includes(suite);
  const suites: Record<(typeof SUITES)[number], () => Promise<void>> = {
    'filter-parse': () => runFilterParse(recorder, options, scimkit),
    'filter-eval': () => runFilterEval(recorder, options, scimkit),
    patch: () => runPatch(recorder, options, scimkit),
    validate: () => runValidate(recorder, options, scimkit),
    server: () => runServer(recorder, options),
    sqlite: () => runSqlite(recorder, options),
  };
  const started = performance.now();
  for (const suite of SUITES) {
    if (!wanted(suite)) continue;
    const suiteStarted = performance.now();
    await suites[suite]();
    console.log(`  (${suite}: ${((performance.now() - suiteStarted) / 1000).toFixed(0)} s)`);
  }
  console.log(`\nall suites: ${((performance.now() - started) / 1000).toFixed(0)} s`);

  let measurements = recorder.measurements;
  const jsonPath = here(
    options.quick
      ? '../results/quick.json'
      : options.baseline
        ? '../results/baseline.json'
        : '../results/latest.json',
  );
  if (!options.quick && options.only.length > 0 && existsSync(jsonPath)) {
    const previous = JSON.parse(readFileSync(jsonPath, 'utf8')) as Results;
    measurements = [...previous.measurements.filter((m) => !options.only.includes(m.suite)), ...measurements];
  }
  const results: Results = {
    machine,
    mode: options.quick ? 'quick' : 'full',
    measurements,
    targets: checkTargets(measurements),
  };
  console.log(textTables(results));
  if (options.noWrite) return;
  if (options.quick || options.baseline) {
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${jsonPath} (quick and baseline runs do not touch docs/performance.md)`);
  } else {
    writeResults(results, { ...outputs(), json: jsonPath });
    console.log(`\nwrote ${jsonPath} and docs/performance.md`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
