import { describe, expect, it } from 'vitest';
import { createScimClient, type ListPage } from '../src/index.js';
import { useQuirkyServer } from './quirky-server.js';

const server = useQuirkyServer();

const client = () => createScimClient({ baseUrl: server.url, token: 'test-token', retry: 0 });
const userNames = (users: { userName: string }[]) => users.map((user) => user.userName);
const listRequests = () =>
  server.log.filter((entry) => entry.method === 'GET' && entry.url.pathname === '/scim/Users');

describe('ResourceClient.list', () => {
  it('follows totalResults over index pages and asks for the next startIndex', async () => {
    server.seedUsers(7);
    const users = await client().users.list({ pageSize: 3 }).toArray();
    expect(userNames(users)).toEqual(['user1', 'user2', 'user3', 'user4', 'user5', 'user6', 'user7']);
    expect(
      listRequests().map((entry) => [
        entry.url.searchParams.get('startIndex'),
        entry.url.searchParams.get('count'),
      ]),
    ).toEqual([
      ['1', '3'],
      ['4', '3'],
      ['7', '3'],
    ]);
  });

  it('fetches pages lazily, only as far as the loop goes', async () => {
    server.seedUsers(10);
    const seen: string[] = [];
    for await (const user of client().users.list({ pageSize: 2 })) {
      seen.push(user.userName);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['user1', 'user2', 'user3']);
    expect(listRequests()).toHaveLength(2);
  });

  it('advances by the items returned when the server returns fewer than asked', async () => {
    server.seedUsers(7);
    server.quirks = { maxPageSize: 2 };
    const pages: ListPage<unknown>[] = [];
    for await (const page of client().users.list({ pageSize: 5 }).pages()) pages.push(page);
    expect(pages.map((page) => page.resources.length)).toEqual([2, 2, 2, 1]);
    expect(listRequests().map((entry) => entry.url.searchParams.get('startIndex'))).toEqual([
      '1',
      '3',
      '5',
      '7',
    ]);
  });

  it('stops after one request when the server ignores count and returns everything', async () => {
    server.seedUsers(6);
    server.quirks = { ignoreCount: true };
    const users = await client().users.list({ pageSize: 2 }).toArray();
    expect(users).toHaveLength(6);
    expect(listRequests()).toHaveLength(1);
  });

  it('stops on an empty page when totalResults is too large', async () => {
    server.seedUsers(4);
    server.quirks = { totalResultsOffset: 50 };
    const users = await client().users.list({ pageSize: 3 }).toArray();
    expect(userNames(users)).toEqual(['user1', 'user2', 'user3', 'user4']);
    expect(listRequests().map((entry) => entry.url.searchParams.get('startIndex'))).toEqual(['1', '4', '5']);
  });

  it('pages until an empty page when totalResults is missing', async () => {
    server.seedUsers(5);
    server.quirks = { omitTotalResults: true };
    const users = await client().users.list({ pageSize: 2 }).toArray();
    expect(users).toHaveLength(5);
    expect(listRequests()).toHaveLength(4);
  });

  it('trusts totalResults when it is smaller than what the server holds', async () => {
    server.seedUsers(6);
    server.quirks = { totalResultsOffset: -2 };
    const users = await client().users.list({ pageSize: 2 }).toArray();
    expect(userNames(users)).toEqual(['user1', 'user2', 'user3', 'user4']);
  });

  it('yields nothing and sends one request for an empty result', async () => {
    const pages: ListPage<unknown>[] = [];
    for await (const page of client().users.list().pages()) pages.push(page);
    expect(pages).toEqual([]);
    expect(listRequests()).toHaveLength(1);
  });

  it('fails instead of looping when the server ignores startIndex and more results remain', async () => {
    server.seedUsers(5);
    server.quirks = { ignoreStartIndex: true };
    await expect(client().users.list({ pageSize: 2 }).toArray()).rejects.toThrow(
      'The server answered startIndex=3 with the resources of the previous page, so it ignores startIndex; 3 of 5 resources cannot be reached.',
    );
    expect(listRequests()).toHaveLength(2);
  });

  it('continues with POST /.search when the server ignores startIndex only in GET queries', async () => {
    server.seedUsers(5);
    server.quirks = { ignoreStartIndexOnGet: true };
    const users = await client().users.list({ pageSize: 2 }).toArray();
    expect(userNames(users)).toEqual(['user1', 'user2', 'user3', 'user4', 'user5']);
    expect(server.log.map((entry) => `${entry.method} ${entry.url.pathname}`)).toEqual([
      'GET /scim/ServiceProviderConfig',
      'GET /scim/Users',
      'GET /scim/Users',
      'POST /scim/Users/.search',
      'POST /scim/Users/.search',
    ]);
    expect(server.log.slice(3).map((entry) => (entry.body as { startIndex: number }).startIndex)).toEqual([
      3, 5,
    ]);
  });

  it('stops when a server without totalResults serves the same page again', async () => {
    server.seedUsers(3);
    server.quirks = { ignoreStartIndex: true, ignoreCount: true, omitTotalResults: true };
    const users = await client().users.list({ pageSize: 2 }).toArray();
    expect(users).toHaveLength(3);
    expect(listRequests()).toHaveLength(2);
  });

  it('stops at limit and asks only for what is still needed', async () => {
    server.seedUsers(10);
    const users = await client().users.list({ pageSize: 4, limit: 6 }).toArray();
    expect(userNames(users)).toEqual(['user1', 'user2', 'user3', 'user4', 'user5', 'user6']);
    expect(listRequests().map((entry) => entry.url.searchParams.get('count'))).toEqual(['4', '2']);
  });

  it('cuts a page to limit when the server returns more than asked', async () => {
    server.seedUsers(10);
    server.quirks = { ignoreCount: true };
    const users = await client().users.list({ pageSize: 4, limit: 3 }).toArray();
    expect(users).toHaveLength(3);
  });

  it('reads a lower-case "resources" key and numbers sent as strings', async () => {
    server.seedUsers(3);
    server.quirks = { lowercaseResources: true };
    expect(await client().users.list().toArray()).toHaveLength(3);
  });

  it('caps the page size at the advertised maxResults', async () => {
    server.seedUsers(5);
    server.quirks = { serviceProviderConfig: { filter: { supported: true, maxResults: 2 } } };
    const users = await client().users.list({ pageSize: 100 }).toArray();
    expect(users).toHaveLength(5);
    expect(listRequests().map((entry) => entry.url.searchParams.get('count'))).toEqual(['2', '2', '2']);
  });

  it('sends filter text, filter ASTs, sorting and attribute lists as query parameters', async () => {
    server.seedUsers(3);
    const users = await client()
      .users.list({
        filter: {
          kind: 'Comparison',
          path: { kind: 'AttributePath', attribute: 'userName' },
          operator: 'eq',
          value: 'user2',
        },
        sortBy: 'userName',
        sortOrder: 'descending',
        attributes: ['userName', 'emails'],
        excludedAttributes: 'groups',
      })
      .toArray();
    expect(userNames(users)).toEqual(['user2']);
    const query = listRequests()[0]?.url.searchParams;
    expect(query?.get('filter')).toBe('userName eq "user2"');
    expect(query?.get('sortBy')).toBe('userName');
    expect(query?.get('sortOrder')).toBe('descending');
    expect(query?.get('attributes')).toBe('userName,emails');
    expect(query?.get('excludedAttributes')).toBe('groups');
  });

  it('starts from the first page again on every iteration', async () => {
    server.seedUsers(2);
    const listing = client().users.list();
    expect(await listing.toArray()).toHaveLength(2);
    expect(await listing.toArray()).toHaveLength(2);
  });

  it('rejects a pageSize that is not a positive integer', async () => {
    await expect(client().users.list({ pageSize: 0 }).toArray()).rejects.toThrow(
      'pageSize must be a positive integer, got 0.',
    );
  });
});

