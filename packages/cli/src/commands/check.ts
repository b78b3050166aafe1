import { writeFile } from 'node:fs/promises';
import {
  type CheckInfo,
  type CheckReport,
  type CheckResult,
  CheckRunError,
  failureLines,
  IDP_NAMES,
  levelLabel,
  listChecks,
  runChecks,
  toJUnit,
} from '@scimkit/check';
import type { Command } from 'commander';
import { type CommandContext, colorsOf, connectionOf, outputOf, positiveInteger } from '../context.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import { withExamples } from '../help.js';
import { type CliIo, type Colors, terminalSafe, writeOut } from '../io.js';

interface CheckOptions {
  readOnly?: boolean;
  junit?: string;
  only?: string[];
  skip?: string[];
  prefix?: string;
  timeout?: number;
  list?: boolean;
}

/** `a,b` and repeated flags alike: `--only filter,paging --only idp.okta`. */
function names(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  ];
}

function idps(check: Pick<CheckInfo, 'idps'>): string {
  return check.idps.map((idp) => IDP_NAMES[idp]).join(', ');
}

/** One line per result, written as it arrives (the progress of the readable report). */
function resultLine(result: CheckResult, colors: Colors): string {
  const title = terminalSafe(result.title);
  if (result.status === 'passed') return `  ${colors.green('✓')} ${result.id}  ${colors.dim(title)}`;
  if (result.status === 'skipped')
    return colors.dim(`  - ${result.id}  skipped: ${terminalSafe(result.skipReason ?? '')}`);
  const mark = result.level === 'required' ? colors.red('✗') : colors.yellow('!');
  return `  ${mark} ${colors.bold(result.id)}  ${title} ${colors.dim(`[${levelLabel(result)}]`)}`;
}

