import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrations.js';
import { prepareStatements } from './statements.js';

/** The query plan SQLite picks for a statement, one line per step. */
function plan(db: Database.Database, source: string, params: unknown[]): string[] {
  return db
    .prepare(`EXPLAIN QUERY PLAN ${source}`)
    .all(...params)
    .map((row) => (row as { detail: string }).detail);
}

describe('the fixed statements', () => {
  it('find the groups of a page of users by member value, never by scanning every member row', () => {
    const db = new Database(':memory:');
    migrate(db);
    const statements = prepareStatements(db);
    // A large store as ANALYZE (PRAGMA optimize) describes it: 20k member rows of one tenant.
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
      INSERT INTO members (tenant, group_type, group_id, attribute, value)
      SELECT '', 'Group', 'g' || (i % 50), 'members', 'u' || i FROM n`);
    db.exec('ANALYZE');
    const steps = plan(db, statements.groupsOfMany.source, [JSON.stringify(['u1', 'u2']), '']);
    expect(steps[0]).toMatch(/^SCAN wanted/);
    expect(steps).toContain('SEARCH m USING INDEX members_by_member (tenant=? AND value=?)');
    db.close();
  });
});
