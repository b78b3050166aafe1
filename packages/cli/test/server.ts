/** A real reference server on 127.0.0.1:0 for CLI tests, with a typed client to seed and check it. */
import { createScimClient, type ScimClient } from '@scimkit/client';
import { startReferenceServer } from '../src/runtime.js';

/** A running test server. */
export interface TestServer {
  baseUrl: string;
  token: string;
  client: ScimClient;
  /** SCIM_URL and SCIM_TOKEN for a CLI subprocess. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the reference server (in-memory store unless `db` is given). */
export async function startTestServer(options: { db?: string } = {}): Promise<TestServer> {
  const token = `test-${Math.random().toString(36).slice(2)}`;
  const server = await startReferenceServer({
    port: 0,
    host: '127.0.0.1',
    tokens: [token],
    ...(options.db ? { db: options.db } : {}),
  });
  return {
    baseUrl: server.baseUrl,
    token,
    client: createScimClient({ baseUrl: server.baseUrl, token, retry: 0 }),
    env: { SCIM_URL: server.baseUrl, SCIM_TOKEN: token },
    close: () => server.close(),
  };
}
