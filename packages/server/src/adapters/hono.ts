/**
 * @packageDocumentation
 * Hono adapter of `@scimkit/server`.
 */
import type { ScimServer } from '../server.js';

/** A Hono handler, typed structurally so this module does not import Hono. */
export type ScimHonoHandler = (context: { req: { raw: Request } }) => Promise<Response>;

/**
 * A Hono handler serving a SCIM server: route every method under the base path to it.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { scimHono } from '@scimkit/server/hono';
 * import { Hono } from 'hono';
 *
 * const scim = createScimServer({
 *   store: createMemoryStore(),
 *   auth: { tokens: [process.env.SCIM_TOKEN!] },
 * });
 * const app = new Hono();
 * app.all('/scim/v2/*', scimHono(scim));
 * export default app;
 * ```
 */
export function scimHono(server: ScimServer): ScimHonoHandler {
  return (context) => server.fetch(context.req.raw);
}
