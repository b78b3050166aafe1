import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOf } from './errors.js';
import { importOptional, MissingPackageError } from './optional-import.js';

describe('importOptional', () => {
  it('names the package to install when it is missing, with exit code 1', async () => {
    const specifier = '@scimkit/not-installed';
    const error = await importOptional(
      specifier,
      '--db (SQLite)',
      () => import(/* @vite-ignore */ specifier),
    ).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(MissingPackageError);
    expect((error as MissingPackageError).packageName).toBe(specifier);
    expect((error as Error).message).toBe(
      '--db (SQLite) needs @scimkit/not-installed, which is not installed. Install it next to the CLI: npm install @scimkit/not-installed (with -g if the CLI is installed globally)',
    );
    expect(exitCodeOf(error)).toBe(ExitCode.error);
  });

  it('passes on the failure of an installed package that cannot load something of its own', async () => {
    const inner = Object.assign(new Error("Cannot find package 'better-sqlite3' imported from x.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(
      importOptional('@scimkit/store-sqlite', '--db (SQLite)', () => Promise.reject(inner)),
    ).rejects.toBe(inner);
  });

  it('loads what is installed', async () => {
    const filter = await importOptional('@scimkit/filter', 'filters', () => import('@scimkit/filter'));
    expect(typeof filter.parseFilter).toBe('function');
  });
});
