import { isFilterSyntaxError } from '@scimkit/filter';
import { Command, CommanderError, Option } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerCodegen } from './commands/codegen.js';
import { registerDemo } from './commands/demo.js';
import { registerDiscover } from './commands/discover.js';
import { registerExport } from './commands/export.js';
import { registerFilter } from './commands/filter.js';
import { registerImport } from './commands/import.js';
import { registerOpenApi } from './commands/openapi.js';
import { registerResources } from './commands/resources.js';
import { registerServe } from './commands/serve.js';
import type { CommandContext } from './context.js';
import { describeError, ExitCode, exitCodeOf } from './errors.js';
import { indentFrame } from './help.js';
import { type CliIo, colorsFor, processIo } from './io.js';
import { OUTPUT_FORMATS } from './output.js';
import { VERSION } from './version.js';

/** Builds the `scimkit` command tree. Actions write to `context.io`. */
export function createProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('scimkit')
    .description(
      'SCIM 2.0 from the terminal: run a server, walk the joiner-mover-leaver demo, script any SCIM endpoint',
    )
    .version(VERSION, '-V, --version')
    .addOption(new Option('--url <url>', 'SCIM base URL, e.g. https://example.com/scim/v2').env('SCIM_URL'))
    .addOption(new Option('--token <token>', 'bearer token').env('SCIM_TOKEN'))
    .addOption(
      new Option(
        '-o, --output <format>',
        'output format (default: table on a terminal, jsonl when piped)',
      ).choices(OUTPUT_FORMATS),
    )
    .option('--no-color', 'disable colours (also NO_COLOR=1 or a non-terminal stdout)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
      outputError: (text, write) => {
        const colors = colorsFor(io.stderr, io.env, !context.argv.includes('--no-color'));
        const message = text
          .replace(/^error:\s*/, '')
          .replace(/\s*\n\s*/g, ' ')
          .trim();
        write(`${colors.red('scimkit:')} ${message}\n`);
      },
    });
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 error (HTTP, network, I/O), 2 usage error, 3 not found (HTTP 404),
            4 import finished with failed records, 130 interrupted.

Examples:
  $ scimkit demo
  $ scimkit serve --port 8080 --token secret --db ./scim.db
  $ export SCIM_URL=http://127.0.0.1:8080/scim/v2 SCIM_TOKEN=secret
  $ scimkit users list --filter 'userName sw "b"' --output csv
  $ scimkit filter check 'emails[type eq "work" and value co "@example.com"]'
`,
  );
  registerDemo(program, context);
  registerServe(program, context);
  registerResources(program, context, 'users');
  registerResources(program, context, 'groups');
  registerDiscover(program, context);
  registerImport(program, context);
  registerExport(program, context);
  registerFilter(program, context);
  registerOpenApi(program, context);
  registerCodegen(program, context);
  registerCheck(program, context);
  return program;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /**
   * Where output goes and the environment comes from.
   * @defaultValue the process's stdout, stderr and env
   */
  io?: CliIo;
  /** Stops long-running commands (`serve`, `import`, `export`) when aborted. */
  signal?: AbortSignal;
}

/**
 * Runs the `scimkit` command line with `argv` (the arguments after the program name) and
 * resolves to the exit code; it never calls `process.exit` and never throws.
 *
 * Exit codes: 0 success, 1 runtime error (HTTP, network, I/O), 2 usage error, 3 not found
 * (HTTP 404), 4 `import` finished with failed records, 130 interrupted.
 *
 * @example
 * ```ts
 * import { runCli } from '@scimkit/cli';
 *
 * const code = await runCli(['users', 'list', '--url', 'http://127.0.0.1:8080/scim/v2', '--output', 'jsonl']);
 * process.exitCode = code; // the token comes from SCIM_TOKEN
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const io = options.io ?? processIo();
  const signal = options.signal ?? new AbortController().signal;
  const context: CommandContext = { io, signal, argv, exitCode: ExitCode.ok };
  const program = createProgram(context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      return ExitCode.usage;
    }
    const colors = colorsFor(io.stderr, io.env, !argv.includes('--no-color'));
    io.stderr.write(`${colors.red('scimkit:')} ${describeError(error)}\n`);
    if (isFilterSyntaxError(error)) io.stderr.write(`${indentFrame(error.frame)}\n`);
    return exitCodeOf(error);
  }
}
