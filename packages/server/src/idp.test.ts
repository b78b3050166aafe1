import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENTERPRISE,
  GROUP_SCHEMA,
  type Harness,
  PATCH_OP,
  startServer,
  USER_SCHEMA,
  user,
} from './__fixtures__/harness.js';

describe('createScimServer with Microsoft Entra ID request shapes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers the test connection filter with 200 and an empty ListResponse', async () => {
    const response = await h.call(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "b6e2a0d4-2c5b-4f7c-9a51-4fbd6c0a7d11"')}`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('creates a user as Entra sends it and finds it by externalId', async () => {
    const created = await h.call('POST', '/Users', {
      schemas: [USER_SCHEMA, ENTERPRISE, 'urn:ietf:params:scim:schemas:extension:custom:2.0:Unknown'],
      externalId: 'entra-ext-1',
      userName: 'Test_User_1@contoso.com',
      active: true,
      displayName: 'Test User',
      emails: [{ primary: true, type: 'work', value: 'Test_User_1@contoso.com' }],
      name: { formatted: 'Test User', familyName: 'User', givenName: 'Test' },
      nickName: null,
      [ENTERPRISE]: { department: null, employeeNumber: '42' },
      roles: [],
    });
    expect(created.status).toBe(201);
    expect(created.body[ENTERPRISE]).toEqual({ employeeNumber: '42' });
    expect(created.body.nickName).toBeUndefined();
    const found = await h.call('GET', `/Users?filter=${encodeURIComponent('externalId eq "entra-ext-1"')}`);
    expect(found.body.totalResults).toBe(1);
  });

  it('applies capitalised ops, string booleans, path keys, manager ids and filtered adds', async () => {
    const { body } = await h.call('POST', '/Users', user('entra-patch@contoso.com', { active: true }));
    const manager = (await h.call('POST', '/Users', user('entra-manager@contoso.com'))).body;
    const response = await h.call('PATCH', `/Users/${body.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        {
          op: 'Replace',
          value: { 'name.givenName': 'Barbara', [`${ENTERPRISE}:department`]: 'Sales' },
        },
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: manager.id },
        { op: 'Add', path: 'emails[type eq "work"].value', value: 'bj@contoso.com' },
        { op: 'Add', path: 'emails[type eq "work"].primary', value: 'True' },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.active).toBe(false);
    expect(response.body.name).toEqual({ givenName: 'Barbara' });
    expect(response.body[ENTERPRISE]).toEqual({ department: 'Sales', manager: { value: manager.id } });
    expect(response.body.emails).toEqual([{ type: 'work', value: 'bj@contoso.com', primary: true }]);
  });

  it('adds and removes group members with a value list and excludes members on request', async () => {
    const a = (await h.call('POST', '/Users', user('entra-member-a'))).body;
    const b = (await h.call('POST', '/Users', user('entra-member-b'))).body;
    const group = (
      await h.call('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Entra Group',
        externalId: 'g-1',
      })
    ).body;
    await h.call('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: a.id }, { value: b.id }] }],
    });
    const removed = await h.call('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: a.id }] }],
    });
    expect(removed.body.members).toEqual([{ value: b.id, $ref: `${h.base}/Users/${b.id}`, type: 'User' }]);
    const excluded = await h.call(
      'GET',
      `/Groups?filter=${encodeURIComponent('displayName eq "Entra Group"')}&excludedAttributes=members`,
    );
    expect(excluded.body.Resources[0].members).toBeUndefined();
    expect(excluded.body.Resources[0].displayName).toBe('Entra Group');
    expect((await h.call('GET', `/Users/${a.id}`)).body.groups).toBeUndefined();
    expect((await h.call('GET', `/Users/${b.id}`)).body.groups).toHaveLength(1);
  });
});

describe('createScimServer with Okta request shapes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  });
  afterAll(async () => {
    await h.close();
  });

  it('looks users up case-insensitively with startIndex=1&count=100', async () => {
    await h.call('POST', '/Users', user('Okta.User@example.com'));
    const response = await h.call(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "okta.user@EXAMPLE.com"')}&startIndex=1&count=100`,
    );
    expect(response.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
  });

  it('deactivates with a path-less replace', async () => {
    const { body } = await h.call('POST', '/Users', user('okta-deactivate', { active: true }));
    const response = await h.call('PATCH', `/Users/${body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(response.body.active).toBe(false);
  });

  it('accepts a PUT of the whole resource it read, including id, groups and meta', async () => {
    const { body } = await h.call(
      'POST',
      '/Users',
      user('okta-put', { name: { givenName: 'O', familyName: 'K' } }),
    );
    await h.call('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Okta G',
      members: [{ value: body.id }],
    });
    const read = (await h.call('GET', `/Users/${body.id}`)).body;
    expect(read.groups).toHaveLength(1);
    const response = await h.call('PUT', `/Users/${body.id}`, {
      ...read,
      name: { givenName: 'Okie', familyName: 'K' },
    });
    expect(response.status).toBe(200);
    expect(response.body.name.givenName).toBe('Okie');
    expect(response.body.groups).toEqual(read.groups);
    expect(response.body.meta.version).toBe('W/"2"');
  });

  it('pushes a group: path-less replace with the unchanged id, member add/remove, replace members []', async () => {
    const a = (await h.call('POST', '/Users', user('okta-push-a'))).body;
    const b = (await h.call('POST', '/Users', user('okta-push-b'))).body;
    const group = (
      await h.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Pushed', members: [] })
    ).body;
    const renamed = await h.call('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: group.id, displayName: 'Pushed Renamed' } }],
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.displayName).toBe('Pushed Renamed');
    const added = await h.call('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'add',
          path: 'members',
          value: [
            { value: a.id, display: 'a' },
            { value: b.id, display: 'b' },
          ],
        },
      ],
    });
    expect(added.body.members).toHaveLength(2);
    const removed = await h.call('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${a.id}"]` }],
    });
    expect(removed.body.members.map((m: { value: string }) => m.value)).toEqual([b.id]);
    const emptied = await h.call('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'members', value: [] }],
    });
    expect(emptied.status).toBe(200);
    expect(emptied.body.members).toBeUndefined();
    const again = await h.call('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'members', value: [] }],
    });
    expect(again.body.meta.version).toBe(emptied.body.meta.version);
    expect((await h.call('GET', `/Users/${b.id}`)).body.groups).toBeUndefined();
  });
});
