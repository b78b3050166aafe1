import {
  type AttributeDefinition,
  groupResourceType,
  type ResourceTypeDefinition,
  userResourceType,
} from '@scimkit/schema';
import { stringAttribute } from '@scimkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PATCH_OP, startServer, USER_SCHEMA, user } from './__fixtures__/harness.js';

const attribute = (name: string, extra: Partial<AttributeDefinition> = {}): AttributeDefinition =>
  stringAttribute(name, extra) as unknown as AttributeDefinition;

const DEVICE = 'urn:example:params:scim:schemas:core:2.0:Device';
const BADGE = 'urn:example:params:scim:schemas:extension:badge:2.0:User';

const deviceType: ResourceTypeDefinition = {
  name: 'Device',
  endpoint: '/Devices',
  description: 'A managed device',
  schema: {
    id: DEVICE,
    name: 'Device',
    attributes: [
      attribute('serialNumber', { required: true, uniqueness: 'server', caseExact: true }),
      attribute('model'),
      attribute('secret', { mutability: 'writeOnly', returned: 'never' }),
    ],
  },
  extensions: [],
};

const userWithBadge: ResourceTypeDefinition = {
  ...userResourceType,
  extensions: [
    ...userResourceType.extensions,
    {
      schema: { id: BADGE, name: 'Badge', attributes: [attribute('badgeNumber', { uniqueness: 'server' })] },
      required: false,
    },
  ],
};

