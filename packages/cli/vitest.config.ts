import { scimkitProject } from '../../tools/vitest-preset.ts';

// CLI tests run the command as subprocesses (about a second each to start on a busy machine).
export default scimkitProject('cli', { testTimeout: 60_000 });
