import { defineProject } from 'vitest/config';

// Like tools/vitest-preset.ts, but without the `import` condition: vitest hands these
// conditions to the worker's Node as --conditions, where `import` makes CommonJS `require`
// pick ESM entry points (is-promise under express 5's router: "isPromise is not a function").
const conditions = ['@scimkit/source', 'module', 'node', 'default'];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@scimkit/source'] } },
  test: {
    name: 'integration-tests',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
