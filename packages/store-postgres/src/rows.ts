/**
 * Resources as rows: writing a resource (its `jsonb` document, its attribute index rows, its
 * member rows), reading rows back (hydration, one statement per page), and what a delete does
 * to the groups that held it.
 */
import type { AttributeDelta } from '@scimkit/patch';
import { ScimError, type ScimResource } from '@scimkit/schema';
import { nextVersion } from '@scimkit/schema/internal';
import type { StoreResourceType } from '@scimkit/server';
import { identifier, type SqlFragment, sql } from '@scimkit/sql';
import {
  checkVersion,
  type IndexedAttribute,
  indexedValues,
  type MemberColumns,
  memberColumns,
  memberFromRow,
  planMemberDelta,
  resourceExists,
  resourceNotFound,
  type StorageLayout,
  shortened,
  storedDocument,
  valueInUse,
} from '@scimkit/sql/internal';
import { type Runner, sqlState } from './connection.js';
import type { PostgresContext } from './context.js';
import { inOrder, keyOrderOf } from './documents.js';
import { StaleLayout } from './stale-layout.js';
import { named } from './statements.js';

/** A `resources` row as the store reads it (`seq` is a bigint: text). */
export interface ResourceRow {
  seq: string;
  id: string;
  data: ScimResource;
  version: string;
  sort_key?: string | number | null;
}

interface MemberRow {
  group_id: string;
  value: string;
  type: string | null;
  display: string | null;
  ref: string | null;
}

/** Longest member `value` (a resource id) the members table's unique index takes. */
const MAX_MEMBER_VALUE_BYTES = 1024;

/** A stored resource row by key (`lock`: FOR UPDATE, for a write that checks its version). */
export async function getRow(
  context: PostgresContext,
  run: Runner,
  tenant: string,
  type: string,
  id: string,
  lock: boolean,
): Promise<ResourceRow | undefined> {
  const { rows } = await run<ResourceRow>(
    named(
      context,
      `SELECT seq, id, data, version FROM ${context.tables.resources} WHERE tenant = $1 AND type = $2 AND id = $3${lock ? ' FOR UPDATE' : ''}`,
    ),
    [tenant, type, id],
  );
  return rows[0];
}

/**
 * Writes the index rows of a resource. The partial unique index enforces uniqueness, also
 * between concurrent transactions (the second waits for the first, then fails with 23505).
 */
export async function writeValues(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  resource: ScimResource,
  seq: string,
  entries: Iterable<IndexedAttribute> = layout.indexed.values(),
): Promise<void> {
  const typeName = layout.resourceType.name;
  for (const entry of entries) {
    const values = indexedValues(resource, entry);
    if (values.length === 0) continue;
    try {
      await run(
        named(
          context,
          `INSERT INTO ${context.tables.values} (tenant, type, id, seq, path, value, unique_scope)
           SELECT $1, $2, $3, $4, $5, value, $6 FROM unnest($7::text[]) AS value`,
        ),
        [tenant, typeName, resource.id, seq, entry.path, entry.uniqueScope ?? null, values],
      );
    } catch (error) {
      if (sqlState(error) === '23505') {
        throw Object.assign(valueInUse(entry.path, values.length === 1 ? (values[0] ?? '') : undefined), {
          cause: error,
        });
      }
      throw error;
    }
  }
}

/** Refuses (400 `invalidValue`) a member value too long for the members table's unique index. */
export function checkMemberValues(layout: StorageLayout, columns: readonly MemberColumns[]): void {
  for (const row of columns) {
    // The value is a key of a B-tree index (whose entries hold at most about 2.7 kB).
    if (Buffer.byteLength(row.value) > MAX_MEMBER_VALUE_BYTES) {
      throw new ScimError(
        `A ${layout.childAttribute} value of more than ${MAX_MEMBER_VALUE_BYTES} bytes cannot be a resource id: "${shortened(row.value)}".`,
        { status: 400, scimType: 'invalidValue' },
      );
    }
  }
}

