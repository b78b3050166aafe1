/**
 * @packageDocumentation
 * The `scimkit` command line: `scimkit demo` walks one employee through the joiner, mover and
 * leaver lifecycle against the reference server; `scimkit serve` runs that server;
 * `users`, `groups`, `discover`, `import`, `export` and `filter check` script any SCIM 2.0
 * service provider. Install it and run `scimkit --help`; this module exposes the same
 * command line to embed or test it.
 *
 * @example
 * ```ts
 * import { runCli } from '@scimkit/cli';
 *
 * const code = await runCli(['filter', 'check', 'userName eq "bjensen"']);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export { ExitCode, type ExitCodeValue } from './errors.js';
export type { CliIo, CliStream } from './io.js';
export { type RunCliOptions, runCli } from './program.js';
