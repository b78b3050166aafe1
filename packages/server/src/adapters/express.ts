/**
 * @packageDocumentation
 * Express adapter of `@scimkit/server` (Express 4.18+ and 5).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScimServer } from '../server.js';
import { handleNode } from './node-bridge.js';

/** An Express-compatible middleware (`(req, res, next)`), typed without importing Express. */
export type ScimExpressMiddleware = (
  request: IncomingMessage & { originalUrl?: string; body?: unknown },
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * An Express middleware serving a SCIM server at its `basePath` (the full URL is used, so
 * mount it anywhere: `app.use(scimExpress(scim))` or `app.use('/scim/v2', scimExpress(scim))`).
 * Requests outside the base path go to `next()`. Bodies already parsed by `express.json()`
 * are accepted.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { scimExpress } from '@scimkit/server/express';
 * import express from 'express';
 *
 * const scim = createScimServer({
 *   store: createMemoryStore(),
 *   auth: { tokens: [process.env.SCIM_TOKEN!] },
 * });
 * const app = express();
 * app.use(scimExpress(scim));
 * app.listen(8080);
 * ```
 */
export function scimExpress(server: ScimServer): ScimExpressMiddleware {
  const prefix = server.basePath;
  return (request, response, next) => {
    const url = request.originalUrl ?? request.url ?? '/';
    const path = url.split('?', 1)[0]!;
    if (!(path === prefix || path.startsWith(`${prefix}/`))) {
      next();
      return;
    }
    void handleNode(server, request, response);
  };
}