/** The member rows of a resource's child attribute as create writes them (none: an empty list). */
export function memberRowsOf(layout: StorageLayout, resource: ScimResource): MemberColumns[] {
  const child = layout.childAttribute;
  const list = child !== undefined && Object.hasOwn(resource, child) ? resource[child] : undefined;
  return Array.isArray(list) ? list.map(memberColumns).filter((row) => row !== undefined) : [];
}

/** The `resources` columns of a new resource after tenant and type: id, version, data, created, last_modified. */
export function resourceColumns(
  layout: StorageLayout,
  resource: ScimResource,
): [string, string, string, string | undefined, string | undefined] {
  return [
    resource.id,
    resource.meta.version,
    storedDocument(layout, resource),
    resource.meta.created,
    resource.meta.lastModified,
  ];
}

/** Appends member rows in order, in one statement (a value that already has a row keeps it). */
async function insertMembers(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  groupId: string,
  columns: readonly MemberColumns[],
): Promise<void> {
  if (columns.length === 0) return;
  checkMemberValues(layout, columns);
  await appendMemberRows(
    context,
    run,
    layout,
    tenant,
    columns.map(() => groupId),
    columns,
  );
}

/**
 * Appends the member rows of one or more groups (`groupIds[i]` holds `columns[i]`) in the order
 * given, in one statement (a value its group already has keeps its row).
 */
export async function appendMemberRows(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  groupIds: readonly string[],
  columns: readonly MemberColumns[],
): Promise<void> {
  if (columns.length === 0) return;
  // WITH ORDINALITY keeps their order in `seq`.
  await run(
    named(
      context,
      `INSERT INTO ${context.tables.members} (tenant, group_type, group_id, attribute, value, type, display, ref)
       SELECT $1, $2, m.group_id, $3, m.value, m.type, m.display, m.ref
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
              WITH ORDINALITY AS m(group_id, value, type, display, ref, n)
        ORDER BY m.n
       ON CONFLICT DO NOTHING`,
    ),
    [
      tenant,
      layout.resourceType.name,
      layout.childAttribute,
      groupIds,
      columns.map((row) => row.value),
      columns.map((row) => row.type),
      columns.map((row) => row.display),
      columns.map((row) => row.$ref),
    ],
  );
}

/** Writes every member row of a resource anew (a create, a PUT, a PATCH replacing the whole list). */
async function writeAllMembers(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  resource: ScimResource,
): Promise<void> {
  const child = layout.childAttribute;
  if (child === undefined) return;
  await run(`DELETE FROM ${context.tables.members} WHERE tenant = $1 AND group_type = $2 AND group_id = $3`, [
    tenant,
    layout.resourceType.name,
    resource.id,
  ]);
  await insertMembers(context, run, layout, tenant, resource.id, memberRowsOf(layout, resource));
}

/**
 * Applies a PATCH delta to the member rows as `planMemberDelta` plans it, keeping them in the
 * order of the document (`resource`, the group after the PATCH). A replace of the whole list
 * (`delta.replaced`) may order members as it likes (new ones first, old ones swapped): its rows
 * are written anew, as for a PUT (the request carried the whole list).
 */
