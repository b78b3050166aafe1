/**
 * `pnpm soak [--cases 1000000] [--http-seconds 60] [--concurrency 8] [--seed 1] [--write-docs]`
 *
 * A long fuzz run outside CI, on the built packages (`pnpm soak` builds first): mutated filters,
 * paths, PATCH bodies and resources through parseFilter, parsePath, applyPatch and
 * validateResource in process, then a timed HTTP fuzz against the built `scimkit serve --db`.
 * Prints cases, typed errors, untyped errors, the slowest call and the pollution check; exits 1
 * if anything but typed errors escaped. `--write-docs` puts the figures in docs/security.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../corpus/prng.js';
import { type HttpTally, soakHttp } from './http.js';
import { soakLibraries, type TargetTally } from './library.js';
import { isPolluted, prototypeSnapshot } from './mutate.js';

interface SoakOptions {
  cases: number;
  httpSeconds: number;
  concurrency: number;
  seed: number;
  writeDocs: boolean;
}

function parseArgs(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = {
    cases: 1_000_000,
    httpSeconds: 60,
    concurrency: 8,
    seed: 1,
    writeDocs: false,
  };
  const numeric = (name: string, value: string | undefined): number => {
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0) throw new Error(`${name} needs a number, got "${value}"`);
    return number;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--cases') options.cases = numeric(arg, argv[++i]);
    else if (arg === '--http-seconds') options.httpSeconds = numeric(arg, argv[++i]);
    else if (arg === '--concurrency') options.concurrency = Math.max(1, numeric(arg, argv[++i]));
    else if (arg === '--seed') options.seed = numeric(arg, argv[++i]);
    else if (arg === '--write-docs') options.writeDocs = true;
    else if (arg !== '--') throw new Error(`unknown option ${arg}`);
  }
  return options;
}

const count = (value: number): string => value.toLocaleString('en-US');

function markdown(
  options: SoakOptions,
  targets: TargetTally[],
  http: HttpTally | undefined,
  polluted: boolean,
  seconds: number,
): string {
  const lines = [
    `Run of ${new Date().toISOString().slice(0, 10)}: \`pnpm soak --cases ${options.cases} --http-seconds ${options.httpSeconds} --seed ${options.seed}\`, ` +
      `${Math.round(seconds)} s of wall time on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}. ` +
      'Timings were taken on a machine shared with other work: read them as orders of magnitude.',
    '',
    '| target | cases | accepted | typed errors | untyped errors | slowest call |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...targets.map(
      (t) =>
        `| \`${t.target}\` | ${count(t.cases)} | ${count(t.accepted)} | ${count(t.typed)} | ${count(t.untyped)} | ${t.slowest.ms.toFixed(1)} ms |`,
    ),
  ];
  const total = targets.reduce((sum, t) => sum + t.cases, 0);
  lines.push(
    '',
    `In process: ${count(total)} cases; prototype pollution: ${polluted ? '**found**' : 'none'}.`,
  );
  if (http) {
    const statuses = Object.entries(http.byStatus)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([status, n]) => `${status}: ${count(n)}`)
      .join(', ');
    lines.push(
      '',
      `Over HTTP (built \`scimkit serve --db\`, SQLite, ${options.concurrency} concurrent clients, ${http.seconds} s): ` +
        `${count(http.requests)} requests (${statuses}); SCIM Error bodies for every 4xx: ${count(http.typed)}; ` +
        `untyped answers (5xx or an error without a SCIM body): ${count(http.untyped)}; ` +
        `hangs or dropped connections: ${count(http.failures)}; password in a response: ${count(http.passwordLeaks)}; ` +
        `slowest request ${http.slowest.ms.toFixed(0)} ms (\`${http.slowest.request}\`); ` +
        `server alive afterwards: ${http.aliveAfter ? 'yes' : '**no**'}; pollution visible in new resources: ${http.pollutedAfter ? '**yes**' : 'no'}.`,
    );
  }
  return lines.join('\n');
}

function writeDocs(text: string): void {
  const file = fileURLToPath(new URL('../../../docs/security.md', import.meta.url));
  const current = readFileSync(file, 'utf8');
  const start = '<!-- soak:start -->';
  const end = '<!-- soak:end -->';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from < 0 || to < from) throw new Error('docs/security.md has no soak:start / soak:end markers');
  writeFileSync(file, `${current.slice(0, from + start.length)}\n${text}\n${current.slice(to)}`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const snapshot = prototypeSnapshot();
  const random = createRandom(options.seed);
  console.log(`soak: ${count(options.cases)} in-process cases, then ${options.httpSeconds} s of HTTP`);
  const targets = soakLibraries(random, options.cases, snapshot);
  for (const t of targets) {
    console.log(
      `  ${t.target.padEnd(17)} ${count(t.cases).padStart(10)} cases  ${count(t.accepted).padStart(9)} accepted  ` +
        `${count(t.typed).padStart(9)} typed  ${count(t.untyped).padStart(4)} untyped  slowest ${t.slowest.ms.toFixed(1)} ms`,
    );
    for (const example of t.examples)
      console.log(`    untyped: ${example.error}\n      input: ${example.input}`);
    if (t.slowest.ms > 50) console.log(`    slowest input: ${t.slowest.input}`);
  }
  const polluted = isPolluted(snapshot);
  console.log(`  prototype pollution: ${polluted ? 'FOUND' : 'none'}`);
  const http =
    options.httpSeconds > 0 ? await soakHttp(random, options.httpSeconds, options.concurrency) : undefined;
  if (http) {
    console.log(
      `  HTTP ${count(http.requests)} requests in ${http.seconds} s: ${JSON.stringify(http.byStatus)}\n` +
        `    typed ${count(http.typed)}, untyped ${count(http.untyped)}, hangs/drops ${count(http.failures)}, ` +
        `password leaks ${http.passwordLeaks}, slowest ${http.slowest.ms.toFixed(0)} ms (${http.slowest.request}), ` +
        `alive after: ${http.aliveAfter}, polluted after: ${http.pollutedAfter}`,
    );
    for (const example of http.examples) console.log(`    ${example.request}\n      → ${example.answer}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = markdown(options, targets, http, polluted, seconds);
  if (options.writeDocs) {
    writeDocs(summary);
    console.log('  wrote docs/security.md');
  }
  const failed =
    polluted ||
    targets.some((t) => t.untyped > 0) ||
    (http !== undefined &&
      (http.untyped > 0 ||
        http.failures > 0 ||
        http.passwordLeaks > 0 ||
        !http.aliveAfter ||
        http.pollutedAfter));
  console.log(`soak: ${failed ? 'FAILED' : 'clean'} in ${Math.round(seconds)} s`);
  process.exitCode = failed ? 1 : 0;
}

await main();
