/**
 * The SCIM errors every SQL store answers the same way, with the same words.
 */
import { ScimError } from '@scimkit/schema';

/**
 * A value as an error message quotes it: at most 64 characters, then `…`.
 *
 * @example
 * ```ts
 * import { shortened } from '@scimkit/sql/internal';
 *
 * shortened('x'.repeat(100)); // 'xxxx…' (64 x, then …)
 * ```
 */
export function shortened(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

/**
 * 409 `uniqueness`: a create names an id the type already holds.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.3
 */
export function resourceExists(type: { name: string }, id: string): ScimError {
  return new ScimError(`${type.name} "${id}" already exists.`, { status: 409, scimType: 'uniqueness' });
}

/**
 * 409 `uniqueness`: another resource holds a value of a unique attribute (`path`); `value` is
 * quoted when the store knows which one clashed.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.3
 */
export function valueInUse(path: string, value?: string): ScimError {
  const shown = value === undefined ? '' : ` "${shortened(value)}"`;
  return new ScimError(`${path}${shown} is already in use by another resource.`, {
    status: 409,
    scimType: 'uniqueness',
  });
}

/**
 * 404: the resource a store was asked to replace does not exist.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export function resourceNotFound(type: { name: string }, id: string): ScimError {
  return new ScimError(`${type.name} "${id}" does not exist.`, { status: 404 });
}

/**
 * 412: the stored `meta.version` is not the one the write expected (optimistic concurrency).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14
 */
export function versionMismatch(type: { name: string }, id: string): ScimError {
  return new ScimError(
    `${type.name} "${id}" was modified since it was read (version mismatch): read it again and retry.`,
    { status: 412 },
  );
}

/**
 * Optimistic concurrency: throws {@link versionMismatch} (412) when the write expected a
 * version (`If-Match`) other than the stored one.
 *
 * @example
 * ```ts
 * import { userResourceType } from '@scimkit/schema';
 * import { checkVersion } from '@scimkit/sql/internal';
 *
 * checkVersion(userResourceType, 'u1', 'W/"3"', 'W/"2"'); // throws the 412
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14
 */
export function checkVersion(
  type: { name: string },
  id: string,
  stored: string,
  expected: string | undefined,
): void {
  if (expected !== undefined && stored !== expected) throw versionMismatch(type, id);
}

/**
 * 400 `tooMany`: a query ran past the store's `queryTimeout` (in milliseconds).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export function queryTimedOut(queryTimeout: number): ScimError {
  return new ScimError(
    `The query takes longer than this service provider allows (${queryTimeout} ms): narrow the filter.`,
    { status: 400, scimType: 'tooMany' },
  );
}
