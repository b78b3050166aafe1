import {
  createScimClient,
  isScimPreconditionFailedError,
  type ListPage,
  ScimPreconditionFailedError,
} from '@scimkit/client';
import type { User } from '@scimkit/schema';
import { createMemoryStore, createScimServer } from '@scimkit/server';
import { type RunningServer, serveNode } from '@scimkit/server/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeClientContract } from './contract.js';

const TOKEN = 'scimkit-token';

async function startScimkit(): Promise<RunningServer> {
  const server = createScimServer({
    store: createMemoryStore(),
    auth: { tokens: [TOKEN] },
    onError: () => {},
  });
  return serveNode({ server, port: 0, host: '127.0.0.1' });
}

describeClientContract('@scimkit/server', async () => {
  const running = await startScimkit();
  return { baseUrl: `${running.url}/scim/v2`, token: TOKEN, close: running.close };
});

describe('@scimkit/client against @scimkit/server: ETags and cursors', () => {
  let running: RunningServer;
  const client = () => createScimClient({ baseUrl: `${running.url}/scim/v2`, token: TOKEN, retry: 0 });
  beforeAll(async () => {
    running = await startScimkit();
  });
  afterAll(() => running.close());

  it('writes with If-Match and fails with ScimPreconditionFailedError on a stale version', async () => {
    const users = client().users;
    const created = await users.create({ userName: 'etag@example.com' });
    const version = (await users.get(created.id)).meta.version;
    expect(version).toEqual(expect.any(String));
    const replaced = await users.replace(
      created.id,
      { userName: 'etag@example.com', title: 'A' },
      { ifMatch: version },
    );
    expect(replaced.meta.version).not.toBe(version);
    const stale = await users
      .patch(created.id, [{ op: 'replace', path: 'title', value: 'B' }], { ifMatch: version })
      .catch((caught: unknown) => caught);
    expect(stale).toBeInstanceOf(ScimPreconditionFailedError);
    expect(isScimPreconditionFailedError(stale) && stale.status).toBe(412);
    await users.delete(created.id, { ifMatch: replaced.meta.version });
  });

  it('pages with RFC 9865 cursors, which the server advertises', async () => {
    const scim = client();
    expect((await scim.discover()).serviceProviderConfig.pagination?.cursor).toBe(true);
    await scim.bulk(
      Array.from({ length: 7 }, (_, index) => ({
        method: 'POST' as const,
        path: '/Users',
        bulkId: `c${index}`,
        data: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: `cursor.${index}@example.com`,
        },
      })),
    );
    const pages: ListPage<User>[] = [];
    for await (const page of scim.users
      .list({ filter: 'userName sw "cursor."', pageSize: 3, paging: 'cursor' })
      .pages()) {
      pages.push(page);
    }
    expect(pages.map((page) => page.resources.length)).toEqual([3, 3, 1]);
    expect(pages[0]?.nextCursor).toEqual(expect.any(String));
    expect(pages[2]?.nextCursor).toBeUndefined();
    const auto = await scim.users.list({ filter: 'userName sw "cursor."', pageSize: 3 }).toArray();
    expect(auto).toHaveLength(7);
  });
});
