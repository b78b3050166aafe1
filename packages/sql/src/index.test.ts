import { describe, expect, it } from 'vitest';
import * as publicSurface from './index.js';

describe('@scimkit/sql public surface', () => {
  it('exports parseInstant and dateTimeKey, and no parseDateTime that would shadow the filter package', () => {
    expect(Object.hasOwn(publicSurface, 'parseDateTime')).toBe(false);
    expect(publicSurface.parseInstant('2024-01-01T00:00:00.5Z')).toEqual({
      seconds: 1704067200,
      nanos: 500_000_000,
      fractionDigits: 1,
    });
    expect(publicSurface.dateTimeKey('2024-01-01T01:00:00+01:00')).toBe(
      publicSurface.dateTimeKey('2024-01-01T00:00:00Z'),
    );
  });
});
