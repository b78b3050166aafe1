import { serveNode } from '../adapters/node.js';
import { createMemoryStore, createScimServer, type ScimServerOptions } from '../index.js';

export const TOKEN = 'test-token-0123456789';

/** A SCIM server over real HTTP on 127.0.0.1:0 with a small fetch helper. */
export async function startServer(options: Partial<ScimServerOptions> = {}) {
  const errors: unknown[] = [];
  const scim = createScimServer({
    store: createMemoryStore(),
    auth: { tokens: [TOKEN] },
    onError: (error) => errors.push(error),
    ...options,
  });
  const running = await serveNode({ server: scim });
  const base = `${running.url}/scim/v2`;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  ): Promise<{ status: number; headers: Headers; body: any; text: string }> => {
    const response = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
    return { status: response.status, headers: response.headers, body: parsed as any, text };
  };
  return { scim, url: running.url, base, call, errors, close: running.close };
}

/** What {@link startServer} resolves to. */
export type Harness = Awaited<ReturnType<typeof startServer>>;

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export function user(userName: string, extra: Record<string, unknown> = {}) {
  return { schemas: [USER_SCHEMA], userName, ...extra };
}
