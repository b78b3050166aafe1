/**
 * Vitest global setup of @scimkit/store-postgres: gives every test file a real PostgreSQL.
 *
 * - `SCIMKIT_PG_URL` set: that server is used as is (tests create their own schemas in it).
 * - Otherwise a scratch cluster is created in a temporary directory (initdb), started on a free
 *   127.0.0.1 port with its socket in that directory, and stopped and removed at teardown.
 *   The binaries come from /usr/lib/postgresql/<version>/bin or PATH; when they are missing and
 *   we run as root with apt-get, the `postgresql` package is installed first.
 *
 * When no PostgreSQL can be had, the run FAILS with a message saying what to do: these tests
 * are never skipped.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the PostgreSQL server the tests use. */
    pgUrl: string;
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function log(message: string): void {
  process.stderr.write(`[store-postgres] ${message}\n`);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The directory holding initdb, pg_ctl and postgres, or undefined. */
function findBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const bin = path.join(root, version, 'bin');
      if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
    }
  }
  const initdb = onPath('initdb');
  if (initdb) {
    const bin = path.dirname(fs.realpathSync(initdb));
    if (fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

/**
 * Tells Debian's postgresql-common not to create (and start) the `main` cluster while the package
 * is installed: the tests run their own, and nothing may keep running after them. Removed again
 * after the install, so later installs on the machine behave as usual.
 */
const NO_MAIN_CLUSTER = '/etc/postgresql-common/createcluster.d/00-scimkit-tests.conf';

function installWithApt(): void {
  if (!isRoot || !onPath('apt-get')) return;
  log('PostgreSQL not found: installing the postgresql package with apt-get (once per machine)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (update.status !== 0) log(`apt-get update exited with ${update.status}`);
  const placed = !fs.existsSync(NO_MAIN_CLUSTER);
  try {
    if (placed) {
      fs.mkdirSync(path.dirname(NO_MAIN_CLUSTER), { recursive: true });
      fs.writeFileSync(NO_MAIN_CLUSTER, 'create_main_cluster = false\n');
    }
    const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    if (install.status !== 0) log(`apt-get install postgresql exited with ${install.status}`);
  } finally {
    if (placed) fs.rmSync(NO_MAIN_CLUSTER, { force: true });
  }
}

/**
 * Starts a detached watchdog that stops the cluster and removes its directory once this process
 * is gone without its teardown (killed, or a crash): the cluster never outlives the test run.
 */
function startWatchdog(bin: string, data: string, dir: string): ChildProcess {
  const stopCommand = isRoot
    ? `runuser -u postgres -- "$4/pg_ctl" -D "$2" -m immediate -w stop`
    : `"$4/pg_ctl" -D "$2" -m immediate -w stop`;
  const script = `while kill -0 "$1" 2>/dev/null; do sleep 1; done; if [ -f "$2/postmaster.pid" ]; then ${stopCommand}; fi; rm -rf "$3"`;
  const watchdog = spawn('sh', ['-c', script, 'scimkit-pg-watchdog', String(process.pid), data, dir, bin], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  return watchdog;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root (initdb refuses root). */
function runAsOwner(command: string, args: string[]): string {
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function failure(message: string): Error {
  return new Error(
    `@scimkit/store-postgres tests need PostgreSQL and could not get one: ${message}\n` +
      'Either set SCIMKIT_PG_URL=postgres://user:password@host:port/database (a server the tests may ' +
      'create schemas in), or install PostgreSQL (Debian/Ubuntu: apt-get install postgresql) so that ' +
      'initdb and pg_ctl are in /usr/lib/postgresql/<version>/bin or on PATH.',
  );
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env['SCIMKIT_PG_URL'];
  if (given) {
    project.provide('pgUrl', given);
    return undefined;
  }

  let bin = findBinaries();
  if (!bin) {
    installWithApt();
    bin = findBinaries();
  }
  if (!bin) {
    throw failure(
      isRoot
        ? 'initdb/pg_ctl not found and apt-get could not install the postgresql package.'
        : 'initdb/pg_ctl not found (not root, so nothing was installed).',
    );
  }
  if (isRoot && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    throw failure('running as root, but there is no `postgres` user to run initdb as.');
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-pg-'));
  if (isRoot) execFileSync('chown', ['postgres', dir]);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'log');
  const started = Date.now();
  let watchdog: ChildProcess | undefined;
  const stop = () => {
    // Whenever a postmaster may run: also after a `pg_ctl start` that failed or timed out but
    // left the server starting.
    if (fs.existsSync(path.join(data, 'postmaster.pid'))) {
      try {
        runAsOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch (error) {
        log(`pg_ctl stop failed: ${String(error)}; stopping immediately`);
        try {
          runAsOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch (again) {
          log(`pg_ctl stop -m immediate failed: ${String(again)}`);
        }
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    if (watchdog?.exitCode === null && watchdog.pid !== undefined) {
      try {
        process.kill(watchdog.pid);
      } catch {
        // already gone
      }
    }
  };
  try {
    watchdog = startWatchdog(bin, data, dir);
    runAsOwner(path.join(bin, 'initdb'), [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
      '--no-instructions',
    ]);
    let port = 0;
    // Another process may take the free port between our probe and the start: retry.
    for (let attempt = 0; ; attempt += 1) {
      port = await freePort();
      try {
        runAsOwner(path.join(bin, 'pg_ctl'), [
          '-D',
          data,
          '-l',
          logFile,
          '-w',
          '-t',
          '60',
          '-o',
          // A throwaway cluster: durability off, enough connections for parallel test files.
          `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
          'start',
        ]);
        break;
      } catch (error) {
        if (attempt >= 2) throw error;
      }
    }
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    log(`scratch PostgreSQL (${path.basename(path.dirname(bin))}) on ${url} in ${Date.now() - started} ms`);
    project.provide('pgUrl', url);
    return stop;
  } catch (error) {
    const detail =
      error && typeof error === 'object' && 'stderr' in error ? String(error.stderr) : String(error);
    let serverLog = '';
    try {
      serverLog = fs.readFileSync(logFile, 'utf8').slice(-2000);
    } catch {
      // no log yet
    }
    stop();
    throw failure(`starting a scratch cluster failed: ${detail}\n${serverLog}`);
  }
}
