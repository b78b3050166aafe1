/**
 * Member-scoped reads for PATCHes that add or remove a few members of a large group
 * (`ScimStore.getMemberSlice`): the group's row, the member rows whose lower-cased value is one
 * of those asked, and whether it has other members.
 *
 * `members.value` is not caseExact, and the store lower-cases as JavaScript does (`scim_lower`),
 * which no index may call (a program opening the file without the store's functions could not
 * maintain it). The `members_by_lower_value` index holds SQLite's own `lower(value)`, which
 * folds ASCII only: for an ASCII value, the members that lower-case to it are ASCII too, or
 * hold the Kelvin sign (U+212A, the one other character that lower-cases to ASCII: `k`), so its
 * ASCII lower-casing with each `k` or Kelvin sign finds them all in the index, and `scim_lower`
 * rechecks each. Other values (rare for ids) search the group's rows.
 */
import type { StoreMemberSlice, StoreResourceType } from '@scimkit/server';
import { memberFromRow } from '@scimkit/sql/internal';
import type Database from 'better-sqlite3';
import type { SqliteContext } from './context.js';
import { hydrate } from './rows.js';
import type { MemberRow } from './statements.js';

/** The group's members, and the lower-cased values asked about (a JSON array). */
interface SliceKey {
  tenant: string;
  type: string;
  id: string;
  attribute: string;
  lowered: string;
}
/** With `lower(value)` of every member value that may lower-case to one of them (a JSON array). */
interface IndexedSliceKey extends SliceKey {
  candidates: string;
}

const KELVIN = '\u212a';
/** Most `k`s in a value whose spellings with the Kelvin sign are looked up one by one. */
const MAX_KS = 6;

/** The statements of member slices, prepared once per store. */
export class MemberSliceStatements {
  /** Raw rows of the members whose `lower(value)` is a candidate and `scim_lower(value)` a lowered value. */
  readonly indexed: Database.Statement<IndexedSliceKey, MemberRow>;
  /** Raw rows of the members whose `scim_lower(value)` is a lowered value, searching the group's rows. */
  readonly searched: Database.Statement<SliceKey, MemberRow>;
  /** One row when the group has a member whose lower-cased value is not listed. */
  readonly others: Database.Statement<SliceKey, { found: number }>;

  constructor(db: Database.Database) {
    const key = 'tenant = @tenant AND group_type = @type AND group_id = @id AND attribute = @attribute';
    this.indexed = db
      .prepare<IndexedSliceKey, MemberRow>(
        `SELECT value, type, display, ref FROM members INDEXED BY members_by_lower_value
          WHERE ${key} AND lower(value) IN (SELECT value FROM json_each(@candidates))
            AND scim_lower(value) IN (SELECT value FROM json_each(@lowered))
          ORDER BY seq`,
      )
      .raw(true);
    this.searched = db
      .prepare<SliceKey, MemberRow>(
        `SELECT value, type, display, ref FROM members INDEXED BY members_key
          WHERE ${key} AND scim_lower(value) IN (SELECT value FROM json_each(@lowered))
          ORDER BY seq`,
      )
      .raw(true);
    this.others = db.prepare<SliceKey, { found: number }>(
      `SELECT 1 AS found FROM members INDEXED BY members_key
        WHERE ${key} AND scim_lower(value) NOT IN (SELECT value FROM json_each(@lowered))
        LIMIT 1`,
    );
  }
}

/**
 * What `lower(value)` is for every member value that lower-cases (as JavaScript does) to
 * `lowered`, or undefined when that cannot be listed (`lowered` not ASCII, or too many `k`s).
 */
function indexKeys(lowered: string): string[] | undefined {
  if (!/^[\u0000-\u007f]*$/.test(lowered)) return undefined;
  const parts = lowered.split('k');
  if (parts.length - 1 > MAX_KS) return undefined;
  let keys = [parts[0]!];
  for (const part of parts.slice(1))
    keys = keys.flatMap((key) => [`${key}k${part}`, `${key}${KELVIN}${part}`]);
  return keys;
}

/**
 * The resource with only the members whose value lower-cases to one of `values`, and whether
 * it has others; undefined when there is no such resource. Index searches, whatever the size
 * of the group (for ASCII values).
 */
export function readMemberSlice(
  context: SqliteContext,
  statements: MemberSliceStatements,
  type: StoreResourceType,
  tenant: string,
  id: string,
  values: readonly string[],
): StoreMemberSlice | undefined {
  const row = context.statements.get.get(tenant, type.name, id);
  if (!row) return undefined;
  const layout = context.layout(type);
  const resource = hydrate(context, layout, tenant, row, false);
  const child = layout.childAttribute;
  if (child === undefined) return { resource, otherMembers: false };
  const lowered = [...new Set(values.map((value) => value.toLowerCase()))];
  const key: SliceKey = { tenant, type: type.name, id, attribute: child, lowered: JSON.stringify(lowered) };
  const candidates = lowered.map(indexKeys);
  const rows = candidates.every((keys) => keys !== undefined)
    ? statements.indexed.all({ ...key, candidates: JSON.stringify(candidates.flat()) })
    : statements.searched.all(key);
  if (rows.length > 0) {
    resource[child] = rows.map(([value, memberType, display, ref]) =>
      memberFromRow(value, memberType, display, ref),
    );
  }
  return { resource, otherMembers: statements.others.get(key) !== undefined };
}
