import { isScimError } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import {
  createScimClient,
  isScimHttpError,
  isScimPreconditionFailedError,
  ScimHttpError,
  ScimPreconditionFailedError,
} from '../src/index.js';
import { useQuirkyServer } from './quirky-server.js';

const server = useQuirkyServer();

const client = () => createScimClient({ baseUrl: server.url, token: 'test-token', retry: 0 });
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('ResourceClient CRUD', () => {
  it('creates a user with default schemas, the SCIM media type and the bearer token', async () => {
    const user = await client().users.create({ userName: 'bjensen', [ENTERPRISE]: { department: 'R&D' } });
    expect(user.id).toBe('1');
    expect(user.meta.version).toBe('W/"1"');
    const request = server.log[0];
    expect(request?.headers['content-type']).toBe('application/scim+json');
    expect(request?.headers.authorization).toBe('Bearer test-token');
    expect(request?.headers.accept).toContain('application/scim+json');
    expect(request?.body).toEqual({
      schemas: [USER, ENTERPRISE],
      userName: 'bjensen',
      [ENTERPRISE]: { department: 'R&D' },
    });
  });

  it('reads the resource at Location when the server answers 201 without a body', async () => {
    server.quirks = { createWithoutBody: true };
    const user = await client().users.create({ userName: 'bjensen' });
    expect(user).toMatchObject({ id: '1', userName: 'bjensen', meta: { version: 'W/"1"' } });
    expect(server.log.map((entry) => `${entry.method} ${entry.url.pathname}`)).toEqual([
      'POST /scim/Users',
      'GET /scim/Users/1',
    ]);
    expect(server.log[1]?.headers.authorization).toBe('Bearer test-token');
  });

  it('does not follow a Location on another origin with the token', async () => {
    server.quirks = { createWithoutBody: 'https://elsewhere.example/Users/1' };
    await expect(client().users.create({ userName: 'bjensen' })).rejects.toThrow(
      'The server answered POST /Users without a resource and a Location on another origin (https://elsewhere.example); not following it.',
    );
    expect(server.log).toHaveLength(1);
  });

  it('keeps schemas the caller gave', async () => {
    await client().users.create({ schemas: [USER], userName: 'bjensen' });
    expect((server.log[0]?.body as { schemas: string[] } | undefined)?.schemas).toEqual([USER]);
  });

  it('calls a token function before every request', async () => {
    let calls = 0;
    const scim = createScimClient({
      baseUrl: server.url,
      token: async () => {
        calls++;
        return 'test-token';
      },
    });
    await scim.users.create({ userName: 'a' });
    await scim.users.get('1');
    expect(calls).toBe(2);
  });

  it('reads a user and fills meta.version from the ETag header when the body has none', async () => {
    server.seedUsers(1);
    server.quirks = { versionInHeaderOnly: true };
    const user = await client().users.get('1', { attributes: ['userName'], excludedAttributes: 'emails' });
    expect(user.userName).toBe('user1');
    expect(user.meta.version).toBe('W/"1"');
    expect(server.log[0]?.url.search).toBe('?attributes=userName&excludedAttributes=emails');
  });

  it('encodes ids in paths', async () => {
    const error = await client()
      .users.get('a/b?c')
      .catch((caught: unknown) => caught);
    expect(server.log[0]?.url.pathname).toBe('/scim/Users/a%2Fb%3Fc');
    expect(isScimHttpError(error) && error.status).toBe(404);
  });

  it('replaces with If-Match and fails with ScimPreconditionFailedError on a stale version', async () => {
    const users = client().users;
    const created = await users.create({ userName: 'bjensen' });
    const replaced = await users.replace(
      created.id,
      { userName: 'bjensen', active: false },
      { ifMatch: created.meta.version },
    );
    expect(replaced.meta.version).toBe('W/"2"');
    expect(server.log.find((entry) => entry.method === 'PUT')?.headers['if-match']).toBe('W/"1"');
    const error = await users
      .replace(created.id, { userName: 'x' }, { ifMatch: created.meta.version })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScimPreconditionFailedError);
    expect(isScimPreconditionFailedError(error)).toBe(true);
    expect(isScimError(error)).toBe(true);
    const failure = error as ScimPreconditionFailedError;
    expect(failure.status).toBe(412);
    expect(failure.method).toBe('PUT');
    expect(failure.url).toBe(`${server.url}/Users/1`);
    expect(failure.detail).toBe('version mismatch: resource is at W/"2"');
    expect(failure.message).toBe(
      `PUT ${server.url}/Users/1 failed with HTTP 412: version mismatch: resource is at W/"2"`,
    );
  });

  it('patches and resolves to the resource, or undefined on 204', async () => {
    const users = client().users;
    const created = await users.create({ userName: 'bjensen' });
    const patched = await users.patch(created.id, [{ op: 'replace', path: 'displayName', value: 'Babs' }]);
    expect(patched?.displayName).toBe('Babs');
    expect(server.log[1]?.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Babs' }],
    });
    server.quirks = { patchNoContent: true };
    expect(await users.patch(created.id, [{ op: 'replace', path: 'title', value: 'x' }])).toBeUndefined();
  });

  it('deletes with If-Match', async () => {
    const users = client().users;
    const created = await users.create({ userName: 'bjensen' });
    await expect(users.delete(created.id, { ifMatch: 'W/"9"' })).rejects.toBeInstanceOf(
      ScimPreconditionFailedError,
    );
    await users.delete(created.id, { ifMatch: created.meta.version });
    await expect(users.get(created.id)).rejects.toMatchObject({
      status: 404,
      detail: 'Resource 1 not found',
    });
  });

  it('refuses ifMatch when the server says it does not support ETags', async () => {
    server.quirks = { serviceProviderConfig: { etag: { supported: false } } };
    const users = client().users;
    const created = await users.create({ userName: 'bjensen' });
    await expect(users.delete(created.id, { ifMatch: created.meta.version })).rejects.toThrow(
      'ifMatch was given, but the server says it does not support ETags',
    );
    expect(server.log.filter((entry) => entry.method === 'DELETE')).toHaveLength(0);
  });

  it('works with any endpoint through resource()', async () => {
    interface Device {
      id: string;
      schemas: string[];
      meta: { version: string };
      serialNumber: string;
    }
    server.resources.set('Devices', new Map());
    const devices = client().resource<Device>('Devices/', { schema: 'urn:example:Device' });
    expect(devices.endpoint).toBe('/Devices');
    const device = await devices.create({ serialNumber: 'X1' });
    expect(device.serialNumber).toBe('X1');
    expect((server.log[0]?.body as { schemas: string[] } | undefined)?.schemas).toEqual([
      'urn:example:Device',
    ]);
    expect(await devices.list().toArray()).toHaveLength(1);
  });

  it("fills schemas from the resources option (a codegen module's scimResources) by endpoint", async () => {
    server.resources.set('Devices', new Map());
    const scim = createScimClient({
      baseUrl: server.url,
      token: 'test-token',
      retry: 0,
      resources: {
        User: { endpoint: '/Users', schema: USER },
        Device: { endpoint: '/Devices', schema: 'urn:example:Device' },
      },
    });
    const schemasSent = () =>
      server.log
        .filter((entry) => entry.method === 'POST')
        .map((entry) => (entry.body as { schemas?: string[] }).schemas);
    type Device = { serialNumber: string };
    await scim.resource<Device>('Devices/').create({ serialNumber: 'X1' });
    await scim.resource<Device>('/Devices', { schema: 'urn:example:Other' }).create({ serialNumber: 'X2' });
    await scim.resource<Device>('/Devices').create({ schemas: ['urn:example:Mine'], serialNumber: 'X3' });
    server.resources.set('Printers', new Map());
    await scim.resource<{ tray: number }>('/Printers').create({ tray: 1 });
    expect(schemasSent()).toEqual([
      ['urn:example:Device'],
      ['urn:example:Other'],
      ['urn:example:Mine'],
      undefined,
    ]);
  });
});

