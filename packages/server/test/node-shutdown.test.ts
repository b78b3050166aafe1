import { request as httpRequest } from 'node:http';
import { createMemoryStore, createScimServer, type ScimStore } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { describe, expect, it } from 'vitest';

const TOKEN = 'shutdown-token';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** A memory store whose `get` waits until the test opens the gate, so a request stays in flight. */
function gatedStore(): { store: ScimStore; entered: Promise<void>; open(): void } {
  const inner = createMemoryStore();
  let entered!: () => void;
  let open!: () => void;
  const enteredPromise = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const store: ScimStore = Object.create(inner) as ScimStore;
  store.get = async (...args) => {
    entered();
    await gate;
    return inner.get(...args);
  };
  return { store, entered: enteredPromise, open };
}

function get(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { authorization: `Bearer ${TOKEN}` } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function serveOneUser() {
  const gated = gatedStore();
  const server = createScimServer({ store: gated.store, auth: { tokens: [TOKEN] } });
  const created = await server.fetch(
    new Request('http://127.0.0.1/scim/v2/Users', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [USER_SCHEMA], userName: 'leaver@example.com' }),
    }),
  );
  const { id } = (await created.json()) as { id: string };
  const running = await serveNode({ server });
  return { ...gated, running, userUrl: `${running.url}/scim/v2/Users/${id}` };
}

describe('serveNode close()', () => {
  it('answers the requests in progress, refuses new connections, then resolves', async () => {
    const { running, userUrl, entered, open } = await serveOneUser();
    const inFlight = get(userUrl);
    await entered;
    let closed = false;
    const closing = running.close().then(() => {
      closed = true;
    });
    await expect(get(userUrl)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closed).toBe(false);
    open();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.text)).toMatchObject({ userName: 'leaver@example.com' });
    await closing;
    expect(closed).toBe(true);
  });

  it('waits for a request whose client went away, so that the store outlives its calls', async () => {
    const { running, userUrl, store, entered, open } = await serveOneUser();
    const calls: string[] = [];
    const get = store.get.bind(store);
    store.get = async (...args) => {
      const found = await get(...args);
      calls.push('get done');
      return found;
    };
    const client = httpRequest(userUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    client.on('error', () => undefined);
    client.end();
    await entered;
    client.destroy();
    const closing = running.close().then(() => calls.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toEqual([]);
    open();
    await closing;
    expect(calls).toEqual(['get done', 'closed']);
  });

  it('cuts a request that outlasts the timeout and still resolves', async () => {
    const { running, userUrl, entered, open } = await serveOneUser();
    const inFlight = get(userUrl);
    await entered;
    await running.close({ timeout: 50 });
    await expect(inFlight).rejects.toThrow(/socket hang up|ECONNRESET/);
    open();
  });
});
