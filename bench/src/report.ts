import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SCIMKIT } from './adapters/scimkit.js';
import { formatOps, type Measurement } from './harness.js';
import type { MachineInfo } from './machine.js';
import { type RssResults, rssMarkdown } from './rss-report.js';
import { CALIBRATIONS } from './server/protocol.js';

/** One target of issue 10 checked against a run. */
export interface TargetCheck {
  suite: string;
  case: string;
  target: string;
  /** The measured ratio, or the measured quantity in {@link TargetCheck.unit}. */
  value: number;
  /** What the value is counted in when it is not a ratio (` µs`); a ratio reads `×`. */
  unit?: string;
  /** Whether the target is met; undefined for a ratio shown for reference only. */
  met: boolean | undefined;
}

/** What bench/results/latest.json holds. */
export interface Results {
  machine: MachineInfo;
  mode: 'quick' | 'full';
  measurements: Measurement[];
  targets: TargetCheck[];
}

const ops = (ms: Measurement[], library: string): number | undefined => {
  const m = ms.find((x) => x.library === library && !x.failed);
  return m ? m.opsPerSec : undefined;
};

/** scimkit first, the floor, the ceiling and its calibration last, peers in between in the order they ran. */
const rank = (library: string): number =>
  library === SCIMKIT
    ? 0
    : library === 'hand-written JS' || library.includes('(ceiling)') || library.includes('(calibration)')
      ? 2
      : 1;

/** Groups measurements by suite, then case (cases in the order they ran, libraries by {@link rank}). */
export function bySuiteAndCase(
  measurements: readonly Measurement[],
): Map<string, Map<string, Measurement[]>> {
  const suites = new Map<string, Map<string, Measurement[]>>();
  for (const m of measurements) {
    let cases = suites.get(m.suite);
    if (!cases) suites.set(m.suite, (cases = new Map()));
    let list = cases.get(m.case);
    if (!list) cases.set(m.case, (list = []));
    list.push(m);
  }
  for (const cases of suites.values()) {
    for (const list of cases.values()) list.sort((a, b) => rank(a.library) - rank(b.library));
  }
  return suites;
}

/** The scim-patch mode with applyPatch's contract (bench/src/adapters/peers.ts). */
const SCIM_PATCH_COPY = 'scim-patch (mutateDocument: false)';

/**
 * Issue #20's share of the bare node:http ceiling for each server route, by the start of its
 * case name (bench/src/suites/server.ts); a route not listed here needs half of it.
 */
export const SERVER_CEILING_SHARES: readonly (readonly [prefix: string, share: number])[] = [
  ['GET /Users/{id}', 0.6],
  ['GET /Users?filter=', 0.5],
  ['POST /Users', 0.4],
  ['PATCH /Users/{id}', 0.5],
];

/** Issue #20: how many times scimmy-routers' requests per second the server must answer on every route. */
export const SERVER_SCIMMY_FACTOR = 10;

/** Issue #20: the most one PATCH operation on one User may take, in microseconds. */
export const SINGLE_OPERATION_MICROS = 1;

/** A PATCH case of one operation on a User (the group cases name their group). */
function isSingleUserOperation(ms: readonly Measurement[]): boolean {
  const kit = ms.find((m) => m.library === SCIMKIT);
  return kit?.unit === 'apply 1 op(s)' && !/group/i.test(kit.case);
}

/** The share of the ceiling a server case must reach. */
export function ceilingShare(caseName: string): number {
  return SERVER_CEILING_SHARES.find(([prefix]) => caseName.startsWith(prefix))?.[1] ?? 0.5;
}

/** How a target row reads in the tables. */
function status(met: boolean | undefined): string {
  return met === undefined ? 'reference' : met ? 'met' : '**missed**';
}

