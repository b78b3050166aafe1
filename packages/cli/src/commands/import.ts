import { constants, createReadStream } from 'node:fs';
import { access, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { type ColumnPath, parseColumnPath, setPath } from '../attributes.js';
import { clientOf } from '../client.js';
import { type CommandContext, colorsOf, positiveInteger } from '../context.js';
import { parseCsv, readLines } from '../csv.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import { withExamples } from '../help.js';
import { writeOut } from '../io.js';
import { newResource } from '../new-resource.js';
import { createProgress } from '../progress.js';
import { RangeSet } from '../ranges.js';
import { createSender, type ImportOperation, type OperationResult } from '../sender.js';

type Kind = 'users' | 'groups';

interface ImportOptions {
  type: Kind;
  format?: 'csv' | 'jsonl';
  batchSize: number;
  state?: string;
  errors?: string;
  dryRun?: boolean;
  restart?: boolean;
  bulk: boolean;
  progress: boolean;
}

/** One record of the input file, turned into an operation or an error. */
interface Prepared {
  line: number;
  operation?: ImportOperation;
  error?: string;
  record: unknown;
}

/** What the state file holds between runs. */
interface ImportState {
  version: 1;
  file: string;
  type: Kind;
  completed: [number, number][];
  updatedAt: string;
}

const IGNORED_COLUMNS = new Set(['id', 'meta', 'schemas', 'groups']);

/** `scimkit import <file>`: bulk create from CSV or JSON Lines, resumable, with an error report. */
export function registerImport(program: Command, context: CommandContext): void {
  const command = program
    .command('import')
    .description(
      'create Users or Groups from a CSV or JSON Lines file with bulk requests; resumable (a state file records the lines done) with an error report; exit code 4 if any record failed',
    )
    .argument(
      '<file>',
      'a .csv file (header row of attribute paths) or a .jsonl file (one resource or bulk operation per line)',
    )
    .addOption(
      new Option('--type <type>', 'resource type of the records')
        .choices(['users', 'groups'])
        .default('users'),
    )
    .addOption(
      new Option('--format <format>', 'input format (default: from the file extension)').choices([
        'csv',
        'jsonl',
      ]),
    )
    .option(
      '--batch-size <n>',
      'operations per bulk request (capped by the server)',
      positiveInteger('--batch-size'),
      100,
    )
    .option(
      '--state <file>',
      'state file recording completed line numbers (default: <file>.import-state.json)',
    )
    .option('--errors <file>', 'error report, one JSON line per failed record (default: <file>.errors.jsonl)')
    .option('--dry-run', 'read and check every record, send nothing')
    .option('--restart', 'ignore the state file and import every line again')
    .option('--no-bulk', 'send one request per record instead of bulk requests')
    .option('--no-progress', 'no progress bar even on a terminal')
    .action(async (file: string, options: ImportOptions, self: Command) => {
      await runImport(file, options, self, context);
    });
  withExamples(command, [
    'scimkit import users.csv',
    'scimkit import users.csv --dry-run',
    'scimkit import groups.jsonl --type groups --batch-size 50',
    'scimkit import users.jsonl --errors failed.jsonl   # fix failed lines, then run again: only those are sent',
    'scimkit import users.csv --restart',
  ]);
  command.addHelpText(
    'after',
    `
CSV: the header row names attribute paths (userName, name.givenName, active, emails,
urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department); emails and other
multi-valued attributes take values separated by ";" (the first is primary). id and meta
columns are ignored. JSON Lines: one resource per line, or one bulk operation
({"method":"PATCH","path":"/Users/<id>","data":{...}}).
`,
  );
}

function formatOf(file: string, explicit: 'csv' | 'jsonl' | undefined): 'csv' | 'jsonl' {
  if (explicit) return explicit;
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  throw usageError(
    `cannot tell the format of "${file}" from its extension: pass --format csv or --format jsonl`,
  );
}

function endpointOf(kind: Kind): string {
  return kind === 'users' ? '/Users' : '/Groups';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredAttributeMissing(kind: Kind, resource: Record<string, unknown>): string | undefined {
  const name = kind === 'users' ? 'username' : 'displayname';
  const key = Object.keys(resource).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : resource[key];
  if (typeof value === 'string' && value.trim() !== '') return undefined;
  return `${kind === 'users' ? 'userName' : 'displayName'} is required`;
}

function resourceOperation(kind: Kind, resource: Record<string, unknown>, line: number): Prepared {
  const { id: _id, meta: _meta, ...data } = resource;
  newResource(kind, data);
  const missing = requiredAttributeMissing(kind, data);
  if (missing) return { line, error: missing, record: resource };
  return {
    line,
    operation: { method: 'POST', path: endpointOf(kind), data, bulkId: `line${line}` },
    record: resource,
  };
}

const METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function jsonlRecord(kind: Kind, text: string, line: number): Prepared | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      line,
      error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}`,
      record: text,
    };
  }
  if (!isRecord(value)) return { line, error: 'expected a JSON object', record: value };
  if (typeof value['method'] === 'string' && typeof value['path'] === 'string') {
    const method = value['method'].toUpperCase();
    const path = value['path'];
    if (!METHODS.has(method)) return { line, error: `unknown method "${value['method']}"`, record: value };
    if (!/^\/(Users|Groups)(\/[^/?#]+)?$/.test(path) || (method === 'POST') === /^\/\w+\//.test(path)) {
      return {
        line,
        error: `path "${path}" does not fit ${method} (expected /Users, /Groups or /Users/<id>)`,
        record: value,
      };
    }
    if (method !== 'DELETE' && !isRecord(value['data']))
      return { line, error: `${method} needs "data"`, record: value };
    return {
      line,
      operation: {
        method: method as ImportOperation['method'],
        path,
        bulkId: `line${line}`,
        ...(isRecord(value['data']) ? { data: value['data'] } : {}),
        ...(typeof value['version'] === 'string' ? { version: value['version'] } : {}),
      },
      record: value,
    };
  }
  return resourceOperation(kind, value, line);
}

/** Reads the input file record by record (constant memory). */
async function* prepare(file: string, format: 'csv' | 'jsonl', kind: Kind): AsyncGenerator<Prepared> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  if (format === 'jsonl') {
    for await (const { line, text } of readLines(stream)) {
      const prepared = jsonlRecord(kind, text, line);
      if (prepared) yield prepared;
    }
    return;
  }
  let header: string[] | undefined;
  let columns: (ColumnPath | undefined)[] = [];
  try {
    for await (const { line, cells } of parseCsv(stream)) {
      if (!header) {
        header = cells;
        columns = cells.map((cell) => {
          const path = parseColumnPath(cell);
          return path.schema === undefined && IGNORED_COLUMNS.has(path.names[0]!.toLowerCase())
            ? undefined
            : path;
        });
        continue;
      }
      if (cells.length !== columns.length) {
        yield {
          line,
          error: `expected ${columns.length} cells as in the header, found ${cells.length}`,
          record: cells,
        };
        continue;
      }
      const record: Record<string, string> = Object.create(null);
      const resource: Record<string, unknown> = {};
      cells.forEach((cell, index) => {
        record[header![index]!] = cell;
        const column = columns[index];
        if (column && cell !== '') setPath(resource, column, cell);
      });
      yield { ...resourceOperation(kind, resource, line), record };
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw usageError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function loadState(path: string, kind: Kind): Promise<RangeSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return new RangeSet();
  }
  let state: Partial<ImportState>;
  try {
    state = JSON.parse(text) as Partial<ImportState>;
  } catch {
    throw usageError(`state file ${path} is not valid JSON: delete it or pass --restart`);
  }
  if (state.version !== 1 || !Array.isArray(state.completed)) {
    throw usageError(`state file ${path} is not a scimkit import state: delete it or pass --restart`);
  }
  if (state.type !== undefined && state.type !== kind) {
    throw usageError(
      `state file ${path} is for --type ${state.type}, not ${kind}: pass --restart or another --state`,
    );
  }
  return RangeSet.from(
    state.completed.filter(
      (range): range is [number, number] =>
        Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number',
    ),
  );
}

async function saveState(path: string, file: string, kind: Kind, completed: RangeSet): Promise<void> {
  const state: ImportState = {
    version: 1,
    file: resolve(file),
    type: kind,
    completed: completed.toJSON(),
    updatedAt: new Date().toISOString(),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state)}\n`);
  await rename(temporary, path);
}

