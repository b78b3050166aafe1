import type { ResourceTypeDefinition, ScimResource } from '@scimkit/schema';
import { resolveAttribute } from '@scimkit/schema';
import { isMembersAttribute } from '@scimkit/schema/internal';
import { identifier, sql } from './fragment.js';
import { type ChildTable, canonicalAttributePath } from './translation.js';

/**
 * One attribute a SQL store copies into an index side table (one row per normalised value), for
 * `eq` lookups (the `equalityIndex` hook of `translateFilter`) and for uniqueness.
 */
export interface IndexedAttribute {
  /** Canonical path, as `translateFilter` names it to `equalityIndex`: `userName`, `emails.value`, `urn:…:User:employeeNumber`. */
  path: string;
  /** Whether values are stored as written; otherwise they are lower-cased (`String.prototype.toLowerCase`). */
  caseExact: boolean;
  /** The attribute's `uniqueness` when it is `server` or `global`; undefined when only indexed for lookups. */
  uniqueness: 'server' | 'global' | undefined;
  /**
   * Values with the same scope, path and (normalised) value clash: `*` for `global`,
   * `type:<resource type name>` for `server`, undefined when not unique. A store keeps it in a
   * column under a unique index (per tenant).
   */
  uniqueScope: string | undefined;
  /** The extension schema URN holding the attribute, or undefined for the core schema. */
  holder: string | undefined;
  /** The attribute's canonical name. */
  attribute: string;
  /** Whether the attribute holds a list (values are then read from an array only, as the SQL translation reads them). */
  multiValued: boolean;
  /** The sub-attribute's canonical name, if the values are a sub-attribute's. */
  sub: string | undefined;
}

/** How a SQL store lays out one resource type, independent of the SQL dialect. */
export interface StorageLayout {
  /** The resource type. */
  resourceType: ResourceTypeDefinition;
  /**
   * The core multi-valued complex attribute kept in a child table, one row per value (`members`
   * of Group, or any core `members` with a `value` sub-attribute), so that PATCH deltas change
   * rows instead of rewriting the resource; undefined when the type has none.
   */
  childAttribute: string | undefined;
  /** Attributes copied into the index side table, by canonical path. */
  indexed: ReadonlyMap<string, IndexedAttribute>;
  /** A stable text of `indexed`: when it changes, the store must rebuild the type's index rows. */
  signature: string;
}

/** Options of {@link storageLayout}. */
export interface StorageLayoutOptions {
  /**
   * Extra attribute paths to index (`['name.familyName']`). Unknown or non-string attributes
   * throw a TypeError.
   */
  indexedAttributes?: readonly string[];
}

const STRINGISH = new Set(['string', 'reference', 'binary']);

/**
 * Attributes indexed for every resource type that has them (Entra ID and Okta look them up by
 * `eq`), besides every attribute with `uniqueness` server or global.
 */
export const DEFAULT_INDEXED_ATTRIBUTES: readonly string[] = [
  'userName',
  'externalId',
  'emails.value',
  'displayName',
];

/**
 * The dialect-independent storage layout of a resource type for a SQL store: which attribute
 * lives in a child table, which attribute values go to an index side table, how they are
 * normalised and in which uniqueness scope. `@scimkit/store-sqlite` and `@scimkit/store-postgres`
 * use it with their own DDL.
 *
 * @example
 * ```ts
 * import { type User, userResourceType } from '@scimkit/schema';
 * import { indexedValues, storageLayout } from '@scimkit/sql/internal';
 *
 * declare const user: User;
 * const layout = storageLayout(userResourceType, { indexedAttributes: ['name.familyName'] });
 * for (const entry of layout.indexed.values()) {
 *   for (const value of indexedValues(user, entry)) {
 *     // INSERT INTO attribute_values (path, value, unique_scope) VALUES (entry.path, value, entry.uniqueScope)
 *   }
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-2.2
 */
