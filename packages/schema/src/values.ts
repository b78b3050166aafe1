// Value checks shared by the zod schemas and the runtime validator (dateTime: @scimkit/filter/internal).

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
