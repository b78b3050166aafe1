/**
 * Plain-text and JUnit XML renderings of results, for test failures, terminals and CI.
 */
import type { CheckReport, CheckResult, IdentityProvider, RecordedExchange } from './types.js';

/** How reports name identity providers. */
export const IDP_NAMES: Readonly<Record<IdentityProvider, string>> = { 'entra-id': 'Entra ID', okta: 'Okta' };

/** `required · Entra ID, Okta`: the level and the IdPs depending on a check. */
export function levelLabel(result: Pick<CheckResult, 'level' | 'idps'>): string {
  return [
    result.level,
    ...(result.idps.length ? [result.idps.map((idp) => IDP_NAMES[idp]).join(', ')] : []),
  ].join(' · ');
}

function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

/** The request line and answer of an exchange, one item a line. */
function exchangeLines(exchange: RecordedExchange): [string, string][] {
  const { request, response, error } = exchange;
  const lines: [string, string][] = [['request', `${request.method} ${request.url}`]];
  if (request.body !== undefined) lines.push(['body', request.body]);
  if (response) {
    const headers = Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`);
    lines.push(['response', [String(response.status), ...headers].join('  ')]);
    if (response.body !== '') lines.push(['body', response.body]);
  } else if (error) lines.push(['response', `none (${error})`]);
  return lines;
}

/**
 * The lines explaining a failed check: the problem, what was expected, why, the RFC section,
 * and the exchange. Empty for a check that did not fail.
 */
export function failureLines(result: CheckResult): [string, string][] {
  const failure = result.failure;
  if (!failure) return [];
  const lines: [string, string][] = [
    ['problem', failure.message],
    ['expected', failure.expected],
  ];
  if (failure.actual !== undefined) lines.push(['actual', failure.actual]);
  lines.push(['why', failure.why], ['see', result.rfc]);
  if (failure.exchange) lines.push(...exchangeLines(failure.exchange));
  return lines;
}

/**
 * A failed check as plain text: a title line, then labelled lines (problem, expected, why,
 * see, request, response).
 *
 * @example
 * ```ts
 * import { type CheckReport, formatFailure } from '@scimkit/check';
 *
 * declare const report: CheckReport;
 * for (const result of report.results) if (result.status === 'failed') console.log(formatFailure(result));
 * ```
 */
export function formatFailure(result: CheckResult): string {
  const lines = failureLines(result).map(
    ([label, text]) => `  ${`${label}:`.padEnd(10)}${indent(text, ' '.repeat(12))}`,
  );
  return [`${result.id}: ${result.title} [${levelLabel(result)}]`, ...lines].join('\n');
}

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * The report as JUnit XML: one `<testsuite>` per group, one `<testcase>` per check, failed
 * checks as `<failure type="required|advisory">` with the explanation, skipped ones as
 * `<skipped>` with the reason. CI systems (GitHub Actions reporters, GitLab, Jenkins) show it.
 */
export function toJUnit(report: CheckReport): string {
  const groups = new Map<string, CheckResult[]>();
  for (const result of report.results)
    groups.set(result.group, [...(groups.get(result.group) ?? []), result]);
  const { summary } = report;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="scimkit check ${xml(report.baseUrl)}" tests="${summary.total}" failures="${summary.failed}" skipped="${summary.skipped}" time="${seconds(report.durationMs)}" timestamp="${report.startedAt}">`,
  ];
  for (const [group, results] of groups) {
    const failed = results.filter((result) => result.status === 'failed').length;
    const skipped = results.filter((result) => result.status === 'skipped').length;
    const time = results.reduce((sum, result) => sum + result.durationMs, 0);
    out.push(
      `  <testsuite name="${xml(group)}" tests="${results.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds(time)}">`,
    );
    for (const result of results) {
      const open = `    <testcase classname="scimkit.check.${xml(group)}" name="${xml(`${result.id}: ${result.title}`)}" time="${seconds(result.durationMs)}"`;
      if (result.status === 'passed') out.push(`${open}/>`);
      else if (result.status === 'skipped')
        out.push(`${open}>`, `      <skipped message="${xml(result.skipReason ?? '')}"/>`, '    </testcase>');
      else {
        const body = failureLines(result)
          .map(([label, text]) => `${label}: ${text}`)
          .join('\n');
        out.push(
          `${open}>`,
          `      <failure type="${result.level}" message="${xml(`[${result.level}] ${result.failure?.message ?? ''}`)}">${xml(body)}</failure>`,
          '    </testcase>',
        );
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
