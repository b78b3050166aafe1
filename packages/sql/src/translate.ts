/**
 * Filters as SQL: each comparison, presence test and value path translated exactly as
 * `compileFilter` of `@scimkit/filter` evaluates it; what cannot be is handed back as a residual.
 */
import {
  type AttributePath,
  type ComparisonFilter,
  comparesAsDateTime,
  type Filter,
  type FilterValue,
  parseInstant,
} from '@scimkit/filter';
import { type AttributeDefinition, type ResolvedAttribute, resolveAttribute } from '@scimkit/schema';
import { childValueEquality } from './child-index.js';
import { escapeLike, isSafePathSegment, type JsonRef, textOf, type ValueRef } from './dialect.js';
import { identifier, joinSql, renderSql, type SqlFragment, sql } from './fragment.js';

import {
  type ChildScope,
  type Context,
  canonicalAttributePath,
  childTableOf,
  elementValue,
  implicitValue,
  newContext,
  nextAlias,
  type Scope,
  segmentsOf,
  subAttributeNamed,
  type TranslateOptions,
} from './translation.js';

/** The result of {@link translateFilter}. */
export interface TranslatedFilter {
  /** The predicate as SQL text with placeholders. */
  sql: string;
  /** Parameters of {@link TranslatedFilter.sql}. */
  params: unknown[];
  /** The same predicate as a fragment, to embed in a larger statement. */
  where: SqlFragment;
  /**
   * The part of the filter that could NOT be pushed down, if any ("cannot push down"). When
   * present, `where` is the conjunction of the parts that could (a superset of the answer),
   * and the caller must keep only the rows that also match `residual`, evaluated in memory
   * (for example with `compileFilter` of `@scimkit/filter`). Parts are pushed down per
   * top-level `and` term; an `or` or `not` is pushed down whole or not at all.
   */
  residual?: Filter;
}

/* ----------------------------------------------------------------- comparisons */

/** Marker: the condition can never hold (the evaluator's NEVER), pushed down as false. */
const NEVER = Symbol('never');

type Test = (ref: ValueRef) => SqlFragment | undefined;

function comparisonSql(operator: ComparisonFilter['operator']): SqlFragment {
  switch (operator) {
    case 'gt':
      return sql`>`;
    case 'ge':
      return sql`>=`;
    case 'lt':
      return sql`<`;
    case 'le':
      return sql`<=`;
    case 'ne':
      return sql`<>`;
    default:
      return sql`=`;
  }
}

/**
 * The test of one value of attribute `definition` against a comparison, with the semantics of
 * `compileFilter` of `@scimkit/filter`: values of another JSON type never match, `ne` needs a
 * value that differs. NEVER when nothing can match; undefined when it cannot be pushed down.
 */
function scalarTest(
  context: Context,
  definition: AttributeDefinition,
  operator: ComparisonFilter['operator'],
  value: Exclude<FilterValue, null>,
): Test | typeof NEVER | undefined {
  const { dialect } = context;
  const type = definition.type;
  const ordering = operator === 'gt' || operator === 'ge' || operator === 'lt' || operator === 'le';
  if (typeof value === 'string' && comparesAsDateTime(type, operator)) {
    if (!parseInstant(value)) return undefined; // the evaluator rejects it: let it say so
    const key = dialect.dateTimeValue(value);
    if (key === undefined) return undefined;
    return (ref) =>
      dialect.truthy(sql`${dialect.dateTime(textOf(dialect, ref))} ${comparisonSql(operator)} ${key}`);
  }
  if (typeof value === 'string') {
    if (type !== 'string' && type !== 'reference' && type !== 'binary' && type !== 'dateTime') return NEVER;
    const caseExact = definition.caseExact === true || type === 'binary';
    if (!caseExact && !dialect.canFoldCase(value)) return undefined;
    // Databases cap LIKE patterns (SQLite: 50,000 bytes); very long values stay in memory.
    if (value.length > 10_000) return undefined;
    // SQL compares text by code point, JavaScript by UTF-16 unit: they agree as long as the
    // filter value has no character at or above U+D800.
    if (ordering && /[\ud800-\uffff]/.test(value)) return undefined;
    const needle = caseExact ? value : value.toLowerCase();
    return (ref) => {
      const raw = textOf(dialect, ref);
      const text = caseExact ? raw : dialect.lower(raw);
      switch (operator) {
        case 'co':
          return dialect.truthy(
            caseExact ? dialect.contains(text, needle) : dialect.like(text, `%${escapeLike(needle)}%`),
          );
        case 'sw':
          return dialect.truthy(
            caseExact ? dialect.startsWith(text, needle) : dialect.like(text, `${escapeLike(needle)}%`),
          );
        case 'ew':
          return dialect.truthy(
            caseExact ? dialect.endsWith(text, needle) : dialect.like(text, `%${escapeLike(needle)}`),
          );
        default:
          return dialect.truthy(sql`${text} ${comparisonSql(operator)} ${needle}`);
      }
    };
  }
  if (typeof value === 'number') {
    if (type !== 'integer' && type !== 'decimal') return NEVER;
    if (operator === 'co' || operator === 'sw' || operator === 'ew') return NEVER;
    if (!Number.isFinite(value)) return undefined;
    return (ref) =>
      ref.kind === 'json'
        ? dialect.truthy(sql`${dialect.number(ref)} ${comparisonSql(operator)} ${value}`)
        : undefined;
  }
  if (type !== 'boolean' || (operator !== 'eq' && operator !== 'ne')) return NEVER;
  const expected = operator === 'eq' ? value : !value;
  return (ref) => (ref.kind === 'json' ? dialect.isBoolean(ref, expected) : undefined);
}

