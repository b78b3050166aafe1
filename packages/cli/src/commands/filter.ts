import { formatFilter } from '@scimkit/filter';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { checkFilter, strictOption } from '../filter-option.js';
import { withExamples } from '../help.js';
import { writeOut } from '../io.js';

/** `scimkit filter check "<filter>"`: the canonical form, or the error with a caret under its position. */
export function registerFilter(program: Command, context: CommandContext): void {
  const filter = program.command('filter').description('work with SCIM filter expressions (offline)');
  withExamples(filter, ['scimkit filter check \'userName eq "bjensen"\'']);
  const check = filter
    .command('check')
    .description(
      'parse a filter as --filter does and print its canonical form; on a syntax error print where it is (exit code 2)',
    )
    .argument('<filter>', 'the filter, quoted for your shell')
    .option('--ast', 'print the syntax tree as JSON instead of the canonical form')
    .addOption(strictOption())
    .action(async (text: string, options: { ast?: boolean; strict?: boolean }) => {
      // A syntax error is reported by runCli: the detail, a caret under its position, exit 2.
      const ast = checkFilter(text, options);
      await writeOut(
        context.io.stdout,
        options.ast ? `${JSON.stringify(ast, null, 2)}\n` : `${formatFilter(ast)}\n`,
      );
    });
  withExamples(check, [
    'scimkit filter check \'userName eq "bjensen"\'',
    'scimkit filter check \'emails[type eq "work" and value co "@example.com"] and active eq true\'',
    "scimkit filter check --ast 'title pr'",
    'scimkit filter check \'emails[type eq "work"].value eq "b@example.com"\'   # as Entra ID sends it',
    'scimkit filter check --strict \'emails[type eq "work" and value eq "b@example.com"]\'',
  ]);
}
