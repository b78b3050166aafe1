/**
 * Loads a package the CLI declares as an optional peer dependency (the stores), or fails with a
 * message naming the package to install: `npm install -g @scimkit/cli` leaves them out, so that
 * scripting a remote server never compiles better-sqlite3 or pulls in pg.
 */
import { CliError, ExitCode } from './errors.js';

/** The error of a command that needs an optional package that is not installed. */
export class MissingPackageError extends CliError {
  /** The package to install, e.g. `@scimkit/store-sqlite`. */
  readonly packageName: string;

  constructor(packageName: string, purpose: string) {
    super(
      `${purpose} needs ${packageName}, which is not installed. Install it next to the CLI: ` +
        `npm install ${packageName} (with -g if the CLI is installed globally)`,
      ExitCode.error,
    );
    this.name = 'MissingPackageError';
    this.packageName = packageName;
  }
}

/** Whether `error` says that `specifier` itself (not something it imports) cannot be found. */
function isMissing(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    (message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`))
  );
}

/**
 * Runs `load` (an `import()` of `specifier`); if `specifier` is not installed, throws a
 * {@link MissingPackageError} saying what needs it (`purpose`, e.g. `--db (SQLite)`) and how to
 * install it. Any other failure (a dependency of the package missing, a broken native
 * module) is thrown as it is.
 */
export async function importOptional<T>(
  specifier: string,
  purpose: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, specifier)) throw new MissingPackageError(specifier, purpose);
    throw error;
  }
}
