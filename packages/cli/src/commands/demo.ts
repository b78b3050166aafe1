import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScimClient } from '@scimkit/client';
import { joinerMoverLeaver, ScenarioError } from '@scimkit/console';
import type { Command } from 'commander';
import { type CommandContext, colorsOf } from '../context.js';
import { CliError } from '../errors.js';
import { withExamples } from '../help.js';
import type { Colors } from '../io.js';
import { MissingPackageError } from '../optional-import.js';
import { COMMAND } from '../version.js';

/** One HTTP exchange the demo observed through the client's `fetch` option. */
interface Exchange {
  method: string;
  /** Path and query relative to the base URL, decoded for reading. */
  path: string;
  ifMatch: string | null;
  requestBody: string;
  status?: number;
  statusText?: string;
  location?: string | null;
  etag?: string | null;
  responseBody?: string;
}

const EXCERPT = 180;

const MESSAGE_URN = 'urn:ietf:params:scim:api:messages:2.0:';

function isMessageSchemas(value: unknown): boolean {
  return Array.isArray(value) && value.every((urn) => typeof urn === 'string' && urn.startsWith(MESSAGE_URN));
}

/** Leaves out `meta` everywhere, and `schemas` of responses and of request messages (PatchOp). */
function trim(value: unknown, request: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => trim(item, request));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(
    ([key, item]) => key !== 'meta' && !(key === 'schemas' && (!request || isMessageSchemas(item))),
  );
  return Object.fromEntries(entries.map(([key, item]) => [key, trim(item, request)]));
}

/** Options of {@link excerpt}. */
interface ExcerptOptions {
  /** A request body: keeps the resource schemas it declares (the Enterprise extension). */
  request?: boolean;
  /** Only these top-level attributes, in this order; `…` marks the ones left out. */
  pick?: readonly string[];
  /** Longest excerpt in characters. */
  limit?: number;
}

/**
 * A short, one-line excerpt of a JSON body: responses without `schemas` and `meta` (they say
 * little), requests with the resource schemas they declare.
 */
