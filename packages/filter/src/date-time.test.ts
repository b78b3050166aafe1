import { describe, expect, it } from 'vitest';
import { isDateTime, parseDateTime, parsed, parseInstant, sameDateTime } from './date-time.js';

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

describe('isDateTime', () => {
  it('accepts xsd:dateTime values, with or without an offset', () => {
    for (const text of [
      '2011-08-01T18:29:49.793Z',
      '2011-08-01T20:29:49+02:00',
      '2011-08-01T18:29:49',
      '2011-08-01T18:29:49z',
      '2000-02-29T00:00:00Z',
      '2011-08-01T23:59:60Z',
      '2011-08-01T18:29:49+14:59',
    ]) {
      expect(isDateTime(text)).toBe(true);
    }
  });

  it('accepts what xsd:dateTime allows and an instant does not: signed or long years, 24:00:00', () => {
    for (const text of ['-0001-01-01T00:00:00Z', '12011-08-01T00:00:00Z', '2011-08-01T24:00:00Z']) {
      expect(isDateTime(text)).toBe(true);
      expect(parseDateTime(text)).toBe(false);
    }
  });

  it('rejects what an instant allows and xsd:dateTime does not: t or a space, offsets past 14 hours', () => {
    for (const text of ['2011-08-01t18:29:49Z', '2011-08-01 18:29:49Z', '2011-08-01T18:29:49+15:00']) {
      expect(isDateTime(text)).toBe(false);
      expect(parseDateTime(text)).toBe(true);
    }
  });

  it('rejects impossible dates and other text', () => {
    for (const text of [
      '',
      'yesterday',
      '2011-02-29T00:00:00Z',
      '2011-13-01T00:00:00Z',
      '2011-08-01T24:00:01Z',
      '2011-08-01',
      '201-08-01T00:00:00Z',
      '+2011-08-01T00:00:00Z',
      '2011-08-01T18:29:49.Z',
      '2011-08-01T18:29:49Z\n',
    ]) {
      expect(isDateTime(text)).toBe(false);
    }
  });
});

describe('sameDateTime', () => {
  it('compares instants to the nanosecond, across offsets', () => {
    expect(sameDateTime('2011-05-13T04:42:34Z', '2011-05-13T06:42:34+02:00')).toBe(true);
    expect(sameDateTime('2011-05-13T04:42:34.5Z', '2011-05-13T04:42:34.500000000Z')).toBe(true);
    expect(sameDateTime('2011-05-13T04:42:34.0000001Z', '2011-05-13T04:42:34.0000002Z')).toBe(false);
    expect(sameDateTime('2011-08-01T23:59:60Z', '2011-08-01T23:59:60Z')).toBe(true);
  });

  it('treats text that is not a dateTime as equal only to itself', () => {
    expect(sameDateTime('soon', 'soon')).toBe(true);
    expect(sameDateTime('soon', '2011-05-13T04:42:34Z')).toBe(false);
    expect(sameDateTime('2011-05-13T04:42:34Z', 'soon')).toBe(false);
  });
});
