import type { Group, User } from '@scimkit/schema';
import { describe, expectTypeOf, it } from 'vitest';
import { createScimClient, type ListPage, type ResourceInput } from './index.js';

const client = createScimClient({ baseUrl: 'https://example.com/scim', token: 't' });

describe('createScimClient types', () => {
  it('types results from @scimkit/schema', () => {
    expectTypeOf(client.users.get('1')).resolves.toEqualTypeOf<User>();
    expectTypeOf(client.groups.create({ displayName: 'x' })).resolves.toEqualTypeOf<Group>();
    expectTypeOf(client.users.patch('1', [])).resolves.toEqualTypeOf<User | undefined>();
    expectTypeOf(client.users.count()).resolves.toEqualTypeOf<number>();
    expectTypeOf(client.users.list().pages()).toEqualTypeOf<AsyncIterable<ListPage<User>>>();
  });

  it('rejects id and meta in create and replace input', () => {
    // @ts-expect-error id is assigned by the server
    client.users.create({ userName: 'bjensen', id: '1' });
    // @ts-expect-error meta is maintained by the server
    client.users.replace('1', { userName: 'bjensen', meta: { version: 'W/"1"' } });
    const read = {} as User;
    // @ts-expect-error a resource as read carries id and meta: strip them first
    client.users.replace(read.id, read);
    const { id: _id, meta: _meta, ...writable } = read;
    client.users.replace(read.id, writable);
    expectTypeOf<{ userName: string; id: string }>().not.toExtend<ResourceInput<User>>();
  });

  it('lets update return the resource it read, edited', () => {
    expectTypeOf(
      client.users.update('1', (user) => ({ ...user, title: 'x' })),
    ).resolves.toEqualTypeOf<User>();
    // @ts-expect-error title is a string
    client.users.update('1', (user) => ({ ...user, title: 1 }));
  });

  it('requires what the schema requires', () => {
    // @ts-expect-error userName is required
    client.users.create({ displayName: 'x' });
    // @ts-expect-error displayName is required on groups
    client.groups.create({ members: [] });
    client.users.create({ userName: 'x', schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] });
  });

  it('types custom resources', () => {
    interface Device {
      id: string;
      meta: { version: string };
      schemas: string[];
      serial: string;
    }
    const devices = client.resource<Device>('/Devices');
    expectTypeOf(devices.get('1')).resolves.toEqualTypeOf<Device>();
    devices.create({ serial: 'x' });
    // @ts-expect-error id is never sent
    devices.create({ serial: 'x', id: '1' });
    // @ts-expect-error serial has the wrong type
    devices.create({ serial: 1 });
  });

  it('accepts filters as text or AST', () => {
    client.users.list({ filter: 'userName eq "x"' });
    client.users.list({ filter: { kind: 'Present', path: { kind: 'AttributePath', attribute: 'title' } } });
    // @ts-expect-error not a filter
    client.users.list({ filter: 42 });
  });
});
