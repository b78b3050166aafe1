// The client typed by a resource map: __fixtures__/scim.generated.ts is what `scimkit codegen`
// writes for a @scimkit/server with a Badge extension on User and a custom Device type (the
// integration tests check it still is).
import type { User } from '@scimkit/schema';
import { describe, expectTypeOf, it } from 'vitest';
import { type ScimResources, scimResources } from './__fixtures__/scim.generated.js';
import { createScimClient, type ListPage, type ResourceClient, type ScimClient } from './index.js';

const BADGE = 'urn:example:params:scim:schemas:extension:badge:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
type UserResource = ScimResources['User']['resource'];
type DeviceResource = ScimResources['Device']['resource'];

const client = createScimClient<ScimResources>({
  baseUrl: 'https://example.com/scim/v2',
  token: 't',
  resources: scimResources,
});
const devices = client.resource('/Devices');

describe('createScimClient<ScimResources>', () => {
  it('types users, groups and custom endpoints by the map', () => {
    expectTypeOf(client).toEqualTypeOf<ScimClient<ScimResources>>();
    expectTypeOf(client.users.get('1')).resolves.toEqualTypeOf<UserResource>();
    expectTypeOf(client.groups.get('1')).resolves.toEqualTypeOf<ScimResources['Group']['resource']>();
    expectTypeOf(devices).toEqualTypeOf<ResourceClient<DeviceResource, ScimResources['Device']['input']>>();
    expectTypeOf(client.users.deactivate('1')).resolves.toEqualTypeOf<UserResource | undefined>();
    expectTypeOf(client.groups.addMembers('1', ['2'])).resolves.toEqualTypeOf<
      ScimResources['Group']['resource'] | undefined
    >();
  });

  it('types every operation of a custom resource type', () => {
    expectTypeOf(devices.create({ serialNumber: 'C02X' })).resolves.toEqualTypeOf<DeviceResource>();
    expectTypeOf(devices.get('1')).resolves.toEqualTypeOf<DeviceResource>();
    expectTypeOf(devices.replace('1', { serialNumber: 'C02X' })).resolves.toEqualTypeOf<DeviceResource>();
    expectTypeOf(devices.patch('1', [])).resolves.toEqualTypeOf<DeviceResource | undefined>();
    expectTypeOf(devices.delete('1')).resolves.toEqualTypeOf<void>();
    expectTypeOf(devices.list().pages()).toEqualTypeOf<AsyncIterable<ListPage<DeviceResource>>>();
    expectTypeOf(devices.search().toArray()).resolves.toEqualTypeOf<DeviceResource[]>();
  });

  it('types custom attributes and the extensions the server really has', () => {
    expectTypeOf<DeviceResource['serialNumber']>().toEqualTypeOf<string>();
    expectTypeOf<DeviceResource['ports']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DeviceResource['managed']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<NonNullable<DeviceResource['owner']>['value']>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<UserResource[typeof BADGE]>['floor']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<UserResource[typeof ENTERPRISE]>['department']>().toEqualTypeOf<
      string | undefined
    >();
    // canonicalValues are suggestions: any string is a model.
    expectTypeOf<DeviceResource['model']>().toEqualTypeOf<string | undefined>();
    devices.create({ serialNumber: 'x', model: 'e-reader' });
  });

  it('rejects misspelt attributes and wrong types', () => {
    // @ts-expect-error serialNumbr is not an attribute of Device
    devices.create({ serialNumbr: 'x' });
    // @ts-expect-error userNme is not an attribute of User
    client.users.create({ userName: 'x', userNme: 'y' });
    // @ts-expect-error ports is an integer
    devices.replace('1', { serialNumber: 'x', ports: '4' });
    // @ts-expect-error badgeNumbr is not an attribute of the Badge extension
    client.users.create({ userName: 'x', [BADGE]: { badgeNumbr: '1' } });
  });

  it('rejects read-only attributes in create and replace input, and requires what is required', () => {
    // @ts-expect-error groups is read-only
    client.users.create({ userName: 'x', groups: [] });
    // @ts-expect-error lastSeen is read-only
    devices.create({ serialNumber: 'x', lastSeen: '2024-01-01T00:00:00Z' });
    // @ts-expect-error owner.display is read-only
    devices.replace('1', { serialNumber: 'x', owner: { value: 'u', display: 'U' } });
    // @ts-expect-error id is assigned by the server
    devices.create({ serialNumber: 'x', id: '1' });
    // @ts-expect-error serialNumber is required
    devices.create({ model: 'laptop' });
    // @ts-expect-error userName is required
    client.users.create({ displayName: 'x' });
  });

  it('sends write-only attributes and never reads them back', () => {
    client.users.create({ userName: 'x', password: 'secret' });
    devices.create({ serialNumber: 'x', unlockCode: '0000' });
    expectTypeOf<UserResource>().not.toHaveProperty('password');
    expectTypeOf<DeviceResource>().not.toHaveProperty('unlockCode');
  });

  it('keeps endpoints outside the map available, typed by hand', () => {
    interface Printer {
      id: string;
      tray: number;
    }
    expectTypeOf(client.resource<Printer>('/Printers').get('1')).resolves.toEqualTypeOf<Printer>();
  });

  it('falls back to the RFC types where the map has no /Users', () => {
    type OnlyDevices = Pick<ScimResources, 'Device'>;
    const partial = createScimClient<OnlyDevices>({ baseUrl: 'https://example.com', token: 't' });
    expectTypeOf(partial.users.get('1')).resolves.toEqualTypeOf<User>();
    expectTypeOf(partial.resource('/Devices').get('1')).resolves.toEqualTypeOf<DeviceResource>();
  });

  it('only takes maps of resource types', () => {
    // @ts-expect-error a map entry needs resource, input and endpoint
    createScimClient<{ User: { endpoint: '/Users' } }>({ baseUrl: 'https://example.com', token: 't' });
  });
});
