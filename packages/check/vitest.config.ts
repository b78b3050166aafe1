import { scimkitProject } from '../../tools/vitest-preset.ts';

// The checks run against real servers: scimkit's on the memory, SQLite and PostgreSQL stores
// (the PostgreSQL one on the scratch cluster the store-postgres setup provides) and a faulty one.
export default scimkitProject('check', {
  testTimeout: 60_000,
  globalSetup: ['../store-postgres/test/global-setup.ts'],
});
