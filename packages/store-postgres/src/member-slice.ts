/**
 * Member-scoped reads for PATCHes that add or remove a few members of a large group
 * (`ScimStore.getMemberSlice`): the group's row and the member rows whose lower-cased value is
 * one of those asked, found through the `members_by_lower_value` index, and whether it has
 * other members. The write side is `replaceResource` with the PATCH's deltas.
 */
import type { StoreMemberSlice } from '@scimkit/server';
import { identifier, renderSql } from '@scimkit/sql';
import { memberFromRow, type StorageLayout } from '@scimkit/sql/internal';
import type { Runner } from './connection.js';
import type { PostgresContext } from './context.js';
import { UNSTORABLE } from './documents.js';
import { getRow, hydrate, type ResourceRow } from './rows.js';
import { named } from './statements.js';

interface SliceRow {
  value: string;
  type: string | null;
  display: string | null;
  ref: string | null;
}

/**
 * The lower-cased member value as the store's dialect folds it: with ICU, the expression of
 * the `members_by_lower_value` index (migration 2); without, a search of the group's rows.
 */
function loweredValue(context: PostgresContext, column: string): string {
  return renderSql(context.dialect.lower(identifier(column)), context.dialect.placeholder).sql;
}

/**
 * The resource with only the members whose value lower-cases to one of `values`, and whether
 * it has others; undefined when there is no such resource.
 */
export async function readMemberSlice(
  context: PostgresContext,
  run: Runner,
  layout: StorageLayout,
  tenant: string,
  id: string,
  values: readonly string[],
): Promise<StoreMemberSlice | undefined> {
  const type = layout.resourceType.name;
  const child = layout.childAttribute;
  if (child === undefined) {
    const row = await getRow(context, run, tenant, type, id, false);
    if (!row) return undefined;
    const [resource] = await hydrate(context, run, layout, tenant, [row], false);
    return resource && { resource, otherMembers: false };
  }
  // Text PostgreSQL cannot store is in no row: such a value matches nothing.
  const lowered = [...new Set(values.map((value) => value.toLowerCase()))].filter(
    (value) => !UNSTORABLE.test(value),
  );
  // One statement: the row, its slice (in member order) and whether other members exist.
  const { rows } = await run<ResourceRow & { slice: SliceRow[] | null; others: boolean }>(
    named(
      context,
      `SELECT r.seq, r.id, r.data, r.version,
            (SELECT json_agg(json_build_object('value', s.value, 'type', s.type, 'display', s.display, 'ref', s.ref) ORDER BY s.seq)
               FROM ${context.tables.members} AS s
              WHERE s.tenant = r.tenant AND s.group_type = r.type AND s.group_id = r.id AND s.attribute = $4
                AND ${loweredValue(context, 's.value')} = ANY($5::text[])) AS slice,
            EXISTS (SELECT 1 FROM ${context.tables.members} AS m
                     WHERE m.tenant = r.tenant AND m.group_type = r.type AND m.group_id = r.id AND m.attribute = $4
                       AND NOT (${loweredValue(context, 'm.value')} = ANY($5::text[]))) AS others
       FROM ${context.tables.resources} AS r
      WHERE r.tenant = $1 AND r.type = $2 AND r.id = $3`,
    ),
    [tenant, type, id, child, lowered],
  );
  const row = rows[0];
  if (!row) return undefined;
  const [resource] = await hydrate(context, run, layout, tenant, [row], false);
  if (resource === undefined) return undefined;
  if (row.slice && row.slice.length > 0) {
    resource[child] = row.slice.map((member) =>
      memberFromRow(member.value, member.type, member.display, member.ref),
    );
  }
  return { resource, otherMembers: row.others };
}
