import type { Command } from 'commander';

/** Adds an "Examples:" section to a command's `--help`. */
export function withExamples<T extends Command>(command: T, examples: string[]): T {
  command.addHelpText('after', `\nExamples:\n${examples.map((example) => `  $ ${example}`).join('\n')}\n`);
  return command;
}

/** Indents a filter error's code frame under the error line. */
export function indentFrame(frame: string): string {
  return frame
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
