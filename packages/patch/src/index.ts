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

/**
 * What a PATCH changed in one multi-valued attribute, so a store can persist a membership
 * change without rewriting a 100k-member group.
 */
export interface AttributeDelta {
  /** Attribute name in schema casing, e.g. `members`; extension attributes as `urn:…:name`. */
  attribute: string;
  /** Values appended. */
  added: readonly unknown[];
  /** Values removed. */
  removed: readonly unknown[];
  /**
   * True when the whole list was replaced (`replace` without a filter): the values kept may
   * then stand in another order and the added ones anywhere, so a store that keeps the order
   * must compare it. Absent otherwise: kept values keep their order, added ones come last.
   */
  replaced?: true;
}

export { applyPatch, safeApplyPatch } from './apply.js';
export type { DiffOptions } from './diff.js';
export { diffResources } from './diff.js';
export type {
  PatchCompatibility,
  PatchOperation,
  PatchOperationType,
  PatchOptions,
  PatchRequest,
  PatchResult,
  SafePatchResult,
} from './types.js';
