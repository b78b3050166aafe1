/**
 * Group members as child-table rows: the row of a member value and back, what a PATCH delta
 * does to the rows, and the `groupsOf` answers built from them.
 */
import { own } from './storage-layout.js';

/** One child-table row of a member value (`value` required; other columns null when absent). */
export interface MemberColumns {
  /** The member's `value` (its id). */
  value: string;
  /** `type`, or null. */
  type: string | null;
  /** `display`, or null. */
  display: string | null;
  /** `$ref`, or null. */
  $ref: string | null;
}

/**
 * The child-table columns of one value of a `StorageLayout.childAttribute` (a member as given
 * in a resource or a PATCH delta), or undefined when it has no string `value`.
 *
 * @example
 * ```ts
 * import { memberColumns } from '@scimkit/sql/internal';
 *
 * memberColumns({ value: 'u1', type: 'User' }); // { value: 'u1', type: 'User', display: null, $ref: null }
 * ```
 */
export function memberColumns(member: unknown): MemberColumns | undefined {
  const value = own(member, 'value');
  if (typeof value !== 'string') return undefined;
  const text = (key: string) => {
    const found = own(member, key);
    return typeof found === 'string' ? found : null;
  };
  return { value, type: text('type'), display: text('display'), $ref: text('$ref') };
}

/**
 * The member value a child-table row stands for: `value`, then the columns that are not null,
 * in the order a resource lists them (`$ref`, `display`, `type`).
 *
 * @example
 * ```ts
 * import { memberFromRow } from '@scimkit/sql/internal';
 *
 * memberFromRow('u1', 'User', null, null); // { value: 'u1', type: 'User' }
 * ```
 */
export function memberFromRow(
  value: string,
  type: string | null,
  display: string | null,
  ref: string | null,
): Record<string, string> {
  const member: Record<string, string> = { value };
  if (ref !== null) member['$ref'] = ref;
  if (display !== null) member['display'] = display;
  if (type !== null) member['type'] = type;
  return member;
}

/** The values of `members` (a list of member values) that have one, in order. */
function valuesOf(members: readonly unknown[]): string[] {
  const values: string[] = [];
  for (const member of members) {
    const value = memberColumns(member)?.value;
    if (value !== undefined) values.push(value);
  }
  return values;
}

/**
 * The member values a PATCH changed where they stood, whose rows a store should update in
 * place rather than delete and append: values both removed and added (a sub-attribute changed,
 * `members[value eq "x"].display`) that still have an unchanged member after them in the
 * patched list `members`. A value with only new or changed members after it was removed and
 * appended (or is last anyway), so its new row goes last. One pass over `members`.
 *
 * @example
 * ```ts
 * import { membersChangedInPlace } from '@scimkit/sql/internal';
 *
 * membersChangedInPlace({ added: [{ value: 'a', type: 'User' }], removed: [{ value: 'a' }] },
 *   [{ value: 'a', type: 'User' }, { value: 'b' }]); // Set { 'a' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function membersChangedInPlace(
  delta: { added: readonly unknown[]; removed: readonly unknown[] },
  members: unknown,
): Set<string> {
  const inPlace = new Set<string>();
  if (!Array.isArray(members) || delta.added.length === 0 || delta.removed.length === 0) return inPlace;
  const added = new Set(valuesOf(delta.added));
  const both = new Set<string>();
  for (const value of valuesOf(delta.removed)) if (added.has(value)) both.add(value);
  if (both.size === 0) return inPlace;
  // From the end: is there an unchanged member after this one?
  let unchangedAfter = false;
  for (let index = members.length - 1; index >= 0; index -= 1) {
    const value = memberColumns(members[index])?.value;
    if (value === undefined) continue;
    if (both.has(value) && unchangedAfter) inPlace.add(value);
    if (!added.has(value)) unchangedAfter = true;
  }
  return inPlace;
}

/** The row changes of a PATCH delta on a child attribute (see {@link planMemberDelta}). */
export interface MemberDeltaPlan {
  /** Values whose rows go (removed, and not changed in place). */
  deleted: string[];
  /** Rows changed where they stand: their `type`, `display` and `$ref` columns are rewritten. */
  updated: MemberColumns[];
  /** Rows to append, in order (a value that already has a row keeps it). */
  inserted: MemberColumns[];
}

/**
 * What a PATCH delta (`added`, `removed` values of the child attribute) does to its rows, so
 * that a GET lists members in the order of the PATCH response (`members`, the list after the
 * PATCH): a value both removed and added is updated in its row when it was changed in place
 * ({@link membersChangedInPlace}), else deleted and appended; other removed values are deleted,
 * other added ones appended. One change per value, the first the delta lists (as a full write
 * keeps the first of repeated values). A replace of the whole list (`delta.replaced`) may order
 * members otherwise: the store must then compare its rows with `members` or write them anew.
 *
 * @example
 * ```ts
 * import { planMemberDelta } from '@scimkit/sql/internal';
 *
 * planMemberDelta({ added: [{ value: 'c' }], removed: [{ value: 'a' }] }, [{ value: 'b' }, { value: 'c' }]);
 * // { deleted: ['a'], updated: [], inserted: [{ value: 'c', type: null, display: null, $ref: null }] }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function planMemberDelta(
  delta: { added: readonly unknown[]; removed: readonly unknown[] },
  members: unknown,
): MemberDeltaPlan {
  const inPlace = membersChangedInPlace(delta, members);
  const deleted = [...new Set(valuesOf(delta.removed))].filter((value) => !inPlace.has(value));
  const updated: MemberColumns[] = [];
  const inserted: MemberColumns[] = [];
  const seen = new Set<string>();
  for (const member of delta.added) {
    const columns = memberColumns(member);
    if (columns === undefined || seen.has(columns.value)) continue;
    seen.add(columns.value);
    (inPlace.has(columns.value) ? updated : inserted).push(columns);
  }
  return { deleted, updated, inserted };
}

/**
 * A group as `groupsOf` answers it: its id, and its `displayName` when that is a string.
 *
 * @example
 * ```ts
 * import { groupRef } from '@scimkit/sql/internal';
 *
 * groupRef('g1', 'Admins'); // { id: 'g1', displayName: 'Admins' }
 * groupRef('g2', null); // { id: 'g2' }
 * ```
 */
export function groupRef(id: string, displayName: unknown): { id: string; displayName?: string } {
  return typeof displayName === 'string' ? { id, displayName } : { id };
}

/**
 * The `groupsOfMany` answer: an entry for every member id (repeated ids once, in the order
 * given), each with its groups in the order of `rows` (one row per member and group).
 *
 * @example
 * ```ts
 * import { groupsByMember } from '@scimkit/sql/internal';
 *
 * groupsByMember(['u1', 'u2'], [{ member: 'u1', id: 'g1', displayName: 'Admins' }]);
 * // Map { 'u1' => [{ id: 'g1', displayName: 'Admins' }], 'u2' => [] }
 * ```
 */
export function groupsByMember(
  memberIds: Iterable<string>,
  rows: Iterable<{ member: string; id: string; displayName: unknown }> = [],
): Map<string, { id: string; displayName?: string }[]> {
  const groups = new Map<string, { id: string; displayName?: string }[]>();
  for (const memberId of memberIds) groups.set(memberId, []);
  for (const row of rows) groups.get(row.member)?.push(groupRef(row.id, row.displayName));
  return groups;
}
