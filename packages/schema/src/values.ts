// Value checks shared by the zod schemas and the runtime validator.

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-](\d{2}):(\d{2}))?$/;

/**
 * Whether `value` is an xsd:dateTime (`2011-08-01T18:29:49.793Z`, `2011-08-01T20:29:49+02:00`,
 * a timezone-less local time too), with calendar ranges checked.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3.5
 */
export function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return false;
  if (hour > 24 || minute > 59 || second > 60) return false;
  if (hour === 24 && (minute !== 0 || second !== 0)) return false;
  if (match[9] !== undefined && (Number(match[9]) > 14 || Number(match[10]) > 59)) return false;
  return true;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Whether `value` is base64 (RFC 4648 section 4; whitespace such as PEM line breaks is ignored).
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.3.6
 */
export function isBase64(value: string): boolean {
  const compact = /\s/.test(value) ? value.replace(/\s+/g, '') : value;
  if (!BASE64.test(compact)) return false;
  if (compact.includes('=')) return compact.length % 4 === 0;
  return compact.length % 4 !== 1;
}

/** `"true"` / `"false"` in any casing (Entra sends `"True"`/`"False"`) as booleans, else undefined. */
export function booleanFromString(value: string): boolean | undefined {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}
