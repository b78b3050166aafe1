/**
 * The SQLite store under the shared SQL-store suites: every test database is a file in a
 * temporary directory of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlStoreHarness, SqlTestDatabase } from '@scimkit/sql-store-suite';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../src/index.js';

/** A new database file in a temporary directory, removed by `drop()`. */
function temporaryDatabase(): SqlTestDatabase<SqliteStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimkit-sqlite-'));
  const file = path.join(dir, 'scim.db');
  return {
    location: file,
    open: (options = {}) => createSqliteStore({ filename: file, ...options }),
    async execute(sql, params = []) {
      const db = new Database(file);
      try {
        // The store's per-row queryTimeout check, so that its statements can be explained here too
        // (and the plan shows the check does not keep SQLite from the index).
        db.function('scim_guard', { deterministic: false }, () => 1);
        const statement = db.prepare(sql);
        if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
        statement.run(...params);
        return [];
      } finally {
        db.close();
      }
    },
    table: (name) => name,
    drop: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** How the shared suites open and inspect a SQLite store. */
export const sqliteHarness: SqlStoreHarness<SqliteStore> = {
  name: 'createSqliteStore',
  database: temporaryDatabase,
  errors: {
    uniqueViolation: /UNIQUE constraint failed/,
    missingMembersTable: /no such table: members/,
  },
  queryPlan: {
    async explain(database, statement) {
      const rows = await database.execute(`EXPLAIN QUERY PLAN ${statement.sql}`, statement.params);
      return rows.map((row) => String(row['detail'])).join('\n');
    },
    expectIndexLookup(plan) {
      expect(plan).toMatch(/attribute_values_lookup \(tenant=\? AND type=\? AND path=\? AND value=\?\)/);
      // Resource rows are then fetched by key, never scanned.
      expect(plan).toMatch(
        /SEARCH r USING (COVERING )?INDEX resources_order \(tenant=\? AND type=\? AND seq=\?\)/,
      );
      expect(plan).not.toMatch(/SCAN r\b/);
    },
    expectMemberLookup(plan) {
      expect(plan).toMatch(
        /SEARCH m USING (COVERING )?INDEX members_by_folded_member \(tenant=\? AND <expr>=\?\)/,
      );
      // The groups are then fetched by key: no group is scanned, and no member row read per group.
      expect(plan).toMatch(
        /SEARCH g USING (COVERING )?INDEX resources_key \(tenant=\? AND type=\? AND id=\?\)/,
      );
      expect(plan).toMatch(
        /SEARCH r USING ((COVERING )?INDEX resources_order \(tenant=\? AND type=\? AND seq=\?\)|INTEGER PRIMARY KEY \(rowid=\?\))/,
      );
      expect(plan).not.toMatch(/SCAN (r|m)\b/);
      expect(plan).not.toMatch(/CORRELATED/);
    },
  },
  crash: {
    opener: fileURLToPath(new URL('../src/__fixtures__/open-store.ts', import.meta.url)),
    bulk: { killed: 5000, committed: 2000 },
    async integrity(database) {
      const [row] = await database.execute('PRAGMA integrity_check');
      return row?.['integrity_check'];
    },
  },
};
