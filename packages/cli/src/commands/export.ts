import { createWriteStream } from 'node:fs';
import { ENTERPRISE_USER_SCHEMA } from '@scimkit/schema';
import { type Command, Option } from 'commander';
import { parseColumnPath } from '../attributes.js';
import { clientOf } from '../client.js';
import { type CommandContext, colorsOf, globalsOf, positiveInteger } from '../context.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import { checkFilter, strictOption } from '../filter-option.js';
import { withExamples } from '../help.js';
import type { CliStream } from '../io.js';
import { createListWriter, type OutputFormat } from '../output.js';

/** CSV columns of `export` when no `--attributes` are given: what `import` reads back. */
export const EXPORT_COLUMNS: Record<'users' | 'groups', string[]> = {
  users: [
    'id',
    'externalId',
    'userName',
    'name.givenName',
    'name.familyName',
    'displayName',
    'title',
    'active',
    'emails',
    'phoneNumbers',
    `${ENTERPRISE_USER_SCHEMA}:employeeNumber`,
    `${ENTERPRISE_USER_SCHEMA}:department`,
  ],
  groups: ['id', 'externalId', 'displayName', 'members'],
};

interface ExportOptions {
  type: 'users' | 'groups';
  file?: string;
  filter?: string;
  strict?: boolean;
  attributes?: string;
  pageSize?: number;
}

/** `scimkit export`: stream every User or Group as JSON Lines or CSV, one page in memory at a time. */
export function registerExport(program: Command, context: CommandContext): void {
  const command = program
    .command('export')
    .description('stream Users or Groups to stdout or a file as JSON Lines or CSV (constant memory)')
    .addOption(new Option('--type <type>', 'resource type').choices(['users', 'groups']).default('users'))
    .option('--file <file>', 'write to this file instead of stdout')
    .option('-f, --filter <filter>', 'only resources matching this SCIM filter, checked locally first')
    .addOption(strictOption())
    .option(
      '-a, --attributes <list>',
      'comma-separated attributes (CSV columns; default: a set import reads back)',
    )
    .option('--page-size <n>', 'resources per request', positiveInteger('--page-size'))
    .action(async (options: ExportOptions, self: Command) => {
      const { io, signal } = context;
      const { output } = globalsOf(self);
      if (output !== undefined && output !== 'csv' && output !== 'jsonl') {
        throw usageError(`export writes jsonl or csv, not ${output}`);
      }
      const format: OutputFormat = output === 'csv' ? 'csv' : 'jsonl';
      if (options.filter !== undefined) checkFilter(options.filter, options);
      const client = clientOf(self, context);
      const columns = (
        options.attributes
          ? [
              'id',
              ...options.attributes
                .split(',')
                .map((name) => name.trim())
                .filter((name) => name && name !== 'id'),
            ]
          : EXPORT_COLUMNS[options.type]
      ).map(parseColumnPath);
      const file = options.file ? createWriteStream(options.file) : undefined;
      const stream: CliStream = file ?? io.stdout;
      const writer = createListWriter({ format, columns, stream, colors: colorsOf(self, io).out });
      let count = 0;
      try {
        const pages = client[options.type]
          .list({
            ...(options.filter !== undefined ? { filter: options.filter } : {}),
            ...(options.attributes !== undefined ? { attributes: options.attributes } : {}),
            ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
            signal,
          })
          .pages();
        for await (const page of pages) {
          await writer.page(page.resources);
          count += page.resources.length;
          if (io.stderr.isTTY)
            io.stderr.write(`\rexported ${count}${page.totalResults ? ` of ${page.totalResults}` : ''}`);
        }
        await writer.end();
      } finally {
        if (file)
          await new Promise<void>((resolve, reject) =>
            file.end((error?: Error | null) => (error ? reject(error) : resolve())),
          );
      }
      if (signal.aborted) throw new CliError('interrupted', ExitCode.interrupted);
      if (io.stderr.isTTY) io.stderr.write('\n');
      if (options.file)
        io.stderr.write(
          `exported ${count} ${options.type === 'users' ? 'User' : 'Group'}${count === 1 ? '' : 's'} to ${options.file}\n`,
        );
    });
  withExamples(command, [
    'scimkit export > users.jsonl',
    'scimkit export --output csv --file users.csv',
    'scimkit export --type groups --filter \'displayName sw "eng"\' --output jsonl',
    'scimkit export --output csv --attributes userName,emails | wc -l',
  ]);
}
