import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startServer, user } from './__fixtures__/harness.js';

/**
 * Shapes of clients beyond Entra ID and Okta (conformance suites, client libraries such as
 * python's scim2-client), accepted by default and refused under `strict: true`.
 */
describe('createScimServer with third-party client shapes', () => {
  let h: Harness;
  let strict: Harness;
  beforeAll(async () => {
    h = await startServer();
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
});
