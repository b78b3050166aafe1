import { describe, expect, it } from 'vitest';
import { parseDateTime, parsed, parseInstant } from './date-time.js';

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

describe('parseInstant', () => {
  it('returns seconds, nanoseconds and the fraction digits written', () => {
    expect(parseInstant('2011-05-13T06:42:34.1234567+02:00')).toEqual({
      seconds: 1305261754,
      nanos: 123456700,
      fractionDigits: 7,
    });
    expect(parseInstant('2011-05-13T04:42:34Z')).toEqual({
      seconds: 1305261754,
      nanos: 0,
      fractionDigits: 0,
    });
    expect(parseInstant('2011-05-13T04:42:34.1234567891Z')?.fractionDigits).toBe(10);
  });

  it('does not carry fraction digits over from an earlier parse', () => {
    expect(parseInstant('2011-05-13T04:42:34.5Z')?.fractionDigits).toBe(1);
    expect(parseInstant('2011-05-13T04:42:34Z')?.fractionDigits).toBe(0);
  });

  it('is undefined for what parseDateTime rejects, and for non-strings', () => {
    expect(parseInstant('2011-02-29T04:42:34Z')).toBeUndefined();
    expect(parseInstant('yesterday')).toBeUndefined();
    expect(parseInstant(42 as unknown as string)).toBeUndefined();
  });
});
