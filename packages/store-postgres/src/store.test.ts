import { parseFilter } from '@scimkit/filter';
import { groupResourceType, isScimError, type ScimResource, userResourceType } from '@scimkit/schema';
import { all, group, ids, meta, queryUsers, rejection, USER, user } from '@scimkit/sql-store-suite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshSchema, openStore, testPool } from '../test/pg.js';
import { createPostgresStore, type PostgresStore } from './index.js';

// What only the PostgreSQL store does; the behaviour every SQL store shares is in sql-store.test.ts.

let schema: string;
let store: PostgresStore;
const db = testPool();

beforeEach(async () => {
  schema = freshSchema('store');
  store = openStore({ schema });
  await store.ready();
});

afterEach(async () => {
  await store.close();
});

describe('createPostgresStore', () => {
  it('records versioned migrations, migrates once when stores start together, and refuses a newer schema', async () => {
    await store.close();
    const schemaName = freshSchema('migrate');
    const stores = Array.from({ length: 4 }, () => openStore({ schema: schemaName }));
    await Promise.all(stores.map((s) => s.ready()));
    await Promise.all(stores.map((s) => s.close()));
    const { rows } = await db.query(
      `SELECT version, description FROM ${schemaName}.schema_migrations ORDER BY version`,
    );
    expect(rows).toEqual([
      { version: 1, description: 'resources, attribute index, members' },
      { version: 2, description: 'members by folded value' },
      { version: 3, description: 'members by lower-cased value (member-scoped PATCH reads)' },
    ]);
    await db.query(
      `INSERT INTO ${schemaName}.schema_migrations (version, description) VALUES (99, 'from the future')`,
    );
    const newer = openStore({ schema: schemaName });
    await expect(newer.ready()).rejects.toThrow(
      /at version 99, newer than this @scimkit\/store-postgres supports \(3\)/,
    );
    await expect(newer.get(userResourceType, 'u1', { context: {} })).rejects.toThrow(/version 99/);
    await newer.close();
    store = openStore();
  });

  it('tries migrating again on the next call after a failure', async () => {
    await db.query(
      `INSERT INTO ${schema}.schema_migrations (version, description) VALUES (99, 'from the future')`,
    );
    const again = openStore({ schema });
    await expect(again.ready()).rejects.toThrow(/version 99/);
    await db.query(`DELETE FROM ${schema}.schema_migrations WHERE version = 99`);
    await again.ready();
    await again.close();
  });

  it('works inside a transaction on a pool of one connection, first use of a type included', async () => {
    await store.close();
    const single = testPool(1);
    store = openStore({ schema: freshSchema('single'), pool: single });
    await store.ready();
    await store.transaction(async () => {
      await store.create(userResourceType, user('u1', 'one'), { context: {} });
      await store.create(groupResourceType, group('g1', 'Admins', ['u1']), { context: {} });
      expect(await ids(store, userResourceType, 'userName eq "ONE"')).toEqual(['u1']);
      expect((await store.get(groupResourceType, 'g1', { context: {} }))?.members).toEqual([
        { value: 'u1', type: 'User' },
      ]);
    });
    expect(await store.groupsOf('u1', { context: {} })).toEqual([{ id: 'g1', displayName: 'Admins' }]);
  });

  it('rebuilds the attribute index when indexedAttributes change, also inside a transaction that holds the only connection (undone with it)', async () => {
    await store.create(userResourceType, user('u1', 'one', { name: { familyName: 'Jensen' } }), {
      context: {},
    });
    await store.create(userResourceType, user('u2', 'two', { name: { familyName: 'Smith' } }), {
      context: {},
    });
    await store.close();
    const statements: string[] = [];
    // A pool of one: the transaction holds the only connection, so the rebuild runs inside it.
    const options = {
      schema,
      pool: testPool(1),
      indexedAttributes: { User: ['name.familyName'] },
      onQuery: ({ sql }: { sql: string }) => void statements.push(sql),
    };
    store = openStore(options);
    await expect(
      store.transaction(async () => {
        expect(await ids(store, userResourceType, 'name.familyName eq "JENSEN"')).toEqual(['u1']);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM ${schema}.attribute_values WHERE path = 'name.familyName'`,
    );
    expect(rows[0]).toEqual({ n: 0 });
    statements.length = 0;
    expect(await ids(store, userResourceType, 'name.familyName eq "smith"')).toEqual(['u2']);
    expect(statements.some((statement) => statement.includes('attribute_values'))).toBe(true);
    const rebuilt = await db.query(
      `SELECT value FROM ${schema}.attribute_values WHERE path = 'name.familyName' ORDER BY value`,
    );
    expect(rebuilt.rows).toEqual([{ value: 'jensen' }, { value: 'smith' }]);
  });

  it('keeps the attribute index complete while processes with different indexedAttributes share it (a rolling deploy, issue 19)', async () => {
    const familyName = (name: string) => ({ name: { familyName: name } });
    await store.create(userResourceType, user('u1', 'one', familyName('Jensen')), { context: {} });
    // A process of the new release starts: it rebuilds the index with name.familyName.
    const deployed = openStore({ schema, indexedAttributes: { User: ['name.familyName'] } });
    try {
      expect(await ids(deployed, userResourceType, 'name.familyName eq "JENSEN"')).toEqual(['u1']);
      // A process of the old release writes on, with the layout it checked when it started.
      await store.create(userResourceType, user('u2', 'two', familyName('Smith')), { context: {} });
      await store.replace(userResourceType, user('u1', 'one', familyName('Jensen-Li')), { context: {} });
      expect(await ids(deployed, userResourceType, 'name.familyName eq "smith"')).toEqual(['u2']);
      expect(await ids(deployed, userResourceType, 'name.familyName eq "jensen-li"')).toEqual(['u1']);
      const { rows } = await db.query(
        `SELECT value FROM ${schema}.attribute_values WHERE path = 'name.familyName' ORDER BY value`,
      );
      expect(rows).toEqual([{ value: 'jensen-li' }, { value: 'smith' }]);
      // An old process that restarts rebuilds the index its way; the new ones follow it.
      await store.close();
      store = openStore({ schema });
      expect(await ids(store, userResourceType, 'userName eq "two"')).toEqual(['u2']);
      await deployed.create(userResourceType, user('u3', 'three', familyName('Brown')), { context: {} });
      expect(await ids(deployed, userResourceType, 'name.familyName eq "brown"')).toEqual(['u3']);
      expect(await ids(store, userResourceType, 'userName eq "three"')).toEqual(['u3']);
    } finally {
      await deployed.close();
    }
  });

  it('without ICU, answers case-insensitive non-ASCII filters in memory, and the same', async () => {
    await store.close();
    const statements: string[] = [];
    store = openStore({ icu: false, onQuery: ({ sql }) => void statements.push(sql) });
    await store.create(userResourceType, user('u1', 'Émile', { displayName: 'ΟΔΥΣΣΕΥΣ' }), { context: {} });
    await store.create(userResourceType, user('u2', 'emile'), { context: {} });
    expect(await ids(store, userResourceType, 'userName eq "ÉMILE"')).toEqual(['u1']);
    expect(await ids(store, userResourceType, 'displayName eq "οδυσσευς"')).toEqual(['u1']);
    expect(await ids(store, userResourceType, 'userName sw "EM"')).toEqual(['u2']);
    expect(statements.join('\n')).not.toContain('und-x-icu');
    expect(statements.join('\n')).toContain('COLLATE "default"');
  });

  it('leaves a borrowed pool open on close, and refuses calls once closed', async () => {
    const borrowed = testPool(2);
    const other = openStore({ pool: borrowed });
    await other.create(userResourceType, user('u1', 'one'), { context: {} });
    await other.close();
    expect((await borrowed.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await expect(other.get(userResourceType, 'u1', { context: {} })).rejects.toThrow(
      'The PostgreSQL store is closed.',
    );
  });

  it('runs its statements prepared by default (each planned once per connection), and unnamed with preparedStatements: false', async () => {
    const prepared = async (preparedStatements: boolean | undefined): Promise<number> => {
      // One connection: the store's statements and the count below run on the same session.
      const borrowed = testPool(1);
      const one = openStore(
        preparedStatements === undefined ? { pool: borrowed } : { pool: borrowed, preparedStatements },
      );
      await one.create(userResourceType, user('u1', 'bjensen'), { context: {} });
      await one.replace(userResourceType, user('u1', 'babs'), { context: {} });
      expect((await one.get(userResourceType, 'u1', { context: {} }))?.userName).toBe('babs');
      const page = await one.query(
        userResourceType,
        { filter: parseFilter('userName eq "BABS"'), page: { kind: 'index', startIndex: 1, count: 10 } },
        { context: {} },
      );
      expect(page.resources.map((resource) => resource.id)).toEqual(['u1']);
      await one.close();
      const { rows } = await borrowed.query<{ named: string }>(
        "SELECT count(*) AS named FROM pg_prepared_statements WHERE name LIKE 'scimkit_%'",
      );
      return Number(rows[0]?.named);
    };
    expect(await prepared(undefined)).toBeGreaterThanOrEqual(4);
    expect(await prepared(false)).toBe(0);
  });

  it('lets a transaction in progress finish its calls when close() is called meanwhile, then closes', async () => {
    const schemaName = freshSchema('closing');
    const closing = openStore({ schema: schemaName });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = closing.transaction(async () => {
      await closing.create(userResourceType, user('u1', 'one'), { context: {} });
      await gate;
      await closing.create(userResourceType, user('u2', 'two'), { context: {} });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A graceful shutdown (SIGTERM) while an atomic bulk request runs.
    const closed = closing.close();
    release();
    await transaction;
    await closed;
    await expect(closing.get(userResourceType, 'u1', { context: {} })).rejects.toThrow(
      'The PostgreSQL store is closed.',
    );
    const reopened = openStore({ schema: schemaName });
    expect(await ids(reopened, userResourceType, 'userName pr')).toEqual(['u1', 'u2']);
    await reopened.close();
  });

  it('refuses a schema name PostgreSQL reserves (user, order, left) with a message naming it', async () => {
    for (const name of ['user', 'Order', 'left']) {
      const reserved = openStore({ schema: name });
      await expect(reserved.ready()).rejects.toThrow(
        `"${name.toLowerCase()}" is a reserved word of PostgreSQL`,
      );
      await reserved.close();
    }
  });

  it('reads documents back with their keys in schema order (jsonb keeps its own), own __proto__ keys included', async () => {
    const written = JSON.parse(
      JSON.stringify({
        meta: meta('User', 'k1'),
        userName: 'keys',
        name: { givenName: 'Barbara', familyName: 'Jensen' },
        emails: [{ primary: true, value: 'b@example.com', type: 'work' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          manager: { value: 'm1' },
          department: 'X',
        },
        id: 'k1',
        schemas: [USER],
        zzz: 1,
      }).replace('"zzz":1', '"__proto__":{"polluted":true}'),
    ) as ScimResource;
    await store.create(userResourceType, written, { context: {} });
    const read = (await store.get(userResourceType, 'k1', { context: {} }))!;
    expect(Object.keys(read)).toEqual([
      'schemas',
      'id',
      'userName',
      'name',
      'emails',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'meta',
      '__proto__',
    ]);
    expect(Object.keys(read.name as object)).toEqual(['familyName', 'givenName']);
    expect(Object.keys((read.emails as object[])[0]!)).toEqual(['value', 'type', 'primary']);
    expect(Object.keys(read.meta)).toEqual([
      'resourceType',
      'created',
      'lastModified',
      'location',
      'version',
    ]);
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.hasOwn(read, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(read).toEqual(written);
  });

  it('refuses a schema name that is not a plain identifier, and needs exactly one of pool and connection', () => {
    expect(() => openStore({ schema: 'x; DROP TABLE y' })).toThrow(/plain identifier/);
    expect(() => createPostgresStore({ schema: 'x' })).toThrow(/exactly one of `pool` and `connection`/);
  });

  it('hides a transaction from other connections until it ends, and makes a clashing create wait for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    let created!: () => void;
    const inside = new Promise<void>((resolve) => {
      created = resolve;
    });
    const transaction = store.transaction(async () => {
      await store.create(userResourceType, user('u1', 'one'), { context: {} });
      created();
      await gate;
      order.push('transaction done');
      throw new Error('rolled back');
    });
    // Not a pause: under load the transaction's create may take longer than any fixed wait.
    await inside;
    // Reads do not wait: they see the last committed state.
    expect(await store.get(userResourceType, 'u1', { context: {} })).toBeUndefined();
    order.push('outside read');
    // A create of the same userName waits on the unique index until the transaction ends.
    const clash = store.create(userResourceType, user('u2', 'ONE'), { context: {} }).then((created) => {
      order.push('outside create');
      return created;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    expect((await clash).id).toBe('u2');
    expect(order).toEqual(['outside read', 'transaction done', 'outside create']);
    expect(await ids(store, userResourceType, 'userName pr')).toEqual(['u2']);
  });

  it('runs the calls of a transaction one at a time on its connection, with nested transactions as savepoints', async () => {
    await store.transaction(async () => {
      // Concurrent calls inside work: serialised on the pinned client, each its own savepoint.
      const results = await Promise.allSettled([
        store.create(userResourceType, user('u1', 'one'), { context: {} }),
        store.create(userResourceType, user('u2', 'ONE'), { context: {} }),
        store.create(userResourceType, user('u3', 'three'), { context: {} }),
        store.query(userResourceType, { filter: parseFilter('userName pr'), page: all() }, { context: {} }),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      await expect(
        store.transaction(async () => {
          await store.create(userResourceType, user('u4', 'four'), { context: {} });
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await store.transaction(async () => {
        await store.create(userResourceType, user('u5', 'five'), { context: {} });
      });
    });
    expect(await ids(store, userResourceType, 'userName pr')).toEqual(['u1', 'u3', 'u5']);
  });

  it('runs concurrent nested transactions one after the other, so that one rolled back never undoes the other (issue 19)', async () => {
    await store.transaction(async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const failing = store.transaction(async () => {
        await store.create(userResourceType, user('u1', 'one'), { context: {} });
        await gate;
        throw new Error('inner');
      });
      const kept = store.transaction(async () => {
        await store.create(userResourceType, user('u2', 'two'), { context: {} });
        return 'kept';
      });
      // A call of the outer work while a nested transaction is open is not part of it either.
      const outer = store.create(userResourceType, user('u3', 'three'), { context: {} });
      setTimeout(release, 20);
      await expect(failing).rejects.toThrow('inner');
      expect(await kept).toBe('kept');
      await outer;
    });
    expect(await ids(store, userResourceType, 'userName pr')).toEqual(['u2', 'u3']);
  });

  it('runs a transaction again when PostgreSQL aborts it for a deadlock, as an atomic bulk request needs (issue 19)', async () => {
    await store.create(userResourceType, user('u1', 'one'), { context: {} });
    await store.create(userResourceType, user('u2', 'two'), { context: {} });
    // Both transactions lock their first user before either asks for its second: a deadlock.
    let arrived = 0;
    let open!: () => void;
    const both = new Promise<void>((resolve) => {
      open = resolve;
    });
    const runs = [0, 0];
    const swap = (index: number, order: string[]) =>
      store.transaction(async () => {
        runs[index] = (runs[index] ?? 0) + 1;
        const outcomes: unknown[] = [];
        for (const id of order) {
          // As the server's bulk executor does: a failed operation becomes a result.
          try {
            await store.replace(userResourceType, user(id, `${id}-${index}`), { context: {} });
            outcomes.push('replaced');
          } catch (error) {
            outcomes.push(error);
          }
          if (outcomes.length === 1 && (arrived += 1) === 2) open();
          await both;
        }
        return outcomes;
      });
    const outcomes = await Promise.all([swap(0, ['u1', 'u2']), swap(1, ['u2', 'u1'])]);
    expect(outcomes).toEqual([
      ['replaced', 'replaced'],
      ['replaced', 'replaced'],
    ]);
    // The deadlock's victim ran its work again (a retry may meet another deadlock: no exact count).
    expect(Math.max(...runs)).toBeGreaterThan(1);
  });

  it('ends a transaction only after the calls its work started, so none of them outlives the rollback', async () => {
    await store.close();
    // One connection: a call that ran on after the rollback would land on whoever borrows it next.
    store = openStore({ schema: freshSchema('drain'), pool: testPool(1) });
    await expect(
      store.transaction(async () => {
        await store.create(userResourceType, user('u0', 'zero'), { context: {} });
        // Promise.all rejects at the first failure while the other calls still wait their turn.
        await Promise.all([
          store.create(userResourceType, user('u1', 'ZERO'), { context: {} }),
          store.create(userResourceType, user('u2', 'two'), { context: {} }),
          store.create(userResourceType, user('u3', 'three'), { context: {} }),
        ]);
      }),
    ).rejects.toThrow(/already in use/);
    await store.transaction(async () => {
      await store.create(userResourceType, user('u4', 'four'), { context: {} });
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await ids(store, userResourceType, 'userName pr')).toEqual(['u4']);
  });

  it('runs a call made after the transaction ended (from a timer its work set) on the pool, not on its released connection', async () => {
    await store.close();
    store = openStore({ schema: freshSchema('late'), pool: testPool(1) });
    let late!: Promise<unknown>;
    await store.transaction(async () => {
      await store.create(userResourceType, user('u1', 'one'), { context: {} });
      late = new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        store.create(userResourceType, user('u2', 'two'), { context: {} }),
      );
    });
    // Another request's transaction borrows the connection meanwhile and rolls back.
    await expect(
      store.transaction(async () => {
        await store.create(userResourceType, user('u3', 'three'), { context: {} });
        await new Promise((resolve) => setTimeout(resolve, 150));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await late;
    expect(await ids(store, userResourceType, 'userName pr')).toEqual(['u1', 'u2']);
  });

  it('never deadlocks when transactions hold every connection while a first check of a type waits for one', async () => {
    await store.close();
    store = openStore({ schema: freshSchema('burst'), pool: testPool(2) });
    await store.ready();
    // Two bulk transactions take both connections; a plain query of the same type, first use
    // of Group, then waits for a connection to check the type's index. The transactions must not
    // wait for that check.
    const transactions = [1, 2].map((n) =>
      store.transaction(async () => {
        await store.create(groupResourceType, group(`g${n}`, `Group ${n}`, []), { context: {} });
      }),
    );
    const listed = store.query(groupResourceType, { page: all() }, { context: {} });
    const outcome = await Promise.race([
      Promise.all([...transactions, listed]).then(() => 'done'),
      new Promise((resolve) => setTimeout(resolve, 5000, 'deadlock')),
    ]);
    expect(outcome).toBe('done');
    expect(await ids(store, groupResourceType, 'displayName pr')).toEqual(['g1', 'g2']);
  });
});

describe('createPostgresStore queryTimeout', () => {
  /** 20,000 users written straight into the table (the store's index rows are not needed here). */
  async function manyUsers(target: string): Promise<void> {
    await db.query(`INSERT INTO ${target}.resources (tenant, type, id, version, data)
      SELECT '', 'User', 'u' || g, 'W/"1"', jsonb_build_object(
        'schemas', jsonb_build_array('${USER}'), 'id', 'u' || g, 'userName', 'user' || g,
        'emails', jsonb_build_array(jsonb_build_object('value', 'user' || g || '@example.com', 'type', 'work')),
        'meta', jsonb_build_object('resourceType', 'User', 'created', '2024-01-01T00:00:00Z',
          'lastModified', '2024-01-01T00:00:00Z', 'version', 'W/"1"'))
      FROM generate_series(1, 20000) AS g`);
  }

  /** A filter of about 4 kB (the server's default maxFilterLength) that PostgreSQL needs seconds for. */
  function hostileFilter(length = 4000): string {
    const parts: string[] = [];
    for (let index = 0; parts.join(' or ').length < length; index += 1)
      parts.push(`emails[value co "q${index}" and type ew "z"]`);
    return parts.join(' or ');
  }

  it('answers a filter that runs longer than queryTimeout with 400 tooMany, in about that time', async () => {
    const target = freshSchema('timeout');
    const bounded = openStore({ schema: target, queryTimeout: 300 });
    try {
      // First use of User before the rows arrive: its index check would otherwise rebuild 20,000 rows.
      await bounded.get(userResourceType, 'none', { context: {} });
      await manyUsers(target);
      const started = performance.now();
      const error = await bounded
        .query(
          userResourceType,
          { filter: parseFilter(hostileFilter(), { maxLength: 8000 }), page: all(10) },
          { context: {} },
        )
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(performance.now() - started).toBeLessThan(3000);
      expect(isScimError(error) && [error.status, error.scimType]).toEqual([400, 'tooMany']);
      // In-memory evaluation of a residual filter is bounded too: walking 20,000 rows in batches
      // of 500 takes far longer than 5 ms, whatever each batch's statement takes.
      const hurried = openStore({ schema: target, queryTimeout: 5 });
      const walked = await hurried
        .query(
          userResourceType,
          { filter: parseFilter('foo eq "x" or userName pr'), page: all(10) },
          { context: {} },
        )
        .then(
          () => undefined,
          (caught: unknown) => caught,
        )
        .finally(() => hurried.close());
      expect(isScimError(walked) && [walked.status, walked.scimType]).toEqual([400, 'tooMany']);
      // The connection is usable afterwards, and ordinary queries answer.
      const found = await bounded.query(
        userResourceType,
        { filter: parseFilter('id eq "u7"'), page: all(10) },
        { context: {} },
      );
      expect(found.resources.map((resource) => resource.id)).toEqual(['u7']);
    } finally {
      await bounded.close();
    }
  });
});

describe('createPostgresStore importResources', () => {
  it('refuses what create refuses (text PostgreSQL cannot store, a member value too long) and stores nothing', async () => {
    const fine = user('u1', 'alice');
    expect(
      await rejection(
        store.importResources(
          userResourceType,
          [fine, user('bad', 'bad', { displayName: 'nul\u0000inside' })],
          {
            context: {},
          },
        ),
      ),
    ).toEqual({ status: 400, scimType: 'invalidValue' });
    expect(
      await rejection(
        store.importResources(
          groupResourceType,
          [group('g-ok', 'Ok', ['u1']), group('g-long', 'Long', ['x'.repeat(1025)])],
          { context: {} },
        ),
      ),
    ).toEqual({ status: 400, scimType: 'invalidValue' });
    expect(await ids(store, userResourceType, 'userName pr')).toEqual([]);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${schema}.members`);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('imports a group of 20k members in their order, with its index rows', async () => {
    const members = Array.from({ length: 20_000 }, (_, i) => `m${i}`);
    await store.importResources(groupResourceType, [group('big', 'Big', members)], { context: {} });
    const { rows } = await db.query(
      `SELECT value FROM ${schema}.members WHERE group_id = 'big' ORDER BY seq`,
    );
    expect(rows.map((row) => row.value)).toEqual(members);
    const big = await store.get(groupResourceType, 'big', { context: {} });
    expect(((big?.['members'] ?? []) as { value: string }[]).map((member) => member.value)).toEqual(members);
    expect(await ids(store, groupResourceType, 'displayName eq "big"')).toEqual(['big']);
  });
});

describe('createPostgresStore query', () => {
  beforeEach(async () => {
    for (const person of queryUsers()) await store.create(userResourceType, person, { context: {} });
  });

  it('refuses text PostgreSQL cannot store with 400, and answers filters, ids and cursors holding it without a 500', async () => {
    for (const bad of ['nul\u0000inside', 'lone\ud800surrogate', 'lone\udc00low']) {
      expect(
        await rejection(
          store.create(userResourceType, user('bad', 'bad', { displayName: bad }), { context: {} }),
        ),
      ).toEqual({
        status: 400,
        scimType: 'invalidValue',
      });
      expect(
        await rejection(
          store.replace(userResourceType, user('u1', 'alice', { [bad]: 'x' }), { context: {} }),
        ),
      ).toEqual({ status: 400, scimType: 'invalidValue' });
      expect(await ids(store, userResourceType, `displayName eq ${JSON.stringify(bad)}`)).toEqual([]);
      expect(await ids(store, userResourceType, `userName ne ${JSON.stringify(bad)}`)).toHaveLength(5);
      expect(await store.get(userResourceType, bad, { context: {} })).toBeUndefined();
      expect(await store.delete(userResourceType, bad, { context: {} })).toBe(false);
      expect(await store.groupsOf(bad, { context: {} })).toEqual([]);
      expect((await store.groupsOfMany([bad, 'u1'], { context: {} })).get(bad)).toEqual([]);
    }
    expect(
      await rejection(
        store.create(groupResourceType, group('g-long', 'Long', ['x'.repeat(1025)]), { context: {} }),
      ),
    ).toEqual({ status: 400, scimType: 'invalidValue' });
    await store.create(groupResourceType, group('g-ok', 'Ok', ['é'.repeat(512)]), { context: {} });
    // Paired surrogates are fine.
    await store.create(userResourceType, user('emoji', 'emoji', { displayName: 'smile \u{1F600}' }), {
      context: {},
    });
    expect(await ids(store, userResourceType, 'displayName co "\u{1F600}"')).toEqual(['emoji']);
    // Forged cursors: a sort key of the wrong type, or text PostgreSQL refuses.
    const sort = {
      path: { kind: 'AttributePath' as const, attribute: 'meta', subAttribute: 'created' },
      order: 'ascending' as const,
    };
    const first = await store.query(
      userResourceType,
      { sort, page: { kind: 'cursor', count: 1 } },
      { context: {} },
    );
    // The forged cursors below are well-formed for this sort: only their key is wrong.
    expect(JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString())).toMatchObject({
      s: 'meta.created:ascending',
      k: expect.any(String),
    });
    for (const key of ['not a number', 'a\u0000b']) {
      const cursor = Buffer.from(
        JSON.stringify({ v: 1, s: 'meta.created:ascending', k: key, i: 1 }),
      ).toString('base64url');
      expect(
        await rejection(
          store.query(
            userResourceType,
            { sort, page: { kind: 'cursor', cursor, count: 2 } },
            { context: {} },
          ),
        ),
      ).toEqual({ status: 400, scimType: 'invalidCursor' });
    }
    // Inside a transaction the failed read is undone alone: the transaction goes on.
    await store.transaction(async () => {
      const cursor = Buffer.from(
        JSON.stringify({ v: 1, s: 'meta.created:ascending', k: 'x', i: 1 }),
      ).toString('base64url');
      await expect(
        store.query(userResourceType, { sort, page: { kind: 'cursor', cursor, count: 2 } }, { context: {} }),
      ).rejects.toMatchObject({ status: 400 });
      await store.create(userResourceType, user('after', 'after'), { context: {} });
    });
    expect(await ids(store, userResourceType, 'userName eq "after"')).toEqual(['after']);
  });
});
