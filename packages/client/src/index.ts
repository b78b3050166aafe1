/**
 * @packageDocumentation
 * @scimkit/client (work in progress).
 */
/** Package version marker, replaced by the real surface. */
export const placeholder = true;
