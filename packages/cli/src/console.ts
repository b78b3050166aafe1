/**
 * `scimkit serve --console`: the provisioning console (`@scimkit/console`) on a listener of its
 * own, 127.0.0.1 by default, with its own token; the options and what `serve` prints.
 */
import { type Command, Option } from 'commander';
import { usageError } from './errors.js';
import type { Colors } from './io.js';
import type { ReferenceServerOptions } from './runtime.js';

/** The console options of `serve`, as commander parses them. */
export interface ConsoleOptions {
  console?: boolean;
  consolePort?: string;
  consoleHost?: string;
  consoleToken?: string;
}

/** A console started with `serve`. */
export interface ServeConsole {
  /** Watches the reference server (for `startReferenceServer`). */
  observer: NonNullable<ReferenceServerOptions['observer']>;
  /** Starts the console's listener once the SCIM server listens at `baseUrl`; resolves to what to print. */
  listen(baseUrl: string, colors: Colors): Promise<string>;
  /** Stops the console's listener. */
  close(): Promise<void>;
}

/** Adds `--console`, `--console-port`, `--console-host` and `--console-token` to `serve`. */
export function addConsoleOptions(command: Command): Command {
  return command
    .option('--console', 'also serve the live provisioning console (its own port, 127.0.0.1 only by default)')
    .option('--console-port <n>', 'port of the console (0 picks a free one)', '0')
    .option(
      '--console-host <host>',
      'interface the console listens on; anything but 127.0.0.1 lets other machines reach it (warned)',
      '127.0.0.1',
    )
    .addOption(
      new Option(
        '--console-token <token>',
        'token that opens the console, at least 16 characters, never a SCIM token (default: a random one, in the printed link)',
      ).env('SCIMKIT_CONSOLE_TOKEN'),
    );
}

/**
 * The console `serve --console` asked for (undefined without `--console`). `port` parses a port
 * option; `scimToken` is the SCIM bearer token, which the console refuses as its own.
 */
export async function prepareConsole(
  options: ConsoleOptions,
  command: Command,
  settings: { scimToken: string; port: (value: string, option: string) => number },
): Promise<ServeConsole | undefined> {
  if (!options.console) {
    const given = (['consolePort', 'consoleHost', 'consoleToken'] as const).find(
      (name) => command.getOptionValueSource(name) === 'cli',
    );
    if (given)
      throw usageError(`--${given.replace(/[A-Z]/, (letter) => `-${letter.toLowerCase()}`)} needs --console`);
    return undefined;
  }
  const port = settings.port(options.consolePort ?? '0', '--console-port');
  const host = options.consoleHost ?? '127.0.0.1';
  const token = options.consoleToken;
  if (token !== undefined && (token.length < 16 || /\s/.test(token))) {
    throw usageError('--console-token must be at least 16 characters without whitespace');
  }
  if (token === settings.scimToken) {
    throw usageError('--console-token must differ from the SCIM token: no SCIM token may open the console');
  }
  // Loaded on demand: only `serve --console` needs the console.
  const [{ createScimConsole }, { isLoopback, serveConsole }] = await Promise.all([
    import('@scimkit/console'),
    import('@scimkit/console/node'),
  ]);
  let baseUrl = '';
  const scimConsole = createScimConsole({
    ...(token === undefined ? {} : { token }),
    tokenLabels: { 'serve token': settings.scimToken },
    demo: { token: settings.scimToken, baseUrl: () => baseUrl },
  });
  let running: Awaited<ReturnType<typeof serveConsole>> | undefined;
  return {
    observer: scimConsole,
    async listen(scimBaseUrl, colors) {
      baseUrl = scimBaseUrl;
      running = await serveConsole({ console: scimConsole, port, host });
      const where =
        token === undefined ? running.link : `${running.url} (sign in with the console token you gave)`;
      const warning = isLoopback(host)
        ? ''
        : `  ${colors.yellow('warning')}: the console listens on ${host}: anyone who reaches this port and holds the console token sees every SCIM exchange; use it only on a network you trust\n`;
      return `  console: ${colors.bold(where)}\n${warning}`;
    },
    async close() {
      await running?.close();
    },
  };
}
