import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, type Harness, PATCH_OP, startServer, user } from './__fixtures__/harness.js';
import { createMemoryStore } from './memory-store.js';
import type { ScimStore } from './store.js';

/**
 * A store whose reads and writes yield to the event loop, so concurrent requests interleave
 * between read and write like they do against a database.
 */
function slowStore(): ScimStore {
  const inner = createMemoryStore();
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    ...inner,
    get: async (...args) => {
      await tick();
      return inner.get(...args);
    },
    replace: async (...args) => {
      await tick();
      return inner.replace(...args);
    },
    delete: async (...args) => {
      await tick();
      return inner.delete(...args);
    },
  };
}

describe.each([
  ['memory store', createMemoryStore],
  ['interleaving store', slowStore],
])('createScimServer under concurrency (%s)', (_name, store) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ store: store() });
  });
  afterAll(async () => {
    await h.close();
  });

  it('loses no update across 100 concurrent PATCHes of one resource', async () => {
    const { body } = await h.call('POST', '/Users', user('concurrent'));
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        h.call('PATCH', `/Users/${body.id}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'emails', value: [{ value: `u${i}@example.com`, type: 'other' }] }],
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    const final = await h.call('GET', `/Users/${body.id}`);
    expect(final.body.emails).toHaveLength(100);
    expect(final.body.meta.version).toBe('W/"101"');
  });

  it('lands all of 100 concurrent member additions to one group', async () => {
    const members = await Promise.all(
      Array.from(
        { length: 100 },
        async (_, i) => (await h.call('POST', '/Users', user(`member-${i}`))).body.id as string,
      ),
    );
    const group = (await h.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Crowd' })).body;
    const responses = await Promise.all(
      members.map((id) =>
        h.call('PATCH', `/Groups/${group.id}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
        }),
      ),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const final = await h.call('GET', `/Groups/${group.id}`);
    expect(new Set(final.body.members.map((m: { value: string }) => m.value))).toEqual(new Set(members));
    const someone = await h.call('GET', `/Users/${members[57]}`);
    expect(someone.body.groups).toEqual([expect.objectContaining({ value: group.id, display: 'Crowd' })]);
  });

  it('deletes a group and its members concurrently without a 412 when no If-Match was sent', async () => {
    const members = await Promise.all(
      Array.from(
        { length: 20 },
        async (_, i) => (await h.call('POST', '/Users', user(`leaving-${i}`))).body.id as string,
      ),
    );
    const group = (
      await h.call('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Leaving',
        members: members.map((value) => ({ value })),
      })
    ).body;
    const responses = await Promise.all([
      ...members.slice(0, 10).map((id) => h.call('DELETE', `/Users/${id}`)),
      h.call('DELETE', `/Groups/${group.id}`),
      ...members.slice(10).map((id) => h.call('DELETE', `/Users/${id}`)),
    ]);
    expect(responses.map((r) => r.status)).toEqual(Array(21).fill(204));
    expect((await h.call('GET', `/Groups/${group.id}`)).status).toBe(404);
  });
});

describe('createScimServer optimistic concurrency retries', () => {
  it('retries a PATCH without If-Match that lost a race to another process, and answers 412 with If-Match', async () => {
    const inner = createMemoryStore();
    let conflicts = 0;
    // Simulates another process writing between this server's read and write, twice.
    const store: ScimStore = {
      ...inner,
      replace: async (type, resource, options) => {
        if (conflicts < 2 && options.expectedVersion !== undefined) {
          conflicts++;
          const { context } = options;
          const current = (await inner.get(type, resource.id, { context }))!;
          await inner.replace(
            type,
            {
              ...current,
              title: `other-${conflicts}`,
              meta: { ...current.meta, version: `W/"${10 + conflicts}"` },
            },
            { context },
          );
        }
        return inner.replace(type, resource, options);
      },
    };
    const h = await startServer({ store });
    try {
      const { body } = await h.call('POST', '/Users', user('raced'));
      const patched = await h.call('PATCH', `/Users/${body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'nickName', value: 'kept' }],
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ nickName: 'kept', title: 'other-2', meta: { version: 'W/"13"' } });
      conflicts = 0;
      const guarded = await h.call(
        'PATCH',
        `/Users/${body.id}`,
        { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'nickName', value: 'lost' }] },
        { 'if-match': 'W/"13"' },
      );
      expect(guarded.status).toBe(412);
    } finally {
      await h.close();
    }
  });
});

describe('createScimServer maxConflictRetries', () => {
  /** A store where another process writes between every read and write of this server. */
  function racedStore(): { store: ScimStore; attempts: () => number } {
    const inner = createMemoryStore();
    let attempts = 0;
    const store: ScimStore = {
      ...inner,
      replace: async (type, resource, options) => {
        if (options.expectedVersion !== undefined) {
          attempts++;
          const { context } = options;
          const current = (await inner.get(type, resource.id, { context }))!;
          const bumped = `W/"${100 + attempts}"`;
          await inner.replace(type, { ...current, meta: { ...current.meta, version: bumped } }, { context });
        }
        return inner.replace(type, resource, options);
      },
    };
    return { store, attempts: () => attempts };
  }

  it.each([
    [0, 1],
    [3, 4],
  ])(
    'with maxConflictRetries %i tries a PATCH and a PUT %i time(s) each, then answers 412',
    async (retries, tries) => {
      const raced = racedStore();
      const h = await startServer({ store: raced.store, limits: { maxConflictRetries: retries } });
      try {
        const { body } = await h.call('POST', '/Users', user('unlucky'));
        const patched = await h.call('PATCH', `/Users/${body.id}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'nickName', value: 'never' }],
        });
        expect(patched.status).toBe(412);
        expect(raced.attempts()).toBe(tries);
        const replaced = await h.call('PUT', `/Users/${body.id}`, user('unlucky', { nickName: 'never' }));
        expect(replaced.status).toBe(412);
        expect(raced.attempts()).toBe(2 * tries);
      } finally {
        await h.close();
      }
    },
  );
});

describe('createScimServer DELETE under a concurrent write', () => {
  it('retries a DELETE without If-Match whose version was bumped by a member deletion, and answers 412 with If-Match', async () => {
    const inner = createMemoryStore();
    let race: (() => Promise<unknown>) | undefined;
    // Deleting a User bumps every Group listing it: simulate one landing between this
    // server's read of the Group and its delete.
    const store: ScimStore = {
      ...inner,
      delete: async (type, id, options) => {
        const pending = race;
        race = undefined;
        if (pending) await pending();
        return inner.delete(type, id, options);
      },
    };
    const h = await startServer({ store });
    try {
      const alice = (await h.call('POST', '/Users', user('alice'))).body;
      const bob = (await h.call('POST', '/Users', user('bob'))).body;
      const group = (
        await h.call('POST', '/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: 'Pair',
          members: [{ value: alice.id }, { value: bob.id }],
        })
      ).body;
      race = () => inner.delete({ name: 'User' } as never, alice.id, { context: {} });
      const deleted = await h.call('DELETE', `/Groups/${group.id}`);
      expect(deleted.status).toBe(204);
      expect((await h.call('GET', `/Groups/${group.id}`)).status).toBe(404);

      const other = (
        await h.call('POST', '/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: 'Guarded',
          members: [{ value: bob.id }],
        })
      ).body;
      race = () => inner.delete({ name: 'User' } as never, bob.id, { context: {} });
      const guarded = await h.call('DELETE', `/Groups/${other.id}`, undefined, {
        'if-match': other.meta.version,
      });
      expect(guarded.status).toBe(412);
    } finally {
      await h.close();
    }
  });
});
