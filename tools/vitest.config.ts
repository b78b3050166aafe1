import { scimkitProject } from './vitest-preset.ts';

// The repository's own tooling: the check that the documentation's code compiles.
export default scimkitProject('tools', { testTimeout: 120_000 });
