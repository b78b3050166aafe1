/**
 * dateTime support for SQL: a text key whose byte order is chronological order, so SQL can
 * compare dateTimes exactly, built with the parser of `@scimkit/filter` (the evaluator's exact
 * rules, to the nanosecond).
 */
import { parseInstant } from '@scimkit/filter';

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
