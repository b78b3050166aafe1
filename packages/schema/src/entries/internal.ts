/**
 * @packageDocumentation
 * `@scimkit/schema/internal`: lookup helpers the other scimkit packages share with this one
 * (resource type indexes, URN splitting, sub-attribute maps, whether a projection shows an
 * attribute, a shaper whose output shares what it leaves as it is, the `meta.version` sequence, setting an own property named `__proto__`) and the {@link UNASSIGNED} marker of value normalisation.
 *
 * @internal Not part of the public API: it may change in any release, without a major version.
 */
export type { IndexedSchema, ResourceTypeIndex } from '../lookup.js';
export {
  attributeMap,
  indexResourceType,
  isMembersAttribute,
  splitQualifiedName,
  subAttributeMap,
} from '../lookup.js';
export { setOwn } from '../objects.js';
export { createSharingShaper, projectionShows } from '../shape.js';
export { UNASSIGNED, type Unassigned } from '../unassigned.js';
export { validatePatchedResource } from '../validate.js';
export { nextVersion } from '../version.js';
