import { STATUS_CODES } from 'node:http';
import { isFilterSyntaxError } from '@scimkit/filter';
import { terminalSafe } from './io.js';

/**
 * Exit codes of the `scimkit` command.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success |
 * | 1 | runtime error: HTTP error other than 404, network failure, I/O error |
 * | 2 | usage error: unknown option, missing argument, invalid filter (found locally or by the server) or input file |
 * | 3 | not found: the server answered 404 for the resource asked for |
 * | 4 | partial failure: `import` finished but some records failed (see the error report) |
 * | 130 | interrupted (Ctrl-C) during `import` or `export` |
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  partial: 4,
  interrupted: 130,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports in one line on stderr and turns into an exit code. */
export class CliError extends Error {
  /** The process exit code for this error. */
  readonly exitCode: ExitCodeValue;

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.error) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** A usage error (exit code 2): bad flags, bad arguments, bad input files. */
export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.usage);
}

interface HttpishError {
  status: number;
  scimType?: string | undefined;
  detail?: string | undefined;
  message: string;
}

function isHttpish(error: unknown): error is HttpishError {
  return (
    error instanceof Error &&
    typeof (error as { status?: unknown }).status === 'number' &&
    Number.isInteger((error as unknown as { status: number }).status)
  );
}

/** The exit code for any error thrown while a command ran. */
export function exitCodeOf(error: unknown): ExitCodeValue {
  if (error instanceof CliError) return error.exitCode;
  if (isFilterSyntaxError(error)) return ExitCode.usage;
  if (isHttpish(error) && error.status === 404) return ExitCode.notFound;
  // The filter the user typed, refused by the server: as much a usage error as a local one.
  if (isHttpish(error) && error.status === 400 && error.scimType === 'invalidFilter') return ExitCode.usage;
  return ExitCode.error;
}

function oneLine(text: string): string {
  return terminalSafe(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

/**
 * The one-line description of an error, without the `scimkit: ` prefix:
 * `404 Not Found: User "x" not found`, `409 Conflict (uniqueness): …`,
 * `cannot reach http://127.0.0.1:1/scim/v2: connect ECONNREFUSED 127.0.0.1:1`.
 */
export function describeError(error: unknown): string {
  // Found by the local parser: nothing was sent, so no HTTP status belongs in the message.
  if (isFilterSyntaxError(error)) return `invalid filter: ${oneLine(error.detail)}`;
  if (isHttpish(error) && error.status >= 100 && error.status < 600) {
    const reason = STATUS_CODES[error.status] ?? 'HTTP error';
    const type = error.scimType ? ` (${error.scimType})` : '';
    const detail = error.detail ?? error.message;
    const suffix = detail && detail !== reason ? `: ${oneLine(detail)}` : '';
    return `${error.status} ${reason}${type}${suffix}`;
  }
  if (error instanceof Error) {
    const message = oneLine(error.message) || error.name;
    // fetch failures hide the reason (ECONNREFUSED, ENOTFOUND, certificate errors) in `cause`.
    let root: unknown = (error as { cause?: unknown }).cause;
    let reason: string | undefined;
    for (let depth = 0; root instanceof Error && depth < 5; depth++) {
      reason = oneLine(root.message) || reason;
      root = (root as { cause?: unknown }).cause;
    }
    if (reason && !message.includes(reason)) {
      return `${message.replace(/: fetch failed$/, '')}: ${reason}`;
    }
    return message;
  }
  return oneLine(String(error));
}
