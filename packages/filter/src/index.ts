/**
 * @packageDocumentation
 * Zero-dependency SCIM 2.0 filter and path toolkit (RFC 7644 section 3.4.2.2): a fast parser
 * with positions and code frames, PATCH path, attribute list and `sortBy` parsers, a printer
 * that round-trips, a typed builder, a visitor, and an evaluator that compiles a filter once
 * into a predicate honouring the attribute characteristics of plain SCIM schema definitions.
 *
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 *
 * const filter = parseFilter('userName eq "bjensen" and emails[type eq "work"]');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
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
export {
  and,
  attributePath,
  co,
  eq,
  ew,
  ge,
  gt,
  le,
  lt,
  ne,
  not,
  or,
  type PathInput,
  pr,
  sw,
  valuePath,
} from './builder.js';
export { type Instant, parseInstant } from './date-time.js';
export {
  type FilterErrorBody,
  type FilterErrorType,
  FilterSyntaxError,
  type FilterSyntaxErrorOptions,
  isFilterSyntaxError,
} from './errors.js';
export { type CompileOptions, compileFilter, type FilterPredicate } from './evaluator.js';
export { type Token, type TokenizeOptions, type TokenKind, tokenize } from './lexer.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, MAX_DEPTH_CEILING, type ParseOptions } from './options.js';
export {
  parseAttributeList,
  parseFilter,
  parsePath,
  parseSortBy,
  type SafeParseResult,
  safeParseFilter,
  safeParsePath,
} from './parser.js';
export { formatAttributePath, formatFilter, formatPath } from './printer.js';
export {
  comparesAsDateTime,
  type FilterAttributeDefinition,
  type FilterAttributeType,
  type FilterSchemaDefinition,
} from './schema-index.js';
export { type FilterVisitor, transformFilter, visitFilter } from './visitor.js';
