import { type FilterEvaluator, handWritten, PEER_EVALUATORS } from '../adapters/peers.js';
import type { ScimkitAdapters } from '../adapters/scimkit.js';
import { EVAL_CASES } from '../corpus/filters.js';
import { generateUsers, type Json } from '../corpus/users.js';
import { budgetFor, describe, type Recorder, type RunOptions } from '../harness.js';

const SUITE = 'filter-eval';
/** The library name of the hand-written predicate (the floor). */
export const HAND_WRITTEN = 'hand-written JS';

/** Counts matches of each evaluation filter over 100k generated users (10k with --quick). */
export async function runFilterEval(
  recorder: Recorder,
  options: RunOptions,
  scimkit: ScimkitAdapters,
  users: readonly Json[] = generateUsers(options.quick ? 10_000 : 100_000),
): Promise<void> {
  console.log(`\n# ${SUITE}: ${users.length} users`);
  const evaluators: FilterEvaluator[] = [
    ...(scimkit.evaluator ? [scimkit.evaluator] : []),
    ...PEER_EVALUATORS,
  ];
  const budget = budgetFor(options);
  for (const c of EVAL_CASES) {
    const floor = handWritten(c.predicate);
    const expected = floor(users);
    const unit = `filter ${users.length} users`;
    const caseName = `${c.name} (${expected} match)`;
    const entries = [];
    for (const e of evaluators) {
      const base = { suite: SUITE, case: caseName, library: e.name, unit };
      let count: (users: readonly Json[]) => number;
      let got: number;
      try {
        count = e.compile(c.text);
        got = count(users);
      } catch (error) {
        recorder.skip(base, `error: ${describe(error)}`);
        continue;
      }
      if (got !== expected) {
        // Wrong answers are not timed: speed of a wrong result is no result.
        recorder.skip(base, `wrong result: ${got} matches, expected ${expected}`);
        continue;
      }
      entries.push({ base, spec: { fn: () => count(users) } });
    }
    entries.push({
      base: { suite: SUITE, case: caseName, library: HAND_WRITTEN, unit },
      spec: { fn: () => floor(users) },
    });
    await recorder.runCase(entries, budget);
  }
}
