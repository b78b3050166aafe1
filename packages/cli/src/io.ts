import pc from 'picocolors';

/** A writable text stream the CLI prints to (process.stdout, process.stderr, or a test double). */
export interface CliStream {
  /** Writes text; returns false when the stream wants the writer to wait for `drain`. */
  write(chunk: string): boolean;
  /** True when the stream is a terminal. */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
  /** Registers a listener (used for `drain`). */
  once?(event: 'drain', listener: () => void): unknown;
}

/** Where the CLI reads its environment from and writes its output to. */
export interface CliIo {
  /** Results: tables, JSON, CSV. */
  stdout: CliStream;
  /** Errors, warnings, progress. */
  stderr: CliStream;
  /** Environment variables (SCIM_URL, SCIM_TOKEN, NO_COLOR, FORCE_COLOR, TERM). */
  env: Record<string, string | undefined>;
}

/** The default streams of the running process. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Colour functions bound to one decision (on or off). */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Whether to colour output written to `stream`: never with `--no-color`, `NO_COLOR` (any
 * non-empty value, https://no-color.org) or `TERM=dumb`; always with `FORCE_COLOR` (other
 * than `0`); otherwise only on a terminal.
 */
export function shouldColor(stream: CliStream, env: CliIo['env'], flag: boolean): boolean {
  if (!flag) return false;
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

/** Colour functions for `stream`, following {@link shouldColor}. */
export function colorsFor(stream: CliStream, env: CliIo['env'], flag: boolean): Colors {
  return pc.createColors(shouldColor(stream, env, flag));
}

/** Writes `text` and waits for `drain` when the stream buffers too much (constant memory when piped). */
export async function writeOut(stream: CliStream, text: string): Promise<void> {
  if (stream.write(text) || !stream.once) return;
  await new Promise<void>((resolve) => stream.once?.('drain', resolve));
}

/**
 * Text from the network made safe for a terminal: line breaks and tabs become spaces, other
 * control characters (ESC of ANSI sequences that could rewrite the screen, C1 controls) become
 * U+FFFD.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\t\n\r]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}
