import type { BulkOperation } from '@scimkit/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScimClient } from './index.js';

/**
 * A small in-process /Bulk endpoint behind an injected `fetch`: it processes operations in
 * order and resolves `bulkId:x` only from operations earlier in the SAME request, the
 * strictest reading a server may take. It records every request body.
 */
function bulkServer(maxOperations: number) {
  const created = new Map<string, Record<string, unknown>>();
  const requests: BulkOperation[][] = [];
  let nextId = 1;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path.endsWith('/ServiceProviderConfig')) {
      return Response.json({ bulk: { supported: true, maxOperations, maxPayloadSize: 1_000_000 } });
    }
    const body = (await request.json()) as { Operations: BulkOperation[] };
    requests.push(body.Operations);
    if (body.Operations.length > maxOperations) return Response.json({ status: '413' }, { status: 413 });
    const local = new Map<string, string>();
    const Operations = body.Operations.map((operation) => {
      let unresolved = false;
      const data = JSON.parse(
        JSON.stringify(operation.data).replace(/bulkId:(\w+)/g, (_whole, bulkId: string) => {
          const id = local.get(bulkId);
          if (id === undefined) unresolved = true;
          return id ?? 'unresolved';
        }),
      ) as Record<string, unknown>;
      if (unresolved) return { method: 'POST', bulkId: operation.bulkId, status: '409' };
      const id = `id${nextId++}`;
      created.set(id, data);
      if (operation.bulkId) local.set(operation.bulkId, id);
      return { method: 'POST', bulkId: operation.bulkId, status: '201', location: `https://x/Users/${id}` };
    });
    return Response.json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'], Operations });
  };
  return { fetch, created, requests };
}

describe('ScimClient.bulk', () => {
  it('keeps every bulkId dependency resolvable whatever the order and the split', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Each operation may reference operations of lower rank; the list order is shuffled.
        fc.integer({ min: 1, max: 24 }).chain((size) =>
          fc.record({
            references: fc.array(fc.array(fc.nat({ max: size - 1 }), { maxLength: 3 }), {
              minLength: size,
              maxLength: size,
            }),
            order: fc.shuffledSubarray(
              Array.from({ length: size }, (_, index) => index),
              { minLength: size, maxLength: size },
            ),
            maxOperations: fc.integer({ min: 1, max: 6 }),
          }),
        ),
        async ({ references, order, maxOperations }) => {
          const server = bulkServer(maxOperations);
          const client = createScimClient({
            baseUrl: 'https://x',
            token: 't',
            fetch: server.fetch,
            retry: 0,
          });
          const refsOf = (rank: number) => [...new Set(references[rank]?.filter((target) => target < rank))];
          const operations: BulkOperation[] = order.map((rank) => ({
            method: 'POST',
            path: '/Users',
            bulkId: `b${rank}`,
            data: {
              userName: `u${rank}`,
              related: refsOf(rank).map((target) => ({ value: `bulkId:b${target}` })),
            },
          }));
          const results = await client.bulk(operations);
          expect(results).toHaveLength(operations.length);
          expect(results.every((result) => result.ok && result.status === 201)).toBe(true);
          expect(server.requests.every((request) => request.length <= maxOperations)).toBe(true);
          const idOfRank = new Map(order.map((rank, index) => [rank, results[index]?.id]));
          for (const [index, rank] of order.entries()) {
            expect(results[index]?.operation).toBe(operations[index]);
            const stored = server.created.get(results[index]?.id ?? '');
            expect(stored?.related).toEqual(refsOf(rank).map((target) => ({ value: idOfRank.get(target) })));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
