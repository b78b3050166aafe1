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
    // No ANALYZE statistics, as in every store (none runs ANALYZE): the planner's defaults.
    const steps = plan(db, statements.groupsOfMany.source, [JSON.stringify(['u1', 'u2']), '']);
    expect(steps[0]).toMatch(/^SCAN wanted/);
    expect(steps).toContain('SEARCH m USING INDEX members_by_member (tenant=? AND value=?)');
    db.close();
  });
});
