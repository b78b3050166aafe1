/**
 * The parts of answering a query that every SQL store shares: its options, the index lookup,
 * the in-memory filter for what SQL cannot answer, and the page it returns.
 */
import { compileFilter, type Filter } from '@scimkit/filter';
import type { ResourceTypeDefinition, ScimResource } from '@scimkit/schema';
import { encodeCursor, type TranslatedQuery } from './paging.js';
import type { IndexedAttribute, StorageLayout } from './storage-layout.js';
import type { EqualityLookup } from './translation.js';

/**
 * The tenant a call's context names (`''` for none): every row a store writes carries it.
 *
 * @example
 * ```ts
 * import { tenantOf } from '@scimkit/sql/internal';
 *
 * tenantOf({ tenant: 'acme' }); // 'acme'
 * tenantOf(undefined); // ''
 * ```
 */
export function tenantOf(context: { tenant?: string } | undefined): string {
  return context?.tenant ?? '';
}

/**
 * A store's `queryTimeout` option checked: `fallback` when absent, a TypeError when it is not a
 * whole number of milliseconds (0 for no bound).
 *
 * @example
 * ```ts
 * import { queryTimeoutOf } from '@scimkit/sql/internal';
 *
 * declare const options: { queryTimeout?: number };
 * const queryTimeout = queryTimeoutOf(options.queryTimeout, 2000);
 * ```
 */
export function queryTimeoutOf(value: number | undefined, fallback: number): number {
  const queryTimeout = value ?? fallback;
  if (!Number.isSafeInteger(queryTimeout) || queryTimeout < 0) {
    throw new TypeError(
      `queryTimeout must be a whole number of milliseconds (0: none), not ${queryTimeout}.`,
    );
  }
  return queryTimeout;
}

/**
 * What the index side table answers for an `equalityIndex` lookup of `translateFilter`: the
 * indexed attribute and the value as the index holds it (lower-cased unless `caseExact`), or
 * undefined when the attribute is not indexed with that case rule (the translator then reads
 * the document).
 *
 * @example
 * ```ts
 * import { userResourceType } from '@scimkit/schema';
 * import { indexLookup, storageLayout } from '@scimkit/sql/internal';
 *
 * const layout = storageLayout(userResourceType);
 * indexLookup(layout, { attribute: 'userName', value: 'BJensen', caseExact: false });
 * // { entry: <userName>, value: 'bjensen' }
 * ```
 */
export function indexLookup(
  layout: StorageLayout,
  lookup: EqualityLookup,
): { entry: IndexedAttribute; value: string } | undefined {
  const entry = layout.indexed.get(lookup.attribute);
  if (!entry || entry.caseExact !== lookup.caseExact) return undefined;
  return { entry, value: lookup.caseExact ? lookup.value : lookup.value.toLowerCase() };
}

/**
 * The in-memory test of the rows SQL selected when part of a filter cannot be pushed down:
 * `compileFilter` of the whole filter (the evaluator the SQL translation mirrors, whose answer
 * and errors are the reference; SQL only narrows the rows).
 *
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 * import { userResourceType } from '@scimkit/schema';
 * import { residualMatcher } from '@scimkit/sql/internal';
 *
 * const matches = residualMatcher(userResourceType, parseFilter('employeeNumber eq "7"'));
 * ```
 */
export function residualMatcher(
  type: ResourceTypeDefinition,
  filter: Filter,
): (resource: ScimResource) => boolean {
  return compileFilter(filter, {
    schemas: [type.schema, ...type.extensions.map((extension) => extension.schema)],
    resourceSchema: type.schema.id,
  });
}

/** A row of a page as the store read it: its insertion sequence and sort key. */
export interface PageRow {
  /** The row's insertion sequence (the tiebreak of every sort). */
  seq: number | string;
  /** The sort key selected with it, if the query sorts. */
  sort_key?: string | number | null;
}

/**
 * The `totalResults` a page's own rows prove, so that the store need not count: when the page
 * starts at the first match (no cursor position) and read fewer rows than it asked for, every
 * match is before its end (`offset + rows read`). Undefined when rows may lie beyond the page,
 * or when a page past the end read none (how far past is unknown): the store then counts.
 *
 * @example
 * ```ts
 * import { userResourceType } from '@scimkit/schema';
 * import { sqliteDialect, translateQuery } from '@scimkit/sql';
 * import { totalFromPage } from '@scimkit/sql/internal';
 *
 * const translated = translateQuery(
 *   { page: { kind: 'index', startIndex: 1, count: 100 } },
 *   { dialect: sqliteDialect(), resourceType: userResourceType },
 * );
 * totalFromPage(translated, false, 1); // 1: a userName eq lookup needs no count
 * totalFromPage(translated, false, 100); // undefined: count
 * ```
 */
export function totalFromPage(
  translated: TranslatedQuery,
  cursorPaging: boolean,
  rowsRead: number,
): number | undefined {
  if (translated.after || translated.limit === 0) return undefined;
  // Cursor pages read one row beyond the page.
  const asked = cursorPaging ? translated.limit + 1 : translated.limit;
  if (rowsRead >= asked) return undefined;
  if (rowsRead === 0 && translated.offset > 0) return undefined;
  return translated.offset + rowsRead;
}

/**
 * The page a store answers: the first `translated.limit` resources, and with cursor paging a
 * `nextCursor` when a row beyond them was read (cursor pages read one row more than they show).
 *
 * @example
 * ```ts
 * import { type ScimResource, userResourceType } from '@scimkit/schema';
 * import { sqliteDialect, translateQuery } from '@scimkit/sql';
 * import { type PageRow, pageOf } from '@scimkit/sql/internal';
 *
 * const translated = translateQuery(
 *   { page: { kind: 'cursor', count: 2 } },
 *   { dialect: sqliteDialect(), resourceType: userResourceType, tiebreak: 'r.seq' },
 * );
 * declare const rows: PageRow[]; // limit + 1 rows read
 * declare const resources: ScimResource[]; // the resources of those rows
 * const page = pageOf(translated, true, rows, resources, 10); // { resources, totalResults, nextCursor? }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9865
 */
export function pageOf(
  translated: TranslatedQuery,
  cursorPaging: boolean,
  rows: readonly PageRow[],
  resources: ScimResource[],
  totalResults: number,
): { resources: ScimResource[]; totalResults: number; nextCursor?: string } {
  const kept = resources.slice(0, translated.limit);
  const last = rows[kept.length - 1];
  if (cursorPaging && rows.length > translated.limit && last) {
    return {
      resources: kept,
      totalResults,
      nextCursor: encodeCursor(translated.sort, {
        key: last.sort_key ?? null,
        id: Number(last.seq),
        total: totalResults,
        counted: translated.filterDigest,
      }),
    };
  }
  return { resources: kept, totalResults };
}