/** The readable explanation of every failure, the skipped features, cleanup and the totals. */
function summaryText(report: CheckReport, colors: Colors): string {
  const lines: string[] = [];
  const failed = report.results.filter((result) => result.status === 'failed');
  if (failed.length > 0) lines.push('', colors.bold('Failures'));
  for (const result of failed) {
    const level = result.level === 'required' ? colors.red(result.level) : colors.yellow(result.level);
    lines.push(
      '',
      `${colors.bold(result.id)}  ${terminalSafe(result.title)} [${level}${idps(result) ? ` · ${idps(result)}` : ''}]`,
    );
    for (const [label, text] of failureLines(result)) {
      lines.push(`  ${colors.dim(`${label}:`.padEnd(10))}${terminalSafe(text)}`);
    }
  }
  if (report.notAdvertised.length > 0) {
    const skipped = report.results.filter((result) => result.skipReason?.startsWith('not advertised')).length;
    lines.push(
      '',
      `Not advertised by the server: ${report.notAdvertised.join(', ')} (${skipped} checks skipped)`,
    );
  }
  const { cleanup } = report;
  lines.push(
    '',
    `Cleanup: ${cleanup.deleted} deleted${cleanup.deactivated ? `, ${cleanup.deactivated} users deactivated (DELETE refused)` : ''}`,
  );
  for (const leftover of cleanup.leftovers) {
    lines.push(
      colors.yellow(
        `  left behind: ${leftover.endpoint}/${terminalSafe(leftover.id)} (${terminalSafe(leftover.reason)})`,
      ),
    );
  }
  const { summary } = report;
  const verdict = report.ok ? colors.green('ready') : colors.red('not ready');
  lines.push(
    '',
    `${summary.passed} passed, ${summary.failed} failed (${summary.requiredFailed} required, ${summary.advisoryFailed} advisory), ${summary.skipped} skipped in ${(report.durationMs / 1000).toFixed(1)} s: ${verdict}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The checks `--only` and `--skip` select; an unknown name is a usage error. */
function selectedChecks(options: CheckOptions): CheckInfo[] {
  try {
    return listChecks({
      ...(options.only ? { only: options.only } : {}),
      ...(options.skip ? { skip: options.skip } : {}),
    });
  } catch (error) {
    if (error instanceof CheckRunError) throw usageError(`${error.message} (see scimkit check --list)`);
    throw error;
  }
}

async function listCatalogue(
  io: CliIo,
  format: string,
  options: CheckOptions,
  colors: Colors,
): Promise<void> {
  const checks = selectedChecks(options);
  if (format === 'json') return writeOut(io.stdout, `${JSON.stringify(checks, null, 2)}\n`);
  if (format === 'jsonl')
    return writeOut(io.stdout, checks.map((check) => `${JSON.stringify(check)}\n`).join(''));
  const width = Math.max(...checks.map((check) => check.id.length));
  const text = checks.map(
    (check) =>
      `${check.id.padEnd(width)}  ${check.level.padEnd(8)}  ${check.title}${check.idps.length ? colors.dim(` (${idps(check)})`) : ''}`,
  );
  return writeOut(io.stdout, `${text.join('\n')}\n`);
}

/** `scimkit check`: the conformance and IdP-replay checks of `@scimkit/check` against a server. */
export function registerCheck(program: Command, context: CommandContext): void {
  const command = program
    .command('check')
    .description(
      'check a SCIM service provider against the RFCs and what Entra ID and Okta send (creates and removes its own test users)',
    )
    .option('--read-only', 'only GET checks: safe against a production endpoint')
    .option('--junit <file>', 'also write the results as JUnit XML to this file')
    .option('--only <checks>', 'only these checks or groups (comma-separated, repeatable)', names)
    .option('--skip <checks>', 'leave out these checks or groups (comma-separated, repeatable)', names)
    .option('--prefix <prefix>', 'start of every name the run creates (default: scimkit-check-<random>)')
    .option(
      '--timeout <ms>',
      'milliseconds to wait for each answer (default 30000)',
      positiveInteger('--timeout'),
    )
    .option('--list', 'list the checks (no server needed)')
    .action(async (options: CheckOptions, self: Command) => {
      const { io, signal } = context;
      const format = outputOf(self, io);
      if (format === 'csv') throw usageError('check writes table, json or jsonl, not csv');
      const colors = colorsOf(self, io);
      if (options.list) return listCatalogue(io, format, options, colors.out);
      const { baseUrl, token } = connectionOf(self);
      const total = selectedChecks(options).length;
      let done = 0;
      let group = '';
      const progress = io.stderr.isTTY === true && format === 'table';
      let report: CheckReport;
      try {
        report = await runChecks({
          url: baseUrl,
          token,
          signal,
          ...(options.readOnly ? { readOnly: true } : {}),
          ...(options.only ? { only: options.only } : {}),
          ...(options.skip ? { skip: options.skip } : {}),
          ...(options.prefix ? { prefix: options.prefix } : {}),
          ...(options.timeout ? { timeout: options.timeout } : {}),
          onCheckStart: (check) => {
            if (progress) io.stderr.write(`\r\u001b[2K[${done + 1}/${total}] ${check.id}…`);
          },
          onResult: (result) => {
            done++;
            if (progress) io.stderr.write('\r\u001b[2K');
            if (format === 'jsonl') io.stdout.write(`${JSON.stringify(result)}\n`);
            else if (format === 'table') {
              if (result.group !== group)
                io.stdout.write(`${group ? '\n' : ''}${colors.out.bold(result.group)}\n`);
              group = result.group;
              io.stdout.write(`${resultLine(result, colors.out)}\n`);
            }
          },
        });
      } catch (error) {
        if (progress) io.stderr.write('\r\u001b[2K');
        // Interrupted: the run has cleaned up before rejecting.
        if (signal.aborted)
          throw new CliError('interrupted; the resources created were removed', ExitCode.interrupted);
        if (error instanceof CheckRunError) throw new CliError(error.message);
        throw error;
      }
      if (options.junit) await writeFile(options.junit, toJUnit(report));
      if (format === 'json') await writeOut(io.stdout, `${JSON.stringify(report, null, 2)}\n`);
      else if (format === 'jsonl') {
        const { results: _results, ...rest } = report;
        await writeOut(io.stdout, `${JSON.stringify(rest)}\n`);
      } else await writeOut(io.stdout, summaryText(report, colors.out));
      if (!report.ok) context.exitCode = ExitCode.partial;
    });
  command.addHelpText(
    'after',
    `
Exit codes: 0 every required check passed, 4 a required check failed, 1 the server could not be
            reached or refused the token, 2 usage error, 130 interrupted (after cleaning up).
`,
  );
  withExamples(command, [
    'scimkit check --url https://app.example.com/scim/v2 --token "$SCIM_TOKEN"',
    'scimkit check --read-only --junit scim-check.xml',
    'scimkit check --only idp,filter --skip etag.if-none-match',
    'scimkit check --output json | jq \'.results[] | select(.status == "failed")\'',
    'scimkit check --list',
  ]);
}