async function applyMemberDelta(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  resource: ScimResource,
  delta: AttributeDelta,
): Promise<void> {
  if (delta.replaced) {
    await writeAllMembers(context, run, layout, tenant, resource);
    return;
  }
  const child = layout.childAttribute;
  const list = child !== undefined && Object.hasOwn(resource, child) ? resource[child] : undefined;
  const plan = planMemberDelta(delta, list);
  const key = [tenant, layout.resourceType.name, resource.id, child];
  if (plan.deleted.length > 0) {
    await run(
      named(
        context,
        `DELETE FROM ${context.tables.members} WHERE tenant = $1 AND group_type = $2 AND group_id = $3 AND attribute = $4 AND value = ANY($5::text[])`,
      ),
      [...key, plan.deleted],
    );
  }
  if (plan.updated.length > 0) {
    await run(
      named(
        context,
        `UPDATE ${context.tables.members} AS m SET type = c.type, display = c.display, ref = c.ref
           FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) AS c(value, type, display, ref)
          WHERE m.tenant = $1 AND m.group_type = $2 AND m.group_id = $3 AND m.attribute = $4 AND m.value = c.value`,
      ),
      [
        ...key,
        plan.updated.map((row) => row.value),
        plan.updated.map((row) => row.type),
        plan.updated.map((row) => row.display),
        plan.updated.map((row) => row.$ref),
      ],
    );
  }
  await insertMembers(context, run, layout, tenant, resource.id, plan.inserted);
}

/**
 * A query of one row, one `json` column `child_rows`: the member rows of the resource `id` (an
 * SQL expression, such as `p.id`) of the layout's type in `tenant`, as `[[value, type, display,
 * ref], …]` in `seq` order (the rows {@link hydrate} reads), NULL when it has none. Used as a
 * LATERAL subquery of the page, so that hydrate needs no statement of its own.
 */
export function childRowsOfRow(
  context: PostgresContext,
  layout: StorageLayout,
  tenant: string,
  id: SqlFragment,
): SqlFragment {
  return sql`SELECT json_agg(json_build_array(c.value, c.type, c.display, c.ref) ORDER BY c.seq) AS child_rows
     FROM ${identifier(context.tables.members)} AS c
    WHERE c.tenant = ${tenant} AND c.group_type = ${layout.resourceType.name} AND c.group_id = ${id} AND c.attribute = ${layout.childAttribute ?? ''}`;
}

/**
 * Stored rows as resources: each document in schema key order, with its child attribute filled
 * from its rows (one statement for the whole page, or `prefetched`: each row's
 * {@link childRowsOfRow} column by id, read with the page), or (`withChild` false, when the
 * response will not show it) without the child attribute at all, the members table untouched.
 */
export async function hydrate(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  rows: readonly { id: string; data: ScimResource }[],
  withChild: boolean,
  prefetched?: ReadonlyMap<string, unknown>,
): Promise<ScimResource[]> {
  const order = keyOrderOf(layout.resourceType);
  const resources = rows.map((row) => inOrder(row.data, order) as ScimResource);
  const child = layout.childAttribute;
  if (child === undefined) return resources;
  const holders = resources.filter((resource) => Object.hasOwn(resource, child));
  if (holders.length === 0) return resources;
  if (!withChild) {
    for (const resource of holders) delete resource[child];
    return resources;
  }
  const byGroup = new Map<string, Record<string, string>[]>();
  for (const resource of holders) {
    const list: Record<string, string>[] = [];
    byGroup.set(resource.id, list);
    resource[child] = list;
  }
  if (prefetched) {
    for (const [groupId, list] of byGroup) {
      const column = prefetched.get(groupId);
      if (!Array.isArray(column)) continue;
      for (const [value, type, display, ref] of column as [
        string,
        string | null,
        string | null,
        string | null,
      ][])
        list.push(memberFromRow(value, type, display, ref));
    }
    return resources;
  }
  const { rows: memberRows } = await run<MemberRow>(
    named(
      context,
      `SELECT group_id, value, type, display, ref FROM ${context.tables.members}
        WHERE tenant = $1 AND group_type = $2 AND group_id = ANY($3::text[]) AND attribute = $4 ORDER BY seq`,
    ),
    [tenant, layout.resourceType.name, [...byGroup.keys()], child],
  );
  for (const row of memberRows) {
    byGroup.get(row.group_id)?.push(memberFromRow(row.value, row.type, row.display, row.ref));
  }
  return resources;
}

