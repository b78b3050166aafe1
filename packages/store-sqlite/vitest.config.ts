import { fileURLToPath } from 'node:url';
import type { UserWorkspaceConfig } from 'vitest/config';
import { scimkitProject } from '../../tools/vitest-preset.ts';

const project = scimkitProject('store-sqlite', { testTimeout: 30_000 });

// The private test-utils package (store conformance suite) is not a dependency of this
// package in the lockfile; resolve it to its sources for tests (see tsconfig.json paths).
const config: UserWorkspaceConfig = {
  ...project,
  resolve: {
    ...project.resolve,
    alias: { '@scimkit/test-utils': fileURLToPath(new URL('../test-utils/src/index.ts', import.meta.url)) },
  },
};

export default config;
