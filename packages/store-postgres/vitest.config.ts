import { scimkitProject } from '../../tools/vitest-preset.ts';

// A real PostgreSQL for every run: test/global-setup.ts starts a scratch cluster (or uses
// SCIMKIT_PG_URL) and fails the run when it cannot.
export default scimkitProject('store-postgres', {
  testTimeout: 30_000,
  globalSetup: ['test/global-setup.ts'],
});
