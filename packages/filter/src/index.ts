/**
 * @packageDocumentation
 * Zero-dependency SCIM filter and path parser (RFC 7644 section 3.4.2.2).
 */
export type {
  AndFilter,
  AttributePath,
  ComparisonFilter,
  ComparisonOperator,
  Filter,
  FilterValue,
  Location,
  NotFilter,
  OrFilter,
  PatchPath,
  PresentFilter,
  SortSpec,
  ValuePathFilter,
} from './ast.js';
/** Placeholder until the parser lands. */
export const placeholder = true;
