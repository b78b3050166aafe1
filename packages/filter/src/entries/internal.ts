/**
 * @packageDocumentation
 * `@scimkit/filter/internal`: the dateTime rules the other scimkit packages share with this
 * one, so that which values are dateTimes and which instants they name is decided in one place.
 *
 * @internal Not part of the public API: it may change in any release, without a major version.
 */
export { isDateTime, sameDateTime } from '../date-time.js';
