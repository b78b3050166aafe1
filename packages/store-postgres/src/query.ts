/**
 * Answering a SCIM query: filter, sort and page translated to SQL by `@scimkit/sql`, each
 * statement bounded by `statement_timeout`, and what SQL cannot answer exactly evaluated in
 * memory over the rows SQL selects, read through a server-side cursor.
 */
import { ScimError, type ScimResource } from '@scimkit/schema';
import type { StoreQuery, StoreQueryResult, StoreResourceType } from '@scimkit/server';
import {
  identifier,
  joinSql,
  renderSql,
  type SqlFragment,
  sql,
  type TranslatedQuery,
  translateQuery,
} from '@scimkit/sql';
import {
  childTables,
  childValueHolders,
  filterReadsChild,
  indexLookup,
  pageOf,
  projectionShowsChild,
  queryTimedOut,
  residualMatcher,
  type StorageLayout,
  totalFromPage,
} from '@scimkit/sql/internal';
import type { QueryResultRow } from 'pg';
import { type PostgresAccess, type Runner, sqlState } from './connection.js';
import type { PostgresContext } from './context.js';
import { filterHasUnstorable } from './documents.js';
import { groupsFromColumn, groupsOfRow } from './groups.js';
import { checkRecorded } from './layouts.js';
import { childRowsOfRow, hydrate, type ResourceRow } from './rows.js';
import { StaleLayout } from './stale-layout.js';
import { named } from './statements.js';

/** Names the server-side cursors of in-memory filtering, unique per connection. */
let walks = 0;

/** One query of a type, as the store's statements see it. */
interface QueryPlan {
  layout: StorageLayout;
  tenant: string;
  translated: TranslatedQuery;
  /** The rows of the type and tenant that the pushed-down filter selects. */
  where: SqlFragment;
  /** The columns every page statement selects. */
  columns: SqlFragment;
  cursorPaging: boolean;
  /** In a read-write transaction (its index record share-locked), not a snapshot of its own. */
  inTransaction: boolean;
  /** Whether the type's recorded index configuration is checked in a statement before the page. */
  checkRecord: boolean;
  /** Whether the page statement also reads the type's recorded index configuration (checked after it). */
  recordInPage: boolean;
  /** The filter to evaluate in memory over the rows SQL selects, when SQL cannot answer it whole. */
  residual: NonNullable<StoreQuery['filter']> | undefined;
  /**
   * The filter is one lookup of a unique indexed attribute (`userName eq "…"`) or of a member
   * (`members[value eq "…"]`), answered outside a transaction: one statement reads the page, the
   * index record, the count and the groups, with no BEGIN (a statement is its own snapshot).
   * Such a statement reads the few rows of one value, so it runs without the
   * `statement_timeout` a snapshot sets.
   */
  oneStatement: boolean;
  /** Whether the page's `User.groups` are read with it (the server shows them). */
  groups: boolean;
  /** Whether the response can show the child attribute (`members`), so its rows are read. */
  withChild: boolean;
  /** Throws once the query as a whole is past `queryTimeout` (checked between statements). */
  inTime: () => void;
}

function render(context: PostgresContext, fragment: SqlFragment) {
  const rendered = renderSql(fragment, context.dialect.placeholder);
  context.onQuery?.(rendered);
  return rendered;
}

async function select<R extends QueryResultRow>(
  context: PostgresContext,
  run: Runner,
  fragment: SqlFragment,
): Promise<R[]> {
  const { sql: text, params } = render(context, fragment);
  // Named: the text of one filter shape is the same for every value (`userName eq` of any
  // user), so PostgreSQL reuses its plan; texts past the named limit run unnamed.
  return (await run<R>(named(context, text), params)).rows;
}

/**
 * A cursor is client-supplied: a forged one whose sort key PostgreSQL cannot compare (text for
 * a number, U+0000) fails as a data exception (SQLSTATE class 22), answered as the RFC 9865
 * error rather than a 500.
 */
function cursorError(query: StoreQuery, error: unknown): unknown {
  if (query.page.kind !== 'cursor' || !query.page.cursor || !sqlState(error)?.startsWith('22')) return error;
  return Object.assign(
    new ScimError('The cursor is not valid for this query: start again without a cursor.', {
      status: 400,
      scimType: 'invalidCursor',
    }),
    { cause: error },
  );
}

/** A failed query as the caller sees it: a statement cancelled by queryTimeout is a 400 tooMany. */
function queryError(context: PostgresContext, query: StoreQuery, error: unknown): unknown {
  if (sqlState(error) === '57014' && context.queryTimeout > 0)
    return Object.assign(queryTimedOut(context.queryTimeout), { cause: error });
  return cursorError(query, error);
}