async function runImport(file: string, options: ImportOptions, command: Command, context: CommandContext) {
  const { io, signal } = context;
  const colors = colorsOf(command, io).err;
  const format = formatOf(file, options.format);
  const kind = options.type;
  const statePath = options.state ?? `${file}.import-state.json`;
  const errorsPath = options.errors ?? `${file}.errors.jsonl`;
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw usageError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const completed = options.restart || options.dryRun ? new RangeSet() : await loadState(statePath, kind);

  const sender = options.dryRun
    ? undefined
    : await createSender(clientOf(command, context), { bulk: options.bulk, batchSize: options.batchSize });
  const showProgress = options.progress && io.stderr.isTTY === true;
  let total = 0;
  if (showProgress) {
    for await (const prepared of prepare(file, format, kind)) if (!completed.has(prepared.line)) total++;
  }
  const progress = showProgress ? createProgress(io.stderr, total, colors) : undefined;

  await mkdir(dirname(resolve(errorsPath)), { recursive: true });
  let errorReport = '';
  let failed = 0;
  let succeeded = 0;
  let skipped = 0;
  let errorsWritten = false;
  const flushErrors = async () => {
    if (errorReport === '') return;
    await writeFile(errorsPath, errorReport, { flag: errorsWritten ? 'a' : 'w' });
    errorsWritten = true;
    errorReport = '';
  };
  const fail = (prepared: Prepared, result: Partial<OperationResult> & { detail: string }) => {
    failed++;
    errorReport += `${JSON.stringify({
      line: prepared.line,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.scimType !== undefined ? { scimType: result.scimType } : {}),
      detail: result.detail,
      record: prepared.record,
    })}\n`;
  };

  // A batch holds records in file order, invalid ones included, so the error report follows the file.
  let batch: Prepared[] = [];
  let pending = 0;
  const started = Date.now();
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    pending = 0;
    const valid = current.filter((prepared) => prepared.operation !== undefined);
    const results =
      sender && valid.length > 0 ? await sender.send(valid.map((prepared) => prepared.operation!)) : [];
    let next = 0;
    for (const prepared of current) {
      if (prepared.operation === undefined) {
        fail(prepared, { detail: prepared.error ?? 'invalid record' });
        continue;
      }
      const result = sender ? results[next++] : { ok: true, detail: 'checked' };
      if (result?.ok) {
        succeeded++;
        if (sender) completed.add(prepared.line);
      } else fail(prepared, result ?? { detail: 'no result' });
    }
    if (sender) await saveState(statePath, file, kind, completed);
    await flushErrors();
    progress?.increment(current.length, succeeded, failed);
  };

  let interrupted = false;
  try {
    for await (const prepared of prepare(file, format, kind)) {
      if (completed.has(prepared.line)) {
        skipped++;
        continue;
      }
      batch.push(prepared);
      if (prepared.operation !== undefined) pending++;
      if (pending >= (sender?.batchSize ?? options.batchSize) || batch.length >= 10 * options.batchSize)
        await flush();
      if (signal.aborted) {
        interrupted = true;
        break;
      }
    }
    if (!interrupted) await flush();
    await flushErrors();
    if (!errorsWritten) {
      // A clean run leaves no stale report of an earlier run behind.
      await unlink(errorsPath).catch(() => undefined);
    }
  } finally {
    // Also on errors: the bar hides the cursor until it stops.
    progress?.stop();
  }

  const seconds = (Date.now() - started) / 1000;
  const parts = [
    `${succeeded} record${succeeded === 1 ? '' : 's'} ${options.dryRun ? 'valid' : 'imported'}`,
    ...(failed ? [colors.red(`${failed} failed (see ${errorsPath})`)] : []),
    ...(skipped ? [`${skipped} skipped as done in an earlier run (${statePath}; --restart to redo)`] : []),
  ];
  const summary = `${parts.join(', ')} in ${seconds.toFixed(1)} s${options.dryRun ? ' (dry run, nothing sent)' : ''}\n`;
  await writeOut(io.stderr, summary);
  if (interrupted)
    throw new CliError(`interrupted; run the same command again to resume`, ExitCode.interrupted);
  if (failed > 0) context.exitCode = ExitCode.partial;
}
