import { scimkitProject } from '../../tools/vitest-preset.ts';

// CLI tests run the command as subprocesses (about a second each to start on a busy machine).
// `serve --database` is tested against the real PostgreSQL the store-postgres setup provides.
export default scimkitProject('cli', {
  testTimeout: 60_000,
  globalSetup: ['../store-postgres/test/global-setup.ts'],
});