function presentValue(context: Context, ref: ValueRef): SqlFragment {
  if (ref.kind === 'column') return sql`(${ref.expression} IS NOT NULL AND ${ref.expression} <> '')`;
  return context.dialect.present(ref);
}

/** `EXISTS (SELECT 1 FROM <values of attribute> WHERE <predicate(value)>)`. */
function anyElement(
  context: Context,
  resolved: ResolvedAttribute,
  predicate: (element: ValueRef | ChildScope) => SqlFragment | undefined,
  objectsOnly = false,
): SqlFragment | undefined {
  const alias = nextAlias(context);
  const table = childTableOf(context.options, resolved);
  // Evaluated for every row the subquery reads (before the condition, which may be false).
  const rowGuard = context.options.rowGuard ? sql`${context.options.rowGuard} AND ` : sql``;
  if (table) {
    const condition = predicate({ kind: 'child', table, alias });
    if (!condition) return undefined;
    return sql`EXISTS (SELECT 1 FROM ${identifier(table.table)} AS ${identifier(alias)} WHERE ${table.correlate(alias)} AND ${rowGuard}${condition})`;
  }
  const segments = segmentsOf(context.options, resolved, false);
  if (!segments) return undefined;
  const array = context.dialect.documentRef(context.document, segments);
  const { from, where, element } = context.dialect.arrayElements(array, alias);
  const condition = predicate(element);
  if (!condition) return undefined;
  const guard = objectsOnly ? sql` AND ${context.dialect.isObject(element)}` : sql``;
  return sql`EXISTS (SELECT 1 FROM ${from} WHERE ${where}${guard} AND ${rowGuard}${condition})`;
}

/* ------------------------------------------------------------------ the filter */

/** Where a path's values are, and how to test "any value satisfies". */
interface Located {
  /** What the path names: the sub-attribute, or the attribute. */
  definition: AttributeDefinition;
  /**
   * "Some value satisfies `test`": `key` reads that key of each value first (`value` of a
   * complex attribute compared without sub-attribute). `test` gets undefined for a child row
   * itself (only `pr` asks for it).
   */
  any(
    key: string | undefined,
    test: (ref: ValueRef | undefined) => SqlFragment | undefined,
  ): SqlFragment | undefined;
}

