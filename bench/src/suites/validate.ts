import { PEER_VALIDATORS, type Validator } from '../adapters/peers.js';
import type { ScimkitAdapters } from '../adapters/scimkit.js';
import { userToCreate } from '../corpus/users.js';
import { budgetFor, describe, type Recorder, type RunOptions } from '../harness.js';

const SUITE = 'validate';

/** Validates a full Enterprise user as a POST body (core + extension, every common attribute). */
export async function runValidate(
  recorder: Recorder,
  options: RunOptions,
  scimkit: ScimkitAdapters,
): Promise<void> {
  console.log(`\n# ${SUITE}`);
  const validators: Validator[] = [...(scimkit.validator ? [scimkit.validator] : []), ...PEER_VALIDATORS];
  const resource = userToCreate(3);
  const caseName = 'full Enterprise user (POST body)';
  const entries = [];
  for (const v of validators) {
    const base = { suite: SUITE, case: caseName, library: v.name, unit: 'validate 1 resource' };
    try {
      v.validate(resource);
    } catch (error) {
      recorder.skip(base, `error: ${describe(error)}`);
      continue;
    }
    entries.push({ base, spec: { fn: () => v.validate(resource) } });
  }
  await recorder.runCase(entries, budgetFor(options));
}
