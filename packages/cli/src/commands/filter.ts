import { formatFilter, isFilterSyntaxError, parseFilter } from '@scimkit/filter';
import type { Command } from 'commander';
import { type CommandContext, colorsOf } from '../context.js';
import { ExitCode } from '../errors.js';
import { indentFrame, withExamples } from '../help.js';
import { writeOut } from '../io.js';

/** `scimkit filter check "<filter>"`: the canonical form, or the error with a caret under its position. */
export function registerFilter(program: Command, context: CommandContext): void {
  const filter = program.command('filter').description('work with SCIM filter expressions (offline)');
  withExamples(filter, ['scimkit filter check \'userName eq "bjensen"\'']);
  const check = filter
    .command('check')
    .description(
      'parse a filter and print its canonical form; on a syntax error print where it is (exit code 2)',
    )
    .argument('<filter>', 'the filter, quoted for your shell')
    .option('--ast', 'print the syntax tree as JSON instead of the canonical form')
    .option(
      '--lenient',
      'also accept what identity providers send outside the ABNF (as the reference server does)',
    )
    .action(async (text: string, options: { ast?: boolean; lenient?: boolean }, command: Command) => {
      const { io } = context;
      const colors = colorsOf(command, io);
      try {
        const ast = parseFilter(text, { lenient: options.lenient === true });
        await writeOut(
          io.stdout,
          options.ast ? `${JSON.stringify(ast, null, 2)}\n` : `${formatFilter(ast)}\n`,
        );
      } catch (error) {
        if (!isFilterSyntaxError(error)) throw error;
        io.stderr.write(
          `${colors.err.red('scimkit:')} invalid filter: ${error.detail}\n${indentFrame(error.frame)}\n`,
        );
        context.exitCode = ExitCode.usage;
      }
    });
  withExamples(check, [
    'scimkit filter check \'userName eq "bjensen"\'',
    'scimkit filter check \'emails[type eq "work" and value co "@example.com"] and active eq true\'',
    "scimkit filter check --ast 'title pr'",
    'scimkit filter check --lenient \'emails[type eq "work"].value eq "b@example.com"\'',
  ]);
}
