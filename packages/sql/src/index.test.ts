import { describe, expect, it } from 'vitest';
import * as internalSurface from './entries/internal.js';
import * as publicSurface from './index.js';

describe('@scimkit/sql public surface', () => {
  it('is the translator: filters, sorts, queries, cursors, dialects and fragments', () => {
    expect(Object.keys(publicSurface).sort()).toEqual([
      'canonicalAttributePath',
      'dateTimeKey',
      'decodeCursor',
      'encodeCursor',
      'escapeLike',
      'identifier',
      'isSqlFragment',
      'joinSql',
      'keysetAfter',
      'postgresDialect',
      'renderSql',
      'sql',
      'sqliteDialect',
      'translateFilter',
      'translateQuery',
      'translateSort',
    ]);
  });

  it('exports dateTimeKey, and neither parseInstant nor a parseDateTime that would shadow the filter package', () => {
    expect(Object.hasOwn(publicSurface, 'parseDateTime')).toBe(false);
    expect(Object.hasOwn(publicSurface, 'parseInstant')).toBe(false);
    expect(publicSurface.dateTimeKey('2024-01-01T01:00:00+01:00')).toBe(
      publicSurface.dateTimeKey('2024-01-01T00:00:00Z'),
    );
  });

  it('keeps the store-building helpers on the internal subpath only', () => {
    for (const name of ['storageLayout', 'membersChangedInPlace', 'projectionShowsChild', 'queryTimedOut']) {
      expect(Object.hasOwn(internalSurface, name), name).toBe(true);
      expect(Object.hasOwn(publicSurface, name), name).toBe(false);
    }
  });
});
