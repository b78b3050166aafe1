/**
 * @packageDocumentation
 * Schema-aware SCIM PATCH engine (RFC 7644 section 3.5.2).
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
}
/** Placeholder until the engine lands. */
export const placeholder = true;
