import { groupResourceType, type ResourceTypeDefinition, userResourceType } from '@scimkit/schema';
import type { ScimServer, ScimServerOptions } from '@scimkit/server';
import { ConsoleAccess, createConsoleToken } from './access.js';
import { type ConsoleDemoOptions, DemoRunner, type DemoState } from './demo-runner.js';
import { ExchangeHistory, type HistoryOptions } from './history.js';
import { type LiveSource, LiveStreams } from './live.js';
import { Recorder, type RecorderHooks } from './recorder.js';
import { handleConsoleRequest } from './routes.js';
import { TokenLabeler } from './token-labels.js';

/**
 * Options of {@link createScimConsole}.
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export interface ScimConsoleOptions {
  /**
   * The console's own secret: the printed link carries it, scripts send it as a bearer token.
   * It must not be a SCIM bearer token (no SCIM token opens the console); at least 16
   * characters without whitespace.
   * @defaultValue a random 32-byte token (read it from {@link ScimConsole.token})
   */
  token?: string | undefined;
  /** The path the console answers below. @defaultValue `/console` */
  path?: string;
  /**
   * The resource types whose `writeOnly` and `returned: "never"` attributes are redacted.
   * @defaultValue those given to {@link ScimConsole.serverOptions}, else User (with the Enterprise extension) and Group
   */
  resourceTypes?: readonly ResourceTypeDefinition[];
  /** How much history to keep. */
  history?: HistoryOptions;
  /** Characters kept of each request and response body and of each resource before and after. @defaultValue 65536 */
  maxBodyLength?: number;
  /**
   * Names for the clients behind bearer tokens, shown instead of a fingerprint: label → token
   * (`{ 'Entra ID': process.env.ENTRA_TOKEN }`). Only a keyed hash of each token is kept.
   */
  tokenLabels?: Readonly<Record<string, string>>;
  /** Enables "Run the demo": the SCIM token its requests carry. Off without it. */
  demo?: ConsoleDemoOptions;
  /**
   * Host names requests must be addressed to (the `Host` header, without port), against DNS
   * rebinding. `serveConsole` sets the loopback names when it listens on a loopback address.
   * @defaultValue any
   */
  allowedHosts?: readonly string[];
}

/** The event hooks {@link ScimConsole.serverOptions} chains after the ones given (and `onIgnoredAttributes`). */
const HOOKS = [
  'onCreated',
  'onReplaced',
  'onPatched',
  'onDeactivated',
  'onDeleted',
] as const satisfies readonly (keyof RecorderHooks | keyof ScimServerOptions)[];

/**
 * A live console of SCIM exchanges: observe a server with it, serve its `fetch` (or
 * `serveConsole` from `@scimkit/console/node`) on a port of its own.
 */
export interface ScimConsole {
  /** The path the console answers below (`/console`). */
  readonly path: string;
  /** The console's token. */
  readonly token: string;
  /** The exchanges kept. */
  readonly history: ExchangeHistory;
  /**
   * `options` for `createScimServer` with the console's event hooks added after yours (so
   * exchanges show what they changed in the store), and the resource types remembered for
   * redaction. Throws a `TypeError` when the console token is one of `auth.tokens`.
   */
  serverOptions<T extends ScimServerOptions>(options: T): T;
  /** A server that answers exactly as `server` does and records every exchange. */
  observe(server: ScimServer): ScimServer;
  /** Answers a request below {@link ScimConsole.path}; 404 for any other path. */
  fetch(request: Request): Promise<Response>;
  /** The URL that opens the console signed in: `origin` + path + `#token=…` (the fragment never reaches a server). */
  link(origin: string): string;
  /** Plays the joiner-mover-leaver story against the observed server (as the page's button does). */
  runDemo(options?: { hardDelete?: boolean }): Promise<void>;
  /** The demo's state. */
  readonly demo: DemoState;
  /** Ends every live stream. The console keeps recording and answering. */
  close(): void;
}

function normalisePath(path: string): string {
  const trimmed = `/${path.trim().replace(/^\/+|\/+$/g, '')}`;
  if (trimmed === '/')
    throw new TypeError('The console path cannot be the root: give it its own, such as /console.');
  return trimmed;
}

