/**
 * Reading a copy of a request or response body without disturbing the exchange: at most a
 * fixed number of bytes (a hostile client may send far more than the server accepts), then
 * redacted and cut to what the console keeps.
 */
import type { CapturedBody } from './exchange.js';
import { redactMessage, redactText, type Secrets, type SensitiveAttributes } from './redaction.js';

/** The most bytes of a body read for redaction (the server's own default body limit). */
export const READ_LIMIT = 1024 * 1024;

/** Raw text of a body copy and whether it went on beyond the bytes read. */
export interface RawBody {
  text: string;
  truncated: boolean;
}

/** Reads up to `limit` bytes of `stream` (then cancels it) and decodes them as UTF-8. */
export async function readCapped(
  stream: ReadableStream<Uint8Array> | null,
  limit = READ_LIMIT,
): Promise<RawBody | undefined> {
  if (!stream) return undefined;
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limit - size;
      size += value.byteLength;
      text += decoder.decode(value.byteLength > room ? value.subarray(0, room) : value, { stream: true });
      if (size >= limit) {
        truncated = size > limit;
        if (!truncated) {
          // Exactly at the limit: the body may still go on.
          const next = await reader.read();
          truncated = !next.done;
        }
        break;
      }
    }
    text += decoder.decode();
  } catch {
    // The exchange failed mid-body (a client went away): keep what arrived.
  } finally {
    reader.cancel().catch(() => {});
  }
  return text === '' && !truncated ? undefined : { text, truncated };
}

/** Whether `text` looks like a JSON object or array (whatever the Content-Type claims). */
function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

/**
 * A body as the console keeps it: JSON redacted as a SCIM message and indented, anything else
 * redacted as text; secrets remembered in `secrets`. `parsed` is the redacted JSON value.
 */
export function redactBody(
  sensitive: SensitiveAttributes,
  raw: RawBody,
  secrets: Secrets,
): { body: CapturedBody; parsed?: unknown } {
  if (!raw.truncated && looksLikeJson(raw.text)) {
    try {
      const parsed = redactMessage(sensitive, JSON.parse(raw.text), secrets);
      return { body: { text: JSON.stringify(parsed, null, 2), json: true, truncated: false }, parsed };
    } catch {
      // Not JSON after all: redact it as text below.
    }
  }
  return { body: { text: redactText(sensitive, raw.text, secrets), json: false, truncated: raw.truncated } };
}

/** `body` cut to `limit` characters (after scrubbing: a secret cut in two would no longer match). */
export function cutBody(body: CapturedBody, limit: number): CapturedBody {
  if (body.text.length <= limit) return body;
  return { ...body, text: body.text.slice(0, limit), truncated: true };
}
