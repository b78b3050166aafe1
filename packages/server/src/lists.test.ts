import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, type Harness, startServer, USER_SCHEMA, user } from './__fixtures__/harness.js';
import { createMemoryStore, type ScimStore, type StoreGroupsOptions } from './index.js';

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

describe('createScimServer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer();
  });
  afterAll(async () => {
    await h.close();
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
