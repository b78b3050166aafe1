import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_OP, startServer, user } from './__fixtures__/harness.js';
import { createMemoryStore } from './memory-store.js';
import type { ScimStore } from './store.js';

type Harness = Awaited<ReturnType<typeof startServer>>;
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

describe('POST /Bulk', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ limits: { bulkMaxOperations: 5, bulkMaxPayloadSize: 4096 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('resolves bulkId references that point forwards and reports each operation', async () => {
    const response = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: {
            schemas: [GROUP_SCHEMA],
            displayName: 'Bulk Group',
            members: [{ type: 'User', value: 'bulkId:u1' }],
          },
        },
        { method: 'POST', path: '/Users', bulkId: 'u1', data: user('bulk-user-1') },
        {
          method: 'PATCH',
          path: '/Users/bulkId:u1',
          data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Bulked' }] },
        },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.schemas).toEqual([BULK_RESPONSE]);
    const operations = response.body.Operations;
    expect(operations.map((o: { bulkId?: string; status: string }) => [o.bulkId, o.status])).toEqual([
      ['u1', '201'],
      ['g1', '201'],
      [undefined, '200'],
    ]);
    const userLocation: string = operations[0].location;
    expect(userLocation).toMatch(new RegExp(`^${h.base}/Users/`));
    expect(operations[0].version).toBe('W/"1"');
    const userId = userLocation.split('/').pop()!;
    const group = await h.call('GET', operations[1].location);
    expect(group.body.members).toEqual([{ type: 'User', value: userId }]);
    const created = await h.call('GET', `/Users/${userId}`);
    expect(created.body).toMatchObject({ title: 'Bulked', groups: [{ value: group.body.id }] });
  });

  it('reports per-operation errors and stops after failOnErrors', async () => {
    await h.call('POST', '/Users', user('bulk-taken'));
    const response = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      failOnErrors: 1,
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'a', data: user('BULK-TAKEN') },
        { method: 'POST', path: '/Users', bulkId: 'b', data: user('bulk-never') },
      ],
    });
    expect(response.body.Operations).toEqual([
      {
        method: 'POST',
        bulkId: 'a',
        status: '409',
        response: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '409',
          scimType: 'uniqueness',
          detail: 'User userName "bulk-taken" is already taken.',
        },
      },
    ]);
    const never = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq "bulk-never"')}`);
    expect(never.body.totalResults).toBe(0);
  });

  it('fails circular and unknown references with 409 and runs DELETE, PUT with version', async () => {
    const existing = (await h.call('POST', '/Users', user('bulk-existing'))).body;
    const response = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'x',
          data: { schemas: [GROUP_SCHEMA], displayName: 'X', members: [{ value: 'bulkId:y' }] },
        },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'y',
          data: { schemas: [GROUP_SCHEMA], displayName: 'Y', members: [{ value: 'bulkId:x' }] },
        },
        { method: 'PUT', path: `/Users/${existing.id}`, version: 'W/"9"', data: user('bulk-existing') },
        { method: 'DELETE', path: `/Users/${existing.id}`, version: 'W/"1"' },
        { method: 'PATCH', path: '/Users/bulkId:nowhere', data: { schemas: [PATCH_OP], Operations: [] } },
      ],
    });
    const statuses = response.body.Operations.map(
      (o: { method: string; bulkId?: string; status: string }) => [o.method, o.bulkId, o.status],
    );
    expect(statuses).toEqual([
      ['PUT', undefined, '412'],
      ['DELETE', undefined, '204'],
      ['PATCH', undefined, '409'],
      ['POST', 'x', '409'],
      ['POST', 'y', '409'],
    ]);
    expect(response.body.Operations[3].response.detail).toBe(
      'Operation 0 is part of a circular bulkId reference.',
    );
  });

  it('rejects malformed operations one by one and bad requests as a whole', async () => {
    const response = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: 'GET', path: '/Users' },
        { method: 'POST', path: '/Users', data: user('no-bulk-id') },
        'x',
      ],
    });
    expect(response.body.Operations.map((o: { status: string }) => o.status)).toEqual(['400', '400', '400']);
    const noOperations = await h.call('POST', '/Bulk', { schemas: [BULK_REQUEST] });
    expect(noOperations.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const badFail = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      failOnErrors: 0,
      Operations: [],
    });
    expect(badFail.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
  });

  it('answers 413 over maxOperations and over maxPayloadSize', async () => {
    const many = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: Array.from({ length: 6 }, (_, i) => ({ method: 'DELETE', path: `/Users/${i}` })),
    });
    expect(many.status).toBe(413);
    expect(many.body).toMatchObject({ status: '413' });
    expect(many.body.detail).toContain('limit is 5');
    const large = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'big', data: user('big', { title: 'x'.repeat(5000) }) },
      ],
    });
    expect(large.status).toBe(413);
    expect(large.body.detail).toBe('The request body is larger than the limit of 4096 bytes.');
  });
});

/** The memory store with a transaction that undoes its creations when the work throws. */
function transactionalStore(): ScimStore {
  const inner = createMemoryStore();
  let log: (() => Promise<unknown>)[] | undefined;
  return {
    ...inner,
    create: async (type, resource, context) => {
      const created = await inner.create(type, resource, context);
      log?.push(() => inner.delete(type, resource.id, {}, context));
      return created;
    },
    async transaction(work) {
      log = [];
      try {
        return await work();
      } catch (error) {
        for (const undo of log.reverse()) await undo();
        throw error;
      } finally {
        log = undefined;
      }
    },
  };
}

describe('POST /Bulk with failOnErrors on a transactional store', () => {
  it('applies nothing and answers an error once failOnErrors is reached, and commits otherwise', async () => {
    const created: string[] = [];
    const h = await startServer({
      store: transactionalStore(),
      onCreated: (event) => void created.push(event.id),
    });
    try {
      await h.call('POST', '/Users', user('tx-taken'));
      created.length = 0;
      const failedRequest = await h.call('POST', '/Bulk', {
        schemas: [BULK_REQUEST],
        failOnErrors: 1,
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'ok', data: user('tx-ok') },
          { method: 'POST', path: '/Users', bulkId: 'dup', data: user('TX-TAKEN') },
        ],
      });
      expect(failedRequest.status).toBe(409);
      expect(failedRequest.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '409',
        scimType: 'uniqueness',
        detail:
          'The bulk request stopped after 1 error(s) and no operation was applied; bulkId "dup" failed: User userName "tx-taken" is already taken.',
      });
      const none = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq "tx-ok"')}`);
      expect(none.body.totalResults).toBe(0);
      expect(created).toEqual([]);
      const committed = await h.call('POST', '/Bulk', {
        schemas: [BULK_REQUEST],
        failOnErrors: 2,
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'ok', data: user('tx-ok') },
          { method: 'POST', path: '/Users', bulkId: 'dup', data: user('TX-TAKEN') },
        ],
      });
      expect(committed.status).toBe(200);
      expect(committed.body.Operations.map((o: { status: string }) => o.status)).toEqual(['201', '409']);
      expect(created).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
