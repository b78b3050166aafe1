/**
 * Child-table `value` equalities (`members[value eq "…"]`) answered from an index of the child
 * table: which filters qualify, and the case-folded key and expression the stores index.
 */
import type { ComparisonFilter, Filter } from '@scimkit/filter';
import { type AttributeDefinition, resolveAttribute } from '@scimkit/schema';
import { identifier, type SqlFragment, sql } from './fragment.js';
import {
  type ChildValueLookup,
  type Context,
  childTableOf,
  implicitValue,
  subAttributeNamed,
} from './translation.js';

/** The `eq` comparison of a child-table attribute's `value` a filter term is, if it is one. */
function childValueComparison(
  context: Context,
  node: Filter,
): { comparison: ComparisonFilter; attribute: string; value: AttributeDefinition } | undefined {
  const path = node.kind === 'ValuePath' || node.kind === 'Comparison' ? node.path : undefined;
  if (!path) return undefined;
  // Names the evaluator resolves differently (dotted or URN-prefixed `attribute`) stay as they are.
  if (path.attribute.includes('.') || /^urn:/i.test(path.attribute)) return undefined;
  const resolved = resolveAttribute(context.options.resourceType, path);
  if (!resolved || !childTableOf(context.options, resolved)) return undefined;
  const value = implicitValue(resolved.attribute);
  if (value?.name !== 'value') return undefined;
  if (node.kind === 'Comparison') {
    // `members.value eq "x"`, or `members eq "x"` (a complex attribute compares its value).
    if (resolved.subAttribute && resolved.subAttribute !== value) return undefined;
    return { comparison: node, attribute: resolved.attribute.name, value };
  }
  // `members[value eq "x"]`: the inner path names the sub-attribute relative to the value.
  if (node.kind !== 'ValuePath' || path.subAttribute !== undefined || resolved.subAttribute) return undefined;
  const inner = node.filter;
  if (inner.kind !== 'Comparison' || inner.path.subAttribute !== undefined) return undefined;
  if (subAttributeNamed(resolved.attribute, inner.path.attribute) !== value) return undefined;
  return { comparison: inner, attribute: resolved.attribute.name, value };
}

/**
 * A top-level `value` equality on a child-table attribute, answered by the store's
 * `childValueIndex` (an uncorrelated predicate the planner can start from), or undefined to
 * translate it as a test of each resource's child rows.
 */
export function childValueEquality(context: Context, node: Filter): SqlFragment | undefined {
  const hook = context.options.childValueIndex;
  if (!hook) return undefined;
  const found = childValueComparison(context, node);
  if (!found) return undefined;
  const { comparison, value } = found;
  if (comparison.operator !== 'eq' || typeof comparison.value !== 'string') return undefined;
  if (value.type !== 'string') return undefined;
  const table = context.options.childTables?.find((child) => child.attribute === found.attribute);
  if (!table) return undefined;
  return hook({ table, value: comparison.value, caseExact: value.caseExact === true });
}

/**
 * The key a case-insensitive child `value` is looked up by in a store's folded index: the
 * value as `String.prototype.toLowerCase` folds it (as the filter evaluator compares), when
 * that is ASCII; undefined otherwise (the store then tests each row instead).
 *
 * The folded index holds {@link foldedValueSql} of each value, which equals this key exactly
 * for the values that fold to it: a value whose lower-case form is ASCII holds only ASCII
 * letters and U+212A KELVIN SIGN (every other character lower-cases to something non-ASCII,
 * or to U+0307 with U+0130), and the expression folds exactly those.
 *
 * @example
 * ```ts
 * import { foldedValueKey } from '@scimkit/sql/internal';
 *
 * foldedValueKey('U-0042'); // 'u-0042'
 * foldedValueKey('Ärger'); // undefined
 * ```
 */
export function foldedValueKey(value: string): string | undefined {
  const key = value.toLowerCase();
  return /^[\u0000-\u007f]*$/.test(key) ? key : undefined;
}

/**
 * The folded form of a text column that a store indexes for {@link foldedValueKey} lookups:
 * ASCII lower-casing (SQLite's built-in `lower()`, PostgreSQL's `lower()` in the "C"
 * collation) after U+212A KELVIN SIGN becomes `k`. Built-in functions only, so the index
 * needs nothing registered by the store (any tool can write the table).
 *
 * @example
 * ```ts
 * import { sql } from '@scimkit/sql';
 * import { foldedValueSql } from '@scimkit/sql/internal';
 *
 * foldedValueSql('sqlite', sql`m.value`); // lower(replace(m.value, char(8490), 'k'))
 * ```
 */
export function foldedValueSql(dialect: 'sqlite' | 'postgres', column: SqlFragment): SqlFragment {
  return dialect === 'sqlite'
    ? sql`lower(replace(${column}, char(8490), 'k'))`
    : sql`lower(replace(${column}, chr(8490), 'k') COLLATE "C")`;
}

/**
 * The ids of the resources of `type` in `tenant` holding a child row whose `value` equals the
 * lookup's, as a SELECT over a members table laid out as `childTables` describes (`tenant`,
 * `group_type`, `group_id`, `attribute`, `value`) that starts from its index: `(tenant, value)`
 * for a case-exact value, `(tenant, <foldedValueSql of value>)` otherwise. Undefined when the
 * folded value is not ASCII ({@link foldedValueKey}): the translator then tests each row.
 *
 * @example
 * ```ts
 * import type { ChildValueLookup } from '@scimkit/sql';
 * import { childValueHolders } from '@scimkit/sql/internal';
 *
 * declare const lookup: ChildValueLookup; // what the translator's `childValueHolders` hook is given
 * const holders = childValueHolders(lookup, { dialect: 'sqlite', tenant: '', type: 'Group' });
 * // sql`r.id IN (${holders})`
 * ```
 */
export function childValueHolders(
  lookup: ChildValueLookup,
  scope: {
    dialect: 'sqlite' | 'postgres';
    tenant: string;
    type: string;
    /**
     * SQLite: the indexes to name with `INDEXED BY` (without statistics its planner may
     * otherwise pick the `(tenant, group_type, …)` key and read every member row of the type).
     */
    indexedBy?: { exact: string; folded: string };
  },
): SqlFragment | undefined {
  const column = identifier('m.value');
  let match: SqlFragment;
  let index: string | undefined;
  if (lookup.caseExact) {
    match = sql`${column} = ${lookup.value}`;
    index = scope.indexedBy?.exact;
  } else {
    const key = foldedValueKey(lookup.value);
    if (key === undefined) return undefined;
    match = sql`${foldedValueSql(scope.dialect, column)} = ${key}`;
    index = scope.indexedBy?.folded;
  }
  const indexed = index === undefined ? sql`` : sql` INDEXED BY ${identifier(index)}`;
  return sql`SELECT m.group_id FROM ${identifier(lookup.table.table)} AS m${indexed} WHERE m.tenant = ${scope.tenant} AND m.group_type = ${scope.type} AND m.attribute = ${lookup.table.attribute} AND ${match}`;
}
