import { createScimClient } from '@scimkit/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeClientContract } from './contract.js';
import { type RunningScimmy, SCIMMY_TOKEN, startScimmy } from './scimmy-server.js';

// scimmy is a process-wide singleton: one server for the whole file.
let scimmy: RunningScimmy | undefined;
const shared = async () => {
  scimmy ??= await startScimmy();
  return scimmy;
};

describeClientContract('scimmy + scimmy-routers (Express)', async () => {
  const running = await shared();
  return { baseUrl: running.url, token: SCIMMY_TOKEN, close: async () => {} };
});

describe('@scimkit/client against scimmy: what differs', () => {
  let running: RunningScimmy;
  beforeAll(async () => {
    running = await shared();
  });
  afterAll(() => running.close());

  it('pages with POST /.search once GET is seen ignoring startIndex', async () => {
    const sent: string[] = [];
    const client = createScimClient({
      baseUrl: running.url,
      token: SCIMMY_TOKEN,
      retry: 0,
      hooks: {
        beforeRequest: [(request) => void sent.push(`${request.method} ${new URL(request.url).pathname}`)],
      },
    });
    for (let index = 0; index < 25; index++)
      await client.users.create({ userName: `page.${index}@example.com` });
    sent.length = 0;
    const users = await client.users.list({ filter: 'userName sw "page."', pageSize: 10 }).toArray();
    expect(new Set(users.map((user) => user.id)).size).toBe(25);
    // scimmy-routers on Express 5 ignores startIndex and count in GET queries (it casts
    // them by assigning to req.query, a getter in Express 5) and answers 20 at a time, but
    // honours a search body: the second GET repeats the first page, the rest comes by search.
    expect(sent).toEqual([
      'GET /scim/ServiceProviderConfig',
      'GET /scim/Users',
      'GET /scim/Users',
      'POST /scim/Users/.search',
    ]);
  });

  it('refuses ifMatch because scimmy says it does not support ETags', async () => {
    const client = createScimClient({ baseUrl: running.url, token: SCIMMY_TOKEN, retry: 0 });
    const user = await client.users.create({ userName: 'etag@example.com' });
    expect((await client.discover()).serviceProviderConfig.etag.supported).toBe(false);
    await expect(client.users.delete(user.id, { ifMatch: 'W/"1"' })).rejects.toThrow(
      'ifMatch was given, but the server says it does not support ETags',
    );
    expect(running.users.has(user.id)).toBe(true);
  });
});