/** Resolves a path: Located, NEVER for a name the evaluator would not find, undefined to fall back. */
function locate(
  context: Context,
  path: AttributePath,
  scope: Scope | undefined,
): Located | typeof NEVER | undefined {
  const { options, dialect } = context;
  if (scope) {
    // Relative to one value of a complex attribute (the schema URN is ignored, as by the evaluator).
    const sub = subAttributeNamed(scope.attribute, path.attribute);
    if (!sub || path.subAttribute !== undefined) return NEVER;
    const ref = elementValue(context, scope.element, sub.name);
    if (!ref) return undefined;
    return {
      definition: sub,
      any: (key, test) => {
        if (key === undefined) return test(ref);
        if (ref.kind !== 'json') return undefined;
        return test(dialect.childRef(ref, [key]));
      },
    };
  }
  // Names the evaluator resolves differently (dotted or URN-prefixed `attribute`) stay in memory.
  if (path.attribute.includes('.') || /^urn:/i.test(path.attribute)) return undefined;
  const resolved = resolveAttribute(options.resourceType, path);
  if (!resolved) return undefined;
  const { attribute, subAttribute } = resolved;
  const definition = subAttribute ?? attribute;
  if (!attribute.multiValued) {
    if (childTableOf(options, resolved)) return undefined;
    const segments = segmentsOf(options, resolved, true);
    if (!segments) return undefined;
    return {
      definition,
      any: (key, test) => {
        if (key !== undefined && !isSafePathSegment(key)) return undefined;
        return test(dialect.documentRef(context.document, key === undefined ? segments : [...segments, key]));
      },
    };
  }
  return {
    definition,
    any: (key, test) =>
      anyElement(context, resolved, (element) => {
        const names = [subAttribute?.name, key].filter((name): name is string => name !== undefined);
        if (element.kind === 'child') {
          if (names.length === 0) return test(undefined);
          if (names.length > 1) return undefined;
          const ref = elementValue(context, element, names[0]);
          return ref ? test(ref) : undefined;
        }
        if (!names.every(isSafePathSegment)) return undefined;
        return test(names.length === 0 ? element : dialect.childRef(element as JsonRef, names));
      }),
  };
}

function translateComparison(
  context: Context,
  node: ComparisonFilter,
  scope: Scope | undefined,
): SqlFragment | undefined {
  const { operator, value } = node;
  const ordering = operator === 'gt' || operator === 'ge' || operator === 'lt' || operator === 'le';
  // The evaluator rejects these (400 invalidFilter): let it say so.
  if (ordering && (value === null || typeof value === 'boolean')) return undefined;
  const located = locate(context, node.path, scope);
  if (located === undefined) return undefined;
  if (located === NEVER) return context.dialect.false;
  let definition = located.definition;
  let key: string | undefined;
  if (definition.type === 'complex') {
    // A complex attribute compared without a sub-attribute compares its `value`.
    const valueDefinition = subAttributeNamed(definition, 'value');
    if (!valueDefinition) return context.dialect.false;
    definition = valueDefinition;
    key = valueDefinition.name;
  }
  if (ordering && (definition.type === 'boolean' || definition.type === 'binary')) return undefined;
  if (value === null) {
    // `eq null` matches an absent attribute, `ne null` a present one.
    const present = translatePresent(context, located);
    if (operator === 'eq') return present && sql`(NOT ${present})`;
    if (operator === 'ne') return present;
    return context.dialect.false;
  }
  const test = scalarTest(context, definition, operator, value);
  if (test === undefined) return undefined;
  if (test === NEVER) return context.dialect.false;
  return located.any(key, (ref) => (ref ? test(ref) : undefined));
}

function translatePresent(context: Context, located: Located): SqlFragment | undefined {
  return located.any(undefined, (ref) => (ref ? presentValue(context, ref) : context.dialect.true));
}

function translateValuePath(
  context: Context,
  node: Filter & { kind: 'ValuePath' },
  scope: Scope | undefined,
) {
  const { options, dialect } = context;
  if (scope || node.path.subAttribute !== undefined) return undefined;
  if (node.path.attribute.includes('.') || /^urn:/i.test(node.path.attribute)) return undefined;
  const resolved = resolveAttribute(options.resourceType, node.path);
  if (!resolved || resolved.subAttribute) return undefined;
  const attribute = resolved.attribute;
  if (attribute.type !== 'complex') return dialect.false;
  if (attribute.multiValued) {
    return anyElement(
      context,
      resolved,
      (element) => translateNode(context, node.filter, { attribute, element }),
      true,
    );
  }
  if (childTableOf(options, resolved)) return undefined;
  const segments = segmentsOf(options, resolved, false);
  if (!segments) return undefined;
  const ref = dialect.documentRef(context.document, segments);
  const inner = translateNode(context, node.filter, { attribute, element: ref });
  return inner && sql`(${dialect.isObject(ref)} AND ${inner})`;
}

