import { scimkitProject } from '../../tools/vitest-preset.ts';

// Client against server over real HTTP, both as users install them: the built packages (dist).
export default scimkitProject('integration-tests', { built: true, testTimeout: 30_000 });
