import { groupResourceType, isScimError, type ScimResource, userResourceType } from '@scimkit/schema';
import { GROUP, meta, user } from '@scimkit/sql-store-suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, openStore, testPool } from '../test/pg.js';
import type { PostgresStore } from './index.js';

function statusOf(result: PromiseSettledResult<unknown>): number | string {
  if (result.status === 'fulfilled') return 'ok';
  return isScimError(result.reason) ? result.reason.status : String(result.reason);
}

// Two stores on the same schema, each with its own Pool: as two processes behind a load balancer.
const schema = freshSchema('race');
let a: PostgresStore;
let b: PostgresStore;
const db = testPool(1);

beforeAll(async () => {
  a = openStore({ schema });
  b = openStore({ schema });
  await Promise.all([a.ready(), b.ready()]);
});

afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

describe('createPostgresStore across two pools', () => {
  it('lets exactly one of two racing creates of the same userName win, the other a 409 uniqueness', async () => {
    for (let round = 0; round < 30; round += 1) {
      // Different case: userName is caseExact false, so these clash.
      const results = await Promise.allSettled([
        a.create(userResourceType, user(`a${round}`, `racer${round}`), { context: {} }),
        b.create(userResourceType, user(`b${round}`, `RACER${round}`), { context: {} }),
      ]);
      expect(results.map(statusOf).sort()).toEqual([409, 'ok']);
      const loser = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(loser.reason).toMatchObject({ status: 409, scimType: 'uniqueness' });
    }
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM ${schema}.attribute_values WHERE path = 'userName' AND value LIKE 'racer%'`,
    );
    expect(rows[0]).toEqual({ n: 30 });
  });

  it('lets exactly one of two racing creates of the same id win', async () => {
    const results = await Promise.allSettled([
      a.create(userResourceType, user('same-id', 'first'), { context: {} }),
      b.create(userResourceType, user('same-id', 'second'), { context: {} }),
    ]);
    expect(results.map(statusOf).sort()).toEqual([409, 'ok']);
    // The loser left nothing behind: its userName is free.
    const loserName = results[0]?.status === 'rejected' ? 'first' : 'second';
    await a.create(userResourceType, user('other-id', loserName), { context: {} });
  });

  it('lets exactly one of many replaces of one version win across pools (412 for the others)', async () => {
    await a.create(userResourceType, user('v1', 'versioned'), { context: {} });
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).replace(
          userResourceType,
          { ...user('v1', 'versioned'), nickName: `n${i}`, meta: meta('User', 'v1', 2) },
          { context: {}, expectedVersion: 'W/"1"' },
        ),
      ),
    );
    expect(attempts.map(statusOf).filter((status) => status === 'ok')).toHaveLength(1);
    expect(attempts.map(statusOf).filter((status) => status === 412)).toHaveLength(19);
    expect((await b.get(userResourceType, 'v1', { context: {} }))?.meta.version).toBe('W/"2"');
  });

  it('keeps group versions right when members are deleted and the group is patched concurrently', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `m${i}`);
    for (const id of ids) await a.create(userResourceType, user(id, `member-${id}`), { context: {} });
    const group: ScimResource = {
      schemas: [GROUP],
      id: 'g1',
      displayName: 'Crowd',
      members: ids.map((value) => ({ value })),
      meta: meta('Group', 'g1'),
    };
    await a.create(groupResourceType, group, { context: {} });
    // Deleting members from both pools at once: every delete bumps the group's version once.
    await Promise.all(
      ids.slice(0, 6).map((id, i) => (i % 2 ? a : b).delete(userResourceType, id, { context: {} })),
    );
    const after = (await a.get(groupResourceType, 'g1', { context: {} }))!;
    expect(after.meta.version).toBe('W/"7"');
    expect((after.members as { value: string }[]).map((member) => member.value)).toEqual(ids.slice(6));
    expect(await b.groupsOf('m9', { context: {} })).toEqual([{ id: 'g1', displayName: 'Crowd' }]);
  });
});
