/**
 * Stored resources known to be a validation's own output, so that a PATCH of one checks only
 * what it changed (`validatePatchedResource` of `@scimkit/schema/internal`).
 *
 * The server registers each resource it hands to a store write when that resource is exactly
 * its validation's output plus the `id` and `meta` it made ({@link expectVerified}); a store
 * that keeps exactly what it is given, deeply frozen so that nothing can change it afterwards
 * (the memory store), reports the object it stored ({@link keptAsGiven}). A later read that
 * returns that very object hands the server a resource whose every value is valid as it is.
 * Any other store, or an object it rebuilt, is simply never known, and is validated whole.
 */

/**
 * The resource last handed to a store write as a validation's output, and the `verified` set of
 * the server that validated it. One slot rather than a WeakMap keyed by the resource (a hash
 * table insert and lookup on every write): the memory store reports what it stored within the
 * very call that hands it over, with no other write in between. A report that comes after
 * another registration (a store that awaits before storing while writes interleave) finds
 * the slot taken by another resource: that version simply stays unknown, and its next PATCH
 * validates it whole. The slot keeps at most one resource alive, until the next write.
 */
let pending: object | undefined;
let pendingVerified: WeakSet<object> | undefined;

/** Registers a resource about to be written as a validation's output (see the module comment). */
export function expectVerified(resource: object, verified: WeakSet<object>): void {
  pending = resource;
  pendingVerified = verified;
}

/**
 * Called by a store that stored a deeply frozen, exact copy of `given`: if the server validated
 * `given`, the copy is known valid too.
 */
export function keptAsGiven(given: object, stored: object): void {
  if (given !== pending) return;
  pendingVerified?.add(stored);
  pending = undefined;
  pendingVerified = undefined;
}
