/**
 * The abstract syntax tree of SCIM filters and paths: plain, JSON-serialisable objects with a
 * `kind` literal, and a `loc` (0-based offsets into the parsed text) when they came from the
 * parser. Builders leave `loc` out.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */

/** Where a node stands in the text it was parsed from: `start` inclusive, `end` exclusive, 0-based. */
export interface Location {
  start: number;
  end: number;
}

/**
 * An attribute path: `[URN ":"] attribute ["." subAttribute]`.
 *
 * Inside a value path (`emails[type eq "work"]`) paths are relative to the multi-valued
 * attribute: `type` there is `{ attribute: 'type' }`.
 */
export interface AttributePath {
  kind: 'AttributePath';
  /** The schema URN as written (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`), if any. */
  schema?: string;
  /** The attribute name as written (names are case-insensitive; consumers resolve them against a schema). */
  attribute: string;
  /** The sub-attribute name as written, if any. */
  subAttribute?: string;
  loc?: Location;
}

/** Comparison operators of RFC 7644 3.4.2.2 (`pr` is {@link PresentFilter}). */
export type ComparisonOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A JSON value in a comparison: string, number, boolean or null. */
export type FilterValue = string | number | boolean | null;

/** `attrPath op value`. */
export interface ComparisonFilter {
  kind: 'Comparison';
  path: AttributePath;
  /** Lower-cased operator. */
  operator: ComparisonOperator;
  value: FilterValue;
  loc?: Location;
}

/** `attrPath pr`: the attribute has a non-empty value. */
export interface PresentFilter {
  kind: 'Present';
  path: AttributePath;
  loc?: Location;
}

/** `left and right`. */
export interface AndFilter {
  kind: 'And';
  left: Filter;
  right: Filter;
  loc?: Location;
}

/** `left or right`. */
export interface OrFilter {
  kind: 'Or';
  left: Filter;
  right: Filter;
  loc?: Location;
}

/** `not (filter)`. */
export interface NotFilter {
  kind: 'Not';
  filter: Filter;
  loc?: Location;
}

/**
 * `attribute[filter]`: the inner filter must hold within ONE value of the multi-valued
 * attribute. `path` never has a `subAttribute`; paths inside `filter` are relative.
 */
export interface ValuePathFilter {
  kind: 'ValuePath';
  path: AttributePath;
  filter: Filter;
  loc?: Location;
}

/** Any filter expression. Grouping parentheses are not kept: the tree's shape says it all. */
export type Filter = ComparisonFilter | PresentFilter | AndFilter | OrFilter | NotFilter | ValuePathFilter;

/**
 * A PATCH operation path: `attrPath` or `valuePath["." subAttribute]`.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export interface PatchPath {
  kind: 'PatchPath';
  /** The target attribute (with `subAttribute` only when there is no `valueFilter`). */
  path: AttributePath;
  /** The filter in brackets, selecting values of a multi-valued attribute. */
  valueFilter?: Filter;
  /** The sub-attribute after the brackets: `emails[type eq "work"].value`. */
  subAttribute?: string;
  loc?: Location;
}

/** One `sortBy` attribute with its order. */
export interface SortSpec {
  path: AttributePath;
  order: 'ascending' | 'descending';
}