/** Inserts a new resource: its row, index rows and member rows (409 when its id is taken). */
export async function insertResource(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  resource: ScimResource,
): Promise<ScimResource> {
  const type = layout.resourceType;
  const { rows } = await run<{ seq: string }>(
    named(
      context,
      `INSERT INTO ${context.tables.resources} (tenant, type, id, version, data, created, last_modified)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) ON CONFLICT (tenant, type, id) DO NOTHING RETURNING seq`,
    ),
    [tenant, type.name, ...resourceColumns(layout, resource)],
  );
  const seq = rows[0]?.seq;
  if (seq === undefined) throw resourceExists(type, resource.id);
  await writeValues(context, run, layout, tenant, resource, seq);
  await writeAllMembers(context, run, layout, tenant, resource);
  return resource;
}

/**
 * The row a write replaces, locked FOR UPDATE, in one statement with the index configuration
 * recorded for its type, share-locked until the transaction ends (see `checkRecorded` in
 * layouts.ts: a rebuild waits for this write, and a write after a rebuild sees its record).
 * Throws {@link StaleLayout} when the record is not the layout's.
 */
async function lockForWrite(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  id: string,
): Promise<ResourceRow | undefined> {
  const typeName = layout.resourceType.name;
  const { rows } = await run<ResourceRow & { config: string | null }>(
    named(
      context,
      `SELECT seq, id, data, version, (SELECT config FROM ${context.tables.indexConfig} WHERE type = $2 FOR SHARE) AS config
         FROM ${context.tables.resources} WHERE tenant = $1 AND type = $2 AND id = $3 FOR UPDATE`,
    ),
    [tenant, typeName, id],
  );
  const row = rows[0];
  if (row && row.config !== layout.signature) throw new StaleLayout(typeName, row.config ?? undefined);
  return row;
}

/** Whether two lists of index values hold the same values (each list has no duplicates). */
function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((value) => set.has(value));
}

/**
 * Rewrites the index rows of the attributes whose values differ between the stored document
 * and its replacement; the others' rows are already right (most PATCHes change no indexed
 * attribute: a member add, a title, `active`), so their write costs no statement.
 */
async function rewriteChangedValues(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  stored: ScimResource,
  resource: ScimResource,
  seq: string,
): Promise<void> {
  const changed: IndexedAttribute[] = [];
  for (const entry of layout.indexed.values()) {
    if (!sameValues(indexedValues(stored, entry), indexedValues(resource, entry))) changed.push(entry);
  }
  if (changed.length === 0) return;
  await run(`DELETE FROM ${context.tables.values} WHERE seq = $1 AND path = ANY($2::text[])`, [
    seq,
    changed.map((entry) => entry.path),
  ]);
  await writeValues(context, run, layout, tenant, resource, seq, changed);
}

/**
 * The UPDATE of a replaced resource's row, sent with the next statement of its write as a
 * data-modifying CTE of it (`WITH … AS (UPDATE …) DELETE …`): a member PATCH then writes the
 * row and its member rows in one round trip. The statements that follow touch other tables,
 * so the order within the transaction does not matter. `flush()` runs it alone when no
 * statement followed. `params`: version, document, lastModified, seq.
 */
function deferredUpdate(
  context: PostgresContext,
  run: Runner,
  params: [string, string, string | undefined, string],
): { run: Runner; flush(): Promise<void> } {
  const text = (first: number) =>
    `UPDATE ${context.tables.resources} SET version = $${first}, data = $${first + 1}::jsonb, last_modified = $${first + 2} WHERE seq = $${first + 3}`;
  let pending = true;
  return {
    run: (statement, own = []) => {
      if (!pending) return run(statement, own);
      pending = false;
      const combined = `WITH resource_update AS (${text(own.length + 1)}) ${typeof statement === 'string' ? statement : statement.text}`;
      return run(named(context, combined), [...own, ...params]);
    },
    flush: async () => {
      if (!pending) return;
      pending = false;
      await run(named(context, text(1)), params);
    },
  };
}

