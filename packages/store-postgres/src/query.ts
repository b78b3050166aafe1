/**
 * Answering a SCIM query: filter, sort and page translated to SQL by `@scimkit/sql`, each
 * statement bounded by `statement_timeout`, and what SQL cannot answer exactly evaluated in
 * memory over the rows SQL selects, read through a server-side cursor.
 */
import { ScimError, type ScimResource } from '@scimkit/schema';
import type { StoreQuery, StoreQueryResult, StoreResourceType } from '@scimkit/server';
import {
  identifier,
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
import { checkRecorded } from './layouts.js';
import { hydrate, type ResourceRow } from './rows.js';
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
  /** Whether the page statement also reads the type's recorded index configuration (checked after it). */
  recordInPage: boolean;
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
 * and page, or the batches of an in-memory residual) read one state.
 */
export function answerQuery(
  context: PostgresContext,
  access: PostgresAccess,
  type: StoreResourceType,
  query: StoreQuery,
  tenant: string,
): Promise<StoreQueryResult> {
  const queryTimeout = context.queryTimeout;
  if (access.currentTransaction())
    return access.readType(type, async (run, layout) => {
      try {
        if (queryTimeout === 0) return await runQuery(context, run, layout, query, tenant, true);
        // For this query only: the transaction's setting comes back after it (a failed query's
        // savepoint rollback restores it anyway).
        const { rows } = await run<{ previous: string }>(
          "SELECT current_setting('statement_timeout') AS previous, set_config('statement_timeout', $1, true)",
          [`${queryTimeout}ms`],
        );
        const result = await runQuery(context, run, layout, query, tenant, true);
        await run("SELECT set_config('statement_timeout', $1, true)", [rows[0]?.previous ?? '0']);
        return result;
      } catch (error) {
        throw queryError(context, query, error);
      }
    });
  return access.tracked(async () => {
    const layout = await context.layout(type, undefined);
    // SET LOCAL: the timeout ends with this transaction (queryTimeout is a checked integer).
    const begin =
      queryTimeout > 0
        ? `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = ${queryTimeout}`
        : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
    return access.snapshot(
      begin,
      (run) => runQuery(context, run, layout, query, tenant, false),
      (error) => queryError(context, query, error),
    );
  });
}

/** Answers a query of a type on `run`'s connection (`inTransaction`: a read-write one, not a snapshot). */
async function runQuery(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  query: StoreQuery,
  tenant: string,
  inTransaction: boolean,
): Promise<StoreQueryResult> {
  const type = layout.resourceType;
  const queryTimeout = context.queryTimeout;
  const deadline = queryTimeout > 0 ? performance.now() + queryTimeout : Number.POSITIVE_INFINITY;
  // A filter value PostgreSQL cannot take as text (U+0000, an unpaired surrogate) is never
  // bound: the whole filter is then evaluated in memory (nothing stored contains such text).
  const inMemory = query.filter !== undefined && filterHasUnstorable(query.filter);
  const { filter: _filter, ...unfiltered } = query;
  const values = identifier(context.tables.values);
  let throughIndex = false;
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
      // An uncorrelated array (an InitPlan, run once), not `IN (subquery)`: the lookup then drives
      // the query whatever the statistics say (right after a bulk load, before ANALYZE, the
      // planner otherwise scanned every row of the type and probed the index per row).
      return sql`r.seq = ANY (ARRAY(SELECT v.seq FROM ${values} AS v WHERE v.tenant = ${tenant} AND v.type = ${type.name} AND v.path = ${found.entry.path} AND md5(v.value) = md5(${found.value}::text) AND v.value = ${found.value}))`;
    },
    // The same for `members[value eq "…"]`: the holders' ids, run once, from the member index.
    childValueIndex: (lookup) => {
      const holders = childValueHolders(lookup, { dialect: 'postgres', tenant, type: type.name });
      return holders && sql`r.id = ANY (ARRAY(${holders}))`;
    },
  });
  // Its cursors' digest is of no filter: a total they carry is never trusted (always counted).
  if (inMemory) delete translated.knownTotal;
  const residual = inMemory ? query.filter : translated.residual;
  const filter = query.filter ?? residual;
  // The index rows answer only for the configuration this layout has: checked in the same
  // snapshot (inside a transaction, share-locked until it ends). A page read in a snapshot
  // reads the record in its own statement (one round trip less).
  const recordInPage = throughIndex && !inTransaction && !(residual && filter);
  if (throughIndex && !recordInPage) await checkRecorded(context, run, layout, inTransaction);
  const plan: QueryPlan = {
    layout,
    tenant,
    translated,
    where: sql`r.tenant = ${tenant} AND r.type = ${type.name} AND ${translated.where}`,
    columns: sql`r.seq AS seq, r.id AS id, r.data AS data, ${translated.sort.key} AS sort_key`,
    cursorPaging: query.page.kind === 'cursor',
    recordInPage,
    // The members rows are read only when the response can show them (or the in-memory
    // filter reads them): `excludedAttributes=members` on a 100k-member group reads one row.
    withChild: projectionShowsChild(layout, query),
    /** Between statements: each is bounded by statement_timeout, the query as a whole by this. */
    inTime: () => {
      if (performance.now() > deadline) throw queryTimedOut(queryTimeout);
    },
  };
  if (residual && filter) return residualPage(context, run, plan, filter);
  return sqlPage(context, run, plan);
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
  const rows = await select<ResourceRow & { layout_config?: string | null }>(
    context,
    run,
    sql`SELECT ${columns}${record} FROM ${resources} AS r WHERE ${where}${after} ORDER BY ${translated.sort.orderBy} LIMIT ${limit} OFFSET ${offset}`,
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
  return pageOf(translated, cursorPaging, rows, page, total);
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
