import { describe, expect, it } from 'vitest';
import { createScimClient, isScimHttpError } from '../src/index.js';
import { useQuirkyServer } from './quirky-server.js';

const server = useQuirkyServer();

const spc = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  patch: { supported: true },
  bulk: { supported: true, maxOperations: 10, maxPayloadSize: 1000 },
  filter: { supported: true, maxResults: 50 },
  changePassword: { supported: false },
  sort: { supported: true },
  etag: { supported: true },
  authenticationSchemes: [],
};

describe('ScimClient.discover', () => {
  it('reads the three discovery endpoints once and caches them', async () => {
    server.quirks = { serviceProviderConfig: spc };
    server.resources.set(
      'ResourceTypes',
      new Map([['User', { id: 'User', name: 'User', endpoint: '/Users', meta: {} }]]),
    );
    server.resources.set('Schemas', new Map());
    const client = createScimClient({ baseUrl: server.url, token: 'test-token' });
    const first = await client.discover();
    const second = await client.discover();
    expect(second).toBe(first);
    expect(first.serviceProviderConfig.bulk.maxOperations).toBe(10);
    expect(first.resourceTypes.map((type) => type.endpoint)).toEqual(['/Users']);
    expect(first.schemas).toEqual([]);
    expect(server.log.map((entry) => entry.url.pathname).sort()).toEqual([
      '/scim/ResourceTypes',
      '/scim/Schemas',
      '/scim/ServiceProviderConfig',
    ]);
    await client.discover({ refresh: true });
    expect(server.log).toHaveLength(6);
  });

  it('does not cache a failure', async () => {
    const client = createScimClient({ baseUrl: server.url, token: 'test-token', retry: 0 });
    const error = await client.discover().catch((caught: unknown) => caught);
    expect(isScimHttpError(error) && error.status).toBe(404);
    server.quirks = { serviceProviderConfig: spc };
    server.resources.set('ResourceTypes', new Map());
    server.resources.set('Schemas', new Map());
    expect((await client.discover()).serviceProviderConfig.etag.supported).toBe(true);
  });

  it('lists with the defaults when /ServiceProviderConfig fails', async () => {
    server.seedUsers(3);
    server.script.push({ status: 500, body: { detail: 'broken' }, method: 'GET' });
    const client = createScimClient({ baseUrl: server.url, token: 'test-token', retry: 0 });
    expect(await client.users.list({ pageSize: 2 }).toArray()).toHaveLength(3);
    expect(server.log[0]?.url.pathname).toBe('/scim/ServiceProviderConfig');
  });

  it('lets later listings reuse the discovered limits without asking again', async () => {
    server.quirks = { serviceProviderConfig: spc };
    server.resources.set('ResourceTypes', new Map());
    server.resources.set('Schemas', new Map());
    server.seedUsers(1);
    const client = createScimClient({ baseUrl: server.url, token: 'test-token' });
    await client.discover();
    await client.users.list({ pageSize: 500 }).toArray();
    const requests = server.log.map((entry) => entry.url.pathname);
    expect(requests.filter((path) => path.endsWith('/ServiceProviderConfig'))).toHaveLength(1);
    expect(server.log.at(-1)?.url.searchParams.get('count')).toBe('50');
  });

  const configRequests = () =>
    server.log.filter((entry) => entry.url.pathname.endsWith('/ServiceProviderConfig')).length;

  it.each([503, 429, 401])('asks /ServiceProviderConfig again after a %i', async (status) => {
    server.quirks = { serviceProviderConfig: spc };
    server.seedUsers(1);
    server.script.push({ status, body: { detail: 'not now' }, method: 'GET' });
    const client = createScimClient({ baseUrl: server.url, token: 'test-token', retry: 0 });
    // The failed lookup answers with the defaults for this call…
    expect(await client.users.list({ pageSize: 500 }).toArray()).toHaveLength(1);
    expect(server.log.at(-1)?.url.searchParams.get('count')).toBe('500');
    // …and the next call asks again and gets the server's limits.
    expect(await client.users.list({ pageSize: 500 }).toArray()).toHaveLength(1);
    expect(configRequests()).toBe(2);
    expect(server.log.at(-1)?.url.searchParams.get('count')).toBe('50');
    await client.users.list({ pageSize: 500 }).toArray();
    expect(configRequests()).toBe(2);
  });

  it.each([404, 501])('keeps the defaults after a %i (the server has no discovery)', async (status) => {
    server.quirks = { serviceProviderConfig: spc };
    server.seedUsers(1);
    server.script.push({ status, body: { detail: 'no discovery' }, method: 'GET' });
    const client = createScimClient({ baseUrl: server.url, token: 'test-token', retry: 0 });
    await client.users.list({ pageSize: 500 }).toArray();
    expect(await client.users.list({ pageSize: 500 }).toArray()).toHaveLength(1);
    expect(configRequests()).toBe(1);
    expect(server.log.at(-1)?.url.searchParams.get('count')).toBe('500');
  });

  it('asks /ServiceProviderConfig again after a network error', async () => {
    server.quirks = { serviceProviderConfig: spc };
    server.seedUsers(1);
    let failures = 1;
    const client = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      retry: 0,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (request.url.endsWith('/ServiceProviderConfig') && failures-- > 0) {
          throw new TypeError('fetch failed');
        }
        return fetch(request);
      },
    });
    await expect(client.users.list({ pageSize: 500 }).toArray()).rejects.toThrow();
    expect(await client.users.list({ pageSize: 500 }).toArray()).toHaveLength(1);
    expect(configRequests()).toBe(1);
    expect(server.log.at(-1)?.url.searchParams.get('count')).toBe('50');
  });
});