/** Checks the targets of issues 10 and 20 against the measurements. */
export function checkTargets(measurements: readonly Measurement[]): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const [suite, cases] of bySuiteAndCase(measurements)) {
    for (const [caseName, ms] of cases) {
      const kit = ops(ms, SCIMKIT);
      if (kit === undefined) continue;
      const push = (target: string, value: number, met: boolean | undefined, unit?: string): void => {
        out.push({
          suite,
          case: caseName,
          target,
          value: Math.round(value * 100) / 100,
          met,
          ...(unit ? { unit } : {}),
        });
      };
      if (suite === 'filter-parse' && caseName.startsWith('common')) {
        const best = Math.max(
          ...ms.filter((m) => m.library !== SCIMKIT && !m.failed).map((m) => m.opsPerSec),
        );
        if (best > 0) push('≥5× the fastest peer parser', kit / best, kit / best >= 5);
      }
      if (suite === 'filter-eval') {
        const hand = ops(ms, 'hand-written JS');
        if (hand) push('≤2× the time of the hand-written predicate', hand / kit, hand / kit <= 2);
      }
      if (suite === 'patch') {
        // Like applyPatch, scim-patch with mutateDocument: false leaves its input untouched (so
        // a server keeps the previous version for its events, audit and no-op check, and a
        // failed operation leaves nothing half-applied). Its default mode edits the input in
        // place and is shown for reference.
        const same = ops(ms, SCIM_PATCH_COPY);
        if (same) push('≥5× scim-patch (same contract: input untouched)', kit / same, kit / same >= 5);
        const inPlace = ops(ms, 'scim-patch');
        if (inPlace) push('scim-patch editing in place (reference)', kit / inPlace, undefined);
        // Issue #20: no single-user operation over 1 µs (a request of one operation on a User).
        if (isSingleUserOperation(ms)) {
          const micros = 1e6 / kit;
          push(
            `≤${SINGLE_OPERATION_MICROS} µs per operation`,
            micros,
            micros <= SINGLE_OPERATION_MICROS,
            ' µs',
          );
        }
      }
      if (suite === 'server') {
        const ceiling = ops(ms, 'bare node:http (ceiling)');
        const scimmy = ops(ms, 'scimmy-routers (express)');
        const share = ceilingShare(caseName);
        if (ceiling) {
          push(
            `≥${Math.round(share * 100)}% of the bare node:http ceiling`,
            kit / ceiling,
            kit / ceiling >= share,
          );
          for (const { micros, library } of CALIBRATIONS) {
            const calibration = ops(ms, library);
            if (calibration)
              push(
                `share of the ceiling left by ${micros} µs of work per request (calibration)`,
                calibration / ceiling,
                undefined,
              );
          }
        }
        if (scimmy) {
          push(
            `≥${SERVER_SCIMMY_FACTOR}× scimmy-routers`,
            kit / scimmy,
            kit / scimmy >= SERVER_SCIMMY_FACTOR,
          );
        }
      }
    }
  }
  return out;
}

const ratio = (kit: number | undefined, m: Measurement): string => {
  if (m.failed) return '—';
  if (m.library === SCIMKIT || kit === undefined) return '';
  const r = kit / m.opsPerSec;
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
};

/** The results as console text: one table per suite. */
export function textTables(results: Results): string {
  const lines: string[] = [];
  for (const [suite, cases] of bySuiteAndCase(results.measurements)) {
    lines.push(
      '',
      `== ${suite}`,
      `${'case'.padEnd(50)} ${'library'.padEnd(28)} ${'ops/s'.padStart(10)}  ${'scimkit ÷ it'.padStart(12)}  unit`,
    );
    for (const [caseName, ms] of cases) {
      const kit = ops(ms, SCIMKIT);
      for (const m of ms) {
        lines.push(
          `${caseName.slice(0, 50).padEnd(50)} ${m.library.slice(0, 28).padEnd(28)} ${(m.failed ? '—' : formatOps(m.opsPerSec)).padStart(10)}  ${ratio(kit, m).padStart(12)}  ${m.unit}${m.note ? ` [${m.note}]` : ''}`,
        );
      }
    }
  }
  if (results.targets.length > 0) {
    lines.push('', '== targets');
    for (const t of results.targets) {
      const label = t.met === undefined ? 'ref   ' : t.met ? 'met   ' : 'MISSED';
      lines.push(`${label} ${t.suite} / ${t.case}: ${t.target}: ${t.value}${t.unit ?? ''}`);
    }
  }
  return lines.join('\n');
}

const escapeCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** scimkit's ops/s divided by the fastest other library's in the same case (load-independent). */
function relative(
  ms: readonly Measurement[],
  suite: string,
  caseName: string,
): { value: number; other: string } | undefined {
  const same = ms.filter((m) => m.suite === suite && m.case === caseName && !m.failed);
  const kit = same.find((m) => m.library === SCIMKIT);
  const others = same.filter((m) => m.library !== SCIMKIT).sort((x, y) => y.opsPerSec - x.opsPerSec);
  const best = others[0];
  return kit && best ? { value: kit.opsPerSec / best.opsPerSec, other: best.library } : undefined;
}

/**
 * scimkit in an earlier run (`baseline`) and in this one, as the ratio to the fastest other
 * library of the same case: absolute ops/s of two runs on a shared machine are not comparable,
 * ratios measured side by side are.
 */
