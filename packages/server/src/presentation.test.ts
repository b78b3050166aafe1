import type { ScimResource } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_OP, startServer, user } from './__fixtures__/harness.js';
import { createMemoryStore, type ScimStore } from './index.js';

describe('createScimServer store projection hints', () => {
  it('hands GET by id its projection, and reads before writes none (they need the whole resource)', async () => {
    const memory = createMemoryStore();
    const seen: unknown[] = [];
    const store: ScimStore = {
      ...memory,
      get: (type, id, options) => {
        seen.push(options.projection);
        return memory.get(type, id, options);
      },
    };
    const h = await startServer({ store });
    try {
      const created = await h.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'hinted' });
      const id = created.body.id as string;
      await h.call('GET', `/Groups/${id}?excludedAttributes=members`);
      expect(seen.pop()).toMatchObject({ excludedAttributes: [{ attribute: 'members' }] });
      await h.call('PATCH', `/Groups/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'renamed' }],
      });
      expect(seen.pop()).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});

describe('createScimServer presentation cache', () => {
  it('reuses the shaped response only of a deeply frozen resource: a shallow-frozen one is shaped on every read', async () => {
    const memory = createMemoryStore();
    const name = { givenName: 'Ann' };
    let shared: ScimResource | undefined;
    const store: ScimStore = {
      ...memory,
      async get(type, id, options) {
        // The same object for every read, frozen only at the top: its `name` can still change.
        shared ??= await memory
          .get(type, id, options)
          .then((found) => found && Object.freeze({ ...found, name }));
        return shared;
      },
    };
    const h = await startServer({ store });
    try {
      const { body } = await h.call('POST', '/Users', user('shallow.frozen'));
      expect((await h.call('GET', `/Users/${body.id}`)).body.name).toEqual({ givenName: 'Ann' });
      name.givenName = 'Bea';
      expect((await h.call('GET', `/Users/${body.id}`)).body.name).toEqual({ givenName: 'Bea' });
    } finally {
      await h.close();
    }
  });
});
