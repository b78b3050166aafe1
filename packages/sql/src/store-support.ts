/**
 * What every SQL store answers the same way: whether a request needs the child rows
 * (`members`), and the SCIM errors of a store's reads and writes.
 */
import { type AttributePath, type Filter, visitFilter } from '@scimkit/filter';
import { ScimError } from '@scimkit/schema';
import { projectionShows } from '@scimkit/schema/internal';
import { memberColumns, type StorageLayout } from './storage-layout.js';

/** Whether `path` names `attribute` of the schema `schemaId` (bare or by URN, any sub-attribute). */
function namesAttribute(path: AttributePath, schemaId: string, attribute: string): boolean {
  return (
    path.attribute.toLowerCase() === attribute.toLowerCase() &&
    (path.schema === undefined || path.schema.toLowerCase() === schemaId.toLowerCase())
  );
}

/**
 * Whether a response shaped by this projection can show the layout's child attribute
 * (`members`), so that a store must read its rows: the shaper's own rule
 * (`projectionShows` of `@scimkit/schema/internal`, which the server applies to `User.groups`
 * too). Excluding only a sub-attribute (`members.display`) still reads the rows; the server's
 * shaper does the rest.
 *
 * @example
 * ```ts
 * import { parseAttributeList } from '@scimkit/filter';
 * import { groupResourceType } from '@scimkit/schema';
 * import { projectionShowsChild, storageLayout } from '@scimkit/sql';
 *
 * const layout = storageLayout(groupResourceType); // members live in a child table
 * projectionShowsChild(layout, { excludedAttributes: parseAttributeList('members') }); // false
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.9
 */
export function projectionShowsChild(
  layout: StorageLayout,
  projection: { attributes?: readonly AttributePath[]; excludedAttributes?: readonly AttributePath[] },
): boolean {
  const child = layout.childAttribute;
  return child !== undefined && projectionShows(layout.resourceType, child, projection);
}

/**
 * Whether a filter reads the layout's child attribute: a store evaluating it in memory (the
 * `residual` of {@link translateQuery}) must then fill that attribute from its rows first.
 *
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 * import { groupResourceType } from '@scimkit/schema';
 * import { filterReadsChild, storageLayout } from '@scimkit/sql';
 *
 * const layout = storageLayout(groupResourceType);
 * filterReadsChild(layout, parseFilter('members[value eq "2819c223"]')); // true
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function filterReadsChild(layout: StorageLayout, filter: Filter | undefined): boolean {
  const child = layout.childAttribute;
  if (child === undefined || filter === undefined) return false;
  const schemaId = layout.resourceType.schema.id;
  let reads = false;
  visitFilter(filter, {
    enter(node) {
      if (node.kind === 'Comparison' || node.kind === 'Present' || node.kind === 'ValuePath') {
        if (namesAttribute(node.path, schemaId, child)) reads = true;
        // Paths inside `attribute[…]` are relative to it.
        return node.kind !== 'ValuePath';
      }
      return undefined;
    },
  });
  return reads;
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
 * import { membersChangedInPlace } from '@scimkit/sql';
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
  const added = new Set<string>();
  for (const member of delta.added) {
    const value = memberColumns(member)?.value;
    if (value !== undefined) added.add(value);
  }
  const both = new Set<string>();
  for (const member of delta.removed) {
    const value = memberColumns(member)?.value;
    if (value !== undefined && added.has(value)) both.add(value);
  }
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

/**
 * 404: the resource a store was asked to replace does not exist.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export function resourceNotFound(type: { name: string }, id: string): ScimError {
  return new ScimError(`${type.name} "${id}" does not exist.`, { status: 404 });
}

/**
 * 412: the stored `meta.version` is not the one the write expected (optimistic concurrency).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.14
 */
export function versionMismatch(type: { name: string }, id: string): ScimError {
  return new ScimError(
    `${type.name} "${id}" was modified since it was read (version mismatch): read it again and retry.`,
    { status: 412 },
  );
}

/**
 * 400 `tooMany`: a query ran past the store's `queryTimeout` (in milliseconds).
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */
export function queryTimedOut(queryTimeout: number): ScimError {
  return new ScimError(
    `The query takes longer than this service provider allows (${queryTimeout} ms): narrow the filter.`,
    { status: 400, scimType: 'tooMany' },
  );
}
