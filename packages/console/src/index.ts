/**
 * @packageDocumentation
 * A live web console for a SCIM 2.0 server: every exchange as it arrives (credentials and
 * `writeOnly`/`returned: "never"` values redacted), the SCIM error, what changed in the store,
 * and the joiner-mover-leaver flow drawn as arrows between the identity provider, the service
 * provider and the identity store, with "Run the demo". `scimkit serve --console` uses it; in
 * your own app, observe the server made by `createScimServer` and serve the console with
 * `serveConsole` from `@scimkit/console/node` (or mount its `fetch`). The page ships inside the
 * package: no CDN, no build step, works offline. The guide: docs/console.md.
 *
 * @example
 * ```ts
 * import { createScimConsole } from '@scimkit/console';
 * import { serveConsole } from '@scimkit/console/node';
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 * import { serveNode } from '@scimkit/server/node';
 *
 * const scimConsole = createScimConsole();
 * const scim = scimConsole.observe(
 *   createScimServer(scimConsole.serverOptions({ store: createMemoryStore(), auth: { tokens: [process.env.SCIM_TOKEN!] } })),
 * );
 * await serveNode({ server: scim, port: 8080 });
 * console.log((await serveConsole({ console: scimConsole })).link);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export { createScimConsole, type ScimConsole, type ScimConsoleOptions } from './console.js';
export type { ConsoleDemoOptions, DemoState } from './demo-runner.js';
export type { Change } from './diff.js';
export type {
  CapturedBody,
  CapturedMessage,
  ExchangeRecord,
  ExchangeSource,
  ExchangeSummary,
  ScimErrorSummary,
  StoreChange,
  StoreChangeKind,
  StoreChangeSummary,
} from './exchange.js';
export { ExchangeHistory, type HistoryEvent, type HistoryOptions } from './history.js';
export { REDACTED } from './redaction.js';
export {
  joinerMoverLeaver,
  ScenarioError,
  type ScenarioOptions,
  type ScenarioStep,
  type StoryStep,
  type StoryStepInput,
  storyStepOf,
} from './story.js';
