/**
 * A real SCIM server on 127.0.0.1 observed by a console on a listener of its own, and a reader
 * of the console's live stream, for the console's tests.
 */
import type { ResourceTypeDefinition } from '@scimkit/schema';
import { createMemoryStore, createScimServer, type ScimServerOptions } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { createScimConsole, type ScimConsole, type ScimConsoleOptions } from '../src/index.js';
import { serveConsole } from '../src/node.js';

/** A running SCIM server and its console. */
export interface Harness {
  scimConsole: ScimConsole;
  /** `http://127.0.0.1:<port>/scim/v2`. */
  baseUrl: string;
  /** `http://127.0.0.1:<port>/console/`. */
  consoleUrl: string;
  scimToken: string;
  /** Sends a SCIM request with the SCIM token. */
  scim(path: string, init?: RequestInit): Promise<Response>;
  /** Waits until the console has recorded `count` exchanges in all. */
  recorded(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a server (in-memory store) observed by a console. */
export async function startHarness(
  options: {
    console?: ScimConsoleOptions;
    server?: Partial<ScimServerOptions>;
    resourceTypes?: readonly ResourceTypeDefinition[];
  } = {},
): Promise<Harness> {
  const scimToken = 'scim-token-for-tests-0123456789';
  const scimConsole = createScimConsole({ demo: { token: scimToken }, ...options.console });
  const server = scimConsole.observe(
    createScimServer(
      scimConsole.serverOptions({
        store: createMemoryStore(),
        auth: { tokens: [scimToken] },
        ...(options.resourceTypes ? { resourceTypes: options.resourceTypes } : {}),
        ...options.server,
      }),
    ),
  );
  const scimRunning = await serveNode({ server, port: 0 });
  const consoleRunning = await serveConsole({ console: scimConsole, port: 0 });
  const baseUrl = `${scimRunning.url}/scim/v2`;
  return {
    scimConsole,
    baseUrl,
    consoleUrl: consoleRunning.url,
    scimToken,
    scim(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${scimToken}`);
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/scim+json');
      return fetch(`${baseUrl}${path}`, { ...init, headers });
    },
    async recorded(count) {
      // Records complete just after the response (their bodies are read in the background).
      for (let attempt = 0; attempt < 400 && scimConsole.history.since().length < count; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (scimConsole.history.since().length < count) {
        throw new Error(`recorded ${scimConsole.history.since().length} exchanges, expected ${count}`);
      }
    },
    async close() {
      await consoleRunning.close();
      await scimRunning.close();
    },
  };
}

/** One server-sent event. */
export interface LiveEvent {
  event: string;
  id?: string;
  data: string;
}

/** Reads server-sent events from a response until `done` says so (or `timeout` ms pass). */
export async function readEvents(
  response: Response,
  done: (events: LiveEvent[]) => boolean,
  timeout = 10_000,
): Promise<{ events: LiveEvent[]; raw: string }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: LiveEvent[] = [];
  let raw = '';
  let buffer = '';
  const timer = setTimeout(() => void reader.cancel(), timeout);
  try {
    while (!done(events)) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      const text = decoder.decode(value, { stream: true });
      raw += text;
      buffer += text;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: LiveEvent = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('data: ')) event.data += line.slice(6);
        }
        if (event.data) events.push(event);
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
  return { events, raw };
}
