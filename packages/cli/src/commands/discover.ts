import type { Command } from 'commander';
import { clientOf } from '../client.js';
import { type CommandContext, colorsOf, outputOf } from '../context.js';
import { withExamples } from '../help.js';
import { writeOut } from '../io.js';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
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
      if (format === 'jsonl' || format === 'csv')
        return writeOut(io.stdout, `${JSON.stringify(discovery)}\n`);
      const { bold, dim } = colorsOf(self, io).out;
      const spc = record(discovery.serviceProviderConfig);
      const bulk = record(spc['bulk']);
      const filter = record(spc['filter']);
      const pagination = record(spc['pagination']);
      const schemes = Array.isArray(spc['authenticationSchemes'])
        ? spc['authenticationSchemes']
            .map((scheme) => String(record(scheme)['type'] ?? record(scheme)['name']))
            .join(', ')
        : 'none advertised';
      const lines = [
        bold('ServiceProviderConfig'),
        `  patch           ${feature(spc['patch'])}`,
        `  bulk            ${feature(bulk, [`maxOperations ${bulk['maxOperations']}`, `maxPayloadSize ${bulk['maxPayloadSize']}`])}`,
        `  filter          ${feature(filter, [`maxResults ${filter['maxResults']}`])}`,
        `  sort            ${feature(spc['sort'])}`,
        `  etag            ${feature(spc['etag'])}`,
        `  changePassword  ${feature(spc['changePassword'])}`,
        `  pagination      ${
          Object.keys(pagination).length
            ? [pagination['cursor'] === true ? 'cursor' : '', pagination['index'] !== false ? 'index' : '']
                .filter(Boolean)
                .join(' + ') +
              (pagination['maxPageSize'] ? ` (maxPageSize ${pagination['maxPageSize']})` : '')
            : 'index (RFC 7644)'
        }`,
        `  authentication  ${schemes}`,
        bold('ResourceTypes'),
        ...discovery.resourceTypes.map((type) => {
          const item = record(type);
          const extensions = Array.isArray(item['schemaExtensions'])
            ? item['schemaExtensions'].map((extension) => {
                const ext = record(extension);
                return `${String(ext['schema'])}${ext['required'] === true ? ' (required)' : ''}`;
              })
            : [];
          return `  ${String(item['name']).padEnd(14)}  ${String(item['endpoint']).padEnd(10)}  ${String(item['schema'])}${
            extensions.length ? dim(` + ${extensions.join(', ')}`) : ''
          }`;
        }),
        bold('Schemas'),
        ...discovery.schemas.map((schema) => {
          const item = record(schema);
          const count = Array.isArray(item['attributes']) ? item['attributes'].length : 0;
          return `  ${String(item['id'])}  ${dim(`${String(item['name'] ?? '')}, ${count} attributes`)}`;
        }),
      ];
      await writeOut(io.stdout, `${lines.join('\n')}\n`);
    });
  withExamples(command, [
    'scimkit discover',
    'scimkit discover --output json | jq .serviceProviderConfig.bulk',
  ]);
}
