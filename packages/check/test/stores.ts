/**
 * scimkit's server on each store, on 127.0.0.1: the memory store, SQLite in a temporary
 * file, and PostgreSQL in a fresh schema of the scratch cluster the store-postgres global
 * setup provides (see vitest.config.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMemoryStore, createScimServer, type ScimStore } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { createSqliteStore } from '@scimkit/store-sqlite';
import { openStore } from '../../store-postgres/test/pg.js';
import type {} from './pg-context.js';

/** The bearer token every test server accepts. */
export const TOKEN = 'check-token-7d1e';

/** A running server. */
export interface TestServer {
  /** The SCIM base URL (`…/scim/v2`). */
  url: string;
  close(): Promise<void>;
}

/** Serves `store` until `close`, which closes the store too. */
export async function serve(store: ScimStore, cleanup?: () => void): Promise<TestServer> {
  const running = await serveNode({
    server: createScimServer({ store, auth: { tokens: [TOKEN] } }),
    host: '127.0.0.1',
  });
  return {
    url: `${running.url}/scim/v2`,
    async close() {
      await running.close();
      await store.close?.();
      cleanup?.();
    },
  };
}

/** Each store, by name, as a function starting a server on a fresh one. */
export const STORES: [string, () => Promise<TestServer>][] = [
  ['the memory store', () => serve(createMemoryStore())],
  [
    'the SQLite store (a file)',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-check-'));
      const store = createSqliteStore({ filename: path.join(dir, 'scim.db') });
      return serve(store, () => fs.rmSync(dir, { recursive: true, force: true }));
    },
  ],
  ['the PostgreSQL store', () => serve(openStore())],
];

/** How many Users and Groups the server holds (count=0 asks for the totals only). */
export async function remaining(url: string): Promise<number[]> {
  return Promise.all(
    ['Users', 'Groups'].map(async (endpoint) => {
      const response = await fetch(`${url}/${endpoint}?count=0`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      return ((await response.json()) as { totalResults: number }).totalResults;
    }),
  );
}

/** A SCIM response as the tests read it: the status and the parsed body (undefined when empty). */
// biome-ignore lint/suspicious/noExplicitAny: the tests read response bodies freely
export type SentResponse = { status: number; body: any };

/**
 * One request to a test server with the test token; a body is sent as `application/scim+json`
 * (JSON.stringify writes lone surrogates as \ud800 escapes: the bytes on the wire are UTF-8).
 */
export async function send(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<SentResponse> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
