/**
 * `importResources`: many new resources at once must leave exactly the rows `create` of each
 * would (documents, index rows, member rows and their order), all or none, with the error
 * `create` gives when one of them cannot be stored.
 */
import { groupResourceType, isScimError, type ScimResource, userResourceType } from '@scimkit/schema';
import type { StoreResourceType } from '@scimkit/server';
import { describe, expect, it } from 'vitest';
import { freshStore, GROUP, meta, queryUsers, user } from './fixtures.js';
import type { SqlStoreHarness, SqlTestDatabase, SuiteStore } from './harness.js';

/** Users and Groups whose rows stress every column: index values, members with display and $ref, repeats. */
function directory(): { users: ScimResource[]; groups: ScimResource[] } {
  const users = [
    ...queryUsers(),
    user('u6', 'Erin', {
      emails: [{ value: 'ERIN@Work.example' }, { value: 'erin@work.example', type: 'other' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '701984' },
    }),
  ];
  const groups: ScimResource[] = [
    {
      schemas: [GROUP],
      id: 'g1',
      displayName: 'Admins',
      members: [
        { value: 'u3', type: 'User', display: 'Carol' },
        { value: 'u1', $ref: 'https://example.com/Users/u1' },
        { value: 'u3', type: 'User' },
        { value: 'g2', type: 'Group' },
      ],
      meta: meta('Group', 'g1'),
    },
    { schemas: [GROUP], id: 'g2', displayName: 'Nested', members: [], meta: meta('Group', 'g2') },
    { schemas: [GROUP], id: 'g3', displayName: 'Nobody', meta: meta('Group', 'g3') },
    {
      schemas: [GROUP],
      id: 'g4',
      displayName: 'Everyone',
      members: ['u5', 'u4', 'u2', 'u6'].map((value) => ({ value, type: 'User' })),
      meta: meta('Group', 'g4'),
    },
  ];
  return { users, groups };
}

/**
 * Every row of the store's tables, `seq` replaced by what it stands for: the order of the rows
 * (resources, members) and the resource an index row belongs to.
 */
async function dump(database: SqlTestDatabase): Promise<Record<string, unknown[]>> {
  const t = (name: 'resources' | 'attribute_values' | 'members') => database.table(name);
  return {
    resources: await database.execute(
      `SELECT tenant, type, id, version, data, created, last_modified FROM ${t('resources')} ORDER BY seq`,
    ),
    values: await database.execute(
      `SELECT v.tenant, v.type, v.id, r.id AS owner, v.path, v.value, v.unique_scope
         FROM ${t('attribute_values')} AS v JOIN ${t('resources')} AS r ON r.seq = v.seq
        ORDER BY v.tenant, v.type, v.id, v.path, v.value`,
    ),
    members: await database.execute(
      `SELECT tenant, group_type, group_id, attribute, value, type, display, ref FROM ${t('members')} ORDER BY seq`,
    ),
  };
}

/** The message of the SCIM error `promise` rejects with (fails on a resolution or another error). */
async function scimMessage(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isScimError(error)) return `${error.status} ${error.scimType ?? ''} ${error.message}`;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Registers the `importResources` tests of a SQL store. */
export function describeImport<S extends SuiteStore>(harness: SqlStoreHarness<S>): void {
  describe(`${harness.name} importResources`, () => {
    const env = freshStore(harness);

    it('stores exactly the rows create stores (documents, index rows, members in order), per tenant', async () => {
      const { users, groups } = directory();
      const other = await harness.database();
      const created = await other.open();
      try {
        for (const tenant of ['', 'acme']) {
          for (const resource of users)
            await created.create(userResourceType, resource, { context: { tenant } });
          for (const resource of groups)
            await created.create(groupResourceType, resource, { context: { tenant } });
        }
        for (const tenant of ['', 'acme']) {
          await env.store.importResources(userResourceType, users.slice(0, 2), { context: { tenant } });
          await env.store.importResources(userResourceType, users.slice(2), { context: { tenant } });
          await env.store.importResources(groupResourceType, groups, { context: { tenant } });
        }
        const imported = await dump(env.database);
        expect(imported.values!.length).toBeGreaterThan(20);
        expect(imported.members!.length).toBe(2 * 7);
        expect(imported).toEqual(await dump(other));
      } finally {
        await created.close();
        await other.drop?.();
      }
      // Read back and queried as created ones are.
      const erin = await env.store.get(userResourceType, 'u6', { context: { tenant: 'acme' } });
      expect(erin).toEqual(directory().users[5]);
      expect(await env.ids(userResourceType, 'emails.value eq "erin@WORK.example"')).toEqual(['u6']);
      expect(await env.store.groupsOf('u3', { context: {} })).toEqual([{ id: 'g1', displayName: 'Admins' }]);
      const g1 = await env.store.get(groupResourceType, 'g1', { context: {} });
      // A repeated value has one row, the first's (as after create).
      expect(g1?.['members']).toEqual([
        { value: 'u3', type: 'User', display: 'Carol' },
        { value: 'u1', $ref: 'https://example.com/Users/u1' },
        { value: 'g2', type: 'Group' },
      ]);
    });

    it('stores none of the list when one cannot be stored, with the error create gives', async () => {
      await env.store.create(userResourceType, user('u1', 'bjensen'), { context: {} });
      const refusals: [StoreResourceType, ScimResource[], ScimResource][] = [
        // A unique value taken by a stored resource, and by one earlier in the list.
        [userResourceType, [user('u2', 'alice'), user('u3', 'BJensen')], user('u3', 'BJensen')],
        [userResourceType, [user('u2', 'alice'), user('u3', 'ALICE')], user('u3', 'ALICE')],
        // An id taken, by a stored resource and by one earlier in the list.
        [userResourceType, [user('u2', 'alice'), user('u1', 'other')], user('u1', 'other')],
        [userResourceType, [user('u2', 'alice'), user('u2', 'other')], user('u2', 'other')],
      ];
      for (const [type, list, culprit] of refusals) {
        const expected = await scimMessage(
          env.store.transaction(async () => {
            for (const resource of list.slice(0, -1)) await env.store.create(type, resource, { context: {} });
            await env.store.create(type, culprit, { context: {} });
          }),
        );
        expect(await scimMessage(env.store.importResources(type, list, { context: {} }))).toBe(expected);
        expect(await env.ids(userResourceType, 'userName pr')).toEqual(['u1']);
      }
      // A group of one stored member too, whose list held a refused one: no member rows left.
      await expect(
        env.store.importResources(
          groupResourceType,
          [
            {
              schemas: [GROUP],
              id: 'g1',
              displayName: 'A',
              members: [{ value: 'u1' }],
              meta: meta('Group', 'g1'),
            },
            { schemas: [GROUP], id: 'g1', displayName: 'B', meta: meta('Group', 'g1') },
          ],
          { context: {} },
        ),
      ).rejects.toMatchObject({ status: 409 });
      expect(await env.store.groupsOf('u1', { context: {} })).toEqual([]);
      expect(await env.database.execute(`SELECT * FROM ${env.database.table('members')}`)).toEqual([]);
    });

    it('is one write of the transaction it is made in: undone with it', async () => {
      await expect(
        env.store.transaction(async () => {
          await env.store.importResources(userResourceType, [user('u1', 'a'), user('u2', 'b')], {
            context: {},
          });
          expect(await env.ids(userResourceType, 'userName pr')).toEqual(['u1', 'u2']);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await env.ids(userResourceType, 'userName pr')).toEqual([]);
      await env.store.importResources(userResourceType, [], { context: {} });
      expect(await env.ids(userResourceType, 'userName pr')).toEqual([]);
    });
  });
}
