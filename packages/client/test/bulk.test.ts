import type { BulkOperation } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { createScimClient } from '../src/index.js';
import { useQuirkyServer } from './quirky-server.js';

const server = useQuirkyServer();

const client = () => createScimClient({ baseUrl: server.url, token: 'test-token', retry: 0 });
const bulkRequests = () =>
  server.log
    .filter((entry) => entry.url.pathname === '/scim/Bulk')
    .map((entry) => entry.body as { failOnErrors?: number; Operations: BulkOperation[] });
const limits = (maxOperations: number, maxPayloadSize = 1_000_000) => ({
  bulk: { supported: true, maxOperations, maxPayloadSize },
});

const createUser = (bulkId: string, userName = bulkId): BulkOperation => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName },
});

describe('ScimClient.bulk', () => {
  it('sends everything in one request when it fits', async () => {
    server.quirks = { serviceProviderConfig: limits(10) };
    const results = await client().bulk([createUser('a'), createUser('b')]);
    expect(bulkRequests()).toHaveLength(1);
    expect(results.map((result) => [result.status, result.id, result.ok])).toEqual([
      [201, '1', true],
      [201, '2', true],
    ]);
  });

  it('splits by maxOperations and returns one result per operation in order', async () => {
    server.quirks = { serviceProviderConfig: limits(2) };
    const operations = ['a', 'b', 'c', 'd', 'e'].map((name) => createUser(name));
    const results = await client().bulk(operations);
    expect(bulkRequests().map((request) => request.Operations.length)).toEqual([2, 2, 1]);
    expect(results.map((result) => result.operation.bulkId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(results.every((result) => result.executed && result.status === 201)).toBe(true);
  });

  it('splits by maxPayloadSize', async () => {
    const operations = ['a', 'b', 'c', 'd'].map((name) => createUser(name, name.repeat(200)));
    server.quirks = { serviceProviderConfig: limits(100, 700) };
    const results = await client().bulk(operations);
    expect(bulkRequests().length).toBeGreaterThan(1);
    for (const entry of server.log.filter((request) => request.url.pathname === '/scim/Bulk')) {
      expect(Buffer.byteLength(JSON.stringify(entry.body))).toBeLessThanOrEqual(700);
    }
    expect(results.filter((result) => result.ok)).toHaveLength(4);
  });

  it('keeps a bulkId reference in the same or a later request and substitutes created ids', async () => {
    server.quirks = { serviceProviderConfig: limits(2) };
    const operations: BulkOperation[] = [
      {
        method: 'POST',
        path: '/Groups',
        bulkId: 'g',
        data: { displayName: 'Team', members: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }] },
      },
      createUser('x'),
      createUser('u1'),
      createUser('y'),
      createUser('u2'),
      {
        method: 'PATCH',
        path: '/Groups/bulkId:g',
        data: { Operations: [{ op: 'replace', path: 'displayName', value: 'T' }] },
      },
    ];
    const results = await client().bulk(operations);
    expect(results.map((result) => result.status)).toEqual([201, 201, 201, 201, 201, 200]);
    const requests = bulkRequests();
    // The group waits for both users; nothing is sent before what it references.
    const sent = requests.flatMap((request, chunk) =>
      request.Operations.map((operation) => ({ operation, chunk })),
    );
    const chunkOf = (bulkId: string) => sent.find((entry) => entry.operation.bulkId === bulkId)?.chunk ?? -1;
    expect(chunkOf('g')).toBeGreaterThanOrEqual(chunkOf('u1'));
    expect(chunkOf('g')).toBeGreaterThanOrEqual(chunkOf('u2'));
    const group = server.resources.get('Groups')?.get(results[0]?.id ?? '');
    const ids = [results[2]?.id, results[4]?.id];
    expect((group?.members as { value: string }[] | undefined)?.map((member) => member.value)).toEqual(ids);
    expect(group?.displayName).toBe('T');
    const patch = sent.find((entry) => entry.operation.method === 'PATCH');
    expect(patch?.chunk).toBeGreaterThanOrEqual(chunkOf('g'));
    // Sent after the group's request, the reference was replaced by the created id.
    if ((patch?.chunk ?? 0) > chunkOf('g')) expect(patch?.operation.path).toBe(`/Groups/${results[0]?.id}`);
  });

  it('substitutes ids created in earlier requests into later ones', async () => {
    server.quirks = { serviceProviderConfig: limits(1) };
    const results = await client().bulk([
      createUser('u1'),
      {
        method: 'POST',
        path: '/Groups',
        bulkId: 'g',
        data: { displayName: 'G', members: [{ value: 'bulkId:u1' }] },
      },
    ]);
    const second = bulkRequests()[1]?.Operations[0] as { data: { members: { value: string }[] } };
    expect(second.data.members[0]?.value).toBe(results[0]?.id);
  });

  it('does not send operations whose bulkId dependency failed in an earlier request', async () => {
    server.quirks = { serviceProviderConfig: limits(1) };
    const results = await client().bulk([
      createUser('u1', 'conflict'),
      {
        method: 'POST',
        path: '/Groups',
        bulkId: 'g',
        data: { displayName: 'G', members: [{ value: 'bulkId:u1' }] },
      },
      { method: 'DELETE', path: '/Groups/bulkId:g' },
    ]);
    expect(results[0]).toMatchObject({ executed: true, ok: false, status: 409 });
    expect(results[0]?.error?.detail).toBe('userName taken');
    expect(results[1]).toMatchObject({ executed: false, ok: false, status: undefined });
    expect(results[1]?.error?.detail).toBe(
      'The operation creating bulkId "u1" failed, so this operation was not sent.',
    );
    expect(results[2]).toMatchObject({ executed: false });
    expect(bulkRequests()).toHaveLength(1);
  });

  it('counts failOnErrors over all requests and reports the rest as not executed', async () => {
    server.quirks = { serviceProviderConfig: limits(2) };
    const results = await client().bulk(
      [
        createUser('a', 'conflict'),
        createUser('b'),
        createUser('c', 'conflict'),
        createUser('d'),
        createUser('e'),
      ],
      { failOnErrors: 2 },
    );
    expect(bulkRequests().map((request) => request.failOnErrors)).toEqual([2, 1]);
    expect(results.map((result) => result.status)).toEqual([409, 201, 409, undefined, undefined]);
    expect(results[3]?.error?.detail).toBe(
      'Not sent: failOnErrors (2) was reached or the server stopped before this operation.',
    );
  });

  it('refuses an operation larger than maxPayloadSize before sending anything', async () => {
    server.quirks = { serviceProviderConfig: limits(10, 300) };
    await expect(client().bulk([createUser('a', 'x'.repeat(400))])).rejects.toThrow(
      "Bulk operation 0 alone exceeds the server's maxPayloadSize of 300 bytes.",
    );
    expect(bulkRequests()).toHaveLength(0);
  });

  it('keeps circular references together in one request', async () => {
    server.quirks = { serviceProviderConfig: limits(2) };
    const results = await client()
      .bulk([
        createUser('z'),
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: { displayName: 'A', members: [{ value: 'bulkId:g2' }] },
        },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g2',
          data: { displayName: 'B', members: [{ value: 'bulkId:g1' }] },
        },
      ])
      .catch((error: unknown) => error);
    // The quirky server cannot resolve circular references, but the client must send both together.
    expect(Array.isArray(results)).toBe(true);
    const last = bulkRequests().at(-1);
    expect(last?.Operations.map((operation) => operation.bulkId)).toEqual(['g1', 'g2']);
  });

  it('throws when the server does not support bulk', async () => {
    server.quirks = {
      serviceProviderConfig: { bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 } },
    };
    await expect(client().bulk([createUser('a')])).rejects.toThrow(
      'The server does not support bulk requests (ServiceProviderConfig bulk.supported is false).',
    );
  });

  it('resolves an empty list without a request', async () => {
    expect(await client().bulk([])).toEqual([]);
    expect(server.log).toHaveLength(0);
  });
});