/**
 * Answers a query: inside a transaction on its connection, with `statement_timeout` set for
 * this query only; outside, in a read-only snapshot of its own, so that its statements (count
 * and page, or the batches of an in-memory residual) read one state, unless one statement
 * answers it (see {@link QueryPlan.oneStatement}): that statement is its own snapshot.
 * `withGroups`: the page's `User.groups` are read with it (in its statement).
 */
export function answerQuery(
  context: PostgresContext,
  access: PostgresAccess,
  type: StoreResourceType,
  query: StoreQuery,
  tenant: string,
  withGroups: boolean,
): Promise<StoreQueryResult> {
  const queryTimeout = context.queryTimeout;
  if (access.currentTransaction())
    return access.readType(type, async (run, layout) => {
      try {
        const plan = planQuery(context, layout, query, tenant, true, withGroups);
        if (queryTimeout === 0) return await runPlan(context, run, plan);
        // For this query only: the transaction's setting comes back after it (a failed query's
        // savepoint rollback restores it anyway).
        const { rows } = await run<{ previous: string }>(
          "SELECT current_setting('statement_timeout') AS previous, set_config('statement_timeout', $1, true)",
          [`${queryTimeout}ms`],
        );
        const result = await runPlan(context, run, plan);
        await run("SELECT set_config('statement_timeout', $1, true)", [rows[0]?.previous ?? '0']);
        return result;
      } catch (error) {
        throw queryError(context, query, error);
      }
    });
  return access.tracked(async () => {
    const layout = await context.layout(type, undefined);
    const plan = planQuery(context, layout, query, tenant, false, withGroups);
    if (plan.oneStatement) {
      try {
        return await onePage(context, access.pooled(), plan);
      } catch (error) {
        throw queryError(context, query, error);
      }
    }
    // SET LOCAL: the timeout ends with this transaction (queryTimeout is a checked integer).
    const begin =
      queryTimeout > 0
        ? `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = ${queryTimeout}`
        : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
    return access.snapshot(
      begin,
      (run) => runPlan(context, run, plan),
      (error) => queryError(context, query, error),
    );
  });
}

/** Plans a query of a type (`inTransaction`: in a read-write transaction, not a snapshot of its own). */
function planQuery(
  context: PostgresContext,
  layout: StorageLayout,
  query: StoreQuery,
  tenant: string,
  inTransaction: boolean,
  withGroups: boolean,
): QueryPlan {
  const type = layout.resourceType;
  const queryTimeout = context.queryTimeout;
  const deadline = queryTimeout > 0 ? performance.now() + queryTimeout : Number.POSITIVE_INFINITY;
  // A filter value PostgreSQL cannot take as text (U+0000, an unpaired surrogate) is never
  // bound: the whole filter is then evaluated in memory (nothing stored contains such text).
  const inMemory = query.filter !== undefined && filterHasUnstorable(query.filter);
  const { filter: _filter, ...unfiltered } = query;
  const values = identifier(context.tables.values);
  let throughIndex = false;
  let throughUniqueIndex = false;
  let throughMembers = false;
  const translated = translateQuery(inMemory ? unfiltered : query, {
    dialect: context.dialect,
    resourceType: type,
    document: 'r.data',
    tiebreak: 'r.seq',
    childTables: childTables(layout, context.tables.members),
    equalityIndex: (lookup) => {
      const found = indexLookup(layout, lookup);
      if (!found) return undefined;
      throughIndex = true;
      throughUniqueIndex = found.entry.uniqueness !== undefined;
      // An uncorrelated array (an InitPlan, run once), not `IN (subquery)`: the lookup then drives
      // the query whatever the statistics say (right after a bulk load, before ANALYZE, the
      // planner otherwise scanned every row of the type and probed the index per row).
      return sql`r.seq = ANY (ARRAY(SELECT v.seq FROM ${values} AS v WHERE v.tenant = ${tenant} AND v.type = ${type.name} AND v.path = ${found.entry.path} AND md5(v.value) = md5(${found.value}::text) AND v.value = ${found.value}))`;
    },
    // The same for `members[value eq "…"]`: the holders' ids, run once, from the member index.
    childValueIndex: (lookup) => {
      const holders = childValueHolders(lookup, { dialect: 'postgres', tenant, type: type.name });
      if (holders) throughMembers = true;
      return holders && sql`r.id = ANY (ARRAY(${holders}))`;
    },
  });
  // Its cursors' digest is of no filter: a total they carry is never trusted (always counted).
  if (inMemory) delete translated.knownTotal;
  const residual = inMemory ? query.filter : translated.residual;
  const filter = query.filter ?? residual;
  const residualFilter = residual && filter;
  // The index rows answer only for the configuration this layout has: checked in the same
  // snapshot (inside a transaction, share-locked until it ends). A page read in a snapshot
  // reads the record in its own statement (one round trip less).
  const recordInPage = throughIndex && !inTransaction && !residualFilter;
  // The whole filter is one index lookup (one comparison or value path, which the index hook
  // answered: its SQL is the hook's alone, reading the rows of one value): the page, the
  // record, the count and the groups are then one statement, its own snapshot, no BEGIN, so
  // no statement_timeout. Only where the rows of one value are few: a unique attribute
  // (`userName`), or the groups holding one member. A value of a non-unique indexed attribute
  // may match every row (`active eq true` with `active` indexed), so it keeps the snapshot
  // and its timeout.
  const single = query.filter?.kind === 'Comparison' || query.filter?.kind === 'ValuePath';
  const oneLookup = single && (throughUniqueIndex || throughMembers);
  return {
    layout,
    tenant,
    translated,
    where: sql`r.tenant = ${tenant} AND r.type = ${type.name} AND ${translated.where}`,
    columns: sql`r.seq AS seq, r.id AS id, r.data AS data, ${translated.sort.key} AS sort_key`,
    cursorPaging: query.page.kind === 'cursor',
    inTransaction,
    checkRecord: throughIndex && !recordInPage,
    recordInPage,
    residual: residualFilter,
    oneStatement: !inTransaction && !inMemory && !residualFilter && oneLookup,
    groups: withGroups,
    // The members rows are read only when the response can show them (or the in-memory
    // filter reads them): `excludedAttributes=members` on a 100k-member group reads one row.
    withChild: projectionShowsChild(layout, query),
    /** Between statements: each is bounded by statement_timeout, the query as a whole by this. */
    inTime: () => {
      if (performance.now() > deadline) throw queryTimedOut(queryTimeout);
    },
  };
}

