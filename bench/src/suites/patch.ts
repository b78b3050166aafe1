import { type Patcher, PEER_PATCHERS } from '../adapters/peers.js';
import type { ScimkitAdapters } from '../adapters/scimkit.js';
import { differingAttributes } from '../compare.js';
import {
  memberOperations,
  NEW_MEMBER_ID,
  PATCH_CASES,
  type PatchOperation,
  patchInput,
} from '../corpus/patches.js';
import { generateGroup, type Json } from '../corpus/users.js';
import { budgetFor, describe, type Recorder, type RunOptions } from '../harness.js';

const SUITE = 'patch';
/** Single-resource patches per timed call (each on its own fresh copy). */
const BATCH = 32;

/** Applies the Entra/Okta operation sets to a full Enterprise user (or a group of 100), and member add/remove on big groups. */
export async function runPatch(
  recorder: Recorder,
  options: RunOptions,
  scimkit: ScimkitAdapters,
): Promise<void> {
  console.log(`\n# ${SUITE}`);
  const patchers: Patcher[] = [...(scimkit.patcher ? [scimkit.patcher] : []), ...PEER_PATCHERS];
  const budget = budgetFor(options);

  for (const c of PATCH_CASES) {
    const input = patchInput(c);
    const unit = `apply ${c.operations.length} op(s)`;
    let reference: Json | undefined;
    const entries = [];
    for (const p of patchers) {
      const base = { suite: SUITE, case: c.name, library: p.name, unit };
      let result: Json;
      let async = false;
      try {
        const returned = p.apply(structuredClone(input), c.operations, c.resourceType);
        async = returned instanceof Promise;
        result = p.toJson(await returned);
      } catch (error) {
        recorder.skip(base, `error: ${describe(error)}`);
        continue;
      }
      let note: string | undefined;
      if (p === scimkit.patcher) reference = result;
      else if (reference) {
        const diff = differingAttributes(reference, result);
        if (diff.length > 0) note = `result differs from scimkit in ${diff.join(', ')}`;
      }
      // Every call gets a fresh copy, made outside the timed region (as a server gets a fresh
      // object from its store), in batches: one call takes only a few microseconds.
      let inputs: Json[] = [];
      const apply = (input: Json) => p.apply(input, c.operations, c.resourceType);
      entries.push({
        base: { ...base, ...(note ? { note } : {}) },
        spec: {
          beforeEach: () => {
            inputs = Array.from({ length: BATCH }, () => structuredClone(input));
          },
          fn: async
            ? async () => {
                for (const input of inputs) await apply(input);
              }
            : () => {
                for (const input of inputs) apply(input);
              },
          batch: BATCH,
        },
      });
    }
    await recorder.runCase(entries, budget);
  }

  const slow = new Map<string, string>();
  for (const size of options.quick ? [10_000] : [10_000, 100_000]) {
    await runMembers(recorder, options, patchers, size, slow);
  }
}

/**
 * One member added then removed on a group of `size` members (two PATCH requests), so that
 * engines that mutate in place end where they started and need no copy of the group.
 */
async function runMembers(
  recorder: Recorder,
  options: RunOptions,
  patchers: Patcher[],
  size: number,
  slow: Map<string, string>,
): Promise<void> {
  const group = generateGroup(1, size);
  const ops = memberOperations(size);
  const removeNew: PatchOperation[] = [{ op: 'remove', path: `members[value eq "${NEW_MEMBER_ID}"]` }];
  const caseName = `group of ${size / 1000}k: add + remove one member`;
  const budget = budgetFor(options, size >= 100_000 ? 2 : 1);
  const entries = [];
  for (const p of patchers) {
    const base = { suite: SUITE, case: caseName, library: p.name, unit: '2 PATCH requests' };
    const tooSlow = slow.get(p.name);
    if (tooSlow) {
      recorder.skip(base, `not run: ${tooSlow} on a smaller group`);
      continue;
    }
    let once = 0;
    const pair = async (): Promise<[number, number]> => {
      const added = await p.apply(group, ops.add, 'Group');
      // Read before the removal: an engine that mutates in place returns the same object.
      const afterAdd = (added as { members: unknown[] }).members.length;
      const removed = await p.apply(added, removeNew, 'Group');
      return [afterAdd, (removed as { members: unknown[] }).members.length];
    };
    try {
      const started = performance.now();
      const [afterAdd, afterRemove] = await pair();
      once = performance.now() - started;
      if (afterAdd !== size + 1) throw new Error(`expected ${size + 1} members after add, got ${afterAdd}`);
      if (afterRemove !== size)
        throw new Error(`expected ${size} members after add + remove, got ${afterRemove}`);
    } catch (error) {
      recorder.skip(base, `error: ${describe(error)}`);
      continue;
    }
    if (once > 1000) {
      // Seconds per operation: one timed pair is the measurement, and bigger groups are skipped.
      slow.set(p.name, `${(once / 1000).toFixed(1)} s per add + remove`);
      recorder.add({
        ...base,
        opsPerSec: 1000 / once,
        rme: 0,
        samples: 1,
        note: 'one timed run (over 1 s each)',
      });
      continue;
    }
    entries.push({ base, spec: { fn: pair } });
  }
  await recorder.runCase(entries, budget);
}
