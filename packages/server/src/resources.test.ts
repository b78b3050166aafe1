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
import type { ScimEvent } from './index.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('createScimServer', () => {
  let h: Harness;
  const events: { kind: string; event: ScimEvent }[] = [];
  beforeAll(async () => {
    h = await startServer({
      onCreated: (event) => void events.push({ kind: 'created', event }),
      onReplaced: (event) => void events.push({ kind: 'replaced', event }),
      onPatched: (event) => void events.push({ kind: 'patched', event }),
      onDeactivated: (event) => void events.push({ kind: 'deactivated', event }),
      onDeleted: (event) => void events.push({ kind: 'deleted', event }),
    });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('POST', () => {
    it('creates a user with id, meta, Location and ETag and never echoes the password', async () => {
      const response = await h.call(
        'POST',
        '/Users',
        user('create-1', {
          id: 'client-chosen',
          meta: { version: 'W/"99"' },
          password: 'hunter2',
          [ENTERPRISE]: { department: 'R&D' },
          groups: [{ value: 'x' }],
        }),
      );
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
      const body = response.body;
      expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.id).not.toBe('client-chosen');
      expect(body.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
      expect(body[ENTERPRISE]).toEqual({ department: 'R&D' });
      expect(body.groups).toBeUndefined();
      expect(body.meta).toMatchObject({ resourceType: 'User', version: 'W/"1"' });
      expect(body.meta.location).toBe(`${h.base}/Users/${body.id}`);
      expect(response.headers.get('location')).toBe(body.meta.location);
      expect(response.headers.get('etag')).toBe('W/"1"');
      expect(response.text).not.toContain('hunter2');
      expect(response.text).not.toContain('password');
      expect(events.at(-1)).toMatchObject({ kind: 'created', event: { resourceType: 'User', id: body.id } });
    });

    it('answers 409 uniqueness for a userName taken in another casing', async () => {
      await h.call('POST', '/Users', user('Unique.Person'));
      const response = await h.call('POST', '/Users', user('unique.person'));
      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        schemas: [ERROR],
        status: '409',
        scimType: 'uniqueness',
        detail: 'User userName "unique.person" is already taken.',
      });
    });

    it('answers 400 invalidSyntax for malformed JSON and for a non-object body', async () => {
      const malformed = await h.call('POST', '/Users', '{"userName":');
      expect(malformed.status).toBe(400);
      expect(malformed.body.scimType).toBe('invalidSyntax');
      expect(malformed.body.detail).toMatch(/^The request body is not valid JSON/);
      const array = await h.call('POST', '/Users', '[1]');
      expect(array.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
      const empty = await h.call('POST', '/Users', '');
      expect(empty.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    });

    it('answers 400 invalidValue when a required attribute is missing or has the wrong type', async () => {
      const missing = await h.call('POST', '/Users', { schemas: [USER_SCHEMA], displayName: 'x' });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({
        scimType: 'invalidValue',
        detail: 'userName: Attribute "userName" is required',
      });
      const wrong = await h.call('POST', '/Users', user('typed', { active: 'maybe' }));
      expect(wrong.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
      const group = await h.call('POST', '/Groups', { schemas: [GROUP_SCHEMA] });
      expect(group.body).toMatchObject({
        status: '400',
        detail: 'displayName: Attribute "displayName" is required',
      });
    });

    it('accepts application/json and rejects other content types with 415', async () => {
      const json = await h.call('POST', '/Users', user('json-type'), { 'content-type': 'application/json' });
      expect(json.status).toBe(201);
      const text = await h.call('POST', '/Users', JSON.stringify(user('text-type')), {
        'content-type': 'text/plain',
      });
      expect(text.status).toBe(415);
      expect(text.body.schemas).toEqual([ERROR]);
    });

    it('answers 413 for a body over the size limit', async () => {
      const response = await h.call('POST', '/Users', user('big', { displayName: 'x'.repeat(1_100_000) }));
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({
        status: '413',
        detail: 'The request body is larger than the limit of 1048576 bytes.',
      });
    });

    it('treats null as unassigned and drops unknown attributes', async () => {
      const response = await h.call(
        'POST',
        '/Users',
        user('nulls', { displayName: null, favouriteColour: 'blue' }),
      );
      expect(response.status).toBe(201);
      expect(response.body.displayName).toBeUndefined();
      expect(response.body.favouriteColour).toBeUndefined();
    });
  });

  describe('GET', () => {
    it('returns a resource with its ETag and 304 for a matching If-None-Match', async () => {
      const { body } = await h.call(
        'POST',
        '/Users',
        user('get-1', { name: { givenName: 'Ann', familyName: 'Lee' } }),
      );
      const got = await h.call('GET', `/Users/${body.id}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('etag')).toBe('W/"1"');
      expect(got.body).toEqual(body);
      const notModified = await h.call('GET', `/Users/${body.id}`, undefined, { 'if-none-match': 'W/"1"' });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('etag')).toBe('W/"1"');
      const modified = await h.call('GET', `/Users/${body.id}`, undefined, { 'if-none-match': 'W/"7"' });
      expect(modified.status).toBe(200);
    });

    it('projects with attributes and excludedAttributes, keeping returned:always attributes', async () => {
      const { body } = await h.call(
        'POST',
        '/Users',
        user('proj-1', { name: { givenName: 'Ann', familyName: 'Lee' }, title: 'Dr' }),
      );
      const only = await h.call('GET', `/Users/${body.id}?attributes=name.givenName,password`);
      expect(only.body).toEqual({ schemas: [USER_SCHEMA], id: body.id, name: { givenName: 'Ann' } });
      const without = await h.call('GET', `/Users/${body.id}?excludedAttributes=name,meta`);
      expect(without.body).toEqual({ schemas: [USER_SCHEMA], id: body.id, userName: 'proj-1', title: 'Dr' });
      const caseInsensitive = await h.call('GET', `/Users/${body.id}?attributes=USERNAME`);
      expect(caseInsensitive.body).toEqual({ schemas: [USER_SCHEMA], id: body.id, userName: 'proj-1' });
    });

    it('answers 404 with an Error body for an unknown id', async () => {
      const response = await h.call('GET', '/Users/does-not-exist');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        schemas: [ERROR],
        status: '404',
        detail: 'User does-not-exist not found.',
      });
    });

    it('never returns password, not even when asked for it', async () => {
      const { body } = await h.call('POST', '/Users', user('pw-1', { password: 'topsecret' }));
      for (const path of [
        `/Users/${body.id}`,
        `/Users/${body.id}?attributes=password`,
        '/Users',
        '/Users?attributes=password',
      ]) {
        const response = await h.call('GET', path);
        expect(response.status).toBe(200);
        expect(response.text).not.toContain('topsecret');
        expect(response.text).not.toContain('"password"');
      }
      const search = await h.call('POST', '/Users/.search', { attributes: ['password', 'userName'] });
      expect(search.text).not.toContain('topsecret');
      const patched = await h.call('PATCH', `/Users/${body.id}?attributes=password`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'password', value: 'newsecret' }],
      });
      expect(patched.status).toBe(200);
      expect(patched.text).not.toContain('secret');
      const replaced = await h.call('PUT', `/Users/${body.id}`, user('pw-1', { password: 'putsecret' }));
      expect(replaced.status).toBe(200);
      expect(replaced.text).not.toContain('secret');
      const root = await h.call('POST', '/.search', { filter: 'userName eq "pw-1"', attributes: 'password' });
      expect(root.body.totalResults).toBe(1);
      expect(root.text).not.toContain('secret');
    });
  });

  describe('PUT', () => {
    it('replaces a resource, ignores readOnly attributes and bumps the version', async () => {
      const { body } = await h.call('POST', '/Users', user('put-1', { title: 'old', externalId: 'ext-1' }));
      const replaced = await h.call('PUT', `/Users/${body.id}`, {
        ...body,
        title: 'new',
        meta: { version: 'W/"42"', created: '2000-01-01T00:00:00Z' },
        groups: [{ value: 'nope' }],
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ id: body.id, title: 'new', externalId: 'ext-1' });
      expect(replaced.body.meta.version).toBe('W/"2"');
      expect(replaced.body.meta.created).toBe(body.meta.created);
      expect(replaced.headers.get('etag')).toBe('W/"2"');
      expect(replaced.body.groups).toBeUndefined();
      const same = await h.call('PUT', `/Users/${body.id}`, replaced.body);
      expect(same.body.meta.version).toBe('W/"2"');
    });

    it('answers 412 for a stale If-Match and 404 for an unknown id', async () => {
      const { body } = await h.call('POST', '/Users', user('put-2'));
      const stale = await h.call('PUT', `/Users/${body.id}`, user('put-2b'), { 'if-match': 'W/"5"' });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ schemas: [ERROR], status: '412' });
      const fresh = await h.call('PUT', `/Users/${body.id}`, user('put-2b'), { 'if-match': 'W/"1"' });
      expect(fresh.status).toBe(200);
      const missing = await h.call('PUT', '/Users/nope', user('put-x'));
      expect(missing.status).toBe(404);
    });

    it('answers 409 when the new userName belongs to another user', async () => {
      await h.call('POST', '/Users', user('put-taken'));
      const { body } = await h.call('POST', '/Users', user('put-3'));
      const response = await h.call('PUT', `/Users/${body.id}`, user('PUT-TAKEN'));
      expect(response.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    });

    it('fires onDeactivated when active turns false', async () => {
      const { body } = await h.call('POST', '/Users', user('put-deactivate', { active: true }));
      await h.call('PUT', `/Users/${body.id}`, user('put-deactivate', { active: false }));
      expect(events.filter((e) => e.kind === 'deactivated' && e.event.id === body.id)).toHaveLength(1);
      expect(
        events.some(
          (e) => e.kind === 'replaced' && e.event.id === body.id && e.event.previous?.active === true,
        ),
      ).toBe(true);
    });
  });

  describe('PATCH', () => {
    it('applies operations, bumps the version, and keeps it when nothing changes', async () => {
      const { body } = await h.call('POST', '/Users', user('patch-1', { title: 'a' }));
      const patched = await h.call('PATCH', `/Users/${body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'title', value: 'b' }],
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ title: 'b', meta: { version: 'W/"2"' } });
      expect(patched.headers.get('etag')).toBe('W/"2"');
      const noop = await h.call('PATCH', `/Users/${body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'title', value: 'b' }],
      });
      expect(noop.body.meta).toEqual(patched.body.meta);
      expect(events.filter((e) => e.kind === 'patched' && e.event.id === body.id)).toHaveLength(1);
    });

    it('answers RFC errors for bad paths, readOnly targets, stale If-Match and unknown ids', async () => {
      const { body } = await h.call('POST', '/Users', user('patch-2'));
      const path = await h.call('PATCH', `/Users/${body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'shoeSize', value: 1 }],
      });
      expect(path.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
      const readOnly = await h.call('PATCH', `/Users/${body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'id', value: 'other' }],
      });
      expect(readOnly.body).toMatchObject({ status: '400', scimType: 'mutability' });
      const groups = await h.call('PATCH', `/Users/${body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'groups', value: [{ value: 'g' }] }],
      });
      expect(groups.body).toMatchObject({ status: '400', scimType: 'mutability' });
      const stale = await h.call(
        'PATCH',
        `/Users/${body.id}`,
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
        { 'if-match': 'W/"9"' },
      );
      expect(stale.status).toBe(412);
      const missing = await h.call('PATCH', '/Users/nope', { schemas: [PATCH_OP], Operations: [] });
      expect(missing.status).toBe(404);
      const noTarget = await h.call('PATCH', `/Users/${body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove' }],
      });
      expect(noTarget.body).toMatchObject({ status: '400', scimType: 'noTarget' });
    });

    it('fires onDeactivated for an Okta-style deactivation', async () => {
      const { body } = await h.call('POST', '/Users', user('patch-deactivate', { active: true }));
      await h.call('PATCH', `/Users/${body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      expect(events.filter((e) => e.kind === 'deactivated' && e.event.id === body.id)).toHaveLength(1);
    });
  });

  describe('DELETE', () => {
    it('deletes with 204, then answers 404, and removes the user from its groups', async () => {
      const member = (await h.call('POST', '/Users', user('delete-1'))).body;
      const group = (
        await h.call('POST', '/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: 'delete-group',
          members: [{ value: member.id }],
        })
      ).body;
      const deleted = await h.call('DELETE', `/Users/${member.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await h.call('GET', `/Users/${member.id}`)).status).toBe(404);
      expect((await h.call('DELETE', `/Users/${member.id}`)).status).toBe(404);
      const after = await h.call('GET', `/Groups/${group.id}`);
      expect(after.body.members).toBeUndefined();
      expect(events.some((e) => e.kind === 'deleted' && e.event.id === member.id)).toBe(true);
    });

    it('answers 412 for a stale If-Match', async () => {
      const { body } = await h.call('POST', '/Users', user('delete-2'));
      expect((await h.call('DELETE', `/Users/${body.id}`, undefined, { 'if-match': 'W/"3"' })).status).toBe(
        412,
      );
      expect((await h.call('DELETE', `/Users/${body.id}`, undefined, { 'if-match': '*' })).status).toBe(204);
    });
  });

  describe('User.groups', () => {
    it('is computed from membership and follows membership changes', async () => {
      const member = (await h.call('POST', '/Users', user('groups-1'))).body;
      const group = (
        await h.call('POST', '/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: 'Engineers',
          members: [{ value: member.id }],
        })
      ).body;
      const got = await h.call('GET', `/Users/${member.id}`);
      expect(got.body.groups).toEqual([
        { value: group.id, $ref: `${h.base}/Groups/${group.id}`, display: 'Engineers', type: 'direct' },
      ]);
      const excluded = await h.call('GET', `/Users/${member.id}?excludedAttributes=groups`);
      expect(excluded.body.groups).toBeUndefined();
      await h.call('PATCH', `/Groups/${group.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: `members[value eq "${member.id}"]` }],
      });
      expect((await h.call('GET', `/Users/${member.id}`)).body.groups).toBeUndefined();
      await h.call('DELETE', `/Groups/${group.id}`);
    });
  });
});