/**
 * Replaces a stored resource, its row locked (404 when missing, 412 on a version mismatch).
 * With `deltas` (a PATCH) only the members they name change; without, every member row is
 * written anew. Checks the type's recorded index configuration itself (in the locking statement).
 */
export async function replaceResource(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  resource: ScimResource,
  options: { expectedVersion?: string | undefined; deltas?: readonly AttributeDelta[] | undefined },
): Promise<ScimResource> {
  const type = layout.resourceType;
  const current = await lockForWrite(context, run, layout, tenant, resource.id);
  if (!current) throw resourceNotFound(type, resource.id);
  checkVersion(type, resource.id, current.version, options.expectedVersion);
  const update = deferredUpdate(context, run, [
    resource.meta.version,
    storedDocument(layout, resource),
    resource.meta.lastModified,
    current.seq,
  ]);
  await rewriteChangedValues(context, update.run, layout, tenant, current.data, resource, current.seq);
  const child = layout.childAttribute;
  if (child !== undefined && options.deltas) {
    for (const delta of options.deltas) {
      if (delta.attribute === child)
        await applyMemberDelta(context, update.run, layout, tenant, resource, delta);
    }
  } else if (child !== undefined) {
    await writeAllMembers(context, update.run, layout, tenant, resource);
  }
  await update.flush();
  return resource;
}

/**
 * Deletes a resource with its index and member rows, and its memberships: the groups that lose
 * it get a new version and lastModified (as the memory store does), and no `members` attribute
 * once the last member is gone; they are locked in a fixed order, so that concurrent deletes
 * lock groups in the same order. False when there is no such resource; 412 on a version mismatch.
 */
export async function deleteResource(
  context: PostgresContext,
  run: Runner,
  type: StoreResourceType,
  tenant: string,
  id: string,
  expectedVersion: string | undefined,
): Promise<boolean> {
  const { tables } = context;
  const current = await getRow(context, run, tenant, type.name, id, true);
  if (!current) return false;
  checkVersion(type, id, current.version, expectedVersion);
  await run(`DELETE FROM ${tables.resources} WHERE seq = $1`, [current.seq]);
  await run(`DELETE FROM ${tables.values} WHERE seq = $1`, [current.seq]);
  await run(`DELETE FROM ${tables.members} WHERE tenant = $1 AND group_type = $2 AND group_id = $3`, [
    tenant,
    type.name,
    id,
  ]);
  const { rows: groups } = await run<{ group_type: string; group_id: string; attribute: string }>(
    `DELETE FROM ${tables.members} WHERE tenant = $1 AND value = $2 RETURNING group_type, group_id, attribute`,
    [tenant, id],
  );
  const touched = new Map<string, { group_type: string; group_id: string; attribute: string }>();
  for (const group of groups)
    touched.set(JSON.stringify([group.group_type, group.group_id, group.attribute]), group);
  const now = new Date().toISOString();
  for (const key of [...touched.keys()].sort()) {
    const group = touched.get(key);
    if (!group) continue;
    const row = await getRow(context, run, tenant, group.group_type, group.group_id, true);
    if (!row) continue;
    const document = row.data;
    const version = nextVersion(row.version);
    document.meta = { ...document.meta, lastModified: now, version };
    const left = await run(
      `SELECT 1 FROM ${tables.members} WHERE tenant = $1 AND group_type = $2 AND group_id = $3 AND attribute = $4 LIMIT 1`,
      [tenant, group.group_type, group.group_id, group.attribute],
    );
    if (left.rows.length === 0) delete document[group.attribute];
    await run(
      `UPDATE ${tables.resources} SET version = $1, data = $2::jsonb, last_modified = $3 WHERE seq = $4`,
      [version, JSON.stringify(document), now, row.seq],
    );
  }
  return true;
}
