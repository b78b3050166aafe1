/**
 * The one error class of `@scimkit/filter`. It carries the `Symbol.for('scimkit.error')`
 * marker, so `isScimError` of `@scimkit/schema` recognises it without this package depending
 * on that one.
 */

/** The `scimType` of a syntax error: `invalidFilter` for filters, `invalidPath` for paths and attribute lists. */
export type FilterErrorType = 'invalidFilter' | 'invalidPath';

/** The RFC 7644 Error response body of a {@link FilterSyntaxError}. */
export interface FilterErrorBody {
  /** Always the Error message schema URN. */
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'];
  /** Always `"400"`. */
  status: '400';
  /** `invalidFilter` or `invalidPath`. */
  scimType: FilterErrorType;
  /** The one-line message. */
  detail: string;
}

/** Details passed to {@link FilterSyntaxError}'s constructor. */
export interface FilterSyntaxErrorOptions {
  /** The text that was parsed. */
  input: string;
  /** 0-based offset of the offending character in `input`. */
  position: number;
  /** What the parser expected there; omit for an "Unexpected Y." message. */
  expected?: string | undefined;
  /** What was found there (a quoted token, `end of input`, …). */
  found: string;
  /** `invalidFilter` (default) or `invalidPath`. */
  scimType?: FilterErrorType;
  /** A short reason appended to an "Unexpected Y" message. */
  reason?: string | undefined;
}

const MARKER: unique symbol = Symbol.for('scimkit.error') as never;
const FRAME_RADIUS = 40;

/**
 * A malformed filter, path, attribute list or `sortBy`, or a filter that cannot be evaluated
 * (`gt` on a boolean). `message` and `detail` have one of two shapes, `Expected X, found Y at
 * position N.` or `Unexpected Y at position N.`; `frame` shows the text with a caret.
 *
 * @example
 * ```ts
 * import { isFilterSyntaxError, parseFilter } from '@scimkit/filter';
 *
 * try {
 *   parseFilter('userName eq');
 * } catch (error) {
 *   if (isFilterSyntaxError(error)) console.log(error.position, error.frame);
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export class FilterSyntaxError extends Error {
  /** HTTP status of the response that carries this error: always 400. */
  readonly status = 400;
  /** `invalidFilter` for filters, `invalidPath` for PATCH paths, attribute lists and `sortBy`. */
  readonly scimType: FilterErrorType;
  /** The one-line message; the same text as `message`. */
  readonly detail: string;
  /** 0-based offset into {@link FilterSyntaxError.input} where the problem is. */
  readonly position: number;
  /** What was expected at `position`, if the message is of the "Expected X, found Y." shape. */
  readonly expected: string | undefined;
  /** What was found at `position`: a quoted token or `end of input`. */
  readonly found: string;
  /** The short reason appended to an "Unexpected Y" message, if it has one. */
  readonly reason: string | undefined;
  /** The parsed text. */
  readonly input: string;
  /** The text around `position` on one line, with a caret under the offending character on the next. */
  readonly frame: string;

  constructor(options: FilterSyntaxErrorOptions) {
    const where = ` at position ${options.position}`;
    const detail =
      options.expected === undefined
        ? `Unexpected ${options.found}${where}${options.reason ? `: ${options.reason}` : ''}.`
        : `Expected ${options.expected}, found ${options.found}${where}.`;
    super(detail);
    this.name = 'FilterSyntaxError';
    this.scimType = options.scimType ?? 'invalidFilter';
    this.detail = detail;
    this.position = options.position;
    this.expected = options.expected;
    this.found = options.found;
    this.reason = options.reason;
    this.input = options.input;
    this.frame = codeFrame(options.input, options.position);
  }

  /** Marks this object as a scimkit error for `isScimError` of `@scimkit/schema`. */
  get [MARKER](): true {
    return true;
  }

  /** The RFC 7644 Error response body. */
  toJSON(): FilterErrorBody {
    return {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: this.scimType,
      detail: this.detail,
    };
  }
}

/**
 * Whether `value` is a {@link FilterSyntaxError}, also one from another installed copy of this package.
 *
 * @example
 * ```ts
 * import { isFilterSyntaxError, parseFilter } from '@scimkit/filter';
 *
 * function filterOf(url: URL): Response | undefined {
 *   try {
 *     parseFilter(url.searchParams.get('filter') ?? '');
 *   } catch (error) {
 *     if (isFilterSyntaxError(error)) return Response.json(error.toJSON(), { status: 400 });
 *     throw error;
 *   }
 * }
 * ```
 */
export function isFilterSyntaxError(value: unknown): value is FilterSyntaxError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[MARKER] === true &&
    (value as { name?: unknown }).name === 'FilterSyntaxError'
  );
}

/** Two lines: the input around `position` (whitespace shown as spaces) and a caret under it. */
function codeFrame(input: string, position: number): string {
  let from = position - FRAME_RADIUS;
  let to = position + FRAME_RADIUS;
  let prefix = '';
  let suffix = '';
  if (from <= 0) from = 0;
  else prefix = '…';
  if (to >= input.length) to = input.length;
  else suffix = '…';
  let line = '';
  for (let i = from; i < to; i++) {
    const code = input.charCodeAt(i);
    line += code < 0x20 || code === 0x7f ? ' ' : input[i];
  }
  return `${prefix}${line}${suffix}\n${' '.repeat(prefix.length + position - from)}^`;
}

/** Describes the text at `start..end` for a message: `"eq"`, `"\"work\""` or `end of input`. */
export function describeText(input: string, start: number, end: number): string {
  if (start >= input.length) return 'end of input';
  const limit = 24;
  const text = end - start > limit ? `${input.slice(start, start + limit)}…` : input.slice(start, end);
  return JSON.stringify(text);
}
