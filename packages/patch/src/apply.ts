import { ScimError } from '@scimkit/schema';
import { runStep } from './operations.js';
import { resolveOptions, resourceTypeFor } from './options.js';
import { readSteps, requestError } from './request.js';
import { indexType } from './schema-index.js';
import { Session } from './session.js';
import type { PatchOperation, PatchOptions, PatchRequest, PatchResult, SafePatchResult } from './types.js';
import { isObject } from './values.js';

/**
 * Applies a SCIM PATCH request to a resource, schema-aware and all or nothing (RFC 7644
 * section 3.5.2). The input is never modified: the result shares untouched attributes with it
 * and copies only what changed. Request values that need no conversion are used uncopied
 * (neither the resource nor the request is ever written to). Attribute names match
 * case-insensitively and are written in schema casing; every value a filter matches is
 * updated; what Microsoft Entra ID and Okta send is accepted by default (see
 * {@link PatchCompatibility}).
 *
 * @param resource - The current resource, as stored.
 * @param request - A PatchOp body (`{ schemas, Operations }`) or its operations array.
 * @param options - Resource type, compatibility switches, `strict` and size bounds.
 * @returns The new resource, whether anything changed and the per-attribute deltas of
 *   multi-valued attributes (values added and removed).
 * @throws `ScimError` (from `@scimkit/schema`), status 400, with `scimType` `invalidSyntax`,
 *   `invalidPath`, `noTarget`, `mutability` or `invalidValue`, whose detail names the operation
 *   index and path, e.g. `Operations[2] (replace "emails[type eq \"work\"].value"): no value
 *   matches the filter`.
 * @example
 * ```ts
 * import { applyPatch } from '@scimkit/patch';
 * import type { User } from '@scimkit/schema';
 *
 * declare const user: User;
 * const { resource, changed, deltas } = applyPatch(user, {
 *   schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
 *   Operations: [
 *     { op: 'Replace', path: 'active', value: 'False' },
 *     { op: 'add', path: 'emails[type eq "work"].value', value: 'bjensen@example.com' },
 *   ],
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function applyPatch<TResource extends object>(
  resource: TResource,
  request: PatchRequest | readonly PatchOperation[],
  options?: PatchOptions,
): PatchResult<TResource> {
  if (!isObject(resource)) throw requestError('The resource to patch must be an object', 'invalidValue');
  const resolved = resolveOptions(options);
  const steps = readSteps(request, resolved);
  const session = new Session(resource, indexType(resourceTypeFor(resource, options)), resolved);
  for (const step of steps) runStep(session, step);
  return session.finish() as PatchResult<TResource>;
}

/**
 * {@link applyPatch} without throwing SCIM errors: `{ success: true, data }` or
 * `{ success: false, error }` (other errors, which would be bugs, are rethrown).
 *
 * @example
 * ```ts
 * import { type PatchRequest, safeApplyPatch } from '@scimkit/patch';
 * import type { Group } from '@scimkit/schema';
 *
 * function patchGroup(group: Group, body: PatchRequest): Response {
 *   const result = safeApplyPatch(group, body);
 *   if (!result.success) return Response.json(result.error.toJSON(), { status: result.error.status });
 *   return Response.json(result.data.resource);
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function safeApplyPatch<TResource extends object>(
  resource: TResource,
  request: PatchRequest | readonly PatchOperation[],
  options?: PatchOptions,
): SafePatchResult<TResource> {
  try {
    return { success: true, data: applyPatch(resource, request, options) };
  } catch (error) {
    if (error instanceof ScimError) return { success: false, error };
    throw error;
  }
}
