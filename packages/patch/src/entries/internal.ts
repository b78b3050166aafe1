/**
 * @packageDocumentation
 * `@scimkit/patch/internal`: the JSON equality the PATCH engine decides "changed or not" with,
 * for the other scimkit packages that must decide it the same way (such as a PUT that changes
 * nothing, which keeps `meta.version`).
 *
 * @internal Not part of the public API: it may change in any release, without a major version.
 */
export { deepEqual } from '../values.js';