/** Answers a planned query on `run`'s connection, in the query's transaction or snapshot. */
async function runPlan(context: PostgresContext, run: Runner, plan: QueryPlan): Promise<StoreQueryResult> {
  if (plan.checkRecord) await checkRecorded(context, run, plan.layout, plan.inTransaction);
  if (plan.residual) return residualPage(context, run, plan, plan.residual);
  return sqlPage(context, run, plan);
}

/** The page's `User.groups` when the query asked for them (see {@link groupsOfRow}). */
function groupsOfPage(
  plan: QueryPlan,
  rows: readonly { id: string; groups?: unknown }[],
): Pick<StoreQueryResult, 'groups'> {
  if (!plan.groups) return {};
  return { groups: new Map(rows.map((row) => [row.id, groupsFromColumn(row.groups)])) };
}

/**
 * The whole filter is in SQL: one page of rows with LIMIT and OFFSET, and a count unless the
 * cursor carries the first page's total or the page itself proves it (it read fewer rows than
 * it asked for: an `eq` lookup), in the query's one snapshot.
 */
async function sqlPage(context: PostgresContext, run: Runner, plan: QueryPlan): Promise<StoreQueryResult> {
  const { translated, where, columns, cursorPaging } = plan;
  const resources = identifier(context.tables.resources);
  const count = async (): Promise<number> => {
    const [counted] = await select<{ total: string }>(
      context,
      run,
      sql`SELECT count(*) AS total FROM ${resources} AS r WHERE ${where}`,
    );
    return Number(counted?.total ?? 0);
  };
  if (translated.limit === 0) {
    if (plan.recordInPage) await checkRecorded(context, run, plan.layout, false);
    return { resources: [], totalResults: translated.knownTotal ?? (await count()) };
  }
  // bigint bounds: no page lies beyond them anyway.
  const limit = Math.min(cursorPaging ? translated.limit + 1 : translated.limit, Number.MAX_SAFE_INTEGER);
  const offset = Math.min(translated.offset, Number.MAX_SAFE_INTEGER);
  const after = translated.after ? sql` AND ${translated.after}` : sql``;
  const record = plan.recordInPage
    ? sql`, (SELECT config FROM ${identifier(context.tables.indexConfig)} WHERE type = ${plan.layout.resourceType.name}) AS layout_config`
    : sql``;
  const groups = plan.groups ? sql`, (${groupsOfRow(context, sql`r.tenant`, sql`r.id`)}) AS groups` : sql``;
  const rows = await select<ResourceRow & { layout_config?: string | null; groups?: unknown }>(
    context,
    run,
    sql`SELECT ${columns}${record}${groups} FROM ${resources} AS r WHERE ${where}${after} ORDER BY ${translated.sort.orderBy} LIMIT ${limit} OFFSET ${offset}`,
  );
  if (plan.recordInPage) {
    // No row, no record read: then its own statement, in the same snapshot.
    const first = rows[0];
    if (first === undefined) await checkRecorded(context, run, plan.layout, false);
    else if (first.layout_config !== plan.layout.signature)
      throw new StaleLayout(plan.layout.resourceType.name, first.layout_config ?? undefined);
  }
  let total = translated.knownTotal ?? totalFromPage(translated, cursorPaging, rows.length);
  if (total === undefined) {
    plan.inTime();
    total = await count();
  }
  const kept = rows.slice(0, translated.limit);
  const page = await hydrate(context, run, plan.layout, plan.tenant, kept, plan.withChild);
  return { ...pageOf(translated, cursorPaging, rows, page, total), ...groupsOfPage(plan, kept) };
}
/** A row of {@link onePage}: the header's columns, and a page row's (all NULL when no row matched). */
interface OneRow {
  seq: string | null;
  id: string;
  data: ScimResource;
  sort_key?: string | number | null;
  layout_config?: string | null;
  total?: string;
  page_total?: string;
  groups?: unknown;
  child_rows?: unknown;
}

