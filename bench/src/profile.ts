/**
 * `pnpm --filter @scimkit/bench run profile <target> [seconds]`: runs one hot path under the V8
 * CPU profiler (the same profile `node --cpu-prof` writes), saves
 * bench/results/<target>.cpuprofile (open it in Chrome DevTools) and prints the functions with
 * the most self time. Targets: parse, eval, patch, patch-group, validate.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scimkitEvaluator, scimkitParser, scimkitPatcher, scimkitValidator } from './adapters/scimkit.js';
import { EVAL_CASES, filterCorpus } from './corpus/filters.js';
import { memberOperations, NEW_MEMBER_ID, PATCH_CASES } from './corpus/patches.js';
import { generateGroup, generateUser, generateUsers, userToCreate } from './corpus/users.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The hot loops that can be profiled. */
export const TARGETS: Record<string, () => () => void> = {
  parse: () => {
    const texts = filterCorpus().map((f) => f.text);
    return () => {
      for (const t of texts) scimkitParser.parse(t);
    };
  },
  eval: () => {
    const users = generateUsers(20_000);
    const counts = EVAL_CASES.map((c) => scimkitEvaluator.compile(c.text));
    return () => {
      for (const count of counts) count(users);
    };
  },
  patch: () => {
    const user = generateUser(7);
    return () => {
      for (const c of PATCH_CASES) scimkitPatcher.apply(user, c.operations, c.resourceType);
    };
  },
  'patch-group': () => {
    const group = generateGroup(1, 10_000);
    const ops = memberOperations(10_000);
    const remove = [{ op: 'remove', path: `members[value eq "${NEW_MEMBER_ID}"]` }];
    return () => {
      const added = scimkitPatcher.apply(group, ops.add, 'Group') as Record<string, unknown>;
      scimkitPatcher.apply(added, remove, 'Group');
    };
  },
  validate: () => {
    const user = userToCreate(3);
    return () => {
      scimkitValidator.validate(user);
    };
  },
};

/** Self time per function, most first. */
export function hotSpots(profile: Profile, top = 15): { name: string; selfMs: number; percent: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '');
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, selfMs: Math.round(ms), percent: Math.round((1000 * ms) / total) / 10 }));
}

async function main(): Promise<void> {
  const target = process.argv[2] ?? '';
  const seconds = Number(process.argv[3] ?? '3');
  const make = TARGETS[target];
  if (!make) throw new Error(`Unknown target "${target}"; targets: ${Object.keys(TARGETS).join(', ')}`);
  const work = make();
  for (let i = 0; i < 3; i++) work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const end = performance.now() + seconds * 1000;
  let runs = 0;
  while (performance.now() < end) {
    work();
    runs++;
  }
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  const file = fileURLToPath(new URL(`../results/${target}.cpuprofile`, import.meta.url));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(profile));
  console.log(`${target}: ${runs} runs in ${seconds} s; profile in ${file}`);
  for (const h of hotSpots(profile))
    console.log(`${String(h.percent).padStart(5)}%  ${String(h.selfMs).padStart(6)} ms  ${h.name}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
