/**
 * The JSON text of a response body. Two kinds of body are written faster than by one
 * `JSON.stringify`: a frozen shaped resource, whose text is made once and reused, and a
 * {@link ListResponseBody}, whose envelope is written out by hand around its resources' texts.
 */
import { LIST_RESPONSE_SCHEMA } from '@scimkit/schema';

/**
 * Response bodies that never change (frozen shaped resources): their JSON text is made once.
 * Only the server adds to it, and only objects it froze. Like every module-level cache here, it
 * is only read where the server core runs: adapters get the text in a `ScimReply`.
 */
export const cacheableBodies = new WeakSet<object>();
const jsonTexts = new WeakMap<object, string>();

/** The start of every ListResponse text, up to the value of `totalResults`. */
const OPENING = `{"schemas":${JSON.stringify([LIST_RESPONSE_SCHEMA])},"totalResults":`;

/** Where a page is: `startIndex` for index paging, the cursors (RFC 9865) for cursor paging. */
export interface ListPosition {
  startIndex?: number | undefined;
  nextCursor?: string | undefined;
  previousCursor?: string | undefined;
}

/**
 * A ListResponse body (RFC 7644 section 3.4.2; cursors of RFC 9865): a plain data object, its
 * own keys in the order the RFC shows and `Resources` last, so `JSON.stringify` of it is the
 * wire text. A class rather than a tagged object literal: `instanceof` is how
 * {@link bodyText} recognises it, where a WeakSet tag cost about 130 ns per page.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2
 */
export class ListResponseBody {
  // Every field `declare`d and assigned in the constructor, in wire order: an initialised or
  // plain declared field would become an own key before the constructor runs (out of order,
  // or holding undefined on a page without it).
  declare readonly schemas: readonly [typeof LIST_RESPONSE_SCHEMA];
  declare readonly totalResults: number;
  declare readonly startIndex?: number;
  declare readonly itemsPerPage: number;
  declare readonly nextCursor?: string;
  declare readonly previousCursor?: string;
  declare readonly Resources: unknown[];

  constructor(totalResults: number, position: ListPosition, Resources: unknown[]) {
    this.schemas = [LIST_RESPONSE_SCHEMA]; // what openingText writes
    this.totalResults = totalResults;
    if (position.startIndex !== undefined) this.startIndex = position.startIndex;
    this.itemsPerPage = Resources.length;
    if (position.nextCursor !== undefined) this.nextCursor = position.nextCursor;
    if (position.previousCursor !== undefined) this.previousCursor = position.previousCursor;
    this.Resources = Resources;
  }

  /**
   * The text up to the `Resources` array, written out: `JSON.stringify` of the small envelope
   * cost about 400 ns, more than the rest of a one-resource page's assembly.
   */
  openingText(): string {
    let text = `${OPENING}${this.totalResults}`;
    if (this.startIndex !== undefined) text += `,"startIndex":${this.startIndex}`;
    text += `,"itemsPerPage":${this.itemsPerPage}`;
    if (this.nextCursor !== undefined) text += `,"nextCursor":${JSON.stringify(this.nextCursor)}`;
    if (this.previousCursor !== undefined) text += `,"previousCursor":${JSON.stringify(this.previousCursor)}`;
    return `${text},"Resources":`;
  }
}

/**
 * A resource of a ListResponse given as its JSON text, written into the page as it is (made
 * from a store's stored text: see `present`'s `storedAnswerText`).
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** `JSON.stringify` of a result body, reusing the text of a body in {@link cacheableBodies}. */
export function bodyText(body: unknown): string {
  if (typeof body !== 'object' || body === null) return JSON.stringify(body);
  if (body instanceof ListResponseBody) return listText(body);
  if (body instanceof JsonText) return body.text;
  if (!cacheableBodies.has(body)) return JSON.stringify(body);
  let text = jsonTexts.get(body);
  if (text === undefined) {
    text = JSON.stringify(body);
    jsonTexts.set(body, text);
  }
  return text;
}

function listText(body: ListResponseBody): string {
  const { Resources } = body;
  // No text to reuse (a page in a projection, or of a store without texts): one JSON.stringify of the array is cheaper
  // than one per resource put together.
  if (
    !Resources.some(
      (resource) =>
        typeof resource === 'object' &&
        resource !== null &&
        (resource instanceof JsonText || cacheableBodies.has(resource)),
    )
  )
    return `${body.openingText()}${JSON.stringify(Resources)}}`;
  let text = `${body.openingText()}[`;
  for (let i = 0; i < Resources.length; i++) text += (i > 0 ? ',' : '') + bodyText(Resources[i]);
  return `${text}]}`;
}
