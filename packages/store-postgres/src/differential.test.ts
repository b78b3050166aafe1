import { randomBytes } from 'node:crypto';
import { describeQueryDifferential } from '@scimkit/sql-store-suite';
import { pgUrl, postgresHarness, testPool } from '../test/pg.js';
import { createPostgresStore } from './index.js';

// The database is created for this file with a default collation that does NOT sort by code
// point (ICU en-US: "a" < "B" < "b", punctuation ignored at first), when the server has ICU:
// answers must not depend on the database's locale.
describeQueryDifferential(postgresHarness, {
  async database() {
    const admin = testPool(1);
    const database = `scimkit_diff_${randomBytes(6).toString('hex')}`;
    const icu = await admin.query("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'");
    await admin.query(
      icu.rows.length > 0
        ? `CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`
        : `CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8'`,
    );
    const url = new URL(pgUrl);
    url.pathname = `/${database}`;
    return {
      async open(options = {}) {
        const store = createPostgresStore({
          connection: { connectionString: url.toString(), max: 2 },
          ...options,
        });
        await store.ready();
        return store;
      },
      async drop() {
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      },
    };
  },
});