function translateNode(context: Context, node: Filter, scope: Scope | undefined): SqlFragment | undefined {
  switch (node.kind) {
    case 'And':
    case 'Or': {
      const left = translateNode(context, node.left, scope);
      if (!left) return undefined;
      const right = translateNode(context, node.right, scope);
      if (!right) return undefined;
      return node.kind === 'And' ? sql`(${left} AND ${right})` : sql`(${left} OR ${right})`;
    }
    case 'Not': {
      const inner = translateNode(context, node.filter, scope);
      return inner ? sql`(NOT ${inner})` : undefined;
    }
    case 'Comparison':
      return (
        (!scope && (indexedEquality(context, node) || childValueEquality(context, node))) ||
        translateComparison(context, node, scope)
      );
    case 'Present': {
      const located = locate(context, node.path, scope);
      if (located === undefined) return undefined;
      if (located === NEVER) return context.dialect.false;
      return translatePresent(context, located);
    }
    case 'ValuePath':
      return (!scope && childValueEquality(context, node)) || translateValuePath(context, node, scope);
    default:
      return undefined;
  }
}

/** An `eq` on a string attribute that the store's index can answer. */
function indexedEquality(context: Context, node: ComparisonFilter): SqlFragment | undefined {
  const hook = context.options.equalityIndex;
  if (!hook || node.operator !== 'eq' || typeof node.value !== 'string') return undefined;
  if (node.path.attribute.includes('.') || /^urn:/i.test(node.path.attribute)) return undefined;
  const resolved = resolveAttribute(context.options.resourceType, node.path);
  if (!resolved) return undefined;
  const definition =
    resolved.subAttribute ??
    (resolved.attribute.type === 'complex' ? implicitValue(resolved.attribute) : resolved.attribute);
  if (!definition || !['string', 'reference', 'binary'].includes(definition.type)) return undefined;
  if (childTableOf(context.options, resolved)) return undefined;
  const attribute =
    definition === resolved.attribute || resolved.subAttribute
      ? canonicalAttributePath(context.options.resourceType, resolved)
      : `${canonicalAttributePath(context.options.resourceType, resolved)}.${definition.name}`;
  return hook({
    attribute,
    value: node.value,
    caseExact: definition.caseExact === true || definition.type === 'binary',
  });
}

function translateTop(context: Context, node: Filter): SqlFragment | undefined {
  return translateNode(context, node, undefined);
}

function conjuncts(node: Filter, into: Filter[] = []): Filter[] {
  if (node.kind === 'And') {
    conjuncts(node.left, into);
    conjuncts(node.right, into);
  } else into.push(node);
  return into;
}

function translateWith(context: Context, filter: Filter): { where: SqlFragment; residual?: Filter } {
  const pushed: SqlFragment[] = [];
  let residual: Filter | undefined;
  for (const term of conjuncts(filter)) {
    const translated = translateTop(context, term);
    if (translated) pushed.push(translated);
    else residual = residual ? { kind: 'And', left: residual, right: term } : term;
  }
  const where = pushed.length === 0 ? context.dialect.true : joinSql(pushed, ' AND ');
  return residual ? { where, residual } : { where };
}

/**
 * Translates a SCIM filter into a parameterised SQL predicate over a table whose rows hold a
 * resource's JSON document. Attribute names are resolved against the resource type's schemas
 * (case-insensitively) and written into SQL only as bound JSON paths built from the schema's
 * own names; values are always parameters. String comparisons honour `caseExact` (lower-casing
 * both sides otherwise), `co`/`sw`/`ew` use LIKE with `%`, `_` and `\` escaped (or exact
 * substring functions when case-exact), dateTimes compare as UTC epoch milliseconds,
 * multi-valued attributes match when any value matches, and value paths hold within one value.
 *
 * What cannot be pushed down exactly (an unknown attribute, a value of the wrong type, `gt` on
 * a boolean, a case-insensitive match a dialect cannot fold, …) is returned as `residual` for
 * in-memory evaluation: the answer is never wrong.
 *
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 * import { userResourceType } from '@scimkit/schema';
 * import { sqliteDialect, translateFilter } from '@scimkit/sql';
 *
 * const { sql, params, residual } = translateFilter(parseFilter('userName eq "bjensen"'), {
 *   dialect: sqliteDialect(),
 *   resourceType: userResourceType,
 *   document: 'r.data',
 * });
 * // sql: coalesce(lower(iif(json_type(r.data, ?) = 'text', json_extract(r.data, ?), NULL)) = ?, 0)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function translateFilter(filter: Filter, options: TranslateOptions): TranslatedFilter {
  const context = newContext(options);
  const { where, residual } = translateWith(context, filter);
  const rendered = renderSql(where, options.dialect.placeholder);
  return residual ? { ...rendered, where, residual } : { ...rendered, where };
}
