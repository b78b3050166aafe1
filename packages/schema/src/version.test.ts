import { describe, expect, it } from 'vitest';
import { nextVersion } from './version.js';

describe('nextVersion', () => {
  it('starts at W/"1" and counts up from a weak or strong ETag', () => {
    expect(nextVersion(undefined)).toBe('W/"1"');
    expect(nextVersion('W/"41"')).toBe('W/"42"');
    expect(nextVersion('"7"')).toBe('W/"8"');
  });

  it('starts again at W/"1" after a version of another scheme', () => {
    expect(nextVersion('')).toBe('W/"1"');
    expect(nextVersion('W/"abc"')).toBe('W/"1"');
    expect(nextVersion('2024-01-01T00:00:00Z')).toBe('W/"1"');
  });
});
