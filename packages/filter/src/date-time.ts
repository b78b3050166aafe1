/**
 * The one parser of dateTime text in scimkit, allocation-free and precise to the nanosecond:
 * `2011-05-13T04:42:34Z`, `2011-05-13T06:42:34.1234567+02:00`. It reads the lexical form once
 * and answers the two questions the packages ask:
 *
 * - {@link isDateTime}: may an attribute hold this value (xsd:dateTime, RFC 7643 2.3.5)?
 *   `@scimkit/schema` validates with it and `@scimkit/patch` checks PATCH values with it.
 * - {@link parseDateTime} (and the public {@link parseInstant}): which instant does a filter
 *   value or a compared attribute value stand for? `compileFilter` compares with it and filter
 *   pushdowns such as `@scimkit/sql` key values with it.
 *
 * The two accept slightly different spellings, kept as they were when they were separate
 * parsers; {@link Extra} lists each difference.
 */

/**
 * The last successful {@link parseDateTime} or {@link isDateTime}: seconds since the epoch,
 * the nanoseconds within that second and how many fraction digits the text had.
 */
export const parsed = { seconds: 0, nanos: 0, fractionDigits: 0 };

/** Spellings that only one of the two rules accepts; {@link scan} notes which the text used. */
const Extra = {
  /** `t` or a space between date and time (RFC 3339 5.6 allows them): instants only. */
  LenientSeparator: 1,
  /** An offset of 15 to 23 hours (xsd:dateTime stops at 14:00): instants only. */
  WideOffset: 2,
  /** A `-` sign or more than four year digits (xsd:dateTime allows both): validation only. */
  ExtendedYear: 4,
  /** `24:00:00`, the end of the day (xsd:dateTime 1.0): validation only. */
  EndOfDay: 8,
} as const;

/** The extras validation does not accept. */
const NOT_VALID = Extra.LenientSeparator | Extra.WideOffset;
/** The extras an instant does not accept. */
const NOT_INSTANT = Extra.ExtendedYear | Extra.EndOfDay;

/** The {@link Extra} flags of the last successful {@link scan}. */
let extras = 0;

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

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * Reads `[-]YYYY[Y…]-MM-DD(T|t| )hh:mm:ss[.fraction][Z|z|±hh:mm]` (no offset means UTC) with
 * calendar ranges checked into {@link parsed}, noting the {@link Extra} spellings it used in
 * {@link extras}; false for anything else.
 */
function scan(text: string): boolean {
  const length = text.length;
  let flags = 0;
  // p: where the year ends. Four digits then "-" is the common case.
  let p = 4;
  let year: number;
  const first = text.charCodeAt(0);
  if (first !== 0x2d && text.charCodeAt(4) === 0x2d) {
    year = digits(text, 0, 4);
    if (year < 0) return false;
  } else {
    const start = first === 0x2d ? 1 : 0;
    p = start;
    while (p < length && digits(text, p, 1) >= 0) p++;
    if (p - start < 4) return false;
    year = Number(text.slice(0, p));
    flags |= Extra.ExtendedYear;
  }
  if (length < p + 15) return false;
  const month = digits(text, p + 1, 2);
  const day = digits(text, p + 4, 2);
  const hour = digits(text, p + 7, 2);
  const minute = digits(text, p + 10, 2);
  const second = digits(text, p + 13, 2);
  const t = text.charCodeAt(p + 6);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > DAYS_IN_MONTH[month - 1]! ||
    hour < 0 ||
    hour > 24 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60 ||
    text.charCodeAt(p) !== 0x2d ||
    text.charCodeAt(p + 3) !== 0x2d ||
    text.charCodeAt(p + 9) !== 0x3a ||
    text.charCodeAt(p + 12) !== 0x3a
  ) {
    return false;
  }
  if (t !== 0x54) {
    if (t !== 0x74 && t !== 0x20) return false;
    flags |= Extra.LenientSeparator;
  }
  if (hour === 24) {
    if (minute !== 0 || second !== 0) return false;
    flags |= Extra.EndOfDay;
  }
  if (month === 2 && day === 29 && !isLeapYear(year)) return false;
  let position = p + 15;
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
      if (offsetHour > 14) flags |= Extra.WideOffset;
      offset = (offsetHour * 60 + offsetMinute) * (sign === 0x2d ? -1 : 1);
    } else {
      return false;
    }
  }
  parsed.seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + (minute - offset) * 60 + second;
  parsed.nanos = nanos;
  parsed.fractionDigits = fractionDigits;
  extras = flags;
  return true;
}

/**
 * Parses an instant: `YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm]` with four year digits, `T`,
 * `t` or a space between date and time, hours 00 to 23, offsets up to ±23:59 (no offset means
 * UTC, leap second 60 allowed), into {@link parsed}; false for anything else.
 */
export function parseDateTime(text: string): boolean {
  return scan(text) && (extras & NOT_INSTANT) === 0;
}

/**
 * Whether `text` is an xsd:dateTime an attribute may hold: `[-]YYYY-MM-DDThh:mm:ss[.fraction]`
 * then `Z`, `z`, `±hh:mm` (up to ±14:59) or nothing, with four or more year digits, `T`
 * between date and time, calendar ranges checked, `24:00:00` and leap second 60 allowed.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3.5
 */
export function isDateTime(text: string): boolean {
  return scan(text) && (extras & NOT_VALID) === 0;
}

/**
 * Whether two values a dateTime attribute may hold ({@link isDateTime}) name the same instant,
 * to the nanosecond: `2011-05-13T04:42:34Z` and `2011-05-13T06:42:34+02:00` do. Text that is
 * not such a dateTime is the same only as itself.
 */
export function sameDateTime(a: string, b: string): boolean {
  if (a === b) return true;
  if (!isDateTime(a)) return false;
  const { seconds, nanos } = parsed;
  return isDateTime(b) && parsed.seconds === seconds && parsed.nanos === nanos;
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
