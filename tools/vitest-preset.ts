import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Resolve workspace packages to their TypeScript sources, so tests need no build. Vitest also
 * hands these to the worker's Node as `--conditions`, so they must stay Vite's server defaults
 * plus ours: an extra `import` condition would make CommonJS `require` pick ESM files (Express 5
 * then fails with "isPromise is not a function").
 */
const conditions = ['@scimkit/source', 'module', 'node', 'development|production'];

/**
 * The vitest project config shared by every package. Each package has a tiny vitest.config.ts
 * calling this: the root `vitest run` picks those up as projects, and `vitest run` inside a
 * package (what turbo runs) finds the package's own config instead of the root one, whose
 * `projects` globs would resolve from the package directory and find nothing.
 */
export function scimkitProject(
  name: string,
  options: {
    typecheck?: boolean;
    testTimeout?: number;
    /** Vitest global setup files, relative to the package (e.g. starting a database). */
    globalSetup?: string[];
  } = {},
): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 20_000,
      ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
      ...(options.typecheck
        ? {
            typecheck: {
              enabled: true,
              include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
              tsconfig: './tsconfig.json',
            },
          }
        : {}),
    },
  });
}
