import { createServerContext, reportError } from './context.js';
import {
  attachCore,
  errorResult,
  fromWebRequest,
  type ScimRequest,
  toReply,
  toResponse,
} from './internal/http.js';
import type { ScimEventHook, ScimServerOptions } from './options.js';
import { answer } from './routing.js';

/**
 * A SCIM service provider speaking only Web `Request`/`Response`: mount `fetch` in any runtime
 * (Node through `@scimkit/server/node`, Express, Hono, Bun, Deno, Workers).
 */
export interface ScimServer {
  /** Answers one HTTP request. Never rejects: every failure is an RFC 7644 Error response. */
  fetch(request: Request): Promise<Response>;
  /** The path prefix of every endpoint, e.g. `/scim/v2`. */
  readonly basePath: string;
}

/**
 * Creates a SCIM 2.0 service provider (RFC 7643, RFC 7644, RFC 9865 cursor paging) on Web
 * `Request`/`Response`. It assigns ids and `meta`, validates bodies against the schemas,
 * parses filters, hands the store the parsed query, applies `returned` rules and projections,
 * computes `User.groups`, answers every failure with an RFC Error body and, by default,
 * accepts what Microsoft Entra ID and Okta really send (`strict: true` turns that off).
 *
 * @example
 * ```ts
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { serveNode } from '@scimkit/server/node';
 *
 * const server = createScimServer({ store: createMemoryStore(), auth: { tokens: [process.env.SCIM_TOKEN!] } });
 * const { url } = await serveNode({ server, port: 8080 });
 * console.log(`SCIM at ${url}/scim/v2`);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export function createScimServer(options: ScimServerOptions): ScimServer {
  const context = createServerContext(options);
  const server: ScimServer = {
    basePath: context.basePath,
    async fetch(request) {
      let scimRequest: ScimRequest;
      try {
        scimRequest = fromWebRequest(request);
      } catch (error) {
        return toResponse(errorResult(error, (unexpected) => reportError(context, unexpected, request)));
      }
      return toResponse(await answer(context, scimRequest));
    },
  };
  attachCore(server, {
    handle: async (request) => toReply(await answer(context, request)),
    usesWebRequest:
      !('tokens' in options.auth) ||
      options.onIgnoredAttributes !== undefined ||
      EVENT_HOOKS.some((name) => options[name] !== undefined),
  });
  return server;
}

/** The options that are event hooks. */
type EventHookName = {
  [K in keyof ScimServerOptions]-?: ScimServerOptions[K] extends ScimEventHook | undefined ? K : never;
}[keyof ScimServerOptions];

/**
 * Every event hook, whose events carry the Web `Request`. A record, so that a new hook option
 * does not compile until it is listed here.
 */
const EVENT_HOOKS = Object.keys({
  onCreated: true,
  onReplaced: true,
  onPatched: true,
  onDeleted: true,
  onDeactivated: true,
} satisfies Record<EventHookName, true>) as EventHookName[];