describe('ResourceClient.update', () => {
  it('reads, changes and replaces under If-Match of the version read', async () => {
    const users = client().users;
    const created = await users.create({ userName: 'bjensen' });
    const updated = await users.update(created.id, (user) => ({ ...user, title: 'Director' }));
    expect(updated.title).toBe('Director');
    const put = server.log.find((entry) => entry.method === 'PUT');
    expect(put?.headers['if-match']).toBe('W/"1"');
    expect(put?.body).toEqual({ schemas: [USER], userName: 'bjensen', title: 'Director' });
  });

  it('reads again and retries when someone else wrote in between', async () => {
    const users = client().users;
    const created = await users.create({ userName: 'bjensen' });
    let calls = 0;
    const updated = await users.update(created.id, async (user) => {
      calls++;
      // A concurrent writer changes the user during the first round.
      if (calls === 1) await users.patch(created.id, [{ op: 'replace', path: 'displayName', value: 'Babs' }]);
      return { ...user, title: 'Director' };
    });
    expect(calls).toBe(2);
    expect(updated).toMatchObject({ title: 'Director', displayName: 'Babs' });
    expect(
      server.log.filter((entry) => entry.method === 'PUT').map((entry) => entry.headers['if-match']),
    ).toEqual(['W/"1"', 'W/"2"']);
  });

  it('gives up with the last ScimPreconditionFailedError after attempts rounds', async () => {
    const users = client().users;
    const created = await users.create({ userName: 'bjensen' });
    const error = await users
      .update(
        created.id,
        async (user) => {
          await users.patch(created.id, [
            { op: 'replace', path: 'displayName', value: String(Math.random()) },
          ]);
          return { ...user, title: 'x' };
        },
        { attempts: 2 },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScimPreconditionFailedError);
    expect(server.log.filter((entry) => entry.method === 'PUT')).toHaveLength(2);
  });

  it('replaces unconditionally on a server without ETag support', async () => {
    server.quirks = { serviceProviderConfig: { etag: { supported: false } } };
    const users = client().users;
    const created = await users.create({ userName: 'bjensen' });
    await users.update(created.id, (user) => ({ ...user, title: 'x' }));
    expect(server.log.find((entry) => entry.method === 'PUT')?.headers['if-match']).toBeUndefined();
  });
});

