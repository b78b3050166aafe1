import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { addConsoleOptions, type ConsoleOptions, prepareConsole } from '../console.js';
import { type CommandContext, colorsOf } from '../context.js';
import { usageError } from '../errors.js';
import { withExamples } from '../help.js';
import { writeOut } from '../io.js';

interface ServeOptions extends ConsoleOptions {
  port: string;
  host: string;
  token?: string;
  db?: string;
  database?: string;
  baseUrl?: string;
  strict?: boolean;
  paginationDiscovery: boolean;
  memberPatchNoContent?: boolean;
}

/** A connection string without its password, for messages. */
function redacted(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

/** `value` as a URL with one of `protocols`, or undefined. */
function urlWith(value: string, protocols: readonly string[]): URL | undefined {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `--base-url`: the absolute URL clients reach the service at (behind a proxy or TLS terminator). */
function baseUrlOption(value: string): string {
  const url = urlWith(value, ['http:', 'https:']);
  if (!url || url.search || url.hash)
    throw usageError(`--base-url must be an absolute http(s) URL, got "${value}"`);
  return value;
}

function postgresUrl(value: string): URL {
  const url = urlWith(value, ['postgres:', 'postgresql:']);
  if (!url) throw usageError('--database must be a postgres:// or postgresql:// connection string');
  return url;
}

/** Where the token came from, for messages: `--token` or `SCIM_TOKEN`. */
function tokenSource(command: Command, options: ServeOptions): string {
  if (options.token !== undefined) return '--token';
  return command.getOptionValueSourceWithGlobals('token') === 'env' ? 'SCIM_TOKEN' : '--token';
}

/** A token no Authorization header can carry, refused with what to do about it. */
function checkToken(token: string, source: string): void {
  if (token === '') {
    throw usageError(
      source === 'SCIM_TOKEN'
        ? 'SCIM_TOKEN is empty: set it to a token, or unset it (and give no --token) for a random one'
        : '--token is empty: give a token, or leave --token out for a random one',
    );
  }
  if (/\s/.test(token)) {
    throw usageError(
      `${source} contains whitespace (a trailing newline from a secrets file?); a bearer token cannot`,
    );
  }
}

/** Whether `host` means every interface (`0.0.0.0`, `::`): an address to listen on, not to connect to. */
function isWildcard(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === '0.0.0.0' || (bare.includes(':') && new URL(`http://[${bare}]`).hostname === '[::]');
}

function port(value: string, option = '--port'): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw usageError(`${option} must be 0-65535, got "${value}"`);
  return Number(value);
}

/** `scimkit serve`: the reference SCIM server until SIGINT/SIGTERM. */
export function registerServe(program: Command, context: CommandContext): void {
  const command = program
    .command('serve')
    .description('run the reference SCIM server at http://<host>:<port>/scim/v2 until Ctrl-C or SIGTERM')
    .option('-p, --port <n>', 'port (0 picks a free one)', '8080')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--token <token>', 'bearer token clients must send (default: a random one, printed)')
    .option(
      '--db <file>',
      'SQLite database file, created if missing (needs @scimkit/store-sqlite); in-memory store without it',
    )
    .option(
      '--database <url>',
      'PostgreSQL connection string (postgres://user:password@host:5432/db; needs @scimkit/store-postgres); tables go to the "scim" schema',
    )
    .option(
      '--base-url <url>',
      'the URL clients reach /scim/v2 at (https://scim.example.com/scim/v2): every meta.location and Location is built from it, whatever Host a request names',
    )
    .option(
      '--strict',
      'RFC 7644 only: refuse what Entra ID and Okta send outside it (each deviation the server accepts by default is listed in docs/idp-compatibility.md)',
    )
    .option(
      '--no-pagination-discovery',
      'leave the RFC 9865 "pagination" block out of /ServiceProviderConfig, for clients that refuse attributes they do not know',
    )
    .option(
      '--member-patch-no-content',
      'answer a Group PATCH that only adds or removes members (and asks for no attributes) with 204 No Content and an ETag, as RFC 7644 3.5.2 allows: a big group is then patched without reading every member (Entra ID and Okta accept it)',
    )
    .action(async (options: ServeOptions, self: Command) => {
      const { io, signal } = context;
      const colors = colorsOf(self, io);
      // `--token` is also a global option (the client's); read it from this command's options.
      // (SCIM_TOKEN also works). A token we make up is printed; one given to us never is.
      const given = options.token ?? self.optsWithGlobals<{ token?: string }>().token;
      if (given !== undefined) checkToken(given, tokenSource(self, options));
      const token = given ?? randomBytes(24).toString('base64url');
      if (options.db && options.database)
        throw usageError('give --db (SQLite) or --database (PostgreSQL), not both');
      const database = options.database === undefined ? undefined : postgresUrl(options.database);
      const baseUrl = options.baseUrl === undefined ? undefined : baseUrlOption(options.baseUrl);
      const watch = await prepareConsole(options, self, { scimToken: token, port });
      // Loaded on demand: the server and SQLite are not needed by the other commands.
      const { startReferenceServer } = await import('../runtime.js');
      const server = await startReferenceServer({
        port: port(options.port),
        host: options.host,
        tokens: [token],
        ...(options.db ? { db: options.db } : {}),
        ...(options.database ? { database: options.database } : {}),
        ...(baseUrl ? { publicUrl: baseUrl } : {}),
        ...(options.strict ? { strict: true } : {}),
        ...(options.paginationDiscovery ? {} : { paginationDiscovery: false }),
        ...(options.memberPatchNoContent ? { memberPatchResponse: 'noContent' as const } : {}),
        ...(watch ? { observer: watch.observer } : {}),
      });
      const consoleLines = watch
        ? await watch.listen(server.baseUrl, colors.err).catch(async (error) => {
            await server.close();
            throw error;
          })
        : '';
      await writeOut(io.stdout, `${server.baseUrl}\n`);
      // The URL printed is one this machine reaches; a wildcard address is not one to give anyone.
      const everywhere = isWildcard(options.host)
        ? `  on every interface (--host ${options.host}): from elsewhere use this machine's address; Entra ID and Okta need a public https:// URL ending in /scim/v2 (a TLS proxy in front of port ${new URL(server.baseUrl).port})\n`
        : '';
      io.stderr.write(
        `${colors.err.green('scimkit serve')}: listening on ${colors.err.bold(server.baseUrl)} (${
          server.storeKind === 'sqlite'
            ? `SQLite ${options.db}`
            : database
              ? `PostgreSQL ${redacted(database)}`
              : 'in-memory store'
        })\n` +
          everywhere +
          `  SCIM_URL=${server.baseUrl} SCIM_TOKEN=${given ? '<the token you gave>' : token}\n` +
          consoleLines +
          '  Ctrl-C to stop\n',
      );
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await watch?.close();
      await server.close();
      io.stderr.write('scimkit serve: stopped\n');
    });
  addConsoleOptions(command);
  withExamples(command, [
    'scimkit serve --port 8080 --token secret',
    'scimkit serve --port 8080 --token secret --db ./scim.db --host 0.0.0.0 --base-url https://scim.example.com/scim/v2',
    'scimkit serve --port 8080 --token secret --database postgres://scim:secret@localhost:5432/scim',
    'scimkit serve --port 8080 --console --console-port 8081',
    'scimkit serve --port 8080 --strict --no-pagination-discovery',
    'scimkit serve --port 8080 --db ./scim.db --member-patch-no-content',
    'SCIM_URL=http://127.0.0.1:8080/scim/v2 SCIM_TOKEN=secret scimkit users list',
  ]);
}
