/**
 * Every `scimType` value of SCIM error responses, in the order of RFC 7644 and RFC 9865.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export const SCIM_ERROR_TYPES = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
  'invalidCursor',
  'expiredCursor',
  'invalidCount',
] as const;

/**
 * The `scimType` values of SCIM error responses.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 * @see https://www.rfc-editor.org/rfc/rfc9865 (invalidCursor, expiredCursor, invalidCount)
 */
export type ScimErrorType = (typeof SCIM_ERROR_TYPES)[number];

const scimErrorTypes: ReadonlySet<string> = new Set(SCIM_ERROR_TYPES);

/**
 * Whether `value` is one of the RFC 7644 / RFC 9865 `scimType` values, for reading error
 * bodies another party sent.
 */
export function isScimErrorType(value: unknown): value is ScimErrorType {
  return typeof value === 'string' && scimErrorTypes.has(value);
}

/** The URN of the SCIM Error message schema. */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * The RFC 7644 Error response body. `status` is a string in the RFC's examples.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimErrorType;
  detail?: string;
}

/**
 * Marker shared by every scimkit error class, also those of packages that cannot depend on
 * this one (such as the zero-dependency `@scimkit/filter`). `Symbol.for` makes
 * {@link isScimError} work across duplicate installs.
 */
export const SCIM_ERROR_MARKER: unique symbol = Symbol.for('scimkit.error') as never;

/** Options of {@link ScimError}. */
export interface ScimErrorOptions {
  /** HTTP status, 400 by default. */
  status?: number;
  /** The RFC 7644 `scimType`, where one applies. */
  scimType?: ScimErrorType;
  /** The underlying cause, kept for logs and never sent to clients. */
  cause?: unknown;
}

/**
 * The base of every scimkit error: an HTTP status, an optional `scimType` and a `detail`
 * a person can act on. `toJSON()` gives the RFC 7644 Error body.
 *
 * @example
 * ```ts
 * import { ScimError } from '@scimkit/schema';
 *
 * throw new ScimError('userName "bjensen" is already taken', { status: 409, scimType: 'uniqueness' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export class ScimError extends Error {
  /** HTTP status code of the response that carries this error. */
  readonly status: number;
  /** The RFC 7644 `scimType`, if any. */
  readonly scimType: ScimErrorType | undefined;
  /** Human-readable detail; the same text as `message`. */
  readonly detail: string;

  constructor(detail: string, options: ScimErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScimError';
    this.status = options.status ?? 400;
    this.scimType = options.scimType;
    this.detail = detail;
  }

  /** Marks this object as a scimkit error for {@link isScimError}. */
  get [SCIM_ERROR_MARKER](): true {
    return true;
  }

  /** The RFC 7644 Error response body. */
  toJSON(): ScimErrorBody {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

/** Anything that quacks like a scimkit error (also errors from other copies of scimkit). */
export interface ScimErrorLike {
  readonly status: number;
  readonly scimType?: ScimErrorType | undefined;
  readonly detail: string;
  toJSON(): ScimErrorBody;
}

/**
 * Whether `value` is a scimkit error of any package and any installed copy: it checks the
 * `Symbol.for('scimkit.error')` marker, not `instanceof`.
 */
export function isScimError(value: unknown): value is ScimErrorLike & Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[SCIM_ERROR_MARKER] === true
  );
}