describe('lifecycle helpers', () => {
  it('deactivates a user with a targeted PATCH', async () => {
    const scim = client();
    const created = await scim.users.create({ userName: 'bjensen', active: true });
    const user = await scim.users.deactivate(created.id);
    expect(user?.active).toBe(false);
    expect((server.log[1]?.body as { Operations: unknown } | undefined)?.Operations).toEqual([
      { op: 'replace', path: 'active', value: false },
    ]);
    expect((await scim.users.activate(created.id))?.active).toBe(true);
  });

  it('adds and removes group members by id', async () => {
    const scim = client();
    const group = await scim.groups.create({ displayName: 'Admins' });
    expect((server.log[0]?.body as { schemas: string[] } | undefined)?.schemas).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ]);
    const added = await scim.groups.addMembers(group.id, ['u1', 'u2', 'u"3']);
    expect(added?.members?.map((member) => member.value)).toEqual(['u1', 'u2', 'u"3']);
    const removed = await scim.groups.removeMembers(group.id, ['u1', 'u"3']);
    expect(removed?.members?.map((member) => member.value)).toEqual(['u2']);
    expect((server.log[2]?.body as { Operations: unknown } | undefined)?.Operations).toEqual([
      { op: 'remove', path: 'members[value eq "u1"]' },
      { op: 'remove', path: 'members[value eq "u\\"3"]' },
    ]);
  });

  it('sends nothing for an empty member list', async () => {
    expect(await client().groups.addMembers('1', [])).toBeUndefined();
    expect(await client().groups.removeMembers('1', [])).toBeUndefined();
    expect(server.log).toHaveLength(0);
  });
});

describe('ScimHttpError', () => {
  it('carries status, scimType, detail, body, method and url of an RFC error', async () => {
    server.script.push({
      status: 409,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '409',
        scimType: 'uniqueness',
        detail: 'userName "bjensen" is taken',
      },
    });
    const error = await client()
      .users.create({ userName: 'bjensen' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScimHttpError);
    expect(error).toMatchObject({
      name: 'ScimHttpError',
      status: 409,
      scimType: 'uniqueness',
      detail: 'userName "bjensen" is taken',
      method: 'POST',
      url: `${server.url}/Users`,
    });
    expect((error as ScimHttpError).toJSON()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: 'userName "bjensen" is taken',
    });
  });

  it('keeps a non-JSON body as text and ignores unknown scimTypes', async () => {
    server.script.push({ status: 500, body: 'boom' }, { status: 400, body: { scimType: 'madeUp' } });
    const first = (await client()
      .users.get('1')
      .catch((caught: unknown) => caught)) as ScimHttpError;
    expect(first.body).toBe('boom');
    expect(first.detail).toBe('boom');
    const second = (await client()
      .users.get('1')
      .catch((caught: unknown) => caught)) as ScimHttpError;
    expect(second.scimType).toBeUndefined();
    expect(second.detail).toBe('The server answered HTTP 400 without an error detail.');
  });

  it('is recognised through the marker even when it is a copy from another install', () => {
    const lookalike = { [Symbol.for('scimkit.client.httpError')]: true };
    expect(isScimHttpError(lookalike)).toBe(true);
    expect(isScimHttpError(new Error('x'))).toBe(false);
    expect(isScimHttpError(null)).toBe(false);
  });
});