export function excerpt(body: string, options: ExcerptOptions = {}): string {
  const limit = options.limit ?? EXCERPT;
  let text = body.trim();
  try {
    const value = trim(JSON.parse(text), options.request === true);
    text = JSON.stringify(value);
    if (options.pick && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      const picked = Object.fromEntries(
        options.pick.filter((key) => key in record).map((key) => [key, record[key]]),
      );
      text = JSON.stringify(picked);
      if (Object.keys(record).length > Object.keys(picked).length) text = `${text.slice(0, -1)},…}`;
    }
  } catch {
    // not JSON: keep as is
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** `scimkit demo`: one employee through joiner, mover, leaver against the reference server. */
export function registerDemo(program: Command, context: CommandContext): void {
  const command = program
    .command('demo')
    .description(
      'start the reference server on SQLite (in memory when @scimkit/store-sqlite is not installed) and walk one employee through the joiner-mover-leaver lifecycle, printing every HTTP exchange',
    )
    .option('--hard-delete', 'after deactivating, DELETE the user and show the 404 that follows')
    .option('--db <file>', 'SQLite database file to use (default: a temporary file, removed afterwards)')
    .action(async (options: { hardDelete?: boolean; db?: string }, self: Command) => {
      await runDemo(options, self, context);
    });
  withExamples(command, [
    'scimkit demo',
    'scimkit demo --hard-delete',
    'scimkit demo --db ./demo.db --no-color',
  ]);
}

async function runDemo(
  options: { hardDelete?: boolean; db?: string },
  command: Command,
  context: CommandContext,
) {
  const { io } = context;
  const c: Colors = colorsOf(command, io).out;
  const out = (text = '') => io.stdout.write(`${text}\n`);
  const temporary = options.db ? undefined : await mkdtemp(join(tmpdir(), 'scimkit-demo-'));
  const db = options.db ?? join(temporary!, 'scim.db');
  const token = randomBytes(24).toString('base64url');
  const { startReferenceServer } = await import('../runtime.js');
  const server = await startReferenceServer({ port: 0, host: '127.0.0.1', tokens: [token], db }).catch(
    (error: unknown) => {
      // `npm install @scimkit/cli` leaves the SQLite store out: the demo still runs, in memory.
      if (!(error instanceof MissingPackageError) || options.db !== undefined) throw error;
      io.stderr.write(
        `scimkit demo: ${error.packageName} is not installed, so the server keeps its data in memory (npm install ${error.packageName} for the SQLite store)\n`,
      );
      return startReferenceServer({ port: 0, host: '127.0.0.1', tokens: [token] });
    },
  );
  try {
    out(`${c.bold('scimkit demo')}: the reference SCIM server is listening on ${c.cyan(server.baseUrl)}`);
    out(
      c.dim(
        `  store: ${server.storeKind === 'sqlite' ? `SQLite ${db}` : 'in memory'}; every request carries a random bearer token`,
      ),
    );

    const exchanges: Exchange[] = [];
    const observe: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const exchange: Exchange = {
        method: request.method,
        path: decodeURIComponent(
          url.pathname.slice(new URL(server.baseUrl).pathname.length) + url.search,
        ).replace(/\+/g, ' '),
        ifMatch: request.headers.get('if-match'),
        requestBody: request.body ? await request.clone().text() : '',
      };
      exchanges.push(exchange);
      const response = await fetch(request);
      exchange.status = response.status;
      exchange.statusText = response.statusText;
      exchange.location = response.headers.get('location');
      exchange.etag = response.headers.get('etag');
      exchange.responseBody = await response.clone().text();
      return response;
    };
    const client = createScimClient({ baseUrl: server.baseUrl, token, fetch: observe, retry: 0 });

    let printed = 0;
    const show = (notes: string[] = [], pick?: readonly string[]) => {
      for (const exchange of exchanges.slice(printed)) {
        const status = exchange.status ?? 0;
        const statusText = `${status} ${exchange.statusText ?? ''}`.trim();
        const colored = status >= 400 ? c.yellow(statusText) : c.green(statusText);
        out(`   ${c.bold(exchange.method.padEnd(6))} ${exchange.path} → ${colored}`);
        if (exchange.ifMatch) out(c.dim(`     If-Match: ${exchange.ifMatch}`));
        if (exchange.requestBody)
          out(c.dim(`     request:  ${excerpt(exchange.requestBody, { request: true })}`));
        if (exchange.location) out(c.dim(`     Location: ${exchange.location}`));
        if (exchange.etag) out(c.dim(`     ETag:     ${exchange.etag}`));
        if (exchange.responseBody) {
          out(c.dim(`     response: ${excerpt(exchange.responseBody, pick ? { pick } : {})}`));
        }
      }
      printed = exchanges.length;
      for (const note of notes) out(`   ${c.cyan('✓')} ${note}`);
    };
    let stepNumber = 0;
    for (const step of joinerMoverLeaver(options.hardDelete ? { hardDelete: true } : {})) {
      out();
      if (step.setup) out(c.dim(`   (setup: ${step.summary})`));
      else out(c.bold(`${++stepNumber}. ${step.step}: ${step.summary}`));
      const notes = await step.run(client).catch((error: unknown) => {
        throw error instanceof ScenarioError ? new CliError(error.message) : error;
      });
      show(notes, step.focus);
    }
    out();
    out(
      `${c.green('Done.')} Try it yourself: ${c.bold(`${COMMAND} serve --port 8080 --token secret`)}, then ${c.bold(
        `${COMMAND} users list --url http://127.0.0.1:8080/scim/v2 --token secret`,
      )}`,
    );
  } finally {
    await server.close();
    if (temporary) await rm(temporary, { recursive: true, force: true });
  }
}