/**
 * A query whose filter is one index lookup ({@link QueryPlan.oneStatement}), in one statement:
 * a header row (the index record, and the count when the page cannot prove it) joined to the
 * page, so the header is read even when the page is empty or `startIndex` is beyond the end.
 * The page keeps its order through `row_number()` over the query's own ORDER BY. Its rows carry
 * their member rows (when the response shows them) and `User.groups` (when asked). A count is
 * read with the page (`count(*) OVER ()`, every match of the filter) when the page starts at the
 * first match; else (an offset, a cursor's next page, `count=0`) the header counts the matches.
 * The answer is the one {@link sqlPage} gives in a snapshot: the statement is one.
 */
async function onePage(context: PostgresContext, run: Runner, plan: QueryPlan): Promise<StoreQueryResult> {
  const { translated, where, columns, cursorPaging, layout } = plan;
  const resources = identifier(context.tables.resources);
  const wanted = cursorPaging && translated.limit > 0 ? translated.limit + 1 : translated.limit;
  // bigint bounds: no page lies beyond them anyway.
  const limit = Math.min(wanted, Number.MAX_SAFE_INTEGER);
  const offset = Math.min(translated.offset, Number.MAX_SAFE_INTEGER);
  const after = translated.after ? sql` AND ${translated.after}` : sql``;
  const unknownTotal = translated.knownTotal === undefined;
  const headerCount = unknownTotal && (translated.after !== undefined || offset > 0 || limit === 0);
  const header = [sql`true AS header`];
  if (plan.recordInPage)
    header.push(
      sql`(SELECT config FROM ${identifier(context.tables.indexConfig)} WHERE type = ${layout.resourceType.name}) AS layout_config`,
    );
  if (headerCount) header.push(sql`(SELECT count(*) FROM ${resources} AS r WHERE ${where}) AS total`);
  const windowCount = unknownTotal && !headerCount ? sql`, count(*) OVER () AS page_total` : sql``;
  // Each page row's groups and member rows: LATERAL aggregates joined to the page (after its
  // LIMIT), so they are read for the page's rows only.
  const outputs = [sql`h.*`, sql`p.*`];
  let joined = sql``;
  if (plan.groups) {
    outputs.push(sql`g.groups`);
    joined = sql`${joined} LEFT JOIN LATERAL (${groupsOfRow(context, sql`${plan.tenant}`, sql`p.id`)}) AS g ON true`;
  }
  if (plan.withChild && layout.childAttribute !== undefined) {
    outputs.push(sql`c.child_rows`);
    joined = sql`${joined} LEFT JOIN LATERAL (${childRowsOfRow(context, layout, plan.tenant, sql`p.id`)}) AS c ON true`;
  }
  const orderBy = translated.sort.orderBy;
  const all = await select<OneRow>(
    context,
    run,
    sql`SELECT ${joinSql(outputs, ', ')}
      FROM (SELECT ${joinSql(header, ', ')}) AS h
      LEFT JOIN LATERAL (SELECT ${columns}${windowCount}, row_number() OVER (ORDER BY ${orderBy}) AS page_n FROM ${resources} AS r WHERE ${where}${after} ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}) AS p ON true${joined}
     ORDER BY p.page_n`,
  );
  const head = all[0];
  if (plan.recordInPage && head?.layout_config !== layout.signature)
    throw new StaleLayout(layout.resourceType.name, head?.layout_config ?? undefined);
  const rows = all.filter((row): row is OneRow & { seq: string } => row.seq !== null);
  const counted = head?.total ?? rows[0]?.page_total;
  const totalResults =
    translated.knownTotal ??
    totalFromPage(translated, cursorPaging, rows.length) ??
    (counted !== undefined ? Number(counted) : 0);
  const kept = rows.slice(0, translated.limit);
  const children = new Map(kept.map((row) => [row.id, row.child_rows]));
  const page = await hydrate(context, run, layout, plan.tenant, kept, plan.withChild, children);
  return { ...pageOf(translated, cursorPaging, rows, page, totalResults), ...groupsOfPage(plan, kept) };
}

