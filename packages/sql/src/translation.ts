/**
 * What every translation works with: its options (shared by filters, sorts and queries), its
 * per-translation state, and attribute paths resolved to JSON paths, child tables and values.
 */
import type { AttributeDefinition, ResolvedAttribute, ResourceTypeDefinition } from '@scimkit/schema';
import { isSafePathSegment, type SqlDialect, type ValueRef } from './dialect.js';
import { identifier, type SqlFragment } from './fragment.js';

/**
 * An attribute stored outside the JSON document, in a child table with one row per value
 * (Group `members`, so one member can be added or removed without rewriting the group).
 */
export interface ChildTable {
  /** Canonical name of the multi-valued attribute of the core schema, e.g. `members`. */
  attribute: string;
  /** The child table's name. */
  table: string;
  /** Sub-attribute name (canonical casing) → column holding it as text. */
  columns: Readonly<Record<string, string>>;
  /** The condition tying a child row aliased `alias` to the resource row. */
  correlate(alias: string): SqlFragment;
  /** Column giving the values' order (for "sort by the first value"). */
  orderColumn?: string;
}

/** An equality the store may answer from an index (see {@link TranslateOptions.equalityIndex}). */
export interface EqualityLookup {
  /** The canonical attribute path: `userName`, `emails.value`, `urn:…:User:employeeNumber`. */
  attribute: string;
  /** The filter value as written. */
  value: string;
  /** Whether the attribute compares case-sensitively (else the index holds lower-cased values). */
  caseExact: boolean;
}

/**
 * A `value` equality on an attribute kept in a child table (`members[value eq "…"]`,
 * `members.value eq "…"`, `members eq "…"`) that the store may answer from the child table's
 * index (see {@link TranslateOptions.childValueIndex}).
 */
export interface ChildValueLookup {
  /** The child table holding the attribute. */
  table: ChildTable;
  /** The filter value as written. */
  value: string;
  /** Whether `value` compares case-sensitively (else as `String.prototype.toLowerCase` folds it). */
  caseExact: boolean;
}

/** Options of {@link translateFilter}, {@link translateSort} and {@link translateQuery}. */
export interface TranslateOptions {
  /** The database dialect, e.g. `sqliteDialect()`. */
  dialect: SqlDialect;
  /** The resource type whose schemas resolve attribute names, caseExact and types. */
  resourceType: ResourceTypeDefinition;
  /**
   * The column holding the resource's JSON document, optionally qualified (`r.data`). A plain
   * identifier from configuration, never from a request.
   * @defaultValue 'data'
   */
  document?: string;
  /**
   * A unique, stable column that breaks ties in sorting and anchors keyset paging, e.g. an
   * insertion sequence (`r.seq`) so equal keys keep insertion order.
   * @defaultValue 'id'
   */
  tiebreak?: string;
  /** Multi-valued attributes kept in child tables instead of the document. */
  childTables?: readonly ChildTable[];
  /**
   * Answers a top-level `eq` on a string attribute from an index: return a predicate on the
   * resource row (e.g. `r.id IN (SELECT … FROM attribute_index WHERE …)`) or undefined to let
   * the translator read the JSON document. The predicate must be exact: true for a row iff
   * some value of the attribute equals `value` (case-insensitively unless `caseExact`).
   */
  equalityIndex?: (lookup: EqualityLookup) => SqlFragment | undefined;
  /**
   * Answers a top-level `value` equality on a child-table attribute from the child table's
   * index: return an uncorrelated predicate on the resource row (e.g. `r.id IN (SELECT group_id
   * FROM members WHERE … AND value = …)`) that the planner can start from, or undefined to let
   * the translator test each resource's child rows. The predicate must be exact: true for a row
   * iff one of its child rows has a `value` equal to the lookup's (case-insensitively unless
   * `caseExact`).
   */
  childValueIndex?: (lookup: ChildValueLookup) => SqlFragment | undefined;
  /**
   * A predicate, true whenever it returns, that every subquery over the values of a
   * multi-valued attribute (a child table, a JSON array) evaluates first for each row it reads.
   * A store bounds a query's work with it: SQLite has no statement timeout, but a registered
   * function that throws once the query is past its deadline ends the statement, and it has to
   * run inside the correlated subqueries too, where a filter over a 100k-member group does its
   * work (`@scimkit/store-sqlite` passes `scim_guard()`).
   */
  rowGuard?: SqlFragment;
}

/** Per-translation state. */
export interface Context {
  options: TranslateOptions;
  dialect: SqlDialect;
  document: SqlFragment;
  aliases: number;
}

/** Where a relative path inside a value path is resolved. */
export interface Scope {
  attribute: AttributeDefinition;
  element: ValueRef | ChildScope;
}

export interface ChildScope {
  kind: 'child';
  table: ChildTable;
  alias: string;
}

export function newContext(options: TranslateOptions): Context {
  return {
    options,
    dialect: options.dialect,
    document: identifier(options.document ?? 'data'),
    aliases: 0,
  };
}

export function nextAlias(context: Context): string {
  context.aliases += 1;
  return `scim_e${context.aliases}`;
}

/** The JSON path of a resolved attribute (canonical names), or undefined if a name is unsafe. */
export function segmentsOf(
  options: TranslateOptions,
  resolved: ResolvedAttribute,
  withSub: boolean,
): string[] | undefined {
  const segments: string[] = [];
  if (resolved.schema.id !== options.resourceType.schema.id) segments.push(resolved.schema.id);
  segments.push(resolved.attribute.name);
  if (withSub && resolved.subAttribute) segments.push(resolved.subAttribute.name);
  return segments.every(isSafePathSegment) ? segments : undefined;
}

/** `userName`, `emails.value`, `urn:…:User:manager.value`. */
export function canonicalAttributePath(
  resourceType: ResourceTypeDefinition,
  resolved: ResolvedAttribute,
): string {
  const base =
    resolved.schema.id === resourceType.schema.id
      ? resolved.attribute.name
      : `${resolved.schema.id}:${resolved.attribute.name}`;
  return resolved.subAttribute ? `${base}.${resolved.subAttribute.name}` : base;
}

export function childTableOf(options: TranslateOptions, resolved: ResolvedAttribute): ChildTable | undefined {
  if (resolved.schema.id !== options.resourceType.schema.id) return undefined;
  return options.childTables?.find((table) => table.attribute === resolved.attribute.name);
}

export function subAttributeNamed(
  attribute: AttributeDefinition,
  name: string,
): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return attribute.subAttributes?.find((sub) => sub.name.toLowerCase() === lower);
}

/** The sub-attribute compared when a multi-valued complex attribute is used without one. */
export function implicitValue(attribute: AttributeDefinition): AttributeDefinition | undefined {
  return attribute.type === 'complex' ? subAttributeNamed(attribute, 'value') : attribute;
}

/** The value of `sub` within one element (JSON element or child row); the element itself without `sub`. */
export function elementValue(
  context: Context,
  element: ValueRef | ChildScope,
  sub: string | undefined,
): ValueRef | undefined {
  if (element.kind === 'child') {
    if (sub === undefined) return undefined;
    const column = Object.hasOwn(element.table.columns, sub) ? element.table.columns[sub] : undefined;
    if (column === undefined) return undefined;
    return { kind: 'column', expression: identifier(`${element.alias}.${column}`) };
  }
  if (sub === undefined) return element;
  if (element.kind !== 'json' || !isSafePathSegment(sub)) return undefined;
  return context.dialect.childRef(element, [sub]);
}
