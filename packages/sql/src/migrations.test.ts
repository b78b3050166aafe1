import { describe, expect, it } from 'vitest';
import { type Migration, pendingMigrations } from './migrations.js';

const migrations: Migration[] = [
  { version: 1, description: 'tables', sql: 'CREATE TABLE a (x int)' },
  { version: 2, description: 'index', sql: 'CREATE INDEX a_x ON a (x)' },
];
const newer = (latest: number) => new Error(`newer than ${latest}`);

describe('pendingMigrations', () => {
  it('answers the migrations after the current version, in order', () => {
    expect(pendingMigrations(migrations, 0, newer).map((migration) => migration.version)).toEqual([1, 2]);
    expect(pendingMigrations(migrations, 1, newer).map((migration) => migration.version)).toEqual([2]);
    expect(pendingMigrations(migrations, 2, newer)).toEqual([]);
  });

  it('refuses a database written by a newer version, with the error the store words', () => {
    expect(() => pendingMigrations(migrations, 3, newer)).toThrow('newer than 2');
  });
});
