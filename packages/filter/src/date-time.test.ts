import { describe, expect, it } from 'vitest';
import { parseDateTime, parsed } from './date-time.js';

function key(text: string): [number, number] | undefined {
  return parseDateTime(text) ? [parsed.seconds, parsed.nanos] : undefined;
}

describe('parseDateTime', () => {
  it('agrees with Date.parse to the millisecond', () => {
    for (const text of [
      '1970-01-01T00:00:00Z',
      '2011-05-13T04:42:34Z',
      '2000-02-29T23:59:59.999Z',
      '1969-12-31T23:59:59Z',
    ]) {
      const [seconds, nanos] = key(text)!;
      expect(seconds * 1000 + nanos / 1e6).toBe(Date.parse(text));
    }
  });

  it('applies offsets and keeps nanoseconds', () => {
    expect(key('2011-05-13T06:42:34.1234567+02:00')).toEqual([1305261754, 123456700]);
    expect(key('2011-05-13T04:42:34.1234567891z')).toEqual([1305261754, 123456789]);
    expect(key('2011-05-12T23:12:34-05:30')).toEqual([1305261754, 0]);
    expect(key('2011-05-13 04:42:34')).toEqual([1305261754, 0]);
  });

  it('rejects malformed or impossible timestamps', () => {
    for (const text of [
      '',
      '2011-05-13',
      '2011-13-13T04:42:34Z',
      '2011-02-29T04:42:34Z',
      '2011-04-31T04:42:34Z',
      '2011-05-13T24:42:34Z',
      '2011-05-13T04:42:34.Z',
      '2011-05-13T04:42:34+2:00',
      '2011-05-13T04:42:34Zjunk',
      '2011/05/13T04:42:34Z',
      'yesterday at noon, roughly',
    ]) {
      expect(parseDateTime(text)).toBe(false);
    }
  });
});