/**
 * Part of the filter cannot be pushed down: walk the rows the SQL part selects in the query's
 * order, and keep those compileFilter (the evaluator the SQL translation mirrors) matches, with
 * the whole filter: its answer and its errors are the reference; SQL only narrows the rows.
 * Paging then happens here.
 */
async function residualPage(
  context: PostgresContext,
  run: Runner,
  plan: QueryPlan,
  filter: NonNullable<StoreQuery['filter']>,
): Promise<StoreQueryResult> {
  const { layout, translated, cursorPaging } = plan;
  const hydrateToMatch = plan.withChild || filterReadsChild(layout, filter);
  const matches = residualMatcher(layout.resourceType, filter);
  let total = 0;
  const page: { row: ResourceRow; resource: ScimResource }[] = [];
  const wanted = cursorPaging ? translated.limit + 1 : translated.limit;
  // A cursor page after the first knows its total: only the page is walked.
  const counting = translated.knownTotal === undefined;
  for await (const entry of walkIf(
    counting,
    context,
    run,
    plan,
    hydrateToMatch,
    cursorPaging ? undefined : translated.after,
  )) {
    if (!matches(entry.resource)) continue;
    total += 1;
    if (!cursorPaging && total > translated.offset && page.length < wanted) page.push(entry);
  }
  if (cursorPaging && translated.limit > 0) {
    for await (const entry of walk(context, run, plan, hydrateToMatch, translated.after)) {
      if (!matches(entry.resource)) continue;
      page.push(entry);
      if (page.length === wanted) break;
    }
  }
  if (hydrateToMatch && !plan.withChild && layout.childAttribute !== undefined) {
    for (const entry of page) delete entry.resource[layout.childAttribute];
  }
  return pageOf(
    translated,
    cursorPaging,
    page.map((entry) => entry.row),
    page.map((entry) => entry.resource),
    translated.knownTotal ?? total,
  );
}

/** {@link walk} when `wanted`, else no rows (and no statement). */
async function* walkIf(
  wanted: boolean,
  ...args: Parameters<typeof walk>
): AsyncGenerator<{ row: ResourceRow; resource: ScimResource }> {
  if (wanted) yield* walk(...args);
}

/**
 * The rows of a query in its order (from `start` on), hydrated, through a server-side cursor:
 * the query runs in a transaction (a snapshot of its own, or the open bulk transaction), so
 * the rows are sorted once and fetched in batches of 500.
 */
async function* walk(
  context: PostgresContext,
  run: Runner,
  plan: QueryPlan,
  withChild: boolean,
  start: SqlFragment | undefined,
): AsyncGenerator<{ row: ResourceRow; resource: ScimResource }> {
  const extra = start ? sql` AND ${start}` : sql``;
  const { sql: text, params } = render(
    context,
    sql`SELECT ${plan.columns} FROM ${identifier(context.tables.resources)} AS r WHERE ${plan.where}${extra} ORDER BY ${plan.translated.sort.orderBy}`,
  );
  const name = `scim_walk_${++walks}`;
  await run(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, params);
  try {
    for (;;) {
      plan.inTime();
      const { rows } = await run<ResourceRow>(`FETCH 500 FROM ${name}`);
      const resources = await hydrate(context, run, plan.layout, plan.tenant, rows, withChild);
      for (let index = 0; index < rows.length; index += 1) {
        yield { row: rows[index] as ResourceRow, resource: resources[index] as ScimResource };
      }
      if (rows.length < 500) return;
    }
  } finally {
    // Fails only when the transaction already failed (and then closes the cursor anyway).
    await run(`CLOSE ${name}`).catch(() => undefined);
  }
}
