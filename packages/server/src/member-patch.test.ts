import { groupResourceType } from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_OP, startServer } from './__fixtures__/harness.js';
import type { ScimEvent, ScimStore } from './index.js';
import { memberValuesOf } from './member-patch.js';
import { createMemoryStore } from './memory-store.js';

/** The memory store, counting the member-slice reads the server makes. */
function countingStore(): { store: ScimStore; slices: () => number } {
  const inner = createMemoryStore();
  let slices = 0;
  return {
    store: {
      ...inner,
      getMemberSlice: (type, id, options) => {
        slices += 1;
        return inner.getMemberSlice!(type, id, options);
      },
    },
    slices: () => slices,
  };
}

const add = (value: string) => ({
  schemas: [PATCH_OP],
  Operations: [{ op: 'add', path: 'members', value: [{ value }] }],
});

describe('memberValuesOf', () => {
  it('names the members of the operations the slice path applies, and nothing for others', () => {
    const ops = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
    expect(
      memberValuesOf(
        ops(
          { op: 'add', path: 'members', value: [{ value: 'a', display: 'A' }, 'b'] },
          { op: 'remove', path: 'members[value eq "c\\"d"]' },
          { op: 'Remove', path: 'Members', value: [{ value: 'e' }] },
        ),
      ),
    ).toEqual(['a', 'b', 'c"d', 'e']);
    // Every member removed, a replace, another filter, a member without value, other keys.
    expect(memberValuesOf(ops({ op: 'remove', path: 'members' }))).toBeUndefined();
    expect(memberValuesOf(ops({ op: 'replace', path: 'members', value: [{ value: 'a' }] }))).toBeUndefined();
    expect(memberValuesOf(ops({ op: 'remove', path: 'members[display eq "a"]' }))).toBeUndefined();
    expect(
      memberValuesOf(ops({ op: 'remove', path: 'members[value eq "a" or value eq "b"]' })),
    ).toBeUndefined();
    expect(memberValuesOf(ops({ op: 'add', path: 'members', value: [{ display: 'a' }] }))).toBeUndefined();
    expect(memberValuesOf(ops({ op: 'add', path: 'members', value: [{ Value: 'a' }] }))).toBeUndefined();
    expect(memberValuesOf(ops({ op: 'add', value: { members: [{ value: 'a' }] } }))).toBeUndefined();
    expect(memberValuesOf(ops({ Op: 'add', path: 'members', value: [{ value: 'a' }] }))).toBeUndefined();
    expect(memberValuesOf({ schemas: [PATCH_OP], operations: [] })).toBeUndefined();
  });
});

describe('a Group PATCH on a member slice', () => {
  it('runs when the answer leaves members out, and answers the whole group when it shows them', async () => {
    const { store, slices } = countingStore();
    const h = await startServer({ store });
    try {
      const created = await h.call('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Staff',
        members: [{ value: 'a' }, { value: 'b' }],
      });
      const sliced = await h.call('PATCH', `/Groups/${created.body.id}?excludedAttributes=members`, add('c'));
      expect(sliced.status).toBe(200);
      expect(sliced.body).toMatchObject({ displayName: 'Staff', meta: { version: 'W/"2"' } });
      expect(sliced.body).not.toHaveProperty('members');
      expect(slices()).toBe(1);
      // Without a projection the answer shows every member: the whole group is read.
      const whole = await h.call('PATCH', `/Groups/${created.body.id}`, add('d'));
      expect(whole.body.members.map((member: { value: string }) => member.value)).toEqual([
        'a',
        'b',
        'c',
        'd',
      ]);
      expect(slices()).toBe(1);
      const stored = await store.get(groupResourceType, created.body.id, { context: {} });
      expect(stored?.members).toEqual([{ value: 'a' }, { value: 'b' }, { value: 'c' }, { value: 'd' }]);
    } finally {
      await h.close();
    }
  });

  it('leaves the slice path to the whole group when an onPatched hook needs it before and after', async () => {
    const { store, slices } = countingStore();
    const events: ScimEvent[] = [];
    const h = await startServer({ store, onPatched: (event) => void events.push(event) });
    try {
      const created = await h.call('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Staff',
        members: [{ value: 'a' }],
      });
      const patched = await h.call(
        'PATCH',
        `/Groups/${created.body.id}?excludedAttributes=members`,
        add('b'),
      );
      expect(patched.status).toBe(200);
      expect(slices()).toBe(0);
      expect(events).toHaveLength(1);
      expect(events[0]?.previous?.members).toEqual([{ value: 'a' }]);
      expect(events[0]?.resource?.members).toEqual([{ value: 'a' }, { value: 'b' }]);
    } finally {
      await h.close();
    }
  });
});

