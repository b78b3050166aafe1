/**
 * The options every parse takes, and the bounds on hostile input: `maxLength` bounds the work,
 * `maxDepth` (under a fixed ceiling) the recursion.
 */

/** Options of {@link parseFilter}, {@link parsePath}, {@link parseAttributeList} and {@link parseSortBy}. */
export interface ParseOptions {
  /**
   * Accept what identity providers send outside the ABNF: an attribute after a value path
   * (`emails[type eq "work"].value eq "x"`, Microsoft Entra ID), unquoted values
   * (`externalId eq abc`), `True`/`False`/`NULL` in any case, and runs of whitespace.
   * @defaultValue false
   */
  lenient?: boolean;
  /** Longest accepted text, in UTF-16 code units. @defaultValue 8192 */
  maxLength?: number;
  /**
   * Deepest accepted nesting of `(`, `not (` and `[`. Values above {@link MAX_DEPTH_CEILING}
   * (`Infinity` and `NaN` too) count as the ceiling: parsing, printing and evaluating recurse
   * once per level, and deeper input could overflow the call stack.
   * @defaultValue 64
   */
  maxDepth?: number;
}

/** The default of {@link ParseOptions.maxLength}. */
export const DEFAULT_MAX_LENGTH = 8192;
/** The default of {@link ParseOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 64;
/**
 * The deepest nesting any parse accepts, whatever {@link ParseOptions.maxDepth} says: deep
 * enough for any real filter, shallow enough that the recursion of the parser, the printer, the
 * evaluator and SQL translation stays far from Node's stack limit (about 2,000 levels of
 * parentheses overflow it).
 */
export const MAX_DEPTH_CEILING = 256;

/** The nesting bound of a parse: `maxDepth` or its default, never above {@link MAX_DEPTH_CEILING}. */
export function maxDepthOf(options: ParseOptions | undefined): number {
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  return Number.isNaN(maxDepth) ? MAX_DEPTH_CEILING : Math.min(maxDepth, MAX_DEPTH_CEILING);
}
