/**
 * Importing many resources at once: the rows `create` would write for each of them (the same
 * row-building code), with one statement per table instead of a few per resource.
 */
import { isScimError, type ScimResource } from '@scimkit/schema';
import { indexedValues, type MemberColumns, type StorageLayout } from '@scimkit/sql/internal';
import type { Runner } from './connection.js';
import type { PostgresContext } from './context.js';
import { hasUnstorable, unstorable } from './documents.js';
import {
  appendMemberRows,
  checkMemberValues,
  insertResource,
  memberRowsOf,
  resourceColumns,
} from './rows.js';

/** The multi-row statements met a resource that `create` would refuse: it is found one by one. */
class Refused extends Error {}

/** Writes the rows of `resources` with one statement per table; throws {@link Refused} when one cannot be stored. */
async function insertAll(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  resources: readonly ScimResource[],
): Promise<void> {
  const { tables } = context;
  const typeName = layout.resourceType.name;
  const columns = resources.map((resource) => resourceColumns(layout, resource));
  // In the order given (WITH ORDINALITY), so that `seq` orders them as creates one by one would.
  const { rows } = await run<{ id: string; seq: string }>(
    `INSERT INTO ${tables.resources} (tenant, type, id, version, data, created, last_modified)
     SELECT $1, $2, r.id, r.version, r.data::jsonb, r.created, r.last_modified
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            WITH ORDINALITY AS r(id, version, data, created, last_modified, n)
      ORDER BY r.n
     ON CONFLICT (tenant, type, id) DO NOTHING RETURNING id, seq`,
    [tenant, typeName, ...[0, 1, 2, 3, 4].map((column) => columns.map((row) => row[column] ?? null))],
  );
  // An id taken already, or twice in the list.
  if (rows.length !== resources.length) throw new Refused();
  const seqOf = new Map(rows.map((row) => [row.id, row.seq]));

  const values: {
    ids: string[];
    seqs: string[];
    paths: string[];
    values: string[];
    scopes: (string | null)[];
  } = { ids: [], seqs: [], paths: [], values: [], scopes: [] };
  for (const resource of resources) {
    for (const entry of layout.indexed.values()) {
      for (const value of indexedValues(resource, entry)) {
        values.ids.push(resource.id);
        values.seqs.push(seqOf.get(resource.id)!);
        values.paths.push(entry.path);
        values.values.push(value);
        values.scopes.push(entry.uniqueScope ?? null);
      }
    }
  }
  if (values.ids.length > 0) {
    try {
      await run(
        `INSERT INTO ${tables.values} (tenant, type, id, seq, path, value, unique_scope)
         SELECT $1, $2, v.id, v.seq, v.path, v.value, v.scope
           FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[]) AS v(id, seq, path, value, scope)`,
        [tenant, typeName, values.ids, values.seqs, values.paths, values.values, values.scopes],
      );
    } catch (error) {
      throw Object.assign(new Refused(), { cause: error });
    }
  }

  if (layout.childAttribute === undefined) return;
  const ids = resources.map((resource) => resource.id);
  // As create does: no rows of an earlier resource of the same id may linger.
  await run(
    `DELETE FROM ${tables.members} WHERE tenant = $1 AND group_type = $2 AND group_id = ANY($3::text[])`,
    [tenant, typeName, ids],
  );
  const groupIds: string[] = [];
  const members: MemberColumns[] = [];
  for (const resource of resources) {
    const rowsOfOne = memberRowsOf(layout, resource);
    checkMemberValues(layout, rowsOfOne);
    for (const row of rowsOfOne) {
      groupIds.push(resource.id);
      members.push(row);
    }
  }
  await appendMemberRows(context, run, layout, tenant, groupIds, members);
}

/**
 * Stores `resources` (of the layout's type) as `insertResource` would one after the other, with
 * one statement per table. When one of them cannot be stored (its id or a unique value taken,
 * text PostgreSQL cannot hold, a member value too long), the statements are undone and the
 * resources are written one by one to throw the very error `create` gives for the first of them;
 * the caller's transaction then undoes them all.
 */
export async function importResources(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  resources: readonly ScimResource[],
): Promise<void> {
  if (resources.length === 0) return;
  const fast = !resources.some(hasUnstorable);
  if (fast) {
    await run('SAVEPOINT scim_import');
    try {
      await insertAll(context, run, layout, tenant, resources);
      await run('RELEASE SAVEPOINT scim_import');
      return;
    } catch (error) {
      await run('ROLLBACK TO SAVEPOINT scim_import');
      await run('RELEASE SAVEPOINT scim_import');
      if (!(error instanceof Refused) && !isScimError(error)) throw error;
    }
  }
  for (const resource of resources) {
    if (hasUnstorable(resource)) throw unstorable(layout.resourceType, resource.id);
    await insertResource(context, run, layout, tenant, resource);
  }
}
