import {
  type AttributeDefinition,
  BULK_REQUEST_SCHEMA as BULK_REQUEST,
  type ResourceTypeDefinition,
  userResourceType,
} from '@scimkit/schema';
import { stringAttribute } from '@scimkit/test-utils';
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

  it('bumps the version for every write of a password, so an unchanged ETag never confirms a guess (PATCH and PUT)', async () => {
    h = await startServer();
    const created = await h.call('POST', '/Users', user('guessed', { password: 'Right!' }));
    const id = created.body.id as string;
    const versions = [created.headers.get('etag')];
    const patchPassword = async (value: string) => {
      const response = await h!.call('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'password', value }],
      });
      expect(response.status).toBe(200);
      versions.push(response.headers.get('etag'));
    };
    await patchPassword('Right!');
    await patchPassword('Wrong!');
    await patchPassword('Wrong!');
    // Path-less, and with the attribute fully qualified.
    const pathless = await h.call('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', value: { 'urn:ietf:params:scim:schemas:core:2.0:User:password': 'Wrong!' } },
      ],
    });
    versions.push(pathless.headers.get('etag'));
    const read = (await h.call('GET', `/Users/${id}`)).body;
    const put = await h.call('PUT', `/Users/${id}`, { ...read, password: 'Wrong!' });
    expect(put.status).toBe(200);
    versions.push(put.headers.get('etag'));
    expect(versions).toEqual(['W/"1"', 'W/"2"', 'W/"3"', 'W/"4"', 'W/"5"', 'W/"6"']);
    // What changes nothing else still keeps the version: a PUT of what was read, a no-op PATCH.
    const again = await h.call('PUT', `/Users/${id}`, read);
    expect(again.headers.get('etag')).toBe('W/"6"');
    const noop = await h.call('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'userName', value: 'guessed' }],
    });
    expect(noop.headers.get('etag')).toBe('W/"6"');
  });

  it('counts a write of a returned:never sub-attribute of a custom schema as a change', async () => {
    const pin = stringAttribute('pin', { returned: 'never' }) as unknown as AttributeDefinition;
    const deviceType: ResourceTypeDefinition = {
      name: 'Device',
      endpoint: '/Devices',
      schema: {
        id: 'urn:example:scim:schemas:Device',
        name: 'Device',
        attributes: [
          stringAttribute('displayName', { required: true }) as unknown as AttributeDefinition,
          {
            ...(stringAttribute('credential') as unknown as AttributeDefinition),
            type: 'complex',
            subAttributes: [stringAttribute('label') as unknown as AttributeDefinition, pin],
          },
        ],
      },
      extensions: [],
    };
    h = await startServer({ resourceTypes: [deviceType] });
    const body = {
      schemas: [deviceType.schema.id],
      displayName: 'Phone',
      credential: { label: 'a', pin: '1234' },
    };
    const created = await h.call('POST', '/Devices', body);
    expect(created.status).toBe(201);
    expect(created.body.credential).toEqual({ label: 'a' });
    const put = await h.call('PUT', `/Devices/${created.body.id}`, body);
    expect(put.headers.get('etag')).toBe('W/"2"');
    const patched = await h.call('PATCH', `/Devices/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'credential.pin', value: '1234' }],
    });
    expect(patched.headers.get('etag')).toBe('W/"3"');
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
