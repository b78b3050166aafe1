import type { AttributeDelta } from '@scimkit/patch';
import * as patchModule from '@scimkit/patch';
import type { ResourceTypeDefinition } from '@scimkit/schema';
import { scimError } from './http.js';

type ApplyPatch = (
  resource: Record<string, unknown>,
  request: unknown,
  options: { resourceType: ResourceTypeDefinition; strict: boolean },
) => { resource: Record<string, unknown>; changed: boolean; deltas: AttributeDelta[] };

/** `applyPatch` of `@scimkit/patch`. */
export function applyPatchRequest(
  resource: Record<string, unknown>,
  request: unknown,
  options: { resourceType: ResourceTypeDefinition; strict: boolean },
): { resource: Record<string, unknown>; changed: boolean; deltas: AttributeDelta[] } {
  const apply = (patchModule as unknown as { applyPatch?: ApplyPatch }).applyPatch;
  if (!apply) throw scimError(501, 'PATCH is not available yet.');
  return apply(resource, request, options);
}
