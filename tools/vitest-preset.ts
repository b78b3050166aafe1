import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/** Resolve workspace packages to their TypeScript sources, so tests need no build. */
const conditions = ['@scimkit/source', 'import', 'module', 'node', 'default'];

/**
 * The vitest project config shared by every package (TOOLCHAIN G9: one tiny config per
 * package, which the root `vitest run` picks up as a project).
 */
export function scimkitProject(
  name: string,
  options: { typecheck?: boolean; testTimeout?: number } = {},
): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@scimkit/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 20_000,
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
