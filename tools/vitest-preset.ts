import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Vite's server defaults. Vitest also hands these to the worker's Node as `--conditions`, so
 * they must stay these: an extra `import` condition would make CommonJS `require` pick ESM files
 * (Express 5 then fails with "isPromise is not a function").
 */
const defaults = ['module', 'node', 'development|production'];
/** Resolve workspace packages to their TypeScript sources, so unit tests need no build. */
const source = ['@scimkit/source', ...defaults];

/**
 * The vitest project config shared by every package. Each package has a tiny vitest.config.ts
 * calling this: the root `vitest run` picks those up as projects, and `vitest run` inside a
 * package (what turbo runs) finds the package's own config instead of the root one, whose
 * `projects` globs would resolve from the package directory and find nothing. Type tests
 * (`*.test-d.ts`) run in the root config's `types` project.
 */
export function scimkitProject(
  name: string,
  options: {
    testTimeout?: number;
    /** Vitest global setup files, relative to the package (e.g. starting a database). */
    globalSetup?: string[];
    /**
     * Test the built packages, as users get them (`dist`, through `import` and `require`):
     * for adapter, integration and benchmark tests. Run `pnpm build` first (`pnpm test` does).
     */
    built?: boolean;
    /** Test file globs. @defaultValue every `*.test.ts` under `src` and `test` */
    include?: string[];
  } = {},
): UserWorkspaceConfig {
  const conditions = options.built ? defaults : source;
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: options.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 20_000,
      // Hooks start servers, databases and CLI processes: the same budget as a test, not 10 s.
      hookTimeout: options.testTimeout ?? 20_000,
      ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
    },
  });
}
