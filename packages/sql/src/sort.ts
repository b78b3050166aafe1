/**
 * `sortBy` and `sortOrder` as SQL: a sort key expression per resource, and an ORDER BY with a
 * stable tiebreak.
 */
import type { AttributePath, SortSpec } from '@scimkit/filter';
import { type AttributeDefinition, resolveAttribute, ScimError } from '@scimkit/schema';
import { textOf, type ValueRef } from './dialect.js';
import { identifier, type SqlFragment, sql } from './fragment.js';
import {
  type Context,
  canonicalAttributePath,
  childTableOf,
  elementValue,
  implicitValue,
  newContext,
  nextAlias,
  segmentsOf,
  subAttributeNamed,
  type TranslateOptions,
} from './translation.js';

/** The result of {@link translateSort}. */
export interface TranslatedSort {
  /** The sort key expression (NULL when the resource has no value). */
  key: SqlFragment;
  /** `ORDER BY` items (without the keyword): missing values last when ascending, first when descending, then id. */
  orderBy: SqlFragment;
  /** A stable text naming the sort, bound into cursors. */
  signature: string;
  /** The sort order. */
  order: 'ascending' | 'descending';
}

function sortKeyOf(
  context: Context,
  ref: ValueRef,
  definition: AttributeDefinition,
): SqlFragment | undefined {
  const { dialect } = context;
  switch (definition.type) {
    case 'string':
    case 'reference':
    case 'binary': {
      const text = textOf(dialect, ref);
      return definition.caseExact ? text : dialect.lower(text);
    }
    case 'boolean':
      if (ref.kind !== 'json') return undefined;
      return sql`(CASE WHEN ${dialect.isBoolean(ref, true)} THEN 1 WHEN ${dialect.isBoolean(ref, false)} THEN 0 END)`;
    case 'integer':
    case 'decimal':
      return ref.kind === 'json' ? dialect.number(ref) : undefined;
    case 'dateTime':
      return dialect.dateTimeMillis(textOf(dialect, ref));
    default:
      return undefined;
  }
}

/**
 * Translates `sortBy`/`sortOrder` into an ORDER BY with a stable tiebreak on the
 * `tiebreak` column (ascending in both orders, like a stable in-memory sort). Strings sort
 * case-insensitively unless `caseExact`; resources without a value sort last in either order;
 * a multi-valued attribute sorts by its primary value, else its first (RFC 7644 section
 * 3.4.2.3); a complex attribute without a sub-attribute counts as missing. Without a sort,
 * resources come in tiebreak order.
 *
 * @throws ScimError 400 `invalidValue` when `sortBy` names an attribute the resource type does not have.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.3
 */
export function translateSort(sort: SortSpec | undefined, options: TranslateOptions): TranslatedSort {
  const context = newContext(options);
  const tiebreak = identifier(options.tiebreak ?? 'id');
  if (!sort) return { key: sql`NULL`, orderBy: sql`${tiebreak} ASC`, signature: '', order: 'ascending' };
  const resolved = resolveAttribute(options.resourceType, sort.path);
  if (!resolved) {
    throw new ScimError(`sortBy names an attribute ${options.resourceType.name} resources do not have.`, {
      status: 400,
      scimType: 'invalidValue',
    });
  }
  const key = sortKey(context, sort.path);
  const order = sort.order === 'descending' ? 'descending' : 'ascending';
  const direction = order === 'descending' ? sql`DESC` : sql`ASC`;
  const signature = `${canonicalAttributePath(options.resourceType, resolved)}:${order}`;
  // No sort key (a complex attribute): every resource misses it, so the tiebreak alone orders
  // them. `ORDER BY NULL` would be refused by PostgreSQL ("non-integer constant in ORDER BY").
  if (!key) return { key: sql`NULL`, orderBy: sql`${tiebreak} ASC`, signature, order };
  return {
    key,
    orderBy: sql`(${key} IS NULL) ASC, ${key} ${direction}, ${tiebreak} ASC`,
    signature,
    order,
  };
}

function sortKey(context: Context, path: AttributePath): SqlFragment | undefined {
  const { options, dialect } = context;
  const resolved = resolveAttribute(options.resourceType, path);
  if (!resolved) return undefined;
  const { attribute, subAttribute } = resolved;
  if (!attribute.multiValued) {
    const definition = subAttribute ?? attribute;
    if (definition.type === 'complex' || childTableOf(options, resolved)) return undefined;
    const segments = segmentsOf(options, resolved, true);
    if (!segments) return undefined;
    return sortKeyOf(context, dialect.documentRef(context.document, segments), definition);
  }
  const definition = subAttribute ?? implicitValue(attribute);
  if (!definition || definition.type === 'complex') return undefined;
  const table = childTableOf(options, resolved);
  if (table) {
    // Child rows have no `primary`: the first value (by the order column) decides.
    const column = Object.hasOwn(table.columns, definition.name) ? table.columns[definition.name] : undefined;
    if (column === undefined || table.orderColumn === undefined) return undefined;
    const alias = nextAlias(context);
    const key = sortKeyOf(
      context,
      { kind: 'column', expression: identifier(`${alias}.${column}`) },
      definition,
    );
    if (!key) return undefined;
    return sql`(SELECT ${key} FROM ${identifier(table.table)} AS ${identifier(alias)} WHERE ${table.correlate(alias)} ORDER BY ${identifier(`${alias}.${table.orderColumn}`)} LIMIT 1)`;
  }
  const segments = segmentsOf(options, resolved, false);
  if (!segments) return undefined;
  const primary = attribute.type === 'complex' ? subAttributeNamed(attribute, 'primary') : undefined;
  const array = dialect.documentRef(context.document, segments);
  const first = dialect.childRef(array, []);
  const firstKey = (() => {
    const alias = nextAlias(context);
    const { from, where, element } = dialect.arrayElements(first, alias);
    const ref = elementValue(context, element, definition === attribute ? undefined : definition.name);
    const key = ref && sortKeyOf(context, ref, definition);
    // json_each / jsonb_array_elements yield elements in array order; LIMIT 1 takes the first.
    return key && sql`(SELECT ${key} FROM ${from} WHERE ${where} LIMIT 1)`;
  })();
  if (!firstKey) return undefined;
  if (primary?.type !== 'boolean') return firstKey;
  const alias = nextAlias(context);
  const { from, where, element } = dialect.arrayElements(array, alias);
  const ref = elementValue(context, element, definition.name);
  const primaryRef = elementValue(context, element, primary.name);
  const key = ref && sortKeyOf(context, ref, definition);
  if (!key || !primaryRef || primaryRef.kind !== 'json') return undefined;
  const primaryElement = sql`FROM ${from} WHERE ${where} AND ${dialect.isBoolean(primaryRef, true)}`;
  return sql`(CASE WHEN EXISTS (SELECT 1 ${primaryElement}) THEN (SELECT ${key} ${primaryElement} LIMIT 1) ELSE ${firstKey} END)`;
}