export function storageLayout(
  resourceType: ResourceTypeDefinition,
  options: StorageLayoutOptions = {},
): StorageLayout {
  const childAttribute = resourceType.schema.attributes.find(isMembersAttribute)?.name;
  const indexed = new Map<string, IndexedAttribute>();
  const add = (path: string, force: boolean) => {
    const resolved = resolveAttribute(resourceType, { attribute: path });
    if (!resolved) {
      if (force) throw new TypeError(`indexedAttributes: ${resourceType.name} has no attribute "${path}".`);
      return;
    }
    const { attribute, subAttribute } = resolved;
    const core = resolved.schema.id === resourceType.schema.id;
    if (core && (attribute.name === childAttribute || attribute.name === 'id')) return;
    const definition =
      subAttribute ??
      (attribute.type === 'complex' ? attribute.subAttributes?.find((s) => s.name === 'value') : attribute);
    if (!definition || !STRINGISH.has(definition.type)) {
      if (force)
        throw new TypeError(
          `indexedAttributes: "${path}" of ${resourceType.name} is not a string attribute.`,
        );
      return;
    }
    const canonical =
      subAttribute || attribute.type !== 'complex'
        ? canonicalAttributePath(resourceType, resolved)
        : `${canonicalAttributePath(resourceType, resolved)}.${definition.name}`;
    const uniqueness =
      definition.uniqueness === 'server' || definition.uniqueness === 'global'
        ? definition.uniqueness
        : attribute.uniqueness === 'server' || attribute.uniqueness === 'global'
          ? attribute.uniqueness
          : undefined;
    indexed.set(canonical, {
      path: canonical,
      caseExact: definition.caseExact ?? false,
      uniqueness,
      uniqueScope:
        uniqueness === 'global' ? '*' : uniqueness === 'server' ? `type:${resourceType.name}` : undefined,
      holder: core ? undefined : resolved.schema.id,
      attribute: attribute.name,
      multiValued: attribute.multiValued,
      sub: definition === attribute ? undefined : definition.name,
    });
  };
  const schemas = [resourceType.schema, ...resourceType.extensions.map((extension) => extension.schema)];
  for (const schema of schemas) {
    const prefix = schema.id === resourceType.schema.id ? '' : `${schema.id}:`;
    for (const attribute of schema.attributes) {
      if (attribute.uniqueness === 'server' || attribute.uniqueness === 'global')
        add(prefix + attribute.name, false);
      for (const sub of attribute.subAttributes ?? []) {
        if (sub.uniqueness === 'server' || sub.uniqueness === 'global')
          add(`${prefix}${attribute.name}.${sub.name}`, false);
      }
    }
  }
  for (const path of DEFAULT_INDEXED_ATTRIBUTES) add(path, false);
  for (const path of options.indexedAttributes ?? []) add(path, true);
  const signature = JSON.stringify(
    [...indexed.values()]
      .map((entry) => [entry.path, entry.caseExact, entry.uniqueness ?? null])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
  return { resourceType, childAttribute, indexed, signature };
}

/** An own property of an object (never an inherited one such as `constructor`), or undefined. */
export function own(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * The normalised, deduplicated string values of an indexed attribute in a resource, read
 * exactly as the SQL translation reads them (a list only for multi-valued attributes; only
 * own properties).
 *
 * @example
 * ```ts
 * import { type User, userResourceType } from '@scimkit/schema';
 * import { indexedValues, storageLayout } from '@scimkit/sql/internal';
 *
 * declare const user: User;
 * const layout = storageLayout(userResourceType);
 * indexedValues({ ...user, userName: 'BJensen' }, layout.indexed.get('userName')!); // ['bjensen']
 * ```
 */
export function indexedValues(resource: ScimResource, entry: IndexedAttribute): string[] {
  const holder = entry.holder === undefined ? resource : own(resource, entry.holder);
  const raw = own(holder, entry.attribute);
  const list = entry.multiValued ? (Array.isArray(raw) ? raw : []) : Array.isArray(raw) ? [] : [raw];
  const values = new Set<string>();
  for (const item of list) {
    const value = entry.sub === undefined ? item : own(item, entry.sub);
    if (typeof value === 'string') values.add(entry.caseExact ? value : value.toLowerCase());
  }
  return [...values];
}

/**
 * The document a store writes for a resource: its JSON with the child attribute emptied, whose
 * rows hold it (`"members": []` keeps the attribute's presence).
 *
 * @example
 * ```ts
 * import { type Group, groupResourceType } from '@scimkit/schema';
 * import { storageLayout, storedDocument } from '@scimkit/sql/internal';
 *
 * declare const group: Group;
 * storedDocument(storageLayout(groupResourceType), group); // '{"schemas":[…],"id":"g1","members":[],…}'
 * ```
 */
export function storedDocument(layout: StorageLayout, resource: ScimResource): string {
  const child = layout.childAttribute;
  if (child === undefined || !Object.hasOwn(resource, child)) return JSON.stringify(resource);
  return JSON.stringify({ ...resource, [child]: [] });
}

/**
 * How `translateQuery` reads the layout's child attribute from a store's members table
 * (`table`, as SQL names it), whose rows carry `tenant`, `group_type`, `group_id`, `attribute`,
 * `value`, `type`, `display`, `ref` and an insertion `seq`, and which it correlates with the
 * resource row `r` (columns `tenant`, `type`, `id`).
 *
 * @example
 * ```ts
 * import { groupResourceType } from '@scimkit/schema';
 * import { sqliteDialect, translateQuery } from '@scimkit/sql';
 * import { childTables, storageLayout } from '@scimkit/sql/internal';
 *
 * const layout = storageLayout(groupResourceType);
 * translateQuery(
 *   { page: { kind: 'index', startIndex: 1, count: 100 } },
 *   { dialect: sqliteDialect(), resourceType: groupResourceType, document: 'r.data', childTables: childTables(layout, 'members') },
 * );
 * ```
 */
export function childTables(layout: StorageLayout, table: string): ChildTable[] {
  const attribute = layout.childAttribute;
  if (attribute === undefined) return [];
  return [
    {
      attribute,
      table,
      columns: { value: 'value', type: 'type', display: 'display', $ref: 'ref' },
      orderColumn: 'seq',
      correlate: (alias) =>
        sql`${identifier(`${alias}.tenant`)} = r.tenant AND ${identifier(`${alias}.group_type`)} = r.type AND ${identifier(`${alias}.group_id`)} = r.id AND ${identifier(`${alias}.attribute`)} = ${attribute}`,
    },
  ];
}
