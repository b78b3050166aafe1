import type { ScimResource } from '@scimkit/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENTERPRISE,
  GROUP_SCHEMA,
  PATCH_OP,
  startServer,
  TOKEN,
  USER_SCHEMA,
  user,
} from './__fixtures__/harness.js';
import { createMemoryStore, type ScimEvent, type ScimStore, type StoreGroupsOptions } from './index.js';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

type Harness = Awaited<ReturnType<typeof startServer>>;

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

  describe('list and search', () => {
    let ids: string[];
    beforeAll(async () => {
      ids = [];
      for (const [name, title] of [
        ['list-c', 'b'],
        ['list-a', 'c'],
        ['list-b', 'a'],
      ] as const) {
        const { body } = await h.call(
          'POST',
          '/Users',
          user(name, { title, emails: [{ value: `${name}@list.test`, type: 'work' }] }),
        );
        ids.push(body.id);
      }
    });

    it('filters case-insensitively on userName and answers an empty ListResponse for no match', async () => {
      const found = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq "LIST-A"')}`);
      expect(found.body).toMatchObject({ schemas: [LIST], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
      expect(found.body.Resources[0].id).toBe(ids[1]);
      const none = await h.call(
        'GET',
        `/Users?filter=${encodeURIComponent('userName eq "5f1c9a2e-nobody"')}`,
      );
      expect(none.status).toBe(200);
      expect(none.body).toEqual({
        schemas: [LIST],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
    });

    it('sorts, pages with startIndex and count, and counts every match in totalResults', async () => {
      const filter = encodeURIComponent('userName sw "list-"');
      const page = await h.call(
        'GET',
        `/Users?filter=${filter}&sortBy=userName&sortOrder=descending&startIndex=2&count=1`,
      );
      expect(page.body).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
      expect(page.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['list-b']);
      const byTitle = await h.call('GET', `/Users?filter=${filter}&sortBy=title`);
      expect(byTitle.body.Resources.map((r: { userName: string }) => r.userName)).toEqual([
        'list-b',
        'list-c',
        'list-a',
      ]);
      const countOnly = await h.call('GET', `/Users?filter=${filter}&count=0`);
      expect(countOnly.body).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
      const negative = await h.call('GET', `/Users?filter=${filter}&count=-5&startIndex=-3`);
      expect(negative.body).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 0 });
    });

    it('filters on value paths and the Entra attribute-after-value-path form', async () => {
      const valuePath = await h.call(
        'GET',
        `/Users?filter=${encodeURIComponent('emails[type eq "work" and value co "list-b@"]')}`,
      );
      expect(valuePath.body.Resources.map((r: { id: string }) => r.id)).toEqual([ids[2]]);
      const entra = await h.call(
        'GET',
        `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "list-c@list.test"')}`,
      );
      expect(entra.body.Resources.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    });

    it('answers 400 invalidFilter for bad filters and 400 invalidValue for bad paging numbers', async () => {
      const syntax = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
      expect(syntax.status).toBe(400);
      expect(syntax.body.scimType).toBe('invalidFilter');
      const unknown = await h.call('GET', `/Users?filter=${encodeURIComponent('shoeSize gt 3')}`);
      expect(unknown.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
      const booleanOrder = await h.call('GET', `/Users?filter=${encodeURIComponent('active gt true')}`);
      expect(booleanOrder.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
      const tooLong = await h.call(
        'GET',
        `/Users?filter=${encodeURIComponent(`userName eq "${'x'.repeat(5000)}"`)}`,
      );
      expect(tooLong.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
      const count = await h.call('GET', '/Users?count=ten');
      expect(count.body).toMatchObject({
        status: '400',
        scimType: 'invalidValue',
        detail: '"count" must be an integer, not "ten".',
      });
      const order = await h.call('GET', '/Users?sortBy=userName&sortOrder=sideways');
      expect(order.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
      const sortBy = await h.call('GET', '/Users?sortBy=shoeSize');
      expect(sortBy.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    });

    it('pages with RFC 9865 cursors and rejects foreign cursors with invalidCursor', async () => {
      const filter = encodeURIComponent('userName sw "list-"');
      const first = await h.call('GET', `/Users?filter=${filter}&sortBy=userName&cursor=&count=2`);
      expect(first.body).toMatchObject({ totalResults: 3, itemsPerPage: 2 });
      expect(first.body.startIndex).toBeUndefined();
      expect(first.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const second = await h.call(
        'GET',
        `/Users?filter=${filter}&sortBy=userName&cursor=${first.body.nextCursor}&count=2`,
      );
      expect(second.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['list-c']);
      expect(second.body.nextCursor).toBeUndefined();
      expect(second.body.previousCursor).toBeDefined();
      const foreign = await h.call('GET', `/Users?cursor=${first.body.nextCursor}&count=2`);
      expect(foreign.body).toMatchObject({ status: '400', scimType: 'invalidCursor' });
      const garbage = await h.call('GET', '/Users?cursor=%21%21&count=2');
      expect(garbage.body).toMatchObject({ status: '400', scimType: 'invalidCursor' });
      const negative = await h.call('GET', '/Users?cursor=&count=-1');
      expect(negative.body).toMatchObject({ status: '400', scimType: 'invalidCount' });
    });

    it('caps count at maxResults', async () => {
      const capped = await startServer({ limits: { maxResults: 2 } });
      try {
        for (const name of ['cap-1', 'cap-2', 'cap-3']) await capped.call('POST', '/Users', user(name));
        const response = await capped.call('GET', '/Users?count=50');
        expect(response.body).toMatchObject({ totalResults: 3, itemsPerPage: 2 });
      } finally {
        await capped.close();
      }
    });

    it('searches with POST /.search per type and at the root', async () => {
      const typed = await h.call('POST', '/Users/.search', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: 'userName sw "list-"',
        sortBy: 'userName',
        attributes: ['userName'],
        count: 2,
      });
      expect(typed.body).toMatchObject({ totalResults: 3, itemsPerPage: 2 });
      expect(typed.body.Resources[0]).toEqual({
        schemas: [USER_SCHEMA],
        id: expect.any(String),
        userName: 'list-a',
      });
      await h.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'list-group' });
      const root = await h.call('POST', '/.search', {
        filter: 'userName sw "list-" or displayName eq "list-group"',
        count: 10,
      });
      expect(root.status).toBe(200);
      expect(root.body.totalResults).toBe(4);
      expect(
        root.body.Resources.map((r: { meta: { resourceType: string } }) => r.meta.resourceType).sort(),
      ).toEqual(['Group', 'User', 'User', 'User']);
      const windowed = await h.call('POST', '/.search', {
        filter: 'userName sw "list-" or displayName eq "list-group"',
        startIndex: 3,
        count: 2,
      });
      expect(windowed.body).toMatchObject({ totalResults: 4, startIndex: 3, itemsPerPage: 2 });
      expect(windowed.body.Resources[1].displayName).toBe('list-group');
      const sorted = await h.call('POST', '/.search', { filter: 'userName sw "list-"', sortBy: 'userName' });
      expect(sorted.status).toBe(400);
      expect(sorted.body).toMatchObject({
        scimType: 'invalidValue',
        detail:
          'sortBy is not supported for a search across all resource types; search one type (POST /Users/.search) to sort.',
      });
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

  describe('discovery', () => {
    it('serves ServiceProviderConfig with bulk, filter, etag and RFC 9865 pagination', async () => {
      const response = await h.call('GET', '/ServiceProviderConfig');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
        patch: { supported: true },
        bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
        filter: { supported: true, maxResults: 1000 },
        etag: { supported: true },
        sort: { supported: true },
        pagination: { cursor: true, index: true, defaultPageSize: 100, maxPageSize: 1000 },
        authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
      });
    });

    it('serves ResourceTypes and Schemas as lists and single resources', async () => {
      const types = await h.call('GET', '/ResourceTypes');
      expect(types.body).toMatchObject({ schemas: [LIST], totalResults: 2 });
      expect(types.body.Resources.map((r: { name: string }) => r.name)).toEqual(['User', 'Group']);
      const userType = await h.call('GET', '/ResourceTypes/User');
      expect(userType.body).toMatchObject({
        id: 'User',
        endpoint: '/Users',
        schema: USER_SCHEMA,
        schemaExtensions: [{ schema: ENTERPRISE, required: false }],
        meta: { resourceType: 'ResourceType', location: `${h.base}/ResourceTypes/User` },
      });
      const schemas = await h.call('GET', '/Schemas');
      expect(schemas.body.Resources.map((r: { id: string }) => r.id)).toEqual([
        USER_SCHEMA,
        ENTERPRISE,
        GROUP_SCHEMA,
      ]);
      const schema = await h.call('GET', `/Schemas/${ENTERPRISE}`);
      expect(schema.body.attributes.map((a: { name: string }) => a.name)).toContain('manager');
      expect((await h.call('GET', '/Schemas/urn:nope')).status).toBe(404);
      expect((await h.call('GET', '/ResourceTypes/Nope')).status).toBe(404);
      expect((await h.call('GET', '/Schemas?filter=id%20pr')).status).toBe(403);
    });
  });

  describe('routing', () => {
    it('answers 404 for unknown routes and 405 with Allow for unsupported methods', async () => {
      expect((await h.call('GET', '/Widgets')).status).toBe(404);
      expect((await h.call('GET', '/Users/a/b')).status).toBe(404);
      expect((await h.call('GET', '')).status).toBe(404);
      expect((await h.call('GET', `${h.url}/elsewhere`)).status).toBe(404);
      const deleteAll = await h.call('DELETE', '/Users');
      expect(deleteAll.status).toBe(405);
      expect(deleteAll.headers.get('allow')).toBe('GET, POST');
      expect(deleteAll.body).toMatchObject({ schemas: [ERROR], status: '405' });
      expect((await h.call('PUT', '/ServiceProviderConfig', {})).status).toBe(405);
      expect((await h.call('GET', '/Bulk')).status).toBe(405);
      expect((await h.call('GET', '/Users/.search')).status).toBe(405);
      expect((await h.call('POST', '/Users/some-id', {})).status).toBe(405);
    });

    it('answers 501 for /Me when the principal maps to no user', async () => {
      const response = await h.call('GET', '/Me');
      expect(response.status).toBe(501);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '501' });
    });
  });

  describe('authentication', () => {
    const routes: [string, string][] = [
      ['GET', '/Users'],
      ['POST', '/Users'],
      ['GET', '/Users/x'],
      ['PUT', '/Users/x'],
      ['PATCH', '/Users/x'],
      ['DELETE', '/Users/x'],
      ['POST', '/Users/.search'],
      ['GET', '/Groups'],
      ['POST', '/.search'],
      ['POST', '/Bulk'],
      ['GET', '/Me'],
      ['GET', '/ServiceProviderConfig'],
      ['GET', '/ResourceTypes'],
      ['GET', '/ResourceTypes/User'],
      ['GET', '/Schemas'],
      ['GET', `/Schemas/${USER_SCHEMA}`],
      ['GET', '/Unknown'],
    ];
    it('answers 401 with WWW-Authenticate on every route without a valid token', async () => {
      for (const [method, path] of routes) {
        for (const authorization of [
          undefined,
          'Bearer wrong-token',
          `Basic ${btoa(`user:${TOKEN}`)}`,
          TOKEN,
        ]) {
          const response = await fetch(`${h.base}${path}`, {
            method,
            headers: authorization ? { authorization } : {},
            ...(method === 'POST' || method === 'PUT' || method === 'PATCH' ? { body: '{}' } : {}),
          });
          expect(response.status, `${method} ${path} ${authorization}`).toBe(401);
          expect(response.headers.get('www-authenticate')).toBe('Bearer realm="scim"');
          const body = (await response.json()) as Record<string, unknown>;
          expect(body).toMatchObject({ schemas: [ERROR], status: '401' });
        }
      }
    });
  });

  it('reports unexpected exceptions to onError and answers a generic 500', async () => {
    const broken = await startServer({
      store: {
        ...(await import('./memory-store.js')).createMemoryStore(),
        get: async () => {
          throw new Error('database exploded at /var/lib/secret');
        },
      },
    });
    try {
      const response = await broken.call('GET', '/Users/x');
      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        schemas: [ERROR],
        status: '500',
        detail: 'The service provider failed to process the request.',
      });
      expect(response.text).not.toContain('exploded');
      expect(broken.errors).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });
});

describe('createScimServer with a verify callback', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({
      auth: {
        verify: (token) => {
          if (token === TOKEN) return { id: 'client-a', tenant: 'a' };
          if (token === 'tenant-b') return { id: 'client-b', tenant: 'b' };
          if (token.startsWith('me:')) return { tenant: 'a', userId: token.slice(3) };
          return undefined;
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('partitions resources by the principal tenant', async () => {
    const created = await h.call('POST', '/Users', user('tenant-user'));
    expect(created.status).toBe(201);
    const other = await h.call('GET', `/Users/${created.body.id}`, undefined, {
      authorization: 'Bearer tenant-b',
    });
    expect(other.status).toBe(404);
    const sameName = await h.call('POST', '/Users', user('tenant-user'), {
      authorization: 'Bearer tenant-b',
    });
    expect(sameName.status).toBe(201);
    const rejected = await h.call('GET', '/Users', undefined, { authorization: 'Bearer nobody' });
    expect(rejected.status).toBe(401);
  });

  it('serves /Me for a principal that maps to a user', async () => {
    const created = await h.call('POST', '/Users', user('me-user', { title: 'a' }));
    const me = { authorization: `Bearer me:${created.body.id}` };
    const got = await h.call('GET', '/Me', undefined, me);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(created.body.id);
    const patched = await h.call(
      'PATCH',
      '/Me',
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'b' }] },
      me,
    );
    expect(patched.body.title).toBe('b');
    expect((await h.call('POST', '/Me', user('x'), me)).status).toBe(501);
    expect((await h.call('GET', '/Me', undefined, { authorization: 'Bearer me:missing' })).status).toBe(404);
  });
});

describe('createScimServer with a verify callback returning a malformed tenant', () => {
  it.each([
    ['a number', 1001],
    ['null', null],
    ['an empty string', ''],
    ['an object', { id: 'a' }],
  ])(
    'answers 500 through onError for a tenant that is %s, never the default tenant',
    async (_name, tenant) => {
      const h = await startServer({
        auth: {
          verify: (token) => (token === TOKEN ? {} : ({ tenant } as unknown as { tenant: string })),
        },
      });
      try {
        // A resource in the default (tenant-less) partition that the malformed principal must not see.
        expect((await h.call('POST', '/Users', user('default-tenant-user'))).status).toBe(201);
        const bad = { authorization: 'Bearer malformed' };
        const listed = await h.call('GET', '/Users', undefined, bad);
        expect(listed.status).toBe(500);
        expect(listed.text).not.toContain('default-tenant-user');
        expect(listed.body.detail).toBe('The service provider failed to process the request.');
        const created = await h.call('POST', '/Users', user('intruder'), bad);
        expect(created.status).toBe(500);
        expect(h.errors).toHaveLength(2);
        expect(String(h.errors[0])).toMatch(/tenant must be a non-empty string/);
        const all = await h.call('GET', '/Users');
        expect(all.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([
          'default-tenant-user',
        ]);
      } finally {
        await h.close();
      }
    },
  );
});

describe('createScimServer in strict mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ strict: true, basePath: '/api/scim/' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves under a custom base path and rejects IdP deviations', async () => {
    const base = `${h.url}/api/scim`;
    const created = await h.call('POST', `${base}/Users`, user('strict-1'));
    expect(created.status).toBe(201);
    expect(created.body.meta.location).toBe(`${base}/Users/${created.body.id}`);
    const stringBoolean = await h.call('POST', `${base}/Users`, user('strict-2', { active: 'True' }));
    expect(stringBoolean.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const noSchemas = await h.call('POST', `${base}/Users`, { userName: 'strict-3' });
    expect(noSchemas.body).toMatchObject({ status: '400' });
    const capitalised = await h.call('PATCH', `${base}/Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'title', value: 'x' }],
    });
    expect(capitalised.status).toBe(400);
    const withoutSchema = await h.call('PATCH', `${base}/Users/${created.body.id}`, {
      Operations: [{ op: 'replace', path: 'title', value: 'x' }],
    });
    expect(withoutSchema.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const entraFilter = await h.call(
      'GET',
      `${base}/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "x"')}`,
    );
    expect(entraFilter.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect((await h.call('GET', '/Users')).status).toBe(404);
  });
});

describe('createScimServer compatibility switches', () => {
  it('turns single behaviours off while the others stay on', async () => {
    const h = await startServer({
      compatibility: {
        coerceBooleans: false,
        patch: { capitalisedOps: false },
        dropUnknownAttributes: false,
      },
    });
    try {
      const stringBoolean = await h.call('POST', '/Users', user('compat-1', { active: 'True' }));
      expect(stringBoolean.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
      const unknown = await h.call('POST', '/Users', user('compat-1', { shoeSize: 44 }));
      expect(unknown.status).toBe(400);
      const created = await h.call('POST', '/Users', user('compat-1'));
      expect(created.status).toBe(201);
      const capitalised = await h.call('PATCH', `/Users/${created.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'title', value: 'x' }],
      });
      expect(capitalised.status).toBe(400);
      const patchStringBoolean = await h.call('PATCH', `/Users/${created.body.id}`, {
        Operations: [{ op: 'replace', path: 'active', value: 'False' }],
      });
      expect(patchStringBoolean.status).toBe(200);
      expect(patchStringBoolean.body.active).toBe(false);
      const entraFilter = await h.call(
        'GET',
        `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "x"')}`,
      );
      expect(entraFilter.status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('createScimServer against hostile input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({
      baseUrl: 'https://id.example.com/scim/v2/',
      onCreated: () => {
        throw new Error('audit log down');
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('never pollutes prototypes through bodies, PATCH paths or filters', async () => {
    const created = await h.call(
      'POST',
      '/Users',
      '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    expect(created.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const path of ['__proto__.polluted', 'constructor.prototype.polluted', 'toString']) {
      const response = await h.call('PATCH', `/Users/${created.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path, value: true }],
      });
      expect(response.status).toBe(400);
      expect(response.body.scimType).toBe('invalidPath');
    }
    const filter = await h.call('GET', `/Users?filter=${encodeURIComponent('__proto__ eq "x"')}`);
    expect(filter.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    const deep = await h.call(
      'GET',
      `/Users?filter=${encodeURIComponent(`${'('.repeat(200)}userName eq "x"${')'.repeat(200)}`)}`,
    );
    expect(deep.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers malformed search, patch and bulk bodies with 400 invalidSyntax', async () => {
    for (const [method, path] of [
      ['POST', '/Users/.search'],
      ['POST', '/.search'],
      ['POST', '/Bulk'],
      ['PATCH', '/Users/x'],
      ['PUT', '/Users/x'],
    ] as const) {
      const response = await h.call(method, path, '{"oops"');
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(response.body.scimType).toBe('invalidSyntax');
    }
  });

  it('uses baseUrl for locations and keeps answering when an event hook throws', async () => {
    const created = await h.call('POST', '/Users', user('hooked'));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`https://id.example.com/scim/v2/Users/${created.body.id}`);
    expect(h.errors.map((error) => (error as Error).message)).toContain('audit log down');
    const config = await h.call('GET', '/ServiceProviderConfig');
    expect(config.body.meta.location).toBe('https://id.example.com/scim/v2/ServiceProviderConfig');
  });
});

describe('createScimServer listing Users with their groups', () => {
  /** The memory store, counting User.groups lookups; `batched: false` drops groupsOfMany. */
  function countingStore(batched: boolean) {
    const inner = createMemoryStore();
    const calls = { groupsOf: 0, groupsOfMany: 0 };
    const { groupsOfMany, ...rest } = inner;
    const store: ScimStore = {
      ...rest,
      groupsOf: (...args) => {
        calls.groupsOf++;
        return inner.groupsOf(...args);
      },
      ...(batched && groupsOfMany
        ? {
            groupsOfMany: (ids: readonly string[], options: StoreGroupsOptions) => {
              calls.groupsOfMany++;
              return groupsOfMany(ids, options);
            },
          }
        : {}),
    };
    return { store, calls };
  }

  it.each([
    ['with groupsOfMany: one lookup per page', true, { groupsOf: 0, groupsOfMany: 1 }],
    ['without groupsOfMany: one lookup per User', false, { groupsOf: 30, groupsOfMany: 0 }],
  ])(
    'computes User.groups %s, and none when the projection leaves groups out',
    async (_name, batched, expected) => {
      const { store, calls } = countingStore(batched);
      const h = await startServer({ store });
      try {
        const ids: string[] = [];
        for (let i = 0; i < 30; i++) ids.push((await h.call('POST', '/Users', user(`listed-${i}`))).body.id);
        const group = (
          await h.call('POST', '/Groups', {
            schemas: [GROUP_SCHEMA],
            displayName: 'Listed',
            members: [{ value: ids[3] }, { value: ids[17] }],
          })
        ).body;
        calls.groupsOf = 0;
        const listed = await h.call('GET', '/Users?count=30&sortBy=userName');
        expect(listed.status).toBe(200);
        expect(calls).toEqual(expected);
        const withGroups = listed.body.Resources.filter((u: { groups?: unknown }) => u.groups !== undefined);
        expect(withGroups.map((u: { id: string }) => u.id).sort()).toEqual([ids[3], ids[17]].sort());
        expect(withGroups[0].groups).toEqual([
          { value: group.id, $ref: `${h.base}/Groups/${group.id}`, display: 'Listed', type: 'direct' },
        ]);
        calls.groupsOf = 0;
        calls.groupsOfMany = 0;
        const excluded = await h.call('GET', '/Users?count=30&excludedAttributes=groups');
        expect(excluded.body.Resources).toHaveLength(30);
        const projected = await h.call('GET', '/Users?count=30&attributes=userName');
        expect(projected.body.Resources).toHaveLength(30);
        expect(calls).toEqual({ groupsOf: 0, groupsOfMany: 0 });
      } finally {
        await h.close();
      }
    },
  );
});

describe('createScimServer query parameter names', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
    for (const name of ['case-a', 'case-b', 'case-c'])
      await h.call('POST', '/Users', user(name, { title: name }));
  });
  afterAll(async () => {
    await h.close();
  });

  it('matches filter, sortBy, sortOrder, count, startIndex and projections in any case', async () => {
    const filtered = await h.call('GET', `/Users?Filter=${encodeURIComponent('userName eq "case-b"')}`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.totalResults).toBe(1);
    expect(filtered.body.Resources[0].userName).toBe('case-b');
    const paged = await h.call(
      'GET',
      '/Users?SORTBY=userName&SortOrder=descending&COUNT=1&StartIndex=2&ATTRIBUTES=userName',
    );
    expect(paged.body).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(paged.body.Resources).toEqual([
      { schemas: [USER_SCHEMA], id: expect.any(String), userName: 'case-b' },
    ]);
    const created = await h.call('GET', `/Users/${filtered.body.Resources[0].id}?excludedattributes=title`);
    expect(created.body.title).toBeUndefined();
    expect((await h.call('GET', '/Schemas?FILTER=id')).status).toBe(403);
  });
});

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
