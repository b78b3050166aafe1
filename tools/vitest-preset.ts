import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Resolve workspace packages to their TypeScript sources, so tests need no build. Vitest also
 * hands these to the worker's Node as `--conditions`, so they must stay Vite's server defaults
 * plus ours: an extra `import` condition would make CommonJS `require` pick ESM files (Express 5
 * then fails with "isPromise is not a function").
 */
const conditions = ['@scimkit/source', 'module', 'node', 'development|production'];

/**
 * The vitest project config shared by every package (TOOLCHAIN G9: one tiny config per
 * package, which the root `vitest run` picks up as a project).
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
