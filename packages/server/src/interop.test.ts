import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENTERPRISE,
  GROUP_SCHEMA,
  type Harness,
  PATCH_OP,
  startServer,
  user,
} from './__fixtures__/harness.js';
import type { ScimIgnoredAttributesEvent } from './options.js';

/**
 * Shapes of clients beyond Entra ID and Okta (conformance suites, client libraries such as
 * python's scim2-client), accepted by default and refused under `strict: true`.
 */
describe('createScimServer with third-party client shapes', () => {
  let h: Harness;
  let strict: Harness;
  const ignored: ScimIgnoredAttributesEvent[] = [];
  beforeAll(async () => {
    h = await startServer({ onIgnoredAttributes: (event) => void ignored.push(event) });
    strict = await startServer({ strict: true });
  });
  afterAll(async () => {
    await h.close();
    await strict.close();
  });

  it('routes resource and discovery endpoints in any case, and strict mode only in their own', async () => {
    const created = await h.call('POST', '/users', user('case-1'));
    expect(created.status).toBe(201);
    expect(created.body.meta.location).toBe(`${h.base}/Users/${created.body.id}`);
    expect((await h.call('GET', `/USERS/${created.body.id}`)).body.userName).toBe('case-1');
    expect((await h.call('GET', '/users?filter=userName%20eq%20%22case-1%22')).body.totalResults).toBe(1);
    expect(
      (await h.call('POST', '/users/.SEARCH', { filter: 'userName eq "case-1"' })).body.totalResults,
    ).toBe(1);
    expect((await h.call('GET', '/serviceproviderconfig')).status).toBe(200);
    expect((await h.call('GET', '/resourcetypes/user')).body.id).toBe('User');
    expect((await h.call('GET', '/schemas')).body.totalResults).toBe(3);
    // Ids are never case-folded.
    expect((await h.call('GET', `/Users/${created.body.id.toUpperCase()}`)).status).toBe(404);
    for (const path of ['/users', '/serviceproviderconfig', '/resourcetypes/User', '/ResourceTypes/user']) {
      const response = await strict.call('GET', path);
      expect(response.status, path).toBe(404);
    }
    expect((await strict.call('GET', '/Users')).status).toBe(200);
  });

  it('advertises RFC 9865 pagination by default and leaves it out with discovery.pagination false', async () => {
    expect((await h.call('GET', '/ServiceProviderConfig')).body.pagination).toMatchObject({ cursor: true });
    const quiet = await startServer({ discovery: { pagination: false } });
    try {
      const config = (await quiet.call('GET', '/ServiceProviderConfig')).body;
      expect(Object.keys(config)).not.toContain('pagination');
      expect(config.filter).toEqual({ supported: true, maxResults: 1000 });
      // Cursor paging itself keeps working.
      await quiet.call('POST', '/Users', user('cursor-1'));
      const page = await quiet.call('GET', '/Users?cursor=&count=1');
      expect(page.body.Resources).toHaveLength(1);
    } finally {
      await quiet.close();
    }
  });

  const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

  it('drops unknown sub-attributes of PATCH values and bodies, reports them, and strict answers 400', async () => {
    const member = (await h.call('POST', '/Users', user('member-1'))).body;
    const group = (await h.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g-ignored' }))
      .body;
    ignored.length = 0;
    const added = await h.call(
      'PATCH',
      `/Groups/${group.id}`,
      patch({ op: 'add', path: 'members', value: [{ value: member.id, displayName: 'new User' }] }),
    );
    expect(added.status).toBe(200);
    expect(added.body.members.map((m: { value: string }) => m.value)).toEqual([member.id]);
    const created = await h.call(
      'POST',
      '/Users',
      user('ignored-1', { shoeSize: 44, name: { givenName: 'A', nick: 'a' } }),
    );
    expect(created.status).toBe(201);
    expect(
      ignored.map(({ resourceType, id, operation, paths }) => ({ resourceType, id, operation, paths })),
    ).toEqual([
      { resourceType: 'Group', id: group.id, operation: 'patch', paths: ['members.displayName'] },
      { resourceType: 'User', id: created.body.id, operation: 'create', paths: ['shoeSize', 'name.nick'] },
    ]);
    expect(ignored[0]!.request.method).toBe('PATCH');

    const strictMember = (await strict.call('POST', '/Users', user('member-1'))).body;
    const strictGroup = (await strict.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g' }))
      .body;
    const refused = await strict.call(
      'PATCH',
      `/Groups/${strictGroup.id}`,
      patch({ op: 'add', path: 'members', value: [{ value: strictMember.id, displayName: 'new User' }] }),
    );
    expect(refused.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
    expect(refused.body.detail).toContain('unknown sub-attribute "displayName" of "members"');
  });

  it('adds a bare string member, and strict answers 400', async () => {
    const member = (await h.call('POST', '/Users', user('member-2'))).body;
    const group = (await h.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g-bare' })).body;
    const added = await h.call(
      'PATCH',
      `/Groups/${group.id}`,
      patch({ op: 'add', path: 'members', value: member.id }),
    );
    expect(added.status).toBe(200);
    expect(added.body.members.map((m: { value: string }) => m.value)).toEqual([member.id]);
    const strictGroup = (
      await strict.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g-bare' })
    ).body;
    const refused = await strict.call(
      'PATCH',
      `/Groups/${strictGroup.id}`,
      patch({ op: 'add', path: 'members', value: 'x' }),
    );
    expect(refused.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
  });

  it('ignores schemas inside an extension value (scim2-client add and replace), and strict answers 400', async () => {
    const created = (await h.call('POST', '/Users', user('ext-schemas-1'))).body;
    for (const [op, employeeNumber] of [
      ['add', '1'],
      ['replace', '2'],
    ]) {
      const response = await h.call(
        'PATCH',
        `/Users/${created.id}`,
        patch({ op, path: ENTERPRISE, value: { schemas: [ENTERPRISE], employeeNumber } }),
      );
      expect(response.status).toBe(200);
      expect(response.body[ENTERPRISE]).toEqual({ employeeNumber });
    }
    const strictUser = (await strict.call('POST', '/Users', user('ext-schemas-1'))).body;
    const refused = await strict.call(
      'PATCH',
      `/Users/${strictUser.id}`,
      patch({ op: 'add', path: ENTERPRISE, value: { schemas: [ENTERPRISE], employeeNumber: '1' } }),
    );
    expect(refused.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
  });

  it('filters on an unquoted dateTime chronologically, and strict answers 400', async () => {
    const created = (await h.call('POST', '/Users', user('datetime-1'))).body;
    const instant = new Date(created.meta.created);
    // The same instant written at -07:00 with 7 fraction digits, 0.1 µs earlier.
    const local = new Date(instant.getTime() - 7 * 3600_000 - 1).toISOString().slice(0, 23);
    const earlier = `${local}9999-07:00`;
    const filter = (operator: string) =>
      encodeURIComponent(`userName eq "datetime-1" and meta.created ${operator} ${earlier}`);
    expect((await h.call('GET', `/Users?filter=${filter('gt')}`)).body.totalResults).toBe(1);
    expect((await h.call('GET', `/Users?filter=${filter('le')}`)).body.totalResults).toBe(0);
    const refused = await strict.call('GET', `/Users?filter=${filter('gt')}`);
    expect(refused.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
  });

  it('returns each member with $ref and type computed from the base URL', async () => {
    const member = (await h.call('POST', '/Users', user('ref-1'))).body;
    const nested = (await h.call('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'g-nested' }))
      .body;
    const created = await h.call('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'g-refs',
      members: [
        { value: member.id, $ref: 'https://elsewhere.example/Users/x' },
        { value: nested.id, type: 'Group', display: 'g-nested' },
      ],
    });
    const expected = [
      { value: member.id, $ref: `${h.base}/Users/${member.id}`, type: 'User' },
      { value: nested.id, $ref: `${h.base}/Groups/${nested.id}`, type: 'Group', display: 'g-nested' },
    ];
    expect(created.body.members).toEqual(expected);
    // Twice, so that a cached response is checked too; then under another host name.
    for (let i = 0; i < 2; i++)
      expect((await h.call('GET', `/Groups/${created.body.id}`)).body.members).toEqual(expected);
    const other = `${h.base.replace('127.0.0.1', 'localhost')}`;
    const viaLocalhost = await h.call('GET', `${other}/Groups/${created.body.id}`);
    expect(viaLocalhost.body.members[0].$ref).toBe(`${other}/Users/${member.id}`);
    const listed = await h.call('GET', `/Groups?filter=${encodeURIComponent('displayName eq "g-refs"')}`);
    expect(listed.body.Resources[0].members).toEqual(expected);
    const without = await h.call('GET', `/Groups/${created.body.id}?excludedAttributes=members`);
    expect(without.body.members).toBeUndefined();
  });

  it('returns only the matching values for a value filter in attributes, and strict answers 400', async () => {
    const emails = [
      { type: 'work', value: 'w@example.com', primary: true },
      { type: 'home', value: 'h,1@example.com' },
    ];
    const created = (await h.call('POST', '/Users', user('select-1', { emails }))).body;
    const attributes = (text: string) => `attributes=${encodeURIComponent(text)}`;
    const one = await h.call('GET', `/Users/${created.id}?${attributes('emails[type eq "work"],userName')}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      schemas: created.schemas,
      id: created.id,
      userName: 'select-1',
      emails: [emails[0]],
    });
    const values = await h.call('GET', `/Users/${created.id}?${attributes('emails[value co "h,1"].value')}`);
    expect(values.body.emails).toEqual([{ value: 'h,1@example.com' }]);
    const none = await h.call('GET', `/Users/${created.id}?${attributes('emails[type eq "other"]')}`);
    expect(none.body.emails).toBeUndefined();
    const listed = await h.call('POST', '/Users/.search', {
      filter: 'userName eq "select-1"',
      attributes: ['emails[TYPE eq "WORK"]'],
    });
    expect(listed.body.Resources[0].emails).toEqual([emails[0]]);
    const refused = await strict.call('GET', `/Users?${attributes('emails[type eq "work"]')}`);
    expect(refused.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
  });

  it('refuses a value filter in attributes that the schema refuses before a POST creates anything', async () => {
    const attributes = encodeURIComponent('userName,emails[primary gt true]');
    const refused = await h.call('POST', `/Users?attributes=${attributes}`, user('select-refused'));
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('at position 27');
    const listed = await h.call('GET', `/Users?filter=${encodeURIComponent('userName eq "select-refused"')}`);
    expect(listed.body.totalResults).toBe(0);
  });
});
