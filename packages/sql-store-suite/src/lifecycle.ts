/**
 * The life of a resource in a SQL store: writes, reads, uniqueness enforced by the database,
 * optimistic concurrency, durability across reopening, transactions and tenants.
 */

import { parseFilter } from '@scimkit/filter';
import {
  groupResourceType,
  isScimError,
  type ResourceTypeDefinition,
  userResourceType,
} from '@scimkit/schema';
import { describe, expect, it } from 'vitest';
import { all, freshStore, group, meta, rejection, user } from './fixtures.js';
import type { SqlStoreHarness, SuiteStore } from './harness.js';

/** Registers the lifecycle tests of a SQL store. */
export function describeLifecycle<S extends SuiteStore>(harness: SqlStoreHarness<S>): void {
  describe(harness.name, () => {
    const env = freshStore(harness);

    it('creates, reads, replaces and deletes a resource', async () => {
      const created = await env.store.create(userResourceType, user('u1', 'bjensen', { active: true }), {
        context: {},
      });
      expect(created.userName).toBe('bjensen');
      expect(await env.store.get(userResourceType, 'u1', { context: {} })).toEqual(created);
      expect(await env.store.get(groupResourceType, 'u1', { context: {} })).toBeUndefined();
      const replaced = await env.store.replace(
        userResourceType,
        { ...created, userName: 'babs', meta: meta('User', 'u1', 2) },
        { context: {}, expectedVersion: 'W/"1"' },
      );
      expect((await env.store.get(userResourceType, 'u1', { context: {} }))?.userName).toBe('babs');
      expect(replaced.meta.version).toBe('W/"2"');
      expect(await env.store.delete(userResourceType, 'u1', { context: {} })).toBe(true);
      expect(await env.store.delete(userResourceType, 'u1', { context: {} })).toBe(false);
      expect(await env.store.get(userResourceType, 'u1', { context: {} })).toBeUndefined();
    });

    it('keeps data across close and reopen', async () => {
      await env.store.create(userResourceType, user('u1', 'bjensen'), { context: {} });
      await env.store.create(groupResourceType, group('g1', 'Admins', ['u1']), { context: {} });
      await env.store.close();
      env.store = await env.database.open();
      expect((await env.store.get(userResourceType, 'u1', { context: {} }))?.userName).toBe('bjensen');
      expect(await env.ids(userResourceType, 'userName eq "BJENSEN"')).toEqual(['u1']);
      expect(await env.store.groupsOf('u1', { context: {} })).toEqual([{ id: 'g1', displayName: 'Admins' }]);
    });

    it('rejects a duplicate userName case-insensitively with 409 uniqueness', async () => {
      await env.store.create(userResourceType, user('u1', 'bjensen'), { context: {} });
      expect(
        await rejection(env.store.create(userResourceType, user('u2', 'BJensen'), { context: {} })),
      ).toEqual({
        status: 409,
        scimType: 'uniqueness',
      });
      await env.store.create(userResourceType, user('u3', 'other'), { context: {} });
      expect(
        await rejection(env.store.replace(userResourceType, user('u3', 'BJENSEN'), { context: {} })),
      ).toEqual({
        status: 409,
        scimType: 'uniqueness',
      });
      // Keeping one's own userName (in another case) is fine.
      await env.store.replace(userResourceType, user('u1', 'BJensen'), { context: {} });
      expect(
        await rejection(env.store.create(userResourceType, user('u1', 'again'), { context: {} })),
      ).toEqual({
        status: 409,
        scimType: 'uniqueness',
      });
      expect(await env.ids(userResourceType, 'userName eq "bjensen"')).toEqual(['u1']);
    });

    it('keeps the index rows of a replace in step: changed attributes moved, unchanged ones kept', async () => {
      const emails = (...values: string[]) => values.map((value) => ({ value, type: 'work' }));
      await env.store.create(userResourceType, user('u1', 'bjensen', { emails: emails('b@x.org') }), {
        context: {},
      });
      const rows = async () =>
        (
          await env.database.execute(
            `SELECT path, value FROM ${env.database.table('attribute_values')} WHERE id = 'u1' ORDER BY path, value`,
          )
        ).map((row) => `${row['path']}=${row['value']}`);
      expect(await rows()).toEqual(['emails.value=b@x.org', 'userName=bjensen']);
      // No indexed attribute changes: the rows stay as they are.
      await env.store.replace(
        userResourceType,
        user('u1', 'bjensen', { emails: emails('b@x.org'), title: 'Boss' }),
        { context: {} },
      );
      expect(await rows()).toEqual(['emails.value=b@x.org', 'userName=bjensen']);
      // A rename and a new email: their rows move, the old values are free again.
      await env.store.replace(
        userResourceType,
        user('u1', 'babs', { emails: emails('b@x.org', 'babs@x.org') }),
        { context: {} },
      );
      expect(await rows()).toEqual(['emails.value=b@x.org', 'emails.value=babs@x.org', 'userName=babs']);
      expect(await env.ids(userResourceType, 'userName eq "BABS"')).toEqual(['u1']);
      expect(await env.ids(userResourceType, 'userName eq "bjensen"')).toEqual([]);
      await env.store.create(userResourceType, user('u2', 'BJensen'), { context: {} });
      expect(
        await rejection(env.store.replace(userResourceType, user('u1', 'bjensen'), { context: {} })),
      ).toEqual({ status: 409, scimType: 'uniqueness' });
      // The refused replace changed nothing.
      expect(await rows()).toEqual(['emails.value=b@x.org', 'emails.value=babs@x.org', 'userName=babs']);
      await env.store.replace(userResourceType, user('u1', 'babs'), {
        context: {},
      });
      expect(await rows()).toEqual(['userName=babs']);
    });

    it('enforces uniqueness in the database itself, not only in code', async () => {
      await env.store.create(userResourceType, user('u1', 'bjensen'), { context: {} });
      await expect(
        env.database.execute(
          `INSERT INTO ${env.database.table('attribute_values')} (tenant, type, id, seq, path, value, unique_scope) VALUES ('', 'User', 'u9', 9, 'userName', 'bjensen', 'type:User')`,
        ),
      ).rejects.toThrow(harness.errors.uniqueViolation);
    });

    it('honours caseExact and uniqueness of a custom resource type', async () => {
      const device: ResourceTypeDefinition = {
        name: 'Device',
        endpoint: '/Devices',
        schema: {
          id: 'urn:example:Device',
          attributes: [
            {
              name: 'serial',
              type: 'string',
              multiValued: false,
              required: true,
              caseExact: true,
              mutability: 'readWrite',
              returned: 'default',
              uniqueness: 'server',
            },
            {
              name: 'tags',
              type: 'string',
              multiValued: true,
              required: false,
              mutability: 'readWrite',
              returned: 'default',
            },
          ],
        },
        extensions: [],
      };
      const make = (id: string, serial: string, tags: string[] = []) => ({
        schemas: ['urn:example:Device'],
        id,
        serial,
        tags,
        meta: meta('Device', id),
      });
      await env.store.create(device, make('d1', 'ABC', ['Red', 'blue']), { context: {} });
      await env.store.create(device, make('d2', 'abc'), { context: {} });
      expect(await rejection(env.store.create(device, make('d3', 'ABC'), { context: {} }))).toEqual({
        status: 409,
        scimType: 'uniqueness',
      });
      expect(await env.ids(device, 'serial eq "abc"')).toEqual(['d2']);
      expect(await env.ids(device, 'tags eq "red"')).toEqual(['d1']);
      expect(await env.ids(device, 'tags sw "BL"')).toEqual(['d1']);
      // A Device and a User may share values: uniqueness is per resource type.
      await env.store.create(userResourceType, user('u1', 'ABC'), { context: {} });
    });

    it('answers 412 on a stale version and 404 on an unknown id', async () => {
      await env.store.create(userResourceType, user('u1', 'bjensen'), { context: {} });
      expect(
        await rejection(
          env.store.replace(userResourceType, user('u1', 'x'), { context: {}, expectedVersion: 'W/"7"' }),
        ),
      ).toEqual({ status: 412 });
      expect(
        await rejection(env.store.delete(userResourceType, 'u1', { context: {}, expectedVersion: 'W/"7"' })),
      ).toEqual({
        status: 412,
      });
      expect(
        await rejection(env.store.replace(userResourceType, user('nope', 'x'), { context: {} })),
      ).toEqual({
        status: 404,
      });
      expect((await env.store.get(userResourceType, 'u1', { context: {} }))?.userName).toBe('bjensen');
    });

    it('lets exactly one of 100 concurrent replaces of one version win, and loses no retried write', async () => {
      await env.store.create(userResourceType, user('u1', 'bjensen', { emails: [] }), { context: {} });
      const attempts = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) =>
          env.store.replace(
            userResourceType,
            { ...user('u1', 'bjensen', { nickName: `n${i}`, emails: [] }), meta: meta('User', 'u1', 2) },
            { context: {}, expectedVersion: 'W/"1"' },
          ),
        ),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      const failures = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(failures.every((f) => isScimError(f.reason) && f.reason.status === 412)).toBe(true);

      // Read-modify-write with retries: every writer's email survives.
      const writer = async (i: number) => {
        for (;;) {
          const current = (await env.store.get(userResourceType, 'u1', { context: {} }))!;
          const version = Number(/\d+/.exec(current.meta.version)![0]);
          const emails = [...(current.emails as unknown[]), { value: `w${i}@example.com` }];
          try {
            await env.store.replace(
              userResourceType,
              { ...current, emails, meta: { ...current.meta, version: `W/"${version + 1}"` } },
              { context: {}, expectedVersion: current.meta.version },
            );
            return;
          } catch (error) {
            if (!isScimError(error) || error.status !== 412) throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: 100 }, (_, i) => writer(i)));
      const final = (await env.store.get(userResourceType, 'u1', { context: {} }))!;
      expect((final.emails as unknown[]).length).toBe(100);
      expect(final.meta.version).toBe('W/"102"');
      expect(await env.ids(userResourceType, 'emails.value eq "W57@EXAMPLE.COM"')).toEqual(['u1']);
    });

    it('rolls back every write of a failed transaction and commits a successful one', async () => {
      await expect(
        env.store.transaction(async () => {
          await env.store.create(userResourceType, user('u1', 'one'), { context: {} });
          await env.store.create(userResourceType, user('u2', 'two'), { context: {} });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await env.ids(userResourceType, 'userName pr')).toEqual([]);
      await env.store.transaction(async () => {
        await env.store.create(userResourceType, user('u1', 'one'), { context: {} });
        await expect(env.store.create(userResourceType, user('u2', 'ONE'), { context: {} })).rejects.toThrow(
          /already in use/,
        );
        await env.store.create(userResourceType, user('u3', 'three'), { context: {} });
      });
      expect(await env.ids(userResourceType, 'userName pr')).toEqual(['u1', 'u3']);
    });

    it('partitions data by tenant', async () => {
      await env.store.create(userResourceType, user('u1', 'bjensen'), { context: { tenant: 'a' } });
      await env.store.create(userResourceType, user('u1', 'bjensen'), { context: { tenant: 'b' } });
      expect(await env.store.get(userResourceType, 'u1', { context: { tenant: 'c' } })).toBeUndefined();
      const inA = await env.store.query(
        userResourceType,
        { filter: parseFilter('userName eq "bjensen"'), page: all() },
        { context: { tenant: 'a' } },
      );
      expect(inA.totalResults).toBe(1);
    });
  });
}
