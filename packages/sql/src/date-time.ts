/**
 * xsd:dateTime / RFC 3339 parsing to the nanosecond, with the same rules as the evaluator of
 * `@scimkit/filter` (`YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm]`, no offset meaning UTC), and a
 * text key whose byte order is chronological order, so SQL can compare dateTimes exactly.
 */

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

/** A parsed instant: seconds since the epoch, nanoseconds within the second, and fraction digits written. */
export interface Instant {
  /** Seconds since 1970-01-01T00:00:00Z. */
  seconds: number;
  /** Nanoseconds within the second (0–999,999,999). */
  nanos: number;
  /** How many fraction digits the text had. */
  fractionDigits: number;
}

/** Parses a dateTime; undefined for anything the filter evaluator would not accept. */
export function parseInstant(text: string): Instant | undefined {
  const length = text.length;
  if (length < 19) return undefined;
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
    hour > 23 ||
    hour < 0 ||
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
    return undefined;
  }
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
    return undefined;
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
    if (position === start) return undefined;
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
      if (offsetHour < 0 || offsetHour > 23 || offsetMinute < 0 || offsetMinute > 59) return undefined;
      offset = (offsetHour * 60 + offsetMinute) * (sign === 0x2d ? -1 : 1);
    } else {
      return undefined;
    }
  }
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + (minute - offset) * 60 + second;
  return { seconds, nanos, fractionDigits };
}

/**
 * A fixed-width text key of a dateTime whose byte order is chronological order
 * (`"<seconds + 10^12, 13 digits>.<nanos, 9 digits>"`), or null when the text is not a dateTime.
 * `@scimkit/store-sqlite` registers it as the SQL function `scim_datetime`.
 */
export function dateTimeKey(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const instant = parseInstant(text);
  if (!instant) return null;
  const shifted = instant.seconds + 1e12;
  if (shifted < 0 || shifted >= 1e13) return null;
  return `${String(shifted).padStart(13, '0')}.${String(instant.nanos).padStart(9, '0')}`;
}
