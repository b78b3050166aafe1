/**
 * Group members as rows of their own: PATCH deltas that change rows instead of rewriting the
 * group, the members' order after a PATCH, reading the rows only when a response can show them,
 * and `groupsOfMany`.
 */
import { parseAttributeList, parseFilter } from '@scimkit/filter';
import { applyPatch, type PatchOperation } from '@scimkit/patch';
import { groupResourceType, userResourceType } from '@scimkit/schema';
import type { StoreQuery } from '@scimkit/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { all, freshStore, GROUP, group, meta, type StoreEnvironment, user } from './fixtures.js';
import type { SqlStoreHarness, SuiteStore } from './harness.js';

/** The member rows of every group, in insertion order, read beside the store. */
async function memberRows(
  env: StoreEnvironment,
): Promise<{ seq: number; group_id: string; value: string }[]> {
  const rows = await env.database.execute(
    `SELECT CAST(seq AS INTEGER) AS seq, group_id, value FROM ${env.database.table('members')} ORDER BY seq`,
  );
  return rows as { seq: number; group_id: string; value: string }[];
}

/** Registers the member tests of a SQL store. */
export function describeMembers<S extends SuiteStore>(harness: SqlStoreHarness<S>): void {
  describe(harness.name, () => {
    const env = freshStore(harness);

    it('keeps group members in rows and applies PATCH deltas without rewriting the group', async () => {
      for (const id of ['u1', 'u2', 'u3', 'u4'])
        await env.store.create(userResourceType, user(id, id), { context: {} });
      await env.store.create(groupResourceType, group('g1', 'Admins', ['u1', 'u2', 'u3']), { context: {} });
      await env.store.create(groupResourceType, group('g2', 'Users', ['u1']), { context: {} });
      const rowsBefore = await memberRows(env);
      await env.store.replace(
        groupResourceType,
        { ...group('g1', 'Admins', ['u1', 'u3', 'u4']), meta: meta('Group', 'g1', 2) },
        {
          context: {},
          expectedVersion: 'W/"1"',
          deltas: [
            { attribute: 'members', added: [{ value: 'u4', type: 'User' }], removed: [{ value: 'u2' }] },
          ],
        },
      );
      const rowsAfter = await memberRows(env);
      // Untouched members keep their rows (same sequence numbers): only one row out, one in.
      const key = (r: { group_id: string; value: string }) => `${r.group_id}/${r.value}`;
      const before = new Map(rowsBefore.map((r) => [key(r), r.seq]));
      const kept = rowsAfter.filter((r) => before.get(key(r)) === r.seq).map(key);
      expect(kept.sort()).toEqual(['g1/u1', 'g1/u3', 'g2/u1']);
      expect(rowsAfter.map(key).sort()).toEqual(['g1/u1', 'g1/u3', 'g1/u4', 'g2/u1']);
      const g1 = (await env.store.get(groupResourceType, 'g1', { context: {} }))!;
      expect(g1.members).toEqual([
        { value: 'u1', type: 'User' },
        { value: 'u3', type: 'User' },
        { value: 'u4', type: 'User' },
      ]);
      expect(await env.store.groupsOf('u1', { context: {} })).toEqual([
        { id: 'g1', displayName: 'Admins' },
        { id: 'g2', displayName: 'Users' },
      ]);
      expect(await env.ids(groupResourceType, 'members[value eq "u4"]')).toEqual(['g1']);
      expect(
        await env.ids(groupResourceType, 'members.value eq "u1" and not (members.value eq "u3")'),
      ).toEqual(['g2']);
      expect(await env.ids(groupResourceType, 'members pr')).toEqual(['g1', 'g2']);
      // Deleting a user removes its memberships everywhere.
      await env.store.delete(userResourceType, 'u1', { context: {} });
      expect(await env.store.groupsOf('u1', { context: {} })).toEqual([]);
      const g2 = (await env.store.get(groupResourceType, 'g2', { context: {} }))!;
      expect(g2.members).toBeUndefined();
      expect(g2.meta.version).toBe('W/"2"');
      expect((await env.store.get(groupResourceType, 'g1', { context: {} }))!.meta.version).toBe('W/"3"');
      // A full replace (PUT) rewrites the list.
      await env.store.replace(groupResourceType, group('g1', 'Admins', ['u2']), { context: {} });
      expect((await env.store.get(groupResourceType, 'g1', { context: {} }))!.members).toEqual([
        { value: 'u2', type: 'User' },
      ]);
    });

    it('lists members after a PATCH in the order the PATCH response did', async () => {
      let stored = await env.store.create(groupResourceType, group('g1', 'Admins', ['a', 'b', 'c']), {
        context: {},
      });
      const patch = async (...operations: PatchOperation[]) => {
        const { resource, deltas } = applyPatch(stored, operations, { resourceType: groupResourceType });
        const next = { ...resource, meta: { ...resource.meta, version: `W/"${Date.now()}"` } };
        await env.store.replace(groupResourceType, next, {
          context: {},
          expectedVersion: stored.meta.version,
          deltas,
        });
        stored = (await env.store.get(groupResourceType, 'g1', { context: {} }))!;
        expect(stored.members).toEqual((next as Record<string, unknown>).members);
        return (stored.members as { value: string; display?: string }[]).map((m) => m.value).join(',');
      };
      // Changed where it stands (an unset sub-attribute set: members' are immutable once set):
      // the row is updated and keeps its place.
      expect(await patch({ op: 'replace', path: 'members[value eq "a"].display', value: 'Alice' })).toBe(
        'a,b,c',
      );
      // Removed then added again: last, in the response and in the store alike.
      expect(
        await patch(
          { op: 'remove', path: 'members[value eq "b"]' },
          { op: 'add', path: 'members', value: [{ value: 'b', display: 'Bob' }] },
        ),
      ).toBe('a,c,b');
      // The last member changed in place, then a new member: both stay in that order.
      expect(
        await patch(
          { op: 'replace', path: 'members[value eq "b"].type', value: 'User' },
          { op: 'add', path: 'members', value: [{ value: 'd' }] },
        ),
      ).toBe('a,c,b,d');
    });

    it('keeps the members order of the document a PATCH delta describes: a value changed in place stays, one removed and added again moves last', async () => {
      const members = (list: [string, string?][]) =>
        list.map(([value, type]) => (type ? { value, type } : { value }));
      const patch = async (version: number, list: [string, string?][], changed: string) => {
        const next = {
          ...group('g1', 'Admins', []),
          members: members(list),
          meta: meta('Group', 'g1', version),
        };
        const added = next.members.filter((member) => member.value === changed);
        await env.store.replace(groupResourceType, next, {
          context: {},
          expectedVersion: `W/"${version - 1}"`,
          deltas: [{ attribute: 'members', added, removed: [{ value: changed, type: 'User' }] }],
        });
        return (await env.store.get(groupResourceType, 'g1', { context: {} }))?.members;
      };
      await env.store.create(groupResourceType, group('g1', 'Admins', ['u1', 'u2', 'u3']), { context: {} });
      // `replace members[value eq "u1"].type "Group"`: the value keeps its place, as in the document.
      expect(
        await patch(
          2,
          [
            ['u1', 'Group'],
            ['u2', 'User'],
            ['u3', 'User'],
          ],
          'u1',
        ),
      ).toEqual(
        members([
          ['u1', 'Group'],
          ['u2', 'User'],
          ['u3', 'User'],
        ]),
      );
      // `remove members[value eq "u2"]` then `add members [{value: "u2"}]`: appended, as in the document.
      expect(await patch(3, [['u1', 'Group'], ['u3', 'User'], ['u2']], 'u2')).toEqual(
        members([['u1', 'Group'], ['u3', 'User'], ['u2']]),
      );
      // The last value changed in place stays last.
      expect(
        await patch(
          4,
          [
            ['u1', 'Group'],
            ['u3', 'User'],
            ['u2', 'User'],
          ],
          'u2',
        ),
      ).toEqual(
        members([
          ['u1', 'Group'],
          ['u3', 'User'],
          ['u2', 'User'],
        ]),
      );
    });

    it('lists members after a PATCH replacing the whole list in the order of the PATCH response', async () => {
      // A replace of the whole list orders members as it likes: new ones first, old ones swapped.
      const lists = [
        [
          { value: 'x' },
          { value: 'a', type: 'User' },
          { value: 'b', type: 'User' },
          { value: 'c', type: 'User' },
        ],
        [
          { value: 'c', type: 'User' },
          { value: 'a', type: 'User', display: 'A' },
          { value: 'b', type: 'User' },
        ],
        [{ value: 'c', type: 'User' }, { value: 'b', type: 'User' }, { value: 'y' }],
      ];
      for (const [index, value] of lists.entries()) {
        const id = `g${index}`;
        const stored = await env.store.create(
          groupResourceType,
          group(id, `Group ${index}`, ['a', 'b', 'c']),
          {
            context: {},
          },
        );
        const { resource, deltas } = applyPatch(stored, [{ op: 'replace', path: 'members', value }], {
          resourceType: groupResourceType,
        });
        expect(deltas[0]?.replaced).toBe(true);
        const next = { ...resource, meta: { ...resource.meta, version: 'W/"2"' } };
        await env.store.replace(groupResourceType, next, {
          context: {},
          expectedVersion: stored.meta.version,
          deltas,
        });
        expect((await env.store.get(groupResourceType, id, { context: {} }))!.members).toEqual(value);
      }
    });
  });

  describe(`${harness.name} projection hints`, () => {
    const env = freshStore(harness);

    async function members(query: Partial<StoreQuery>): Promise<unknown> {
      const result = await env.store.query(
        groupResourceType,
        { filter: parseFilter('displayName eq "staff"'), page: all(), ...query },
        { context: {} },
      );
      expect(result.resources.map((resource) => resource.id)).toEqual(['g1']);
      return result.resources[0]?.members;
    }

    beforeEach(async () => {
      await env.store.create(groupResourceType, group('g1', 'staff', ['u1', 'u2']), { context: {} });
    });

    it('leaves members out when the response cannot show them, and reads them otherwise', async () => {
      const both = [
        { value: 'u1', type: 'User' },
        { value: 'u2', type: 'User' },
      ];
      expect(await members({})).toEqual(both);
      expect(await members({ excludedAttributes: parseAttributeList('members') })).toBeUndefined();
      expect(await members({ excludedAttributes: parseAttributeList('MEMBERS') })).toBeUndefined();
      expect(await members({ excludedAttributes: parseAttributeList(`${GROUP}:members`) })).toBeUndefined();
      expect(await members({ attributes: parseAttributeList('displayName') })).toBeUndefined();
      // Sub-attribute exclusions and selections that include members still read the rows.
      expect(await members({ excludedAttributes: parseAttributeList('members.display') })).toEqual(both);
      expect(await members({ attributes: parseAttributeList('displayName,members.value') })).toEqual(both);
      expect(await members({ attributes: parseAttributeList(GROUP) })).toEqual(both);
      // attributes wins over excludedAttributes, as in the server's shaping.
      expect(
        await members({
          attributes: parseAttributeList('members'),
          excludedAttributes: parseAttributeList('members'),
        }),
      ).toEqual(both);
    });

    it('does not read the members table for excludedAttributes=members', async () => {
      // Hide the members table from a second connection: any statement the store runs on it
      // now fails with "no such table".
      await env.database.execute(`ALTER TABLE ${env.database.table('members')} RENAME TO members_hidden`);
      expect(await members({ excludedAttributes: parseAttributeList('members') })).toBeUndefined();
      expect(await members({ attributes: parseAttributeList('id,displayName') })).toBeUndefined();
      await expect(members({})).rejects.toThrow(harness.errors.missingMembersTable);
      // GET by id with the same projection hint skips them too; without a hint (a read before a
      // write) the whole resource is needed.
      const projected = await env.store.get(groupResourceType, 'g1', {
        context: {},
        projection: { excludedAttributes: parseAttributeList('members') },
      });
      expect(projected).toMatchObject({ id: 'g1', displayName: 'staff' });
      expect(projected).not.toHaveProperty('members');
      await expect(env.store.get(groupResourceType, 'g1', { context: {} })).rejects.toThrow(
        harness.errors.missingMembersTable,
      );
    });

    it('still reads members to evaluate an in-memory filter on them', async () => {
      await env.store.create(groupResourceType, group('g2', 'other', ['u3']), { context: {} });
      const result = await env.store.query(
        groupResourceType,
        {
          filter: parseFilter('members[value eq "u3"] or members.value eq "u2"'),
          page: all(),
          excludedAttributes: parseAttributeList('members'),
        },
        { context: {} },
      );
      expect(result.resources.map((resource) => resource.id).sort()).toEqual(['g1', 'g2']);
    });
  });

  describe(`${harness.name} groupsOfMany`, () => {
    const env = freshStore(harness);

    it('answers the groups of many members as groupsOf does, with an entry for every id', async () => {
      await env.store.create(groupResourceType, group('g1', 'staff', ['u1', 'u2']), { context: {} });
      await env.store.create(groupResourceType, group('g2', 'admins', ['u2']), { context: {} });
      await env.store.create(groupResourceType, group('g3', 'elsewhere', ['u1']), {
        context: { tenant: 't' },
      });
      const groups = await env.store.groupsOfMany(['u1', 'u2', 'nobody', '__proto__', 'u1'], { context: {} });
      expect([...groups.entries()]).toEqual([
        ['u1', [{ id: 'g1', displayName: 'staff' }]],
        [
          'u2',
          [
            { id: 'g1', displayName: 'staff' },
            { id: 'g2', displayName: 'admins' },
          ],
        ],
        ['nobody', []],
        ['__proto__', []],
      ]);
      expect((await env.store.groupsOfMany(['u1'], { context: { tenant: 't' } })).get('u1')).toEqual([
        { id: 'g3', displayName: 'elsewhere' },
      ]);
      expect((await env.store.groupsOfMany([], { context: {} })).size).toBe(0);
      for (const memberId of ['u1', 'u2']) {
        expect(groups.get(memberId)).toEqual(await env.store.groupsOf(memberId, { context: {} }));
      }
    });

    it("lists each member's groups in the order they were created, whatever their ids, each once", async () => {
      const untitled = group('m', '', ['u1', '__proto__']);
      delete untitled['displayName'];
      await env.store.create(groupResourceType, group('z', 'first', ['u1', '__proto__', 'u1']), {
        context: {},
      });
      await env.store.create(groupResourceType, untitled, { context: {} });
      await env.store.create(groupResourceType, group('a', 'last', ['u2', 'u1']), { context: {} });
      const groups = await env.store.groupsOfMany(['__proto__', 'u1', 'u2'], { context: {} });
      expect([...groups.entries()]).toEqual([
        ['__proto__', [{ id: 'z', displayName: 'first' }, { id: 'm' }]],
        ['u1', [{ id: 'z', displayName: 'first' }, { id: 'm' }, { id: 'a', displayName: 'last' }]],
        ['u2', [{ id: 'a', displayName: 'last' }]],
      ]);
      for (const memberId of ['__proto__', 'u1', 'u2']) {
        expect(groups.get(memberId)).toEqual(await env.store.groupsOf(memberId, { context: {} }));
      }
    });
  });
}
