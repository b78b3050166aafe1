/**
 * Member slices (`getMemberSlice`, `replaceMemberSlice`): a PATCH that adds or removes a few
 * members of a large group reads and writes only those members. The store behaviour, and a
 * differential test through `createScimServer`: the same PATCHes applied on the slice path and
 * on the full path leave the same group and answer the same.
 */
import { groupResourceType, type ScimResource } from '@scimkit/schema';
import { createScimServer, type ScimStore } from '@scimkit/server';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freshStore, GROUP, group, meta, rejection } from './fixtures.js';
import type { SqlStoreHarness, SuiteStore } from './harness.js';

const context = {};

/** The store with its member-slice methods, counting the slice reads. */
function counting(store: SuiteStore): { store: ScimStore; slices: () => number } {
  let slices = 0;
  const counted = Object.create(store) as ScimStore;
  counted.getMemberSlice = (type, id, options) => {
    slices += 1;
    return store.getMemberSlice(type, id, options);
  };
  return { store: counted, slices: () => slices };
}

/** One request to a server, answered as status, ETag and JSON body. */
async function send(
  server: { fetch(request: Request): Promise<Response> },
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; etag: string | null; body: Record<string, unknown> }> {
  const response = await server.fetch(
    new Request(`http://localhost/scim/v2${url}`, {
      method,
      headers: { authorization: 'Bearer secret', 'content-type': 'application/scim+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** What must not differ between two groups patched alike (their ids, URLs and times do). */
function comparable(body: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, meta: stamp, members, ...rest } = body;
  const version = (stamp as { version?: string } | undefined)?.version;
  const list = Array.isArray(members)
    ? members.map((member: Record<string, unknown>) => {
        const { $ref: _ref, ...kept } = member;
        return kept;
      })
    : members;
  return { ...rest, version, members: list };
}

/** Member values that differ only in case, or in the Kelvin sign (which lower-cases to `k`). */
const VALUES = ['u1', 'U1', 'uk', 'uK', 'u\u212a', 'É1', 'é1', 'u2', 'x'];

const member = fc.oneof(
  fc.constantFrom(...VALUES),
  fc.record({ value: fc.constantFrom(...VALUES) }),
  fc.record({ value: fc.constantFrom(...VALUES), display: fc.constantFrom('Ann', 'Ben') }),
  fc.record({ value: fc.constantFrom(...VALUES), type: fc.constantFrom('User', 'Group') }),
  fc.record({ value: fc.constantFrom(...VALUES), nickName: fc.constant('unknown sub-attribute') }),
  fc.constant({ display: 'no value' }),
  fc.constant({ value: 5 }),
);

const operation = fc.oneof(
  fc.record({
    op: fc.constantFrom('add', 'Add'),
    path: fc.constant('members'),
    value: fc.array(member, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    op: fc.constantFrom('remove', 'Remove'),
    path: fc.constant('members'),
    value: fc.array(member, { minLength: 1, maxLength: 2 }),
  }),
  fc
    .constantFrom(...VALUES)
    .map((value) => ({ op: 'remove', path: `members[value eq ${JSON.stringify(value)}]` })),
  fc.constant({ op: 'remove', path: 'members[value eq "u1" or value eq "u2"]' }),
  fc.constant({ op: 'replace', path: 'displayName', value: 'Renamed' }),
);

/** Registers the member-slice tests of a SQL store. */
export function describeMemberSlices<S extends SuiteStore>(harness: SqlStoreHarness<S>): void {
  describe(`${harness.name} member slices`, () => {
    const env = freshStore(harness);

    it('reads only the members asked about, case-insensitively, and says whether others remain', async () => {
      await env.store.create(groupResourceType, group('g1', 'Admins', ['u1', 'U2', 'u\u212a', 'É3', 'u5']), {
        context,
      });
      const slice = await env.store.getMemberSlice(groupResourceType, 'g1', {
        context,
        values: ['U1', 'u2', 'uk', 'é3', 'absent'],
      });
      expect(slice).toEqual({
        resource: {
          ...group('g1', 'Admins', ['u1', 'U2', 'u\u212a', 'É3']),
          meta: expect.objectContaining({ version: 'W/"1"' }),
        },
        otherMembers: true,
      });
      const all = await env.store.getMemberSlice(groupResourceType, 'g1', {
        context,
        values: ['u1', 'u2', 'UK', 'é3', 'u5'],
      });
      expect(all?.otherMembers).toBe(false);
      expect(all?.resource.members).toHaveLength(5);
      const none = await env.store.getMemberSlice(groupResourceType, 'g1', { context, values: ['absent'] });
      expect(none?.resource).not.toHaveProperty('members');
      expect(none?.otherMembers).toBe(true);
      expect(none?.resource.displayName).toBe('Admins');
      expect(await env.store.getMemberSlice(groupResourceType, 'nope', { context, values: ['u1'] })).toBe(
        undefined,
      );
      // Another tenant sees nothing of it.
      expect(
        await env.store.getMemberSlice(groupResourceType, 'g1', {
          context: { tenant: 't2' },
          values: ['u1'],
        }),
      ).toBe(undefined);
    });

    it('writes the deltas of a slice, keeping the members it does not name, with 412 and 404', async () => {
      await env.store.create(groupResourceType, group('g1', 'Admins', ['u1', 'u2', 'u3']), { context });
      const next = { ...group('g1', 'Staff', ['u4']), meta: meta('Group', 'g1', 2) };
      await env.store.replaceMemberSlice(groupResourceType, next, {
        context,
        expectedVersion: 'W/"1"',
        deltas: [
          {
            attribute: 'members',
            added: [{ value: 'u4', type: 'User' }],
            removed: [{ value: 'u2', type: 'User' }],
          },
        ],
      });
      const stored = await env.store.get(groupResourceType, 'g1', { context });
      expect(stored).toMatchObject({ displayName: 'Staff', meta: { version: 'W/"2"' } });
      expect(stored?.members).toEqual(group('g1', '', ['u1', 'u3', 'u4']).members);
      expect(await env.store.groupsOf('u4', { context })).toEqual([{ id: 'g1', displayName: 'Staff' }]);
      expect(await env.store.groupsOf('u2', { context })).toEqual([]);
      const stale = env.store.replaceMemberSlice(groupResourceType, next, {
        context,
        expectedVersion: 'W/"1"',
        deltas: [{ attribute: 'members', added: [], removed: [{ value: 'u1' }] }],
      });
      expect(await rejection(stale)).toEqual({ status: 412 });
      const missing = env.store.replaceMemberSlice(
        groupResourceType,
        { ...next, id: 'nope' },
        {
          context,
          deltas: [{ attribute: 'members', added: [], removed: [{ value: 'u1' }] }],
        },
      );
      expect((await rejection(missing)).status).toBe(404);
      // The last members go: the attribute goes with them.
      const { members: _members, ...emptied } = { ...next, meta: meta('Group', 'g1', 3) } as Record<
        string,
        unknown
      >;
      await env.store.replaceMemberSlice(groupResourceType, emptied as ScimResource, {
        context,
        expectedVersion: 'W/"2"',
        deltas: [
          {
            attribute: 'members',
            added: [],
            removed: [{ value: 'u1' }, { value: 'u3' }, { value: 'u4' }],
          },
        ],
      });
      const empty = await env.store.get(groupResourceType, 'g1', { context });
      expect(empty).not.toHaveProperty('members');
      expect(empty?.meta.version).toBe('W/"3"');
    });

    it('keeps If-Match, 412, no-op versions and concurrent member PATCHes on the slice path', async () => {
      const { store, slices } = counting(env.store);
      // Two servers on one store: their in-process locks differ, so the store's version check decides.
      const servers = [0, 1].map(() => createScimServer({ store, auth: { tokens: ['secret'] } }));
      const [one, two] = servers as [(typeof servers)[0], (typeof servers)[0]];
      const created = await send(one, 'POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'G',
        members: [{ value: 'a' }, { value: 'b' }],
      });
      const url = `/Groups/${created.body.id}?excludedAttributes=members`;
      const patch = (Operations: unknown[]) => ({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations,
      });
      const add = (value: string) => patch([{ op: 'add', path: 'members', value: [{ value }] }]);
      const stale = await one.fetch(
        new Request(`http://localhost/scim/v2${url}`, {
          method: 'PATCH',
          headers: {
            authorization: 'Bearer secret',
            'content-type': 'application/scim+json',
            'if-match': 'W/"9"',
          },
          body: JSON.stringify(add('c')),
        }),
      );
      expect(stale.status).toBe(412);
      const matching = await one.fetch(
        new Request(`http://localhost/scim/v2${url}`, {
          method: 'PATCH',
          headers: {
            authorization: 'Bearer secret',
            'content-type': 'application/scim+json',
            'if-match': String(created.etag),
          },
          body: JSON.stringify(add('c')),
        }),
      );
      expect(matching.status).toBe(200);
      const version = matching.headers.get('etag');
      expect(version).not.toBe(created.etag);
      // Adding a member already there (another case) changes nothing: same version.
      const again = await send(two, 'PATCH', url, add('C'));
      expect([again.status, again.etag]).toEqual([200, version]);
      expect(again.body).not.toHaveProperty('members');
      const added = Array.from({ length: 12 }, (_, k) => `m${k}`);
      const answers = await Promise.all(
        added.map((value, k) => send(k % 2 === 0 ? one : two, 'PATCH', url, add(value))),
      );
      expect(answers.map((answer) => answer.status)).toEqual(added.map(() => 200));
      const removed = await send(one, 'PATCH', url, patch([{ op: 'remove', path: 'members[value eq "A"]' }]));
      expect(removed.status).toBe(200);
      const stored = await send(one, 'GET', `/Groups/${created.body.id}`);
      const values = (stored.body['members'] as { value: string }[]).map((member) => member.value);
      expect(values.sort()).toEqual(['b', 'c', ...added].sort());
      expect(stored.body['meta']).toMatchObject({ version: removed.etag });
      expect(slices()).toBeGreaterThanOrEqual(16);
    });

    it('PATCHes members on a slice exactly as on the whole group (differential, through the server)', async () => {
      const { store, slices } = counting(env.store);
      const lenient = createScimServer({ store, auth: { tokens: ['secret'] } });
      const strict = createScimServer({ store, auth: { tokens: ['secret'] }, strict: true });
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.constantFrom('u1', 'uK', 'É1', 'u2', 'x'), { maxLength: 4 }),
          fc.boolean(),
          fc.array(fc.array(operation, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          async (initial, others, patches, strictMode) => {
            const server = strictMode ? strict : lenient;
            const members = [...initial, ...(others ? ['other-1', 'other-2'] : [])].map((value) => ({
              value,
            }));
            const body = { schemas: [GROUP], displayName: 'G', ...(members.length > 0 ? { members } : {}) };
            const sliced = await send(server, 'POST', '/Groups', body);
            const whole = await send(server, 'POST', '/Groups', body);
            expect([sliced.status, whole.status]).toEqual([201, 201]);
            for (const Operations of patches) {
              const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations };
              // excludedAttributes=members: the slice path can answer; attributes with members: it cannot.
              const fast = await send(
                server,
                'PATCH',
                `/Groups/${sliced.body.id}?excludedAttributes=members`,
                patch,
              );
              const full = await send(
                server,
                'PATCH',
                `/Groups/${whole.body.id}?excludedAttributes=displayName`,
                patch,
              );
              expect(fast.status).toBe(full.status);
              if (fast.status !== 200) {
                expect(fast.body['scimType']).toBe(full.body['scimType']);
                continue;
              }
              expect(fast.etag).toBe(full.etag);
              const { members: _members, ...shown } = comparable(full.body);
              expect(comparable(fast.body)).toEqual({ ...shown, displayName: fast.body['displayName'] });
            }
            const [a, b] = await Promise.all([
              send(server, 'GET', `/Groups/${sliced.body.id}`),
              send(server, 'GET', `/Groups/${whole.body.id}`),
            ]);
            expect(comparable(a.body)).toEqual(comparable(b.body));
          },
        ),
        { numRuns: 40 },
      );
      // The slice path ran (a PATCH of members alone, with an answer that leaves them out).
      expect(slices()).toBeGreaterThan(0);
    });
  });
}
