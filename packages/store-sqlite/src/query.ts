/**
 * Answering a SCIM query: filter, sort and page translated to SQL by `@scimkit/sql`, and what
 * SQL cannot answer exactly evaluated in memory over the rows SQL selects.
 */
import type { ScimResource } from '@scimkit/schema';
import type { StoreQuery, StoreQueryResult, StoreResourceType } from '@scimkit/server';
import { type SqlFragment, sql, type TranslatedQuery, translateQuery } from '@scimkit/sql';
import {
  childTables,
  childValueHolders,
  filterReadsChild,
  indexLookup,
  type PageRow,
  pageOf,
  projectionShowsChild,
  residualMatcher,
  type StorageLayout,
  totalFromPage,
} from '@scimkit/sql/internal';
import { DIALECT } from './connection.js';
import type { SqliteContext } from './context.js';
import { hydrate } from './rows.js';
import type { PageTuple, ResourceRow } from './statements.js';

/** One query of a type, as the store's statements see it. */
interface QueryPlan {
  layout: StorageLayout;
  tenant: string;
  translated: TranslatedQuery;
  /** The rows of the type and tenant that the pushed-down filter selects. */
  scope: SqlFragment;
  /** `AND <after>` for a cursor page after the first, else empty. */
  after: SqlFragment;
  cursorPaging: boolean;
  /** Whether the response can show the child attribute (`members`), so its rows are read. */
  withChild: boolean;
  /**
   * Whether the page's stored texts go with it (`withTexts`): only for a type without a child
   * attribute, whose resource is its stored text parsed, nothing added.
   */
  withTexts: boolean;
}

/** Answers a query of `type` in `tenant` (inside the clock's deadline: see `QueryClock.time`). */
export function runQuery(
  context: SqliteContext,
  type: StoreResourceType,
  query: StoreQuery,
  tenant: string,
  withTexts = false,
): StoreQueryResult {
  const layout = context.layout(type);
  // scim_guard() ends the statement once the query is past its deadline: it runs for every row
  // the outer query and every correlated subquery (members, JSON arrays) read.
  const guarded = context.clock.queryTimeout > 0;
  const translated = translateQuery(query, {
    dialect: DIALECT,
    resourceType: type,
    document: 'r.data',
    tiebreak: 'r.seq',
    childTables: childTables(layout, 'members'),
    equalityIndex: (lookup) => {
      const found = indexLookup(layout, lookup);
      if (!found) return undefined;
      // On the rowid: the planner then always drives the query from this index lookup.
      return sql`r.seq IN (SELECT v.seq FROM attribute_values AS v WHERE v.tenant = ${tenant} AND v.type = ${type.name} AND v.path = ${found.entry.path} AND v.value = ${found.value})`;
    },
    childValueIndex: (lookup) => {
      const holders = childValueHolders(lookup, {
        dialect: 'sqlite',
        tenant,
        type: type.name,
        indexedBy: { exact: 'members_by_member', folded: 'members_by_folded_member' },
      });
      // On the rowid, as above (by id, the planner walked every group in ORDER BY order instead).
      return (
        holders &&
        sql`r.seq IN (SELECT g.seq FROM resources AS g WHERE g.tenant = ${tenant} AND g.type = ${type.name} AND g.id IN (${holders}))`
      );
    },
    ...(guarded ? { rowGuard: sql`scim_guard()` } : {}),
  });
  const guard = guarded ? sql`scim_guard() AND ` : sql``;
  const plan: QueryPlan = {
    layout,
    tenant,
    translated,
    scope: sql`${guard}r.tenant = ${tenant} AND r.type = ${type.name} AND ${translated.where}`,
    after: translated.after ? sql` AND ${translated.after}` : sql``,
    cursorPaging: query.page.kind === 'cursor',
    // The members rows are read only when the response can show them (or the in-memory
    // filter reads them): `excludedAttributes=members` on a 100k-member group reads one row.
    withChild: projectionShowsChild(layout, query),
    withTexts: withTexts && layout.childAttribute === undefined,
  };
  const filter = query.filter ?? translated.residual;
  if (translated.residual && filter) return residualPage(context, plan, filter);
  return sqlPage(context, plan);
}

/**
 * The whole filter is in SQL: one page of rows with LIMIT and OFFSET, and a count unless the
 * cursor carries the first page's total or the page itself proves it (it read fewer rows than
 * it asked for: an `eq` lookup).
 */
