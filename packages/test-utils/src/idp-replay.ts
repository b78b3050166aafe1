/**
 * Replays what Microsoft Entra ID and Okta send over a provisioning cycle (test connection,
 * create, updates, group membership, deactivation, deletion) against a running SCIM server, so
 * every store is checked over real HTTP with the same requests and expectations.
 *
 * Structural like the conformance suite: the caller starts the server (with its store) and
 * hands over its base URL and bearer token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** A SCIM server the replay talks to: `baseUrl` ends in `/scim/v2`. */
export interface ReplayTarget {
  baseUrl: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Registers the Entra ID and Okta replays (two `describe` blocks) against the server `start`
 * returns; `storeName` names the store in the test titles.
 */
export function describeIdpReplay(storeName: string, start: () => Promise<ReplayTarget>): void {
  let target: ReplayTarget;
  let base: string;
  let token: string;

  beforeAll(async () => {
    target = await start();
    base = target.baseUrl;
    token = target.token;
  });

  afterAll(async () => {
    await target.close();
  });

  // biome-ignore lint/suspicious/noExplicitAny: the replay reads response bodies freely
  type Answer = { status: number; headers: Headers; body: any; text: string };

  /** One HTTP exchange, as the identity provider sends it. */
  async function send(method: string, url: string, body?: unknown): Promise<Answer> {
    const response = await fetch(url.startsWith('http') ? url : `${base}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/scim+json',
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json; charset=utf-8' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
      text,
    };
  }

  const q = (filter: string) => encodeURIComponent(filter);
  const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

  describe(`Microsoft Entra ID provisioning cycle on ${storeName} over HTTP`, () => {
    it('replays test connection, create, updates, group membership, deactivation and deletion', async () => {
      // Test connection: a random userName that does not exist.
      const probe = await send(
        'GET',
        `/Users?filter=${q('userName eq "8c7e0d38-5a6f-4c41-9a7b-0e5a3b7c1d2e"')}`,
      );
      expect(probe.status).toBe(200);
      expect(probe.body).toEqual({
        schemas: [LIST],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
      const byExternalId = await send('GET', `/Users?filter=${q('externalId eq "e-0001"')}`);
      expect(byExternalId.body.totalResults).toBe(0);

      // The manager, then the user with the enterprise extension and null-valued attributes.
      const manager = await send('POST', '/Users', {
        schemas: [USER],
        externalId: 'e-0000',
        userName: 'boss@contoso.example',
        active: true,
      });
      expect(manager.status).toBe(201);
      const created = await send('POST', '/Users', {
        schemas: [USER, ENTERPRISE],
        externalId: 'e-0001',
        userName: 'Test_User_1@contoso.example',
        active: true,
        displayName: 'Test User',
        emails: [{ primary: true, type: 'work', value: 'test.user@contoso.example' }],
        meta: { resourceType: 'User' },
        name: { formatted: 'Test User', familyName: 'User', givenName: 'Test' },
        roles: [],
        title: null,
        [ENTERPRISE]: { employeeNumber: '1001', department: 'Sales', manager: null },
      });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      expect(created.headers.get('location')).toBe(`${base}/Users/${id}`);
      expect(created.headers.get('etag')).toBe('W/"1"');
      expect(created.body).toMatchObject({
        schemas: [USER, ENTERPRISE],
        userName: 'Test_User_1@contoso.example',
        [ENTERPRISE]: { employeeNumber: '1001', department: 'Sales' },
      });
      expect(created.body.title).toBeUndefined();
      expect(created.body[ENTERPRISE].manager).toBeUndefined();

      const found = await send('GET', `/Users?filter=${q('externalId eq "e-0001"')}`);
      expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

      // Entra's PATCH: capitalised ops, string booleans, path keys in a path-less replace,
      // manager as a bare id, filtered adds that create one value.
      const updated = await send(
        'PATCH',
        `/Users/${id}`,
        patch(
          { op: 'Replace', path: 'active', value: 'True' },
          {
            op: 'Replace',
            value: {
              'name.givenName': 'Tess',
              [`${ENTERPRISE}:department`]: 'Marketing',
              displayName: 'Tess User',
            },
          },
          { op: 'Add', path: `${ENTERPRISE}:manager`, value: manager.body.id },
          { op: 'Add', path: 'emails[type eq "work"].value', value: 'tess.user@contoso.example' },
          { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
          { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
          { op: 'Add', path: 'addresses[type eq "work"].country', value: 'US' },
          { op: 'Add', path: 'roles', value: [{ primary: 'False', type: 'AppRole', value: 'Reader' }] },
        ),
      );
      expect(updated.status).toBe(200);
      expect(updated.headers.get('etag')).toBe('W/"2"');
      expect(updated.body).toMatchObject({
        active: true,
        displayName: 'Tess User',
        name: { givenName: 'Tess', familyName: 'User' },
        emails: [{ type: 'work', value: 'tess.user@contoso.example', primary: true }],
        phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
        addresses: [{ type: 'work', locality: 'Redmond', country: 'US' }],
        roles: [{ value: 'Reader', type: 'AppRole', primary: false }],
        [ENTERPRISE]: { department: 'Marketing', manager: { value: manager.body.id } },
      });
      expect(updated.body.addresses).toHaveLength(1);

      // Entra's lookup by the attribute after a value path (outside the ABNF).
      const byEmail = await send(
        'GET',
        `/Users?filter=${q('emails[type eq "work"].value eq "tess.user@contoso.example"')}`,
      );
      expect(byEmail.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

      // Group: lookup, create, members added, excludedAttributes=members, removal by value list.
      const noGroup = await send(
        'GET',
        `/Groups?filter=${q('displayName eq "Sales Team"')}&excludedAttributes=members`,
      );
      expect(noGroup.body.totalResults).toBe(0);
      const group = await send('POST', '/Groups', {
        schemas: [GROUP],
        externalId: 'g-0001',
        displayName: 'Sales Team',
        members: [],
      });
      expect(group.status).toBe(201);
      const groupId: string = group.body.id;
      const added = await send(
        'PATCH',
        `/Groups/${groupId}`,
        patch({ op: 'Add', path: 'members', value: [{ value: id }, { value: manager.body.id }] }),
      );
      expect(added.status).toBe(200);
      const listed = await send(
        'GET',
        `/Groups?filter=${q('displayName eq "Sales Team"')}&excludedAttributes=members`,
      );
      expect(listed.body.Resources).toHaveLength(1);
      expect(listed.body.Resources[0].members).toBeUndefined();
      expect(listed.body.Resources[0].displayName).toBe('Sales Team');
      const withGroups = await send('GET', `/Users/${id}?attributes=groups`);
      expect(withGroups.body.groups).toEqual([
        { value: groupId, $ref: `${base}/Groups/${groupId}`, display: 'Sales Team', type: 'direct' },
      ]);
      const removed = await send(
        'PATCH',
        `/Groups/${groupId}`,
        patch({ op: 'Remove', path: 'members', value: [{ value: manager.body.id }] }),
      );
      expect(removed.status).toBe(200);
      const afterRemoval = await send('GET', `/Groups/${groupId}`);
      expect(afterRemoval.body.members.map((m: { value: string }) => m.value)).toEqual([id]);

      // Deactivation with a string boolean, then a repeat that changes nothing keeps the version.
      const disabled = await send(
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'Replace', path: 'active', value: 'False' }),
      );
      expect(disabled.body.active).toBe(false);
      const version = disabled.headers.get('etag');
      const again = await send(
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'Replace', path: 'active', value: 'False' }),
      );
      expect(again.headers.get('etag')).toBe(version);
      expect(again.body.meta.lastModified).toBe(disabled.body.meta.lastModified);

      // Deletion: the user disappears and so does its membership.
      const deleted = await send('DELETE', `/Users/${id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await send('GET', `/Users/${id}`)).status).toBe(404);
      const groupAfter = await send('GET', `/Groups/${groupId}`);
      expect(groupAfter.body.members).toBeUndefined();
      const memberFilter = await send('GET', `/Groups?filter=${q(`members.value eq "${id}"`)}`);
      expect(memberFilter.body.totalResults).toBe(0);
    });
  });

  describe(`Okta provisioning cycle on ${storeName} over HTTP`, () => {
    it('replays lookup, create, deactivation, PUT of what it read and group push', async () => {
      const lookup = (userName: string) =>
        send('GET', `/Users?filter=${q(`userName eq "${userName}"`)}&startIndex=1&count=100`);
      expect((await lookup('okta.person@example.com')).body.totalResults).toBe(0);
      const created = await send('POST', '/Users', {
        schemas: [USER],
        userName: 'Okta.Person@example.com',
        name: { givenName: 'Okta', familyName: 'Person' },
        emails: [{ primary: true, value: 'okta.person@example.com', type: 'work' }],
        displayName: 'Okta Person',
        locale: 'en-US',
        externalId: '00u1abcd',
        groups: [],
        password: 'Initial-Pass-1',
        active: true,
      });
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      expect(created.text).not.toContain('Initial-Pass-1');

      // userName is caseExact false: any casing finds the user, and a clash is 409.
      const found = await lookup('OKTA.PERSON@EXAMPLE.COM');
      expect(found.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
      expect(found.body.Resources[0].id).toBe(id);
      const clash = await send('POST', '/Users', { schemas: [USER], userName: 'okta.person@EXAMPLE.com' });
      expect(clash.status).toBe(409);
      expect(clash.body.scimType).toBe('uniqueness');

      // Paging parameters at their extremes stay valid requests.
      const far = await send('GET', `/Users?startIndex=99999999999999999999&count=100`);
      expect(far.status).toBe(200);
      expect(far.body.Resources).toEqual([]);

      // Deactivation: path-less replace.
      const deactivated = await send(
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'replace', value: { active: false } }),
      );
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.active).toBe(false);

      // PUT of the whole resource it read (id, groups and meta included), with a new password.
      const read = await send('GET', `/Users/${id}`);
      const put = await send('PUT', `/Users/${id}`, {
        ...read.body,
        name: { ...read.body.name, givenName: 'Okie' },
        active: true,
        password: 'Rotated-Pass-2',
        groups: [{ value: 'not-a-group' }],
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ id, active: true, name: { givenName: 'Okie', familyName: 'Person' } });
      expect(put.body.groups).toBeUndefined();
      expect(put.text).not.toContain('Rotated-Pass-2');
      expect(put.headers.get('etag')).toBe(put.body.meta.version);
      // The same PUT again changes nothing and keeps the version.
      const reread = await send('GET', `/Users/${id}`);
      const same = await send('PUT', `/Users/${id}`, { ...reread.body, password: 'Rotated-Pass-2' });
      expect(same.headers.get('etag')).toBe(reread.headers.get('etag'));

      // Group push: create, rename by path-less replace with the unchanged id, members add/remove.
      const group = await send('POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'Okta Pushed',
        members: [],
      });
      const groupId: string = group.body.id;
      const renamed = await send(
        'PATCH',
        `/Groups/${groupId}`,
        patch({ op: 'replace', value: { id: groupId, displayName: 'Okta Pushed 2' } }),
      );
      expect(renamed.status).toBe(200);
      expect(renamed.body.displayName).toBe('Okta Pushed 2');
      const emptied = await send(
        'PATCH',
        `/Groups/${groupId}`,
        patch({ op: 'replace', path: 'members', value: [] }),
      );
      expect(emptied.status).toBe(200);
      const joined = await send(
        'PATCH',
        `/Groups/${groupId}`,
        patch({ op: 'add', path: 'members', value: [{ value: id, display: 'Okta.Person@example.com' }] }),
      );
      expect(joined.body.members).toEqual([{ value: id, display: 'Okta.Person@example.com' }]);
      const memberOf = await send('GET', `/Users/${id}`);
      expect(memberOf.body.groups).toEqual([
        { value: groupId, $ref: `${base}/Groups/${groupId}`, display: 'Okta Pushed 2', type: 'direct' },
      ]);
      const left = await send(
        'PATCH',
        `/Groups/${groupId}`,
        patch({ op: 'remove', path: `members[value eq "${id}"]` }),
      );
      expect(left.status).toBe(200);
      expect(left.body.members).toBeUndefined();
      const changedId = await send(
        'PATCH',
        `/Groups/${groupId}`,
        patch({ op: 'replace', value: { id: 'another-id', displayName: 'x' } }),
      );
      expect(changedId.status).toBe(400);
      expect(changedId.body.scimType).toBe('mutability');

      // The password never comes back, and cannot be probed through filters or sorting.
      for (const url of [
        `/Users/${id}?attributes=password`,
        `/Users?attributes=password,userName`,
        `/Users?filter=${q('password eq "Rotated-Pass-2"')}`,
        `/Users?sortBy=password&cursor=&count=1`,
      ]) {
        const answer = await send('GET', url);
        expect(answer.text, url).not.toMatch(/Rotated-Pass-2|rotated-pass-2/);
        expect(answer.text, url).not.toContain('"password"');
      }
    });
  });
}