describe('ResourceClient.list with cursors', () => {
  const cursorConfig = { pagination: { cursor: true, index: true, defaultPaginationMethod: 'index' } };

  it('uses RFC 9865 cursor paging when the server advertises it', async () => {
    server.seedUsers(5);
    server.quirks = { cursor: true, serviceProviderConfig: cursorConfig };
    const pages: ListPage<{ userName: string }>[] = [];
    for await (const page of client().users.list({ pageSize: 2 }).pages()) pages.push(page);
    expect(pages.map((page) => userNames(page.resources))).toEqual([
      ['user1', 'user2'],
      ['user3', 'user4'],
      ['user5'],
    ]);
    expect(pages.map((page) => page.nextCursor)).toEqual(['2', '4', undefined]);
    expect(listRequests().map((entry) => entry.url.searchParams.get('cursor'))).toEqual(['', '2', '4']);
    expect(listRequests().every((entry) => !entry.url.searchParams.has('startIndex'))).toBe(true);
  });

  it('keeps index paging in auto mode when the server does not advertise cursors', async () => {
    server.seedUsers(3);
    server.quirks = { serviceProviderConfig: { pagination: { cursor: false, index: true } } };
    await client().users.list({ pageSize: 2 }).toArray();
    expect(listRequests().map((entry) => entry.url.searchParams.get('startIndex'))).toEqual(['1', '3']);
  });

  it('uses index paging when asked to, even on a cursor server', async () => {
    server.seedUsers(3);
    server.quirks = { serviceProviderConfig: cursorConfig };
    await client().users.list({ pageSize: 2, paging: 'index' }).toArray();
    expect(listRequests().every((entry) => !entry.url.searchParams.has('cursor'))).toBe(true);
  });

  it('fails instead of looping when the server repeats a cursor', async () => {
    server.seedUsers(5);
    server.quirks = { stuckCursor: 'same' };
    await expect(client().users.list({ pageSize: 2, paging: 'cursor' }).toArray()).rejects.toThrow(
      'The server returned nextCursor "same" a second time; paging stopped.',
    );
    expect(listRequests()).toHaveLength(2);
  });

  it('stops cursor paging at limit', async () => {
    server.seedUsers(5);
    const users = await client().users.list({ pageSize: 2, paging: 'cursor', limit: 3 }).toArray();
    expect(userNames(users)).toEqual(['user1', 'user2', 'user3']);
    expect(listRequests().map((entry) => entry.url.searchParams.get('count'))).toEqual(['2', '1']);
  });
});

