import { BULK_REQUEST_SCHEMA as BULK_REQUEST, userResourceType } from '@scimkit/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, PATCH_OP, startServer, user } from './__fixtures__/harness.js';
import { createMemoryStore } from './index.js';

describe('createScimServer writeOnly attributes (password)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const storedPassword = async (store: ReturnType<typeof createMemoryStore>, id: string) =>
    (await store.get(userResourceType, id, { context: {} }))?.password;

  it('keeps the stored password when a PUT leaves it out (Okta PUTs what it read, which never has one)', async () => {
    const store = createMemoryStore();
    h = await startServer({ store });
    const created = await h.call('POST', '/Users', user('okta.user', { password: 'S3cret!' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const put = await h.call('PUT', `/Users/${id}`, { ...created.body, displayName: 'Okta User' });
    expect(put.status).toBe(200);
    expect(put.body.password).toBeUndefined();
    expect(await storedPassword(store, id)).toBe('S3cret!');

    // A PUT that repeats the resource as read changes nothing: same version.
    const again = await h.call('PUT', `/Users/${id}`, put.body);
    expect(again.headers.get('etag')).toBe(put.headers.get('etag'));

    const changed = await h.call('PUT', `/Users/${id}`, { ...put.body, password: 'N3w!' });
    expect(changed.status).toBe(200);
    expect(await storedPassword(store, id)).toBe('N3w!');
  });

  it('stores only what protectWriteOnly returns, for new or changed values on POST, PUT, PATCH and bulk', async () => {
    const store = createMemoryStore();
    const seen: [unknown, unknown][] = [];
    h = await startServer({
      store,
      protectWriteOnly: async (value, context) => {
        seen.push([value, context]);
        return `hash(${String(value)})`;
      },
    });
    const created = await h.call('POST', '/Users', user('hashed', { password: 'one' }));
    const id = created.body.id as string;
    expect(await storedPassword(store, id)).toBe('hash(one)');
    expect(seen).toEqual([['one', { resourceType: 'User', attribute: 'password' }]]);

    // A PATCH of something else never passes the stored hash through again.
    await h.call('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Hashed' }],
    });
    expect(await storedPassword(store, id)).toBe('hash(one)');
    expect(seen).toHaveLength(1);

    const patched = await h.call('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'password', value: 'two' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.password).toBeUndefined();
    expect(await storedPassword(store, id)).toBe('hash(two)');

    const put = await h.call('PUT', `/Users/${id}`, user('hashed', { password: 'three' }));
    expect(put.status).toBe(200);
    expect(await storedPassword(store, id)).toBe('hash(three)');

    const bulk = await h.call('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'b1', data: user('bulk.user', { password: 'four' }) },
      ],
    });
    expect(bulk.status).toBe(200);
    const location = bulk.body.Operations[0].location as string;
    expect(await storedPassword(store, location.slice(location.lastIndexOf('/') + 1))).toBe('hash(four)');
    expect(seen.map(([value]) => value)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('stores no password at all when protectWriteOnly returns undefined', async () => {
    const store = createMemoryStore();
    h = await startServer({ store, protectWriteOnly: () => undefined });
    const created = await h.call('POST', '/Users', user('no.secret', { password: 'dropped' }));
    expect(created.status).toBe(201);
    expect(await store.get(userResourceType, created.body.id, { context: {} })).not.toHaveProperty(
      'password',
    );
  });
});
