import type { Command } from 'commander';
import { clientOf } from '../client.js';
import { type CommandContext, colorsOf, outputOf } from '../context.js';
import { usageError } from '../errors.js';
import { withExamples } from '../help.js';
import { terminalSafe, writeOut } from '../io.js';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A value from the server, safe to print on a terminal. */
function text(value: unknown): string {
  return terminalSafe(String(value));
}

function feature(value: unknown, extra: string[] = []): string {
  const supported = record(value)['supported'];
  const details = extra.filter((part) => !part.endsWith('undefined'));
  return `${supported === true ? 'supported' : 'not supported'}${supported === true && details.length ? ` (${details.join(', ')})` : ''}`;
}

/** `scimkit discover`: ServiceProviderConfig, ResourceTypes and Schemas of the server. */
export function registerDiscover(program: Command, context: CommandContext): void {
  const command = program
    .command('discover')
    .description(
      'show what the server supports: ServiceProviderConfig, ResourceTypes, Schemas (RFC 7644 section 4)',
    )
    .action(async (_options: unknown, self: Command) => {
      const { io } = context;
      const client = clientOf(self, context);
      const discovery = await client.discover();
      const format = outputOf(self, io);
      if (format === 'json') return writeOut(io.stdout, `${JSON.stringify(discovery, null, 2)}\n`);
      if (format === 'csv') throw usageError('discover writes table, json or jsonl, not csv');
      if (format === 'jsonl') return writeOut(io.stdout, `${JSON.stringify(discovery)}\n`);
      const { bold, dim } = colorsOf(self, io).out;
      const spc = record(discovery.serviceProviderConfig);
      const bulk = record(spc['bulk']);
      const filter = record(spc['filter']);
      const pagination = record(spc['pagination']);
      const schemes = Array.isArray(spc['authenticationSchemes'])
        ? spc['authenticationSchemes']
            .map((scheme) => text(record(scheme)['type'] ?? record(scheme)['name']))
            .join(', ')
        : 'none advertised';
      const lines = [
        bold('ServiceProviderConfig'),
        `  patch           ${feature(spc['patch'])}`,
        `  bulk            ${feature(bulk, [`maxOperations ${text(bulk['maxOperations'])}`, `maxPayloadSize ${text(bulk['maxPayloadSize'])}`])}`,
        `  filter          ${feature(filter, [`maxResults ${text(filter['maxResults'])}`])}`,
        `  sort            ${feature(spc['sort'])}`,
        `  etag            ${feature(spc['etag'])}`,
        `  changePassword  ${feature(spc['changePassword'])}`,
        `  pagination      ${
          Object.keys(pagination).length
            ? [pagination['cursor'] === true ? 'cursor' : '', pagination['index'] !== false ? 'index' : '']
                .filter(Boolean)
                .join(' + ') +
              (pagination['maxPageSize'] ? ` (maxPageSize ${text(pagination['maxPageSize'])})` : '')
            : 'index (RFC 7644)'
        }`,
        `  authentication  ${schemes}`,
        bold('ResourceTypes'),
        ...discovery.resourceTypes.map((type) => {
          const item = record(type);
          const extensions = Array.isArray(item['schemaExtensions'])
            ? item['schemaExtensions'].map((extension) => {
                const ext = record(extension);
                return `${text(ext['schema'])}${ext['required'] === true ? ' (required)' : ''}`;
              })
            : [];
          return `  ${text(item['name']).padEnd(14)}  ${text(item['endpoint']).padEnd(10)}  ${text(item['schema'])}${
            extensions.length ? dim(` + ${extensions.join(', ')}`) : ''
          }`;
        }),
        bold('Schemas'),
        ...discovery.schemas.map((schema) => {
          const item = record(schema);
          const count = Array.isArray(item['attributes']) ? item['attributes'].length : 0;
          return `  ${text(item['id'])}  ${dim(`${text(item['name'] ?? '')}, ${count} attributes`)}`;
        }),
      ];
      await writeOut(io.stdout, `${lines.join('\n')}\n`);
    });
  withExamples(command, [
    'scimkit discover',
    'scimkit discover --output json | jq .serviceProviderConfig.bulk',
  ]);
}