describe('ResourceClient.search', () => {
  it('pages with POST /.search bodies', async () => {
    server.seedUsers(5);
    const users = await client()
      .users.search({ filter: 'userName eq "user4"', attributes: 'userName' })
      .toArray();
    expect(userNames(users)).toEqual(['user4']);
    const request = server.log.find((entry) => entry.method === 'POST');
    expect(request?.url.pathname).toBe('/scim/Users/.search');
    expect(request?.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName eq "user4"',
      attributes: ['userName'],
      startIndex: 1,
      count: 100,
    });
  });

  it('walks every page of a search', async () => {
    server.seedUsers(5);
    expect(await client().users.search({ pageSize: 2 }).toArray()).toHaveLength(5);
    expect(
      server.log
        .filter((entry) => entry.method === 'POST')
        .map((entry) => (entry.body as { startIndex: number }).startIndex),
    ).toEqual([1, 3, 5]);
  });
});

describe('ResourceClient.count', () => {
  it('asks for count=0 and reads totalResults', async () => {
    server.seedUsers(4);
    expect(await client().users.count()).toBe(4);
    expect(await client().users.count('userName eq "user3"')).toBe(1);
    expect(listRequests().map((entry) => entry.url.searchParams.get('count'))).toEqual(['0', '0']);
  });

  it('fails clearly when the server sends no totalResults', async () => {
    server.quirks = { omitTotalResults: true };
    await expect(client().users.count()).rejects.toThrow(
      'The server answered GET /Users?count=0 without a valid totalResults.',
    );
  });
});
