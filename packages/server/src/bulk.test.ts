import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, type Harness, PATCH_OP, startServer, user } from './__fixtures__/harness.js';
import { createMemoryStore } from './memory-store.js';
import { createScimServer } from './server.js';
import type { ScimStore } from './store.js';

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
    // Results in request order, although u1 ran before g1.
    expect(operations.map((o: { bulkId?: string; status: string }) => [o.bulkId, o.status])).toEqual([
      ['g1', '201'],
      ['u1', '201'],
      [undefined, '200'],
    ]);
    const userLocation: string = operations[1].location;
    expect(userLocation).toMatch(new RegExp(`^${h.base}/Users/`));
    expect(operations[1].version).toBe('W/"1"');
    const userId = userLocation.split('/').pop()!;
    const group = await h.call('GET', operations[0].location);
    expect(group.body.members).toEqual([{ type: 'User', value: userId, $ref: `${h.base}/Users/${userId}` }]);
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
      ['POST', 'x', '409'],
      ['POST', 'y', '409'],
      ['PUT', undefined, '412'],
      ['DELETE', undefined, '204'],
      ['PATCH', undefined, '409'],
    ]);
    expect(response.body.Operations[0].response.detail).toBe(
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

  it('rejects a POST whose bulkId no bulkId:x reference could name, before anything runs', async () => {
    const unreferenceable = ['a/b', 'a]', 'a,b', 'a?b', 'a"b', 'a b', 'tab\there', ''];
    const response = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: unreferenceable
        .slice(0, 4)
        .map((bulkId, i) => ({ method: 'POST', path: '/Users', bulkId, data: user(`unref-${i}`) })),
    });
    expect(response.status).toBe(200);
    expect(response.body.Operations).toEqual(
      unreferenceable.slice(0, 4).map((bulkId) => ({
        method: 'POST',
        bulkId,
        status: '400',
        response: expect.objectContaining({ status: '400', scimType: 'invalidValue' }),
      })),
    );
    expect(response.body.Operations[0].response.detail).toBe(
      'bulkId "a/b" of operation 0 cannot be referenced as "bulkId:a/b": a bulkId must not be empty nor contain whitespace or any of / [ ] , ? & # ".',
    );
    for (const bulkId of unreferenceable.slice(4)) {
      const one = await h.call('POST', '/Bulk', {
        schemas: [BULK_REQUEST],
        Operations: [{ method: 'POST', path: '/Users', bulkId, data: user('unref-x') }],
      });
      expect(one.body.Operations[0]).toMatchObject({ status: '400', response: { scimType: 'invalidValue' } });
    }
    const listed = await h.call('GET', '/Users?filter=userName sw "unref-"');
    expect(listed.body.totalResults).toBe(0);
  });

  it('lists malformed operations in request order and counts them for failOnErrors where they stand', async () => {
    const response = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      failOnErrors: 2,
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'ordered-1', data: user('bulk-ordered-1') },
        { method: 'GET', path: '/Users' },
        { method: 'POST', path: '/Users', bulkId: 'ordered-2', data: user('bulk-ordered-2') },
        'x',
        { method: 'POST', path: '/Users', bulkId: 'ordered-3', data: user('bulk-ordered-3') },
      ],
    });
    expect(
      response.body.Operations.map((o: { bulkId?: string; status: string }) => [o.bulkId, o.status]),
    ).toEqual([
      ['ordered-1', '201'],
      [undefined, '400'],
      ['ordered-2', '201'],
      [undefined, '400'],
    ]);
    const never = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq "bulk-ordered-3"')}`);
    expect(never.body.totalResults).toBe(0);
  });

  it('resolves bulkId references inside PATCH paths and inside longer strings, and orders by them', async () => {
    const response = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        {
          method: 'PATCH',
          path: '/Groups/bulkId:team',
          data: {
            schemas: [PATCH_OP],
            Operations: [
              { op: 'replace', path: 'members[value eq "bulkId:alice"].display', value: 'Alice' },
              { op: 'add', path: 'externalId', value: 'team-of-bulkId:alice' },
            ],
          },
        },
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'team',
          data: { schemas: [GROUP_SCHEMA], displayName: 'Team', members: [{ value: 'bulkId:alice' }] },
        },
        { method: 'POST', path: '/Users', bulkId: 'alice', data: user('bulk-alice') },
      ],
    });
    expect(response.body.Operations.map((o: { status: string }) => o.status)).toEqual(['200', '201', '201']);
    const aliceId = (response.body.Operations[2].location as string).split('/').pop()!;
    const group = await h.call('GET', response.body.Operations[1].location);
    expect(group.body.members).toEqual([
      { value: aliceId, display: 'Alice', $ref: `${h.base}/Users/${aliceId}`, type: 'User' },
    ]);
    expect(group.body.externalId).toBe(`team-of-${aliceId}`);
  });

  it('fails an operation whose PATCH path names an unknown bulkId with 409 invalidValue', async () => {
    const group = (await h.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Unknown ref' }))
      .body;
    const response = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        {
          method: 'PATCH',
          path: `/Groups/${group.id}`,
          data: {
            schemas: [PATCH_OP],
            Operations: [{ op: 'remove', path: 'members[value eq "bulkId:ghost"]' }],
          },
        },
      ],
    });
    expect(response.body.Operations).toEqual([
      expect.objectContaining({
        status: '409',
        response: expect.objectContaining({
          scimType: 'invalidValue',
          detail: 'bulkId "ghost" is not defined in this request, so operation 0 cannot run.',
        }),
      }),
    ]);
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
    create: async (type, resource, options) => {
      const created = await inner.create(type, resource, options);
      log?.push(() => inner.delete(type, resource.id, { context: options.context }));
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
  const request = (failOnErrors: number) => ({
    schemas: [BULK_REQUEST],
    failOnErrors,
    Operations: [
      { method: 'POST', path: '/Users', bulkId: 'ok', data: user('tx-ok') },
      { method: 'POST', path: '/Users', bulkId: 'dup', data: user('TX-TAKEN') },
      { method: 'POST', path: '/Users', bulkId: 'later', data: user('tx-later') },
    ],
  });
  const taken = {
    method: 'POST',
    bulkId: 'dup',
    status: '409',
    response: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: 'User userName "tx-taken" is already taken.',
    },
  };

  // The old behaviour (a top-level 409 Error and a rollback whenever the store had a
  // transaction) depended on the store; by default it is now the same BulkResponse as the
  // memory store's.
  it('answers a BulkResponse and keeps the operations before the stop by default, like any store', async () => {
    const h = await startServer({ store: transactionalStore() });
    try {
      await h.call('POST', '/Users', user('tx-taken'));
      const response = await h.call('POST', '/Bulk', request(1));
      expect(response.status).toBe(200);
      expect(response.body.Operations).toEqual([
        expect.objectContaining({ bulkId: 'ok', status: '201' }),
        taken,
      ]);
      const kept = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq "tx-ok"')}`);
      expect(kept.body.totalResults).toBe(1);
      const never = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq "tx-later"')}`);
      expect(never.body.totalResults).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('with bulk.atomic rolls everything back once failOnErrors is reached, answering a BulkResponse, and commits otherwise', async () => {
    const created: string[] = [];
    const h = await startServer({
      store: transactionalStore(),
      bulk: { atomic: true },
      onCreated: (event) => void created.push(event.id),
    });
    try {
      await h.call('POST', '/Users', user('tx-taken'));
      created.length = 0;
      const failedRequest = await h.call('POST', '/Bulk', request(1));
      expect(failedRequest.status).toBe(200);
      expect(failedRequest.body).toEqual({
        schemas: [BULK_RESPONSE],
        Operations: [
          {
            method: 'POST',
            bulkId: 'ok',
            status: '424',
            response: {
              schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
              status: '424',
              detail:
                'Rolled back: the bulk request reached failOnErrors (1) and is applied all or nothing, so this operation was undone.',
            },
          },
          taken,
        ],
      });
      const none = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq "tx-ok"')}`);
      expect(none.body.totalResults).toBe(0);
      expect(created).toEqual([]);
      const committed = await h.call('POST', '/Bulk', request(2));
      expect(committed.status).toBe(200);
      expect(committed.body.Operations.map((o: { status: string }) => o.status)).toEqual([
        '201',
        '409',
        '201',
      ]);
      expect(created).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it('refuses bulk.atomic with a store that has no transaction', () => {
    expect(() =>
      createScimServer({ store: createMemoryStore(), auth: { tokens: ['t'] }, bulk: { atomic: true } }),
    ).toThrow(
      new TypeError(
        'bulk.atomic needs a store with transaction(): this store cannot roll a bulk request back.',
      ),
    );
  });
});