export function beforeAfter(baseline: Results, results: Results): string[] {
  const rows: string[] = [];
  const seen = new Set<string>();
  for (const m of results.measurements) {
    const key = `${m.suite}\u0000${m.case}`;
    if (m.library !== SCIMKIT || m.failed || seen.has(key)) continue;
    seen.add(key);
    const before = relative(baseline.measurements, m.suite, m.case);
    const after = relative(results.measurements, m.suite, m.case);
    if (!before || !after) continue;
    rows.push(
      `| ${m.suite} | ${escapeCell(m.case)} | ${after.other} | ${before.value.toFixed(2)}× | ${after.value.toFixed(2)}× |`,
    );
  }
  if (rows.length === 0) return [];
  return [
    '',
    '## scimkit before and after',
    '',
    `Before: the run of ${baseline.machine.date} (bench/results/baseline.json, ${baseline.mode} mode), when the packages`,
    "had just landed; after: this run. Each cell is scimkit's ops/s divided by the fastest other library of the case",
    '(measured side by side in the same run), because absolute numbers of two runs on a shared machine do not compare.',
    '',
    '| suite | case | fastest other | before | after |',
    '| --- | --- | --- | ---: | ---: |',
    ...rows,
  ];
}

/** docs/performance.md: machine, method, tables, targets, and the hand-written findings. */
export function markdown(results: Results, findings: string, baseline?: Results, rss?: RssResults): string {
  const { machine } = results;
  const out: string[] = [
    '# Performance',
    '',
    '<!-- Generated by `pnpm bench` (bench/src/report.ts); edit bench/findings.md for the prose below the tables. -->',
    '',
    'scimkit measured against the libraries a user would pick instead, side by side in one run on one machine.',
    'Reproduce with `pnpm bench` (about 8 minutes on 2 cores; `pnpm bench --quick` for a smoke run, `--only filter-parse,patch` for some suites,',
    '`--large` adds the 1M-user SQLite case). Raw numbers: [bench/results/latest.json](../bench/results/latest.json).',
    '',
    '## Machine',
    '',
    '| | |',
    '| --- | --- |',
    `| CPU | ${machine.cpu} |`,
    `| Cores | ${machine.cores} |`,
    `| Memory | ${machine.memoryGb} GB |`,
    `| OS | ${machine.os} |`,
    `| Node | ${machine.node} |`,
    `| Date | ${machine.date} |`,
    `| Load average at start (1, 5, 15 min) | ${machine.loadAverage.join(', ')} |`,
    `| Mode | ${results.mode} |`,
    '',
    'Columns: ops/s is operations per second (what one operation is, is in the unit column); "scimkit ÷ it" is',
    "scimkit's ops/s divided by that library's, so 3× means scimkit does the same work three times as fast.",
    'A dash means the library could not run the case or gave a wrong answer (the note says which); wrong answers are not timed.',
  ];
  if (results.targets.length > 0) {
    out.push(
      '',
      '## Targets',
      '',
      '| suite | case | target | measured | |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const t of results.targets) {
      out.push(
        `| ${t.suite} | ${escapeCell(t.case)} | ${t.target} | ${t.value}${t.unit ?? '×'} | ${status(t.met)} |`,
      );
    }
  }
  for (const [suite, cases] of bySuiteAndCase(results.measurements)) {
    out.push(
      '',
      `## ${suite}`,
      '',
      '| case | library | ops/s | scimkit ÷ it | unit | note |',
      '| --- | --- | ---: | ---: | --- | --- |',
    );
    for (const [caseName, ms] of cases) {
      const kit = ops(ms, SCIMKIT);
      for (const m of ms) {
        out.push(
          `| ${escapeCell(caseName)} | ${m.library} | ${m.failed ? '—' : formatOps(m.opsPerSec)} | ${ratio(kit, m)} | ${m.unit} | ${escapeCell(m.note ?? '')} |`,
        );
      }
    }
  }
  if (baseline) out.push(...beforeAfter(baseline, results));
  if (rss) out.push(...rssMarkdown(rss));
  out.push('', findings.trim(), '');
  return out.join('\n');
}

/** Writes latest.json and the markdown page. */
export function writeResults(
  results: Results,
  paths: { json: string; markdown: string; findings: string; baseline: string; rss: string },
): void {
  mkdirSync(dirname(paths.json), { recursive: true });
  writeFileSync(paths.json, `${JSON.stringify(results, null, 2)}\n`);
  let findings = '';
  try {
    findings = readFileSync(paths.findings, 'utf8');
  } catch {
    findings = '';
  }
  const baseline = existsSync(paths.baseline)
    ? (JSON.parse(readFileSync(paths.baseline, 'utf8')) as Results)
    : undefined;
  const rss = existsSync(paths.rss) ? (JSON.parse(readFileSync(paths.rss, 'utf8')) as RssResults) : undefined;
  writeFileSync(paths.markdown, markdown(results, findings, baseline, rss));
}
