import { defineConfig } from 'vitest/config';

// One run over every package: each package's own vitest.config.ts is a project (a package
// needs that file, or `vitest run` inside it falls back to this config and finds no projects),
// and a vitest.built.config.ts one that tests the package's build (dist), as users get it.
// The JSON report feeds the `N passed, N failed` line that .ci/run prints.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'packages/*/vitest.built.config.ts',
      'examples/*/vitest.config.ts',
      'bench/vitest.config.ts',
      'tools/vitest.config.ts',
      {
        // Type tests (`*.test-d.ts`, expectTypeOf) of every package in one project, checked by
        // tsc against the sources: vitest warns once per project that type testing is
        // experimental, so one project says it once.
        test: {
          name: 'types',
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: ['packages/*/src/**/*.test-d.ts', 'packages/*/test/**/*.test-d.ts'],
            tsconfig: './tools/tsconfig.type-tests.json',
          },
        },
      },
    ],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
