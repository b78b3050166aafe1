/**
 * Member-scoped reads for PATCHes that add or remove a few members of a large group
 * (`ScimStore.getMemberSlice`): the group's row and the member rows whose lower-cased value is
 * one of those asked, found through the `members_by_lower_value` index, and whether it has
 * other members. The write side is `replaceResource` with the PATCH's deltas.
 */
import type { StoreMemberSlice } from '@scimkit/server';
import { renderSql, sql } from '@scimkit/sql';
import { memberFromRow, type StorageLayout } from '@scimkit/sql/internal';
import type { Runner } from './connection.js';
import type { PostgresContext } from './context.js';
import { UNSTORABLE } from './documents.js';
import { getRow, hydrate } from './rows.js';

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
function loweredValue(context: PostgresContext): string {
  return renderSql(context.dialect.lower(sql`value`), context.dialect.placeholder).sql;
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
  const row = await getRow(context, run, tenant, type, id, false);
  if (!row) return undefined;
  const [resource] = await hydrate(context, run, layout, tenant, [row], false);
  const child = layout.childAttribute;
  if (resource === undefined || child === undefined) return resource && { resource, otherMembers: false };
  // Text PostgreSQL cannot store is in no row: such a value matches nothing.
  const lowered = [...new Set(values.map((value) => value.toLowerCase()))].filter(
    (value) => !UNSTORABLE.test(value),
  );
  const folded = loweredValue(context);
  const key = `tenant = $1 AND group_type = $2 AND group_id = $3 AND attribute = $4`;
  const params = [tenant, type, id, child, lowered];
  const [slice, others] = await Promise.all([
    run<SliceRow>(
      `SELECT value, type, display, ref FROM ${context.tables.members}
        WHERE ${key} AND ${folded} = ANY($5::text[]) ORDER BY seq`,
      params,
    ),
    run<{ found: number }>(
      `SELECT 1 AS found FROM ${context.tables.members}
        WHERE ${key} AND NOT (${folded} = ANY($5::text[])) LIMIT 1`,
      params,
    ),
  ]);
  if (slice.rows.length > 0) {
    resource[child] = slice.rows.map((member) =>
      memberFromRow(member.value, member.type, member.display, member.ref),
    );
  }
  return { resource, otherMembers: others.rows.length > 0 };
}
