import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScimClient } from './index.js';

interface Behaviour {
  size: number;
  /** Serve at most this many per page, whatever `count` asks. */
  cap: number | undefined;
  ignoreCount: boolean;
  /** Added to the real totalResults (servers that count before filtering). */
  totalOffset: number;
  omitTotal: boolean;
}

/** A list endpoint behind an injected `fetch`, misbehaving as told; counts its requests. */
function listServer(behaviour: Behaviour) {
  let requests = 0;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(new Request(input, init).url);
    if (url.pathname.endsWith('/ServiceProviderConfig')) return new Response('{}', { status: 404 });
    requests++;
    const startIndex = Math.max(1, Number(url.searchParams.get('startIndex') ?? '1'));
    let count = behaviour.ignoreCount ? behaviour.size : Number(url.searchParams.get('count') ?? '100');
    if (behaviour.cap !== undefined) count = Math.min(count, behaviour.cap);
    const Resources = Array.from({ length: behaviour.size }, (_, index) => ({ id: `r${index + 1}` })).slice(
      startIndex - 1,
      startIndex - 1 + count,
    );
    return Response.json({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      ...(behaviour.omitTotal ? {} : { totalResults: behaviour.size + behaviour.totalOffset }),
      startIndex,
      itemsPerPage: Resources.length,
      Resources,
    });
  };
  return { fetch, requests: () => requests };
}

describe('ResourceClient.list', () => {
  it('returns every resource once, in order, with a bounded number of requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          size: fc.nat({ max: 60 }),
          cap: fc.option(fc.integer({ min: 1, max: 25 }), { nil: undefined }),
          ignoreCount: fc.boolean(),
          totalOffset: fc.nat({ max: 10 }),
          omitTotal: fc.boolean(),
        }),
        fc.integer({ min: 1, max: 20 }),
        fc.option(fc.nat({ max: 70 }), { nil: undefined }),
        async (behaviour, pageSize, limit) => {
          const server = listServer(behaviour);
          const client = createScimClient({
            baseUrl: 'https://x',
            token: 't',
            fetch: server.fetch,
            retry: 0,
          });
          const resources = await client
            .resource<{ id: string }>('/Things')
            .list({ pageSize, ...(limit === undefined ? {} : { limit }) })
            .toArray();
          const expected = Math.min(behaviour.size, limit ?? Number.POSITIVE_INFINITY);
          expect(resources.map((resource) => resource.id)).toEqual(
            Array.from({ length: expected }, (_, index) => `r${index + 1}`),
          );
          const perPage = Math.min(pageSize, behaviour.cap ?? pageSize);
          // Full pages, plus at most one empty page to find the end.
          expect(server.requests()).toBeLessThanOrEqual(Math.ceil(expected / perPage) + 1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
