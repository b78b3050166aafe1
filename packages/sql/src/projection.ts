/**
 * Whether a request needs a store's child rows (`members`): for the response it shapes, or for
 * the filter it evaluates in memory.
 */
import { type AttributePath, type Filter, visitFilter } from '@scimkit/filter';
import { projectionShows } from '@scimkit/schema/internal';
import type { StorageLayout } from './storage-layout.js';

/** Whether `path` names `attribute` of the schema `schemaId` (bare or by URN, any sub-attribute). */
function namesAttribute(path: AttributePath, schemaId: string, attribute: string): boolean {
  return (
    path.attribute.toLowerCase() === attribute.toLowerCase() &&
    (path.schema === undefined || path.schema.toLowerCase() === schemaId.toLowerCase())
  );
}

/**
 * Whether a response shaped by this projection can show the layout's child attribute
 * (`members`), so that a store must read its rows: the shaper's own rule (`projectionShows` of
 * `@scimkit/schema/internal`, which the server applies to `User.groups` too).
 * `excludedAttributes=members` on a 100k-member group then reads one row; excluding only a
 * sub-attribute (`members.display`) still reads them, and the server's shaper does the rest.
 *
 * @example
 * ```ts
 * import { parseAttributeList } from '@scimkit/filter';
 * import { groupResourceType } from '@scimkit/schema';
 * import { projectionShowsChild, storageLayout } from '@scimkit/sql/internal';
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
 * `residual` of `translateQuery`) must then fill that attribute from its rows first.
 *
 * @example
 * ```ts
 * import { parseFilter } from '@scimkit/filter';
 * import { groupResourceType } from '@scimkit/schema';
 * import { filterReadsChild, storageLayout } from '@scimkit/sql/internal';
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