describe('createScimServer with custom resource types and extensions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ resourceTypes: [userWithBadge, groupResourceType, deviceType] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('advertises them in /ResourceTypes and /Schemas', async () => {
    const types = await h.call('GET', '/ResourceTypes');
    expect(types.body.Resources.map((r: { name: string }) => r.name)).toEqual(['User', 'Group', 'Device']);
    const device = await h.call('GET', '/ResourceTypes/Device');
    expect(device.body).toMatchObject({ endpoint: '/Devices', schema: DEVICE, schemaExtensions: [] });
    const badge = await h.call('GET', `/Schemas/${BADGE}`);
    expect(badge.body.attributes.map((a: { name: string }) => a.name)).toEqual(['badgeNumber']);
  });

  it('serves a custom type: uniqueness with caseExact, returned never, filters and PATCH', async () => {
    const created = await h.call('POST', '/Devices', {
      schemas: [DEVICE],
      serialNumber: 'SN-1',
      model: 'X1',
      secret: 's3',
    });
    expect(created.status).toBe(201);
    expect(created.body.meta).toMatchObject({
      resourceType: 'Device',
      location: `${h.base}/Devices/${created.body.id}`,
    });
    expect(created.text).not.toContain('s3');
    expect((await h.call('POST', '/Devices', { schemas: [DEVICE], serialNumber: 'sn-1' })).status).toBe(201);
    expect((await h.call('POST', '/Devices', { schemas: [DEVICE], serialNumber: 'SN-1' })).status).toBe(409);
    const found = await h.call('GET', `/Devices?filter=${encodeURIComponent('model eq "x1"')}`);
    expect(found.body.totalResults).toBe(1);
    const patched = await h.call('PATCH', `/Devices/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'model', value: 'X2' }],
    });
    expect(patched.body.model).toBe('X2');
    expect((await h.call('GET', `/Users/${created.body.id}`)).status).toBe(404);
  });

  it('stores, projects and enforces uniqueness on a custom User extension', async () => {
    const created = await h.call('POST', '/Users', {
      schemas: [USER_SCHEMA, BADGE],
      userName: 'badged',
      [BADGE]: { badgeNumber: 'B-7' },
    });
    expect(created.body[BADGE]).toEqual({ badgeNumber: 'B-7' });
    const clash = await h.call('POST', '/Users', user('other', { [BADGE]: { badgeNumber: 'b-7' } }));
    expect(clash.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const projected = await h.call('GET', `/Users/${created.body.id}?attributes=${BADGE}:badgeNumber`);
    expect(projected.body).toEqual({
      schemas: [USER_SCHEMA, BADGE],
      id: created.body.id,
      [BADGE]: { badgeNumber: 'B-7' },
    });
    const filtered = await h.call(
      'GET',
      `/Users?filter=${encodeURIComponent(`${BADGE}:badgeNumber eq "B-7"`)}`,
    );
    expect(filtered.body.totalResults).toBe(1);
  });
});

describe('createScimServer with unique multi-valued, sub- and global attributes (memory store)', () => {
  const ASSET = 'urn:example:params:scim:schemas:core:2.0:Asset';
  const assetType = (name: string): ResourceTypeDefinition => ({
    name,
    endpoint: `/${name}s`,
    schema: {
      id: ASSET,
      name,
      attributes: [
        attribute('tag', { uniqueness: 'global' }),
        attribute('aliases', { multiValued: true, uniqueness: 'server' }),
        attribute('contacts', {
          type: 'complex',
          multiValued: true,
          subAttributes: [attribute('value', { uniqueness: 'server' }), attribute('type')],
        }),
      ],
    },
    extensions: [],
  });
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ resourceTypes: [assetType('Laptop'), assetType('Phone')] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers 409 uniqueness for a taken alias, contact value or (across types) tag', async () => {
    const first = await h.call('POST', '/Laptops', {
      schemas: [ASSET],
      tag: 'T-1',
      aliases: ['alpha', 'ALPHA'],
      contacts: [{ value: 'ops@example.com', type: 'work' }],
    });
    expect(first.status).toBe(201);
    const alias = await h.call('POST', '/Laptops', { schemas: [ASSET], aliases: ['beta', 'Alpha'] });
    expect(alias.status).toBe(409);
    expect(alias.body).toMatchObject({
      scimType: 'uniqueness',
      detail: 'Laptop aliases "alpha" is already taken.',
    });
    const contact = await h.call('POST', '/Laptops', {
      schemas: [ASSET],
      contacts: [{ value: 'OPS@example.com', type: 'work' }],
    });
    expect(contact.status).toBe(409);
    const tag = await h.call('POST', '/Phones', { schemas: [ASSET], tag: 't-1' });
    expect(tag.status).toBe(409);
    expect(tag.body.scimType).toBe('uniqueness');
    // server uniqueness is per type: a Phone may share a Laptop's alias.
    expect((await h.call('POST', '/Phones', { schemas: [ASSET], aliases: ['alpha'] })).status).toBe(201);
    expect((await h.call('DELETE', `/Laptops/${first.body.id}`)).status).toBe(204);
    expect((await h.call('POST', '/Phones', { schemas: [ASSET], tag: 'T-1' })).status).toBe(201);
  });
});

describe('createScimServer with a custom type whose groups are computed', () => {
  const ACCOUNT = 'urn:example:params:scim:schemas:core:2.0:ServiceAccount';
  const groups = userResourceType.schema.attributes.find((definition) => definition.name === 'groups')!;
  const accountType: ResourceTypeDefinition = {
    name: 'ServiceAccount',
    endpoint: '/ServiceAccounts',
    schema: { id: ACCOUNT, name: 'ServiceAccount', attributes: [attribute('displayName'), groups] },
    extensions: [],
  };
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ resourceTypes: [userResourceType, groupResourceType, accountType] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows groups when its own schema is asked for as a whole, and leaves them out when it is excluded', async () => {
    const account = await h.call('POST', '/ServiceAccounts', { schemas: [ACCOUNT], displayName: 'ci' });
    expect(account.status).toBe(201);
    const group = await h.call('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'robots',
      members: [{ value: account.body.id }],
    });
    expect(group.status).toBe(201);
    const path = `/ServiceAccounts/${account.body.id}`;
    const expected = [expect.objectContaining({ value: group.body.id, display: 'robots' })];
    expect((await h.call('GET', path)).body.groups).toEqual(expected);
    expect((await h.call('GET', `${path}?attributes=${ACCOUNT}`)).body.groups).toEqual(expected);
    expect((await h.call('GET', `${path}?excludedAttributes=${ACCOUNT}`)).body.groups).toBeUndefined();
    const listed = await h.call('GET', `/ServiceAccounts?attributes=${ACCOUNT}`);
    expect(listed.body.Resources[0].groups).toEqual(expected);
  });
});
