/**
 * @packageDocumentation
 * Schema-aware SCIM PATCH engine (RFC 7644 section 3.5.2).
 *
 * - {@link applyPatch} applies a PatchOp request all or nothing, returns a new resource
 *   (the input is never modified), whether anything changed, and per-attribute deltas of
 *   multi-valued attributes, so a store can persist a membership change of a large group
 *   without rewriting it.
 * - It follows the RFC exactly (every filter match updated, `noTarget`, `mutability`,
 *   case-insensitive names written in schema casing, extension URNs) and accepts by default
 *   what Microsoft Entra ID and Okta send ({@link PatchCompatibility}); `strict` turns that off.
 * - No path or key can reach outside the resource: `__proto__`, `constructor`, `prototype` and
 *   inherited names are unknown attributes (`invalidPath`).
 * - {@link diffResources} computes a PATCH that turns one resource into another.
 */

export type { PatchOperationType } from '@scimkit/schema';
export { applyPatch, safeApplyPatch } from './apply.js';
export type { DiffOptions } from './diff.js';
export { diffResources } from './diff.js';
export type {
  AttributeDelta,
  PatchCompatibility,
  PatchOperation,
  PatchOptions,
  PatchRequest,
  PatchResult,
  PatchWarning,
  SafePatchResult,
} from './types.js';
