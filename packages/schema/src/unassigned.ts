/**
 * What normalising an attribute value gives when the attribute ends up without a value: JSON
 * `null` and `[]` mean unassigned (RFC 7643 section 2.5), and the validator also drops a value
 * it reported as invalid. A symbol, so it can never be mistaken for data; the validator of this
 * package and the PATCH engine of `@scimkit/patch` share it.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.5
 */
export const UNASSIGNED: unique symbol = Symbol('unassigned');

/** The type of {@link UNASSIGNED}. */
export type Unassigned = typeof UNASSIGNED;