function sqlPage(context: SqliteContext, plan: QueryPlan): StoreQueryResult {
  const { translated, scope, after, cursorPaging } = plan;
  if (translated.limit === 0)
    return { resources: [], totalResults: translated.knownTotal ?? countOf(context, scope) };
  // SQLite binds numbers beyond 2^53 as REAL, which LIMIT and OFFSET refuse (datatype
  // mismatch): no page lies that far anyway.
  const limit = Math.min(cursorPaging ? translated.limit + 1 : translated.limit, Number.MAX_SAFE_INTEGER);
  const offset = Math.min(translated.offset, Number.MAX_SAFE_INTEGER);
  // Raw rows (see `rawRows`); the column names stay for whoever reads the SQL (`onQuery`).
  const tuples = context.queries.rawRows<PageTuple>(
    sql`SELECT r.seq AS seq, r.id AS id, r.data AS data, ${translated.sort.key} AS sort_key FROM resources AS r WHERE ${scope}${after} ORDER BY ${translated.sort.orderBy} LIMIT ${limit} OFFSET ${offset}`,
  );
  const total =
    translated.knownTotal ??
    totalFromPage(translated, cursorPaging, tuples.length) ??
    countOf(context, scope);
  const rows: PageRow[] = new Array(tuples.length);
  const resources: ScimResource[] = [];
  const texts: string[] | undefined = plan.withTexts ? [] : undefined;
  for (let index = 0; index < tuples.length; index += 1) {
    const [seq, id, data, sortKey] = tuples[index] as PageTuple;
    rows[index] = { seq, sort_key: sortKey };
    if (index >= translated.limit) continue;
    resources.push(hydrate(context, plan.layout, plan.tenant, { id, data }, plan.withChild));
    texts?.push(data);
  }
  const page: StoreQueryResult = pageOf(translated, cursorPaging, rows, resources, total);
  if (texts) page.texts = texts;
  return page;
}

function countOf(context: SqliteContext, scope: SqlFragment): number {
  const [{ total } = { total: 0 }] = context.queries.all<{ total: number }>(
    sql`SELECT count(*) AS total FROM resources AS r WHERE ${scope}`,
  );
  return total;
}

/**
 * Part of the filter cannot be pushed down: stream the rows the SQL part selects, in the
 * query's order, and keep those `filter` matches, evaluated in memory by compileFilter (the
 * evaluator the SQL translation mirrors). The whole filter, not only the residual: the
 * evaluator's answer (and its errors, which depend on the whole expression) is the reference;
 * the SQL part only narrows the rows. Paging then happens here.
 */
function residualPage(
  context: SqliteContext,
  plan: QueryPlan,
  filter: NonNullable<StoreQuery['filter']>,
): StoreQueryResult {
  const { layout, tenant, translated, scope, after, cursorPaging } = plan;
  const hydrateToMatch = plan.withChild || filterReadsChild(layout, filter);
  const matches = residualMatcher(layout.resourceType, filter);
  const ordered = (extra: SqlFragment) =>
    context.queries.iterate<ResourceRow>(
      sql`SELECT r.seq AS seq, r.id AS id, r.data AS data, ${translated.sort.key} AS sort_key FROM resources AS r WHERE ${scope}${extra} ORDER BY ${translated.sort.orderBy}`,
    );
  let total = 0;
  const rows: ResourceRow[] = [];
  const resources: ScimResource[] = [];
  const wanted = cursorPaging ? translated.limit + 1 : translated.limit;
  // A cursor page after the first knows its total: only the page is walked.
  const counting = translated.knownTotal === undefined;
  for (const row of counting ? ordered(cursorPaging ? sql`` : after) : []) {
    context.clock.check();
    const resource = hydrate(context, layout, tenant, row, hydrateToMatch);
    if (!matches(resource)) continue;
    total += 1;
    if (!cursorPaging && total > translated.offset && rows.length < wanted) {
      rows.push(row);
      resources.push(resource);
    }
  }
  if (cursorPaging && translated.limit > 0) {
    for (const row of ordered(after)) {
      context.clock.check();
      const resource = hydrate(context, layout, tenant, row, hydrateToMatch);
      if (!matches(resource)) continue;
      rows.push(row);
      resources.push(resource);
      if (rows.length === wanted) break;
    }
  }
  return pageOf(translated, cursorPaging, rows, resources, translated.knownTotal ?? total);
}
