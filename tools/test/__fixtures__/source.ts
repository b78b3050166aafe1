/**
 * A documented function whose examples the check reads.
 *
 * @example
 * ```ts
 * import { formatFilter, parseFilter } from '@scimkit/filter';
 *
 * formatFilter(parseFilter('title pr'));
 * ```
 *
 * @example
 * ```ts continued
 * formatFilter(undefinedName);
 * ```
 */
export function documented(): void {}

/**
 * @example
 * ```ts continued
 * formatFilter(parseFilter('title pr'));
 * ```
 */
export function orphan(): void {}
