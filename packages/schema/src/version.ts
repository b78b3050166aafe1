/**
 * The `meta.version` that follows `version`: weak ETags `W/"1"`, `W/"2"`, … (RFC 7644
 * section 3.14). The server stamps it on every write; a store that changes a resource on its
 * own (removing a deleted member from a Group) calls it so that versions keep one scheme.
 * An absent or foreign version starts again at `W/"1"`. It lives in `@scimkit/schema/internal`
 * so that the server and the stores share it without a runtime dependency on each other;
 * `@scimkit/server` exports it to users.
 *
 * @example
 * ```ts
 * import { nextVersion } from '@scimkit/server';
 *
 * nextVersion(undefined); // 'W/"1"'
 * nextVersion('W/"41"'); // 'W/"42"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14
 */
export function nextVersion(version: string | undefined): string {
  const match = version ? /^(?:W\/)?"(\d+)"$/.exec(version) : null;
  return `W/"${match ? Number(match[1]) + 1 : 1}"`;
}
