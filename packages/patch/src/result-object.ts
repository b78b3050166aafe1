/**
 * The copy of a resource that a patch adds top-level keys to. V8 keeps it a fast object, where
 * a spread copy that gets a new key turns into a slow dictionary (bench/findings.md).
 */
import type { JsonObject } from './values.js';

/**
 * The constructor of growable copies: its instances are plain objects (prototype
 * `Object.prototype`, `constructor` `Object`), and V8 gives objects made by a constructor
 * spare in-object slots, so adding a key stays cheap.
 */
function PlainObject(): void {}
PlainObject.prototype = Object.prototype;
const Plain = PlainObject as unknown as new () => JsonObject;

/**
 * A copy of `original` (same keys in the same order) that stays fast when keys are added. An
 * own `__proto__` key (from `JSON.parse`) is copied by a spread: `Object.assign` would set the
 * prototype instead.
 */
export function growableCopy(original: JsonObject): JsonObject {
  return Object.hasOwn(original, '__proto__') ? { ...original } : Object.assign(new Plain(), original);
}
