import type { Command } from 'commander';
import { CliError, ExitCode, usageError } from './errors.js';
import { type CliIo, type Colors, colorsFor } from './io.js';
import { type OutputFormat, parseOutputFormat } from './output.js';

/** Options every command accepts (before or after the command name). */
export interface GlobalOptions {
  url?: string;
  token?: string;
  output?: string;
  color: boolean;
}

/** What a command's action gets besides its own options. */
export interface CommandContext {
  io: CliIo;
  /** Aborted on SIGINT/SIGTERM (bin) or by the embedding caller. */
  signal: AbortSignal;
  /** The arguments being run (after the program name). */
  argv: readonly string[];
  /** The exit code for a command that finished without throwing (import with failures sets 4). */
  exitCode: number;
}

/** The merged global options of `command`. */
export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Colours for stdout and stderr, honouring `--no-color`, NO_COLOR, FORCE_COLOR and the TTY. */
export function colorsOf(command: Command, io: CliIo): { out: Colors; err: Colors } {
  const { color } = globalsOf(command);
  return { out: colorsFor(io.stdout, io.env, color), err: colorsFor(io.stderr, io.env, color) };
}

/** `--output`, or `table` on a terminal and `jsonl` when piped. */
export function outputOf(command: Command, io: CliIo): OutputFormat {
  const { output } = globalsOf(command);
  if (output) return parseOutputFormat(output);
  return io.stdout.isTTY ? 'table' : 'jsonl';
}

/** `--url` and `--token` (or SCIM_URL and SCIM_TOKEN), or a usage error naming what is missing. */
export function connectionOf(command: Command): { baseUrl: string; token: string } {
  const { url, token } = globalsOf(command);
  if (!url) throw usageError('no server given: pass --url <base URL> or set SCIM_URL');
  if (!token) throw usageError('no token given: pass --token <token> or set SCIM_TOKEN');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`--url "${url}" is not a URL (expected e.g. http://127.0.0.1:8080/scim/v2)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`--url "${url}" must be an http:// or https:// URL`);
  }
  return { baseUrl: url.replace(/\/+$/, ''), token };
}

/** Parses a positive integer flag value. */
export function positiveInteger(name: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1_000_000) {
      throw new CliError(`${name} must be a positive integer, got "${value}"`, ExitCode.usage);
    }
    return Number(value);
  };
}
