/**
 * Runs the CLI from its TypeScript sources as a subprocess (`node --conditions=@scimkit/source
 * --import tsx packages/cli/src/bin.ts …`), so tests need no build, with a hard timeout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** What a finished run left behind. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runScimkit}. */
export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kills the process (SIGKILL) after this many ms; the test then fails on `signal`. */
  timeout?: number;
}

function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['SCIM_URL', 'SCIM_TOKEN', 'FORCE_COLOR', 'NODE_OPTIONS']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Spawns the CLI without waiting (for `serve`). */
export function spawnScimkit(args: readonly string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=@scimkit/source', '--import', 'tsx', bin, ...args], {
    cwd: options.cwd ?? root,
    env: environment(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to completion and collects its output. */
export function runScimkit(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const child = spawnScimkit(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 45_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Resolves with the accumulated stdout once it matches `pattern` (or rejects on exit/timeout). */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeout = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let errors = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${pattern} within ${timeout} ms; stdout: ${text}; stderr: ${errors}`));
    }, timeout);
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) {
        cleanup();
        resolve(text);
      }
    };
    const onError = (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`exited with ${code} before ${pattern}; stdout: ${text}; stderr: ${errors}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onError);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onError);
    child.on('exit', onExit);
  });
}

/** Resolves with the exit code and signal once `child` has exited (SIGKILL after `timeout`). */
export function exited(
  child: ChildProcess,
  timeout = 15_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}