describe("memberPatchResponse: 'noContent'", () => {
  it('answers a member PATCH without a projection 204 with its ETag, on the slice path', async () => {
    const { store, slices } = countingStore();
    const h = await startServer({ store, memberPatchResponse: 'noContent' });
    try {
      const created = await h.call('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Staff',
        members: [{ value: 'a' }],
      });
      const patched = await h.call('PATCH', `/Groups/${created.body.id}`, add('b'));
      expect(patched.status).toBe(204);
      expect(patched.headers.get('etag')).toBe('W/"2"');
      expect(slices()).toBe(1);
      const read = await h.call('GET', `/Groups/${created.body.id}`);
      expect(read.body.members.map((member: { value: string }) => member.value)).toEqual(['a', 'b']);
      // Asked for a projection, or not only members: answered with the resource as before.
      const projected = await h.call('PATCH', `/Groups/${created.body.id}?attributes=displayName`, add('c'));
      expect(projected.status).toBe(200);
      expect(projected.body).toMatchObject({ displayName: 'Staff' });
      const renamed = await h.call('PATCH', `/Groups/${created.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'displayName', value: 'All staff' }],
      });
      expect(renamed.status).toBe(200);
      // Errors are errors: a member PATCH of a group that does not exist.
      expect((await h.call('PATCH', '/Groups/absent', add('d'))).status).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('answers 204 on the full path too (an onPatched hook), with the hook given the whole group', async () => {
    const { store, slices } = countingStore();
    const events: ScimEvent[] = [];
    const h = await startServer({
      store,
      memberPatchResponse: 'noContent',
      onPatched: (event) => void events.push(event),
    });
    try {
      const created = await h.call('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Staff',
        members: [{ value: 'a' }],
      });
      const patched = await h.call('PATCH', `/Groups/${created.body.id}`, add('b'));
      expect(patched.status).toBe(204);
      expect(patched.headers.get('etag')).toBe('W/"2"');
      expect(slices()).toBe(0);
      expect(events[0]?.resource?.members).toEqual([{ value: 'a' }, { value: 'b' }]);
    } finally {
      await h.close();
    }
  });
});

describe('createMemoryStore member slices', () => {
  it('reads the members asked about case-insensitively and writes deltas keeping the others', async () => {
    const store = createMemoryStore();
    const context = {};
    const meta = (version: number) => ({
      resourceType: 'Group',
      created: '2026-01-01T00:00:00Z',
      lastModified: '2026-01-01T00:00:00Z',
      location: 'https://x/Groups/g',
      version: `W/"${version}"`,
    });
    const members = ['a', 'B', 'c'].map((value) => ({ value }));
    await store.create(
      groupResourceType,
      { schemas: [GROUP_SCHEMA], id: 'g', displayName: 'G', members, meta: meta(1) },
      { context },
    );
    const slice = await store.getMemberSlice!(groupResourceType, 'g', { context, values: ['b', 'x'] });
    expect(slice?.resource.members).toEqual([{ value: 'B' }]);
    expect(slice?.otherMembers).toBe(true);
    const next = {
      schemas: [GROUP_SCHEMA],
      id: 'g',
      displayName: 'G',
      members: [{ value: 'd' }],
      meta: meta(2),
    };
    const deltas = [{ attribute: 'members', added: [{ value: 'd' }], removed: [{ value: 'B' }] }];
    await expect(
      store.replaceMemberSlice!(groupResourceType, next, { context, expectedVersion: 'W/"9"', deltas }),
    ).rejects.toMatchObject({ status: 412 });
    await store.replaceMemberSlice!(groupResourceType, next, { context, expectedVersion: 'W/"1"', deltas });
    const stored = await store.get(groupResourceType, 'g', { context });
    expect(stored?.members).toEqual([{ value: 'a' }, { value: 'c' }, { value: 'd' }]);
    expect(stored?.meta.version).toBe('W/"2"');
  });
});
