/**
 * `User.groups` read in the statement that reads the Users themselves: a correlated subquery
 * per row, aggregated with `json_agg`, answering what `groupsOf` answers (the groups that list
 * the row's id as a member, in `seq` order), in the same snapshot and round trip as the row.
 */
import { identifier, type SqlFragment, sql } from '@scimkit/sql';
import { groupRef } from '@scimkit/sql/internal';
import type { PostgresContext } from './context.js';

/**
 * A query of one row, one `json` column `groups`: the groups of the resource `id` (an SQL
 * expression, such as `r.id`) in `tenant`, as `[[id, displayName], …]` in group `seq` order,
 * NULL when it is in none. The same rows as `groupsOf` reads: every resource holding a member
 * row whose value is `id` in the tenant, each once. Used as a scalar subquery or a LATERAL one.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.1.2
 */
export function groupsOfRow(context: PostgresContext, tenant: SqlFragment, id: SqlFragment): SqlFragment {
  const resources = identifier(context.tables.resources);
  const members = identifier(context.tables.members);
  return sql`SELECT json_agg(json_build_array(g.id, g.data -> 'displayName') ORDER BY g.seq) AS groups FROM ${resources} AS g
     WHERE g.seq IN (SELECT h.seq FROM ${members} AS m JOIN ${resources} AS h
                        ON h.tenant = m.tenant AND h.type = m.group_type AND h.id = m.group_id
                     WHERE m.tenant = ${tenant} AND m.value = ${id})`;
}

/** A {@link groupsOfRow} column as `groupsOf` answers it. */
export function groupsFromColumn(column: unknown): { id: string; displayName?: string }[] {
  if (!Array.isArray(column)) return [];
  return column.map((entry: [string, unknown]) => groupRef(entry[0], entry[1]));
}
