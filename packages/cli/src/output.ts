/**
 * Writers for command results. Lists are written page by page as they arrive, so `users list`
 * and `export` hold one page in memory at a time, whatever the number of resources.
 */
import Table from 'cli-table3';
import { type ColumnPath, cellText, getPath, parseColumnPath } from './attributes.js';
import { csvRow } from './csv.js';
import { usageError } from './errors.js';
import { type CliStream, type Colors, terminalSafe, writeOut } from './io.js';

/** The output formats of `--output`. */
export const OUTPUT_FORMATS = ['table', 'json', 'jsonl', 'csv'] as const;

/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Checks an `--output` value. */
export function parseOutputFormat(value: string): OutputFormat {
  const lower = value.toLowerCase();
  if ((OUTPUT_FORMATS as readonly string[]).includes(lower)) return lower as OutputFormat;
  throw usageError(`unknown output format "${value}" (expected ${OUTPUT_FORMATS.join(', ')})`);
}

/** Default columns of tables and CSV, by resource type. */
export const DEFAULT_COLUMNS: Record<'users' | 'groups', string[]> = {
  users: ['id', 'userName', 'displayName', 'active', 'emails', 'externalId'],
  groups: ['id', 'displayName', 'externalId', 'members'],
};

/** Columns from `--attributes` (always led by `id`), or the defaults for the type. */
export function columnsFor(type: 'users' | 'groups', attributes?: string): ColumnPath[] {
  const names = attributes
    ? [
        'id',
        ...attributes
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '' && name !== 'id'),
      ]
    : DEFAULT_COLUMNS[type];
  return names.map(parseColumnPath);
}

/** Writes a stream of resources in one format. */
export interface ListWriter {
  /** Writes one page of resources. */
  page(resources: readonly object[]): Promise<void>;
  /** Closes the output (the JSON array's `]`, an empty table's header). */
  end(): Promise<void>;
}

/** Options of {@link createListWriter}. */
export interface ListWriterOptions {
  format: OutputFormat;
  columns: ColumnPath[];
  stream: CliStream;
  colors: Colors;
}

/** A writer for lists in `format`. */
export function createListWriter(options: ListWriterOptions): ListWriter {
  const { format, columns, stream, colors } = options;
  const headers = columns.map((column) => column.text);
  let count = 0;
  let widths: number[] | undefined;
  return {
    async page(resources) {
      if (format === 'jsonl') {
        await writeOut(stream, resources.map((resource) => `${JSON.stringify(resource)}\n`).join(''));
      } else if (format === 'json') {
        let text = '';
        for (const resource of resources) {
          text += `${count === 0 ? '[\n' : ',\n'}${indent(JSON.stringify(resource, null, 2))}`;
          count++;
        }
        await writeOut(stream, text);
        return;
      } else if (format === 'csv') {
        let text = count === 0 ? csvRow(headers) : '';
        for (const resource of resources) text += csvRow(rowOf(resource, columns));
        await writeOut(stream, text);
      } else {
        if (resources.length === 0) return;
        const rows = resources.map((resource) => rowOf(resource, columns).map(terminalSafe));
        widths ??= tableWidths(headers, rows, stream.columns);
        await writeOut(stream, `${renderTable(count === 0 ? headers : undefined, rows, widths, colors)}\n`);
      }
      count += resources.length;
    },
    async end() {
      if (format === 'json') await writeOut(stream, count === 0 ? '[]\n' : '\n]\n');
      else if (format === 'csv' && count === 0) await writeOut(stream, csvRow(headers));
      else if (format === 'table' && count === 0) await writeOut(stream, `${colors.dim('(no resources)')}\n`);
    },
  };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function rowOf(resource: object, columns: ColumnPath[]): string[] {
  return columns.map((column) => cellText(getPath(resource as Record<string, unknown>, column)));
}

function tableWidths(headers: string[], rows: string[][], terminal: number | undefined): number[] {
  const natural = headers.map((header, index) =>
    Math.min(60, Math.max(header.length, ...rows.map((row) => (row[index] ?? '').length))),
  );
  const budget = (terminal !== undefined && terminal >= 40 ? terminal : 120) - 2 * headers.length;
  let total = natural.reduce((sum, width) => sum + width, 0);
  // Shrink the widest column until the table fits the terminal (never below 8); ids, which
  // people copy, last.
  const isId = headers.map((header) => header === 'id');
  while (total > budget) {
    const candidates = natural.map((width, index) => (isId[index] ? 0 : width));
    let widest = candidates.indexOf(Math.max(...candidates));
    if ((natural[widest] ?? 0) <= 8) widest = natural.indexOf(Math.max(...natural));
    if ((natural[widest] ?? 0) <= 8) break;
    natural[widest] = (natural[widest] ?? 0) - 1;
    total--;
  }
  return natural.map((width) => width + 2);
}

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '',
};

function renderTable(
  headers: string[] | undefined,
  rows: string[][],
  widths: number[],
  colors: Colors,
): string {
  const table = new Table({
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2, compact: true },
    colWidths: widths,
    wordWrap: false,
    ...(headers ? { head: headers.map((header) => colors.bold(header.toUpperCase())) } : {}),
  });
  table.push(...rows);
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** Writes one resource (or any JSON object such as a discovery document). */
export async function writeOne(
  resource: object,
  options: { format: OutputFormat; stream: CliStream; colors: Colors; columns?: ColumnPath[] },
): Promise<void> {
  const { format, stream, colors } = options;
  if (format === 'json') return writeOut(stream, `${JSON.stringify(resource, null, 2)}\n`);
  if (format === 'jsonl') return writeOut(stream, `${JSON.stringify(resource)}\n`);
  if (format === 'csv') {
    const columns = options.columns ?? Object.keys(resource).map(parseColumnPathLoose);
    return writeOut(stream, csvRow(columns.map((c) => c.text)) + csvRow(rowOf(resource, columns)));
  }
  // table: one attribute per line
  const lines = flattenForDisplay(resource, '').map(([key, value]): [string, string] => [
    terminalSafe(key),
    terminalSafe(value),
  ]);
  const width = Math.min(48, Math.max(...lines.map(([key]) => key.length)));
  const text = lines.map(([key, value]) => `${colors.bold(key.padEnd(width))}  ${value}`).join('\n');
  return writeOut(stream, `${text}\n`);
}

function parseColumnPathLoose(key: string): ColumnPath {
  return { text: key, names: [key] };
}

/** `name.givenName  Barbara`, `emails[0].value  b@x.com`, …: one line per leaf attribute. */
export function flattenForDisplay(value: unknown, prefix: string): [string, string][] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [[prefix, '[]']];
    return value.flatMap((item, index) => flattenForDisplay(item, `${prefix}[${index}]`));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [[prefix, '{}']];
    return entries.flatMap(([key, item]) => flattenForDisplay(item, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, value === null ? 'null' : String(value)]];
}
