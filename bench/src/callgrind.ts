/**
 * `pnpm --filter @scimkit/bench run callgrind [target…]`: instructions per unit of work of the
 * profile targets (src/profile.ts), counted by valgrind's callgrind. Unlike wall-clock numbers
 * they hardly move when other processes share the machine, so they can show a small regression
 * or gain of a refactoring.
 *
 * Each target runs in a child under callgrind: it warms up (start-up, TypeScript compilation
 * and JIT tiering are not counted), then `callgrind_control --zero` resets the counters and the
 * child runs the measured units and exits. That happens twice, with `n` and `2n` units; the
 * difference divided by `n` is the cost of one unit, free of the constant cost of exiting.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGETS } from './profile.js';

/** Units measured (n) and warm-up units per target, sized for well under a minute each. */
const UNITS: Record<string, { n: number; warmup: number }> = {
  parse: { n: 200, warmup: 300 },
  patch: { n: 200, warmup: 300 },
  'patch-group': { n: 4, warmup: 8 },
  eval: { n: 2, warmup: 4 },
  validate: { n: 500, warmup: 1000 },
};

const DEFAULT_TARGETS = ['parse', 'patch', 'patch-group', 'validate'];

/**
 * The child: warm up, say so, spin (running code, so callgrind processes the zeroing command)
 * until the parent has zeroed the counters, run `units` units and exit.
 */
async function child(target: string, warmup: number, units: number, flags: string): Promise<void> {
  const make = TARGETS[target];
  if (!make) throw new Error(`Unknown target "${target}"`);
  const work = await make();
  for (let i = 0; i < warmup; i++) await work();
  process.stdout.write('ready\n');
  const go = join(flags, 'go');
  while (!existsSync(go)) {
    // spin
  }
  for (let i = 0; i < units; i++) await work();
}

/** Instructions callgrind counted from zeroing to exit in one child run. */
async function measure(target: string, warmup: number, units: number): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'scimkit-callgrind-'));
  const out = join(directory, 'callgrind.out');
  try {
    const valgrind = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        `--callgrind-out-file=${out}`,
        process.execPath,
        '--single-threaded',
        '--conditions=@scimkit/source',
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--child',
        target,
        String(warmup),
        String(units),
        directory,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    valgrind.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => valgrind.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      let stdout = '';
      valgrind.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('ready\n')) resolve();
      });
      void exited.then(() => reject(new Error(`valgrind exited early for ${target}:\n${stderr}`)));
    });
    execFileSync('callgrind_control', ['--zero', String(valgrind.pid)], { stdio: 'ignore' });
    writeFileSync(join(directory, 'go'), '');
    const status = await exited;
    if (status !== 0) throw new Error(`valgrind failed for ${target}:\n${stderr}`);
    const totals = /^(?:totals|summary): (\d+)/m.exec(readFileSync(out, 'utf8'));
    if (!totals) throw new Error(`no totals in the callgrind output of ${target}`);
    return Number(totals[1]);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1] ?? '', Number(args[2]), Number(args[3]), args[4] ?? '');
    return;
  }
  const targets = args.length > 0 ? args : DEFAULT_TARGETS;
  for (const target of targets) {
    const units = UNITS[target];
    if (!units || !TARGETS[target]) {
      throw new Error(`Unknown target "${target}"; targets: ${Object.keys(UNITS).join(', ')}`);
    }
    const once = await measure(target, units.warmup, units.n);
    const twice = await measure(target, units.warmup, 2 * units.n);
    const perUnit = Math.round((twice - once) / units.n);
    const raw = `(${units.n} units: ${once}, ${2 * units.n}: ${twice})`;
    console.log(
      `${target.padEnd(12)} ${perUnit.toLocaleString('en').padStart(14)} instructions per unit ${raw}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
