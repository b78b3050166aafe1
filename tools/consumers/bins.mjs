// Runs a package's executables the way a user does after `npm install`: `npx <bin> …` from
// the consumer project. The package's consumer-bin.mjs decides what to run and what to expect;
// this module gives it the means (run to completion, or start and stop a server) and reports
// each named check.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * @typedef {object} BinRun
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * @typedef {object} RunningBin
 * @property {() => Promise<string>} firstLine the first line on stdout
 * @property {(pattern: RegExp) => Promise<RegExpExecArray>} stderrMatch the first match of
 *   `pattern` on stderr, once it has been printed
 * @property {(signal?: NodeJS.Signals) => Promise<BinRun>} stop signals it and waits for the exit
 */

/**
 * @typedef {object} BinContext what consumer-bin.mjs gets
 * @property {string} project the consumer project's directory
 * @property {boolean} alone whether only the package itself was installed (with its dependencies,
 *   without its optional peers), rather than every public package and their optional peers
 * @property {(args: string[], options?: { env?: Record<string, string> }) => Promise<BinRun>} run
 *   `npx --no <args>` to completion (killed after 2 minutes)
 * @property {(args: string[], options?: { env?: Record<string, string> }) => RunningBin} start
 *   `node_modules/.bin/<args>` in the background (not through npx, so that `stop` sees the
 *   bin's own exit code)
 * @property {(name: string, body: () => Promise<void>) => Promise<void>} check
 *   runs one named check; a throw fails it
 */

const TIMEOUT = 120_000;

/** Every process started, so that an interrupted matrix leaves none behind. */
const running = new Set();

/** Kills whatever bins are still running (the matrix calls this when it is interrupted). */
export function killBins() {
  for (const launched of running) launched.signal('SIGKILL');
}

/**
 * `npx --no -- <args>`, or with `direct` the bin itself from `node_modules/.bin` (as a global
 * install puts it on the PATH), in a process group of its own, signalled as a whole, as a
 * terminal signals its foreground job.
 */
function launch(args, cwd, env, direct = false) {
  const [command, ...rest] = direct
    ? [join(cwd, 'node_modules', '.bin', args[0]), ...args.slice(1)]
    : ['npx', '--no', '--', ...args];
  const child = spawn(command, rest, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const launched = {
    child,
    stdout: '',
    stderr: '',
    signal(signal) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    },
  };
  running.add(launched);
  child.stdout.setEncoding('utf8').on('data', (chunk) => (launched.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (launched.stderr += chunk));
  const killer = setTimeout(() => launched.signal('SIGKILL'), TIMEOUT);
  launched.exit = new Promise((resolve) => {
    child.on('error', (error) => {
      launched.stderr += String(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      running.delete(launched);
      resolve({ code, signal, stdout: launched.stdout, stderr: launched.stderr });
    });
  });
  return launched;
}

/**
 * The context handed to consumer-bin.mjs, and the results of its checks.
 * @param {{ project: string, alone: boolean, env: NodeJS.ProcessEnv }} options
 */
export function binContext({ project, alone, env }) {
  /** @type {{ name: string, ok: boolean, detail: string }[]} */
  const results = [];
  const environment = (extra = {}) => ({ ...env, NO_COLOR: '1', ...extra });
  /** @type {BinContext} */
  const context = {
    project,
    alone,
    run(args, options = {}) {
      return launch(args, project, environment(options.env)).exit;
    },
    start(args, options = {}) {
      // Not through npx, which dies of the signal itself: the exit code is the bin's own.
      const launched = launch(args, project, environment(options.env), true);
      /** Resolves with `found(stdout, stderr)` once it is not undefined; rejects on exit. */
      const waitFor = (found, what) =>
        new Promise((resolve, reject) => {
          const poll = setInterval(() => {
            const { stdout, stderr, child } = launched;
            const result = found(stdout, stderr);
            if (result !== undefined) {
              clearInterval(poll);
              resolve(result);
            } else if (child.exitCode !== null || child.signalCode !== null) {
              clearInterval(poll);
              reject(
                new Error(
                  `exited (${child.exitCode ?? child.signalCode}) before printing ${what}: ${stderr}`,
                ),
              );
            }
          }, 25);
        });
      return {
        firstLine: () =>
          waitFor(
            (stdout) => (stdout.includes('\n') ? stdout.slice(0, stdout.indexOf('\n')) : undefined),
            'a line',
          ),
        stderrMatch: (pattern) => waitFor((_, stderr) => pattern.exec(stderr) ?? undefined, String(pattern)),
        stop(signal = 'SIGTERM') {
          launched.signal(signal);
          return launched.exit;
        },
      };
    },
    async check(name, body) {
      try {
        await body();
        results.push({ name, ok: true, detail: '' });
      } catch (error) {
        results.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
      }
    },
  };
  return { context, results };
}
