/**
 * `pnpm --filter @scimkit/bench run callgrind [target…]`: instructions per unit of work of the
 * profile targets (src/profile.ts), counted by valgrind's callgrind. Unlike wall-clock numbers
 * they hardly move when other processes share the machine, so they can show a small regression
 * or gain of a refactoring.
 *
 * Each target runs in a child under callgrind. After a warm-up (start-up, TypeScript
 * compilation and JIT tiering are not counted), the child runs several segments of `n` units,
 * each inside `vm.Script#runInThisContext`: callgrind collects only inside that native call
 * (`--toggle-collect`) and writes one dump per segment (`--dump-after`). The cheapest segment
 * counts, as the one least disturbed by garbage collection or a late recompilation.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { TARGETS } from './profile.js';

/** Units per segment and warm-up units per target, sized for about a minute each under valgrind. */
const UNITS: Record<string, { n: number; warmup: number }> = {
  parse: { n: 50, warmup: 300 },
  patch: { n: 200, warmup: 3000 },
  'patch-group': { n: 2, warmup: 10 },
  eval: { n: 1, warmup: 3 },
  validate: { n: 200, warmup: 2000 },
  'shape-page': { n: 3, warmup: 100 },
  'core-get': { n: 200, warmup: 3000 },
  'core-list': { n: 200, warmup: 3000 },
  'core-post': { n: 100, warmup: 2000 },
  'core-patch': { n: 100, warmup: 2000 },
  'core-sqlite-page': { n: 10, warmup: 100 },
};

const SEGMENTS = 7;
const DEFAULT_TARGETS = ['parse', 'patch', 'patch-group', 'validate'];
/** The native function every measured segment runs inside (`--dump-after` needs the full signature). */
const BOUNDARY =
  'node::contextify::ContextifyScript::RunInContext(v8::FunctionCallbackInfo<v8::Value> const&)';

/**
 * Targets whose unit is asynchronous (the server core's requests: core-get, core-list,
 * core-post, core-patch): their promise chains run after
 * `runInThisContext` returns, so callgrind counts everything (`--collect-atstart=yes`) and
 * dumps at each entry into an empty script (`--dump-before`): a segment is what runs between
 * two of them, every unit awaited.
 */
const isAsync = (target: string): boolean => target.startsWith('core-');

/** The child: warm up, then run the measured segments, each inside one `runInThisContext`. */
async function child(target: string, warmup: number, units: number): Promise<void> {
  const make = TARGETS[target];
  if (!make) throw new Error(`Unknown target "${target}"`);
  const work = await make();
  for (let i = 0; i < warmup; i++) await work();
  if (isAsync(target)) {
    const marker = new Script('0');
    for (let i = 0; i <= SEGMENTS; i++) {
      marker.runInThisContext();
      if (i < SEGMENTS) for (let j = 0; j < units; j++) await work();
    }
    return;
  }
  const global = globalThis as { scimkitSegment?: () => void };
  global.scimkitSegment = () => {
    for (let i = 0; i < units; i++) void work();
  };
  const segment = new Script('scimkitSegment()');
  for (let i = 0; i < SEGMENTS; i++) segment.runInThisContext();
}

/** Instructions of each measured segment of one child run. */
function segments(target: string, warmup: number, units: number): number[] {
  const directory = mkdtempSync(join(tmpdir(), 'scimkit-callgrind-'));
  try {
    const result = spawnSync(
      'valgrind',
      [
        '--tool=callgrind',
        `--callgrind-out-file=${join(directory, 'out')}`,
        ...(isAsync(target)
          ? ['--collect-atstart=yes', `--dump-before=${BOUNDARY}`]
          : ['--collect-atstart=no', `--toggle-collect=${BOUNDARY}`, `--dump-after=${BOUNDARY}`]),
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
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.status !== 0) throw new Error(`valgrind failed for ${target}:\n${result.stderr}`);
    const counts: number[] = [];
    // out.1, out.2, …: one dump per segment (`out` itself, written at exit, is empty).
    let dumps = readdirSync(directory).filter((file) => /^out\.\d+$/.test(file));
    dumps.sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    // Asynchronous targets: out.1 holds start-up and warm-up, out.2 … the segments.
    if (isAsync(target)) dumps = dumps.slice(1, SEGMENTS + 1);
    for (const file of dumps) {
      const totals = /^totals: (\d+)/m.exec(readFileSync(join(directory, file), 'utf8'));
      if (totals) counts.push(Number(totals[1]));
    }
    if (counts.length !== SEGMENTS) {
      throw new Error(`expected ${SEGMENTS} segments of ${target}, found ${counts.length}`);
    }
    return counts;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1] ?? '', Number(args[2]), Number(args[3]));
    return;
  }
  const targets = args.length > 0 ? args : DEFAULT_TARGETS;
  for (const target of targets) {
    // `patch:<case id>` (one PATCH case, or `scim-patch:<case id>` the same through scim-patch)
    // counts 1000 units per segment: one case is a few µs.
    const single = target.startsWith('patch:') || target.startsWith('scim-patch:');
    const units = UNITS[target] ?? (single ? { n: 1000, warmup: 20_000 } : undefined);
    if (!units || !TARGETS[target]) {
      throw new Error(
        `Unknown target "${target}"; targets: ${Object.keys(UNITS).join(', ')}, patch:<case id>, scim-patch:<case id>`,
      );
    }
    const counts = segments(target, units.warmup, units.n).map((count) => Math.round(count / units.n));
    const best = Math.min(...counts);
    const all = counts.map((count) => count.toLocaleString('en')).join(', ');
    console.log(
      `${target.padEnd(12)} ${best.toLocaleString('en').padStart(14)} instructions per unit (segments: ${all})`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