function checkToken(token: string): string {
  if (token.length < 16 || /\s/.test(token)) {
    throw new TypeError('The console token must be at least 16 characters without whitespace.');
  }
  return token;
}

/** Runs `first` (the caller's hook) and then `second` (the console's, which never throws). */
function chain<E>(
  first: ((event: E) => void | Promise<void>) | undefined,
  second: (event: E) => void | Promise<void>,
): (event: E) => void | Promise<void> {
  if (!first) return second;
  return async (event) => {
    try {
      await first(event);
    } finally {
      await second(event);
    }
  };
}

/**
 * Creates a provisioning console: a live web view of every SCIM exchange of the servers it
 * observes (time, method, path, status, duration, principal; headers and bodies with
 * credentials and `writeOnly`/`returned: "never"` values redacted; the SCIM error; what changed
 * in the store), the joiner-mover-leaver flow as a three-lane diagram, and "Run the demo".
 * It needs its own token, never answers with a SCIM token, and ships its page inside the
 * package (no CDN, works offline).
 *
 * @example
 * ```ts
 * import { createScimConsole } from '@scimkit/console';
 * import { serveConsole } from '@scimkit/console/node';
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { serveNode } from '@scimkit/server/node';
 *
 * const token = process.env.SCIM_TOKEN!;
 * const scimConsole = createScimConsole({ demo: { token } });
 * const scim = scimConsole.observe(
 *   createScimServer(scimConsole.serverOptions({ store: createMemoryStore(), auth: { tokens: [token] } })),
 * );
 * await serveNode({ server: scim, port: 8080 });
 * const { link } = await serveConsole({ console: scimConsole, port: 8081 }); // 127.0.0.1 only
 * console.log(`Console: ${link}`);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export function createScimConsole(options: ScimConsoleOptions = {}): ScimConsole {
  const path = normalisePath(options.path ?? '/console');
  const token = options.token === undefined ? createConsoleToken() : checkToken(options.token);
  const history = new ExchangeHistory(options.history);
  const maxEntries = options.history?.maxEntries ?? 1000;
  const recorder = new Recorder({
    history,
    labeler: new TokenLabeler(options.tokenLabels),
    maxBodyLength: options.maxBodyLength ?? 65_536,
    resourceTypes: options.resourceTypes ?? [userResourceType, groupResourceType],
  });
  const demoListeners = new Set<(state: DemoState) => void>();
  const demo = new DemoRunner(recorder, options.demo, (state) => {
    for (const listener of demoListeners) listener(state);
  });
  const live: LiveSource = {
    history,
    maxEntries,
    demoState: () => demo.state,
    onDemoChange(listener) {
      demoListeners.add(listener);
      return () => demoListeners.delete(listener);
    },
  };
  const streams = new LiveStreams();
  const routes = {
    path,
    access: new ConsoleAccess({
      token,
      path,
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    }),
    history,
    demo,
    streams,
    live,
  };

  return {
    path,
    token,
    history,
    get demo() {
      return demo.state;
    },
    serverOptions(serverOptions) {
      if ('tokens' in serverOptions.auth && serverOptions.auth.tokens.includes(token)) {
        throw new TypeError(
          'The console token is also a SCIM bearer token: give the console a token of its own.',
        );
      }
      if (!options.resourceTypes && serverOptions.resourceTypes) {
        recorder.setResourceTypes(serverOptions.resourceTypes);
      }
      const hooked = { ...serverOptions };
      for (const name of HOOKS) hooked[name] = chain(serverOptions[name], recorder.hooks[name]);
      hooked.onIgnoredAttributes = chain(
        serverOptions.onIgnoredAttributes,
        recorder.hooks.onIgnoredAttributes,
      );
      return hooked;
    },
    observe(server) {
      const observed = recorder.observe(server);
      demo.setTarget(observed);
      return observed;
    },
    async fetch(request) {
      return (
        (await handleConsoleRequest(routes, request)) ??
        new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
      );
    },
    link(origin) {
      return `${origin.replace(/\/+$/, '')}${path}/#token=${encodeURIComponent(token)}`;
    },
    runDemo: (runOptions) => demo.run(runOptions),
    close() {
      streams.closeAll();
    },
  };
}
