/**
 * An allocation-free parser for xsd:dateTime / RFC 3339 timestamps, precise to the
 * nanosecond: `2011-05-13T04:42:34Z`, `2011-05-13T06:42:34.1234567+02:00`. Results land in
 * {@link parsed} so hot loops allocate nothing; {@link parseInstant} is the public form.
 */

/**
 * The last successful {@link parseDateTime}: seconds since the epoch, the nanoseconds within
 * that second and how many fraction digits the text had.
 */
export const parsed = { seconds: 0, nanos: 0, fractionDigits: 0 };

function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i) - 0x30;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses `YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm]` (no offset means UTC) into
 * {@link parsed}; returns false for anything else.
 */
export function parseDateTime(text: string): boolean {
  const length = text.length;
  if (length < 19) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const t = text.charCodeAt(10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > DAYS_IN_MONTH[month - 1]! ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60 ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    (t !== 0x54 && t !== 0x74 && t !== 0x20) ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a
  ) {
    return false;
  }
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
  let position = 19;
  let nanos = 0;
  let fractionDigits = 0;
  if (text.charCodeAt(position) === 0x2e) {
    position++;
    const start = position;
    while (position < length) {
      const code = text.charCodeAt(position) - 0x30;
      if (code < 0 || code > 9) break;
      if (position - start < 9) nanos = nanos * 10 + code;
      position++;
    }
    if (position === start) return false;
    fractionDigits = position - start;
    for (let i = Math.min(fractionDigits, 9); i < 9; i++) nanos *= 10;
  }
  let offset = 0;
  if (position < length) {
    const sign = text.charCodeAt(position);
    if ((sign === 0x5a || sign === 0x7a) && position + 1 === length) {
      // Z
    } else if (
      (sign === 0x2b || sign === 0x2d) &&
      position + 6 === length &&
      text.charCodeAt(position + 3) === 0x3a
    ) {
      const offsetHour = digits(text, position + 1, 2);
      const offsetMinute = digits(text, position + 4, 2);
      if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59) return false;
      offset = (offsetHour * 60 + offsetMinute) * (sign === 0x2d ? -1 : 1);
    } else {
      return false;
    }
  }
  parsed.seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + (minute - offset) * 60 + second;
  parsed.nanos = nanos;
  parsed.fractionDigits = fractionDigits;
  return true;
}

/**
 * An instant parsed from an xsd:dateTime, precise to the nanosecond.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3.5
 */
export interface Instant {
  /** Seconds since 1970-01-01T00:00:00Z. */
  seconds: number;
  /** Nanoseconds within the second (0–999,999,999). */
  nanos: number;
  /** How many fraction digits the text had (digits past the ninth are ignored). */
  fractionDigits: number;
}

/**
 * Parses an xsd:dateTime the way `compileFilter` compares `dateTime` attributes:
 * `YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm]` (a space or lower-case `t`/`z` is accepted, no
 * offset means UTC, leap second 60 allowed), precise to the nanosecond. Undefined for anything
 * else, including impossible dates such as `2011-02-29`. Filter pushdowns (such as
 * `@scimkit/sql`) use it to accept exactly the values the evaluator accepts.
 *
 * @example
 * ```ts
 * import { parseInstant } from '@scimkit/filter';
 *
 * parseInstant('2011-05-13T06:42:34.5+02:00'); // { seconds: 1305261754, nanos: 500000000, fractionDigits: 1 }
 * parseInstant('yesterday'); // undefined
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3.5
 */
export function parseInstant(text: string): Instant | undefined {
  if (typeof text !== 'string' || !parseDateTime(text)) return undefined;
  return { seconds: parsed.seconds, nanos: parsed.nanos, fractionDigits: parsed.fractionDigits };
}
