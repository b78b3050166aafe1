import { readFile, writeFile } from 'node:fs/promises';
import { type OpenApiDocument, type OpenApiWarning, toOpenApi } from '@scimkit/openapi';
import { type Command, Option } from 'commander';
import { clientOf } from '../client.js';
import { type CommandContext, colorsOf, connectionOf } from '../context.js';
import { CliError, usageError } from '../errors.js';
import { withExamples } from '../help.js';
import { terminalSafe, writeOut } from '../io.js';

/** Options `openapi` and `codegen` share. */
export interface OpenApiCommandOptions {
  from?: string;
  out?: string;
  canonicalValues?: 'examples' | 'enum';
  strict?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `--from`: what `scimkit discover --output json` writes, or an OpenAPI document. */
async function readDiscoveryFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read --from ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw usageError(`--from ${file} is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed) || (!('openapi' in parsed) && !('schemas' in parsed && 'resourceTypes' in parsed))) {
    throw usageError(
      `--from ${file} is neither what \`scimkit discover --output json\` writes (serviceProviderConfig, resourceTypes, schemas) nor an OpenAPI document`,
    );
  }
  return parsed;
}

/** One line per workaround on stderr; with `--strict`, an error instead. */
function report(
  warnings: readonly OpenApiWarning[],
  command: Command,
  context: CommandContext,
  strict: boolean,
) {
  if (warnings.length === 0) return;
  const { yellow } = colorsOf(command, context.io).err;
  for (const warning of warnings) {
    context.io.stderr.write(`${yellow('scimkit: warning:')} ${terminalSafe(warning.message)}\n`);
  }
  if (strict) {
    throw new CliError(
      `the server's discovery documents deviate from RFC 7643 in ${warnings.length} place${warnings.length === 1 ? '' : 's'} (listed above); without --strict they are worked around`,
    );
  }
}

/**
 * The OpenAPI document of the server at `--url` (discovered with `--token`), or of the
 * `--from` file. Warnings go to stderr.
 */
export async function documentOf(
  command: Command,
  context: CommandContext,
  options: OpenApiCommandOptions,
): Promise<OpenApiDocument> {
  const shared = { ...(options.canonicalValues ? { canonicalValues: options.canonicalValues } : {}) };
  if (options.from !== undefined) {
    const file = await readDiscoveryFile(options.from);
    if ('openapi' in file) return file as unknown as OpenApiDocument;
    const { document, warnings } = toOpenApi({
      ...shared,
      schemas: file.schemas as never,
      resourceTypes: file.resourceTypes as never,
      serviceProviderConfig: isRecord(file.serviceProviderConfig) ? file.serviceProviderConfig : undefined,
    });
    report(warnings, command, context, options.strict === true);
    return document;
  }
  const { baseUrl } = connectionOf(command);
  const discovery = await clientOf(command, context).discover({ signal: context.signal });
  const { document, warnings } = toOpenApi({ ...shared, ...discovery, baseUrl });
  report(warnings, command, context, options.strict === true);
  return document;
}

/** Writes `text` to `--out`, or to stdout without it. */
export async function writeResult(
  context: CommandContext,
  out: string | undefined,
  text: string,
  what: string,
) {
  if (out === undefined) return writeOut(context.io.stdout, text);
  try {
    await writeFile(out, text);
  } catch (error) {
    throw new CliError(`cannot write --out ${out}: ${(error as Error).message}`);
  }
  context.io.stderr.write(`wrote ${what} to ${out}\n`);
}

/** The options `openapi` and `codegen` both take. */
export function withDocumentOptions(command: Command): Command {
  return command
    .option('--from <file>', 'read what `scimkit discover --output json` wrote instead of asking --url')
    .option('--out <file>', 'write to this file instead of stdout')
    .addOption(
      new Option(
        '--canonical-values <mode>',
        'canonicalValues as examples (an open list: the type stays string) or enum (closed)',
      )
        .choices(['examples', 'enum'])
        .default('examples'),
    )
    .option(
      '--strict',
      'fail (exit 1) where the discovery documents deviate from RFC 7643 instead of working around it',
    );
}

/** `scimkit openapi`: the server's OpenAPI 3.1 document from its discovery endpoints. */
export function registerOpenApi(program: Command, context: CommandContext): void {
  const command = withDocumentOptions(
    program
      .command('openapi')
      .description(
        'write an OpenAPI 3.1 document of the server, built from /Schemas, /ResourceTypes and /ServiceProviderConfig',
      ),
  ).action(async (options: OpenApiCommandOptions, self: Command) => {
    const document = await documentOf(self, context, options);
    await writeResult(context, options.out, `${JSON.stringify(document, null, 2)}\n`, 'the OpenAPI document');
  });
  withExamples(command, [
    'scimkit openapi --url https://example.com/scim/v2 --token "$SCIM_TOKEN" --out scim.openapi.json',
    'scimkit discover --output json > discovery.json && scimkit openapi --from discovery.json',
  ]);
}
