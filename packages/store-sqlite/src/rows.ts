/**
 * Resources as rows: writing a resource (its document, its attribute index rows, its member
 * rows), reading one back (hydration), and what a delete does to the groups that held it.
 */
import type { AttributeDelta } from '@scimkit/patch';
import type { ScimResource } from '@scimkit/schema';
import { nextVersion } from '@scimkit/schema/internal';
import type { StoreResourceType } from '@scimkit/server';
import {
  checkVersion,
  indexedValues,
  memberColumns,
  memberFromRow,
  planMemberDelta,
  resourceExists,
  resourceNotFound,
  type StorageLayout,
  storedDocument,
  valueInUse,
} from '@scimkit/sql/internal';
import type { SqliteContext } from './context.js';
import type { MemberRow } from './statements.js';

type Statements = Pick<SqliteContext, 'statements'>;

/**
 * Writes the index rows of a resource, refusing a value another resource holds in the same
 * uniqueness scope (409; the partial unique index would refuse it too).
 */
export function writeValues(
  { statements }: Statements,
  layout: StorageLayout,
  tenant: string,
  resource: ScimResource,
  seq: number,
): void {
  const typeName = layout.resourceType.name;
  for (const entry of layout.indexed.values()) {
    const scope = entry.uniqueScope ?? null;
    for (const value of indexedValues(resource, entry)) {
      if (scope !== null) {
        const clash = statements.findUnique.get(tenant, scope, entry.path, value, typeName, resource.id);
        if (clash) throw valueInUse(entry.path, value);
      }
      statements.insertValue.run(tenant, typeName, resource.id, seq, entry.path, value, scope);
    }
  }
}

/** Appends member rows in order (a value that already has a row keeps it: INSERT OR IGNORE). */
function insertMembers(
  { statements }: Statements,
  layout: StorageLayout,
  tenant: string,
  groupId: string,
  members: unknown,
): void {
  if (!Array.isArray(members)) return;
  const typeName = layout.resourceType.name;
  for (const member of members) {
    const columns = memberColumns(member);
    if (columns === undefined) continue;
    statements.insertMember.run(
      tenant,
      typeName,
      groupId,
      layout.childAttribute,
      columns.value,
      columns.type,
      columns.display,
      columns.$ref,
    );
  }
}

/** Writes every member row of a resource anew (a create, a PUT). */
function writeAllMembers(
  context: Statements,
  layout: StorageLayout,
  tenant: string,
  resource: ScimResource,
): void {
  const child = layout.childAttribute;
  if (child === undefined) return;
  context.statements.deleteMembersOf.run(tenant, layout.resourceType.name, resource.id);
  insertMembers(
    context,
    layout,
    tenant,
    resource.id,
    Object.hasOwn(resource, child) ? resource[child] : undefined,
  );
}

/** Whether member rows (values by `seq`) list the members of `members` in its order. */
function rowsInOrder(rows: readonly string[], members: unknown): boolean {
  const list = Array.isArray(members) ? members : [];
  const seen = new Set<string>();
  let at = 0;
  for (const member of list) {
    const value = memberColumns(member)?.value;
    // A repeated value has one row, the first's (INSERT OR IGNORE).
    if (value === undefined || seen.has(value)) continue;
    seen.add(value);
    if (rows[at] !== value) return false;
    at += 1;
  }
  return at === rows.length;
}

/**
 * Writes a PATCH's member changes as `planMemberDelta` plans them, so that a later GET lists
 * members in the order the PATCH response did. A replace of the whole list (`delta.replaced`)
 * may order members otherwise (new ones before old ones, old ones swapped): its rows are then
 * compared with the patched list (one read of their values) and written anew when they disagree.
 */
function applyMemberDelta(
  context: Statements,
  layout: StorageLayout,
  tenant: string,
  groupId: string,
  delta: AttributeDelta,
  members: unknown,
): void {
  const attribute = layout.childAttribute;
  if (attribute === undefined) return;
  const { statements } = context;
  const key = [tenant, layout.resourceType.name, groupId, attribute] as const;
  const plan = planMemberDelta(delta, members);
  for (const value of plan.deleted) statements.deleteMember.run(...key, value);
  for (const row of plan.updated)
    statements.updateMember.run(row.type, row.display, row.$ref, ...key, row.value);
  for (const row of plan.inserted)
    statements.insertMember.run(...key, row.value, row.type, row.display, row.$ref);
  if (delta.replaced && !rowsInOrder(statements.memberValues.all(...key), members)) {
    statements.deleteMembersOf.run(tenant, layout.resourceType.name, groupId);
    insertMembers(context, layout, tenant, groupId, members);
  }
}

/**
 * A stored row as a resource: the document with its child attribute filled from its rows, or
 * (`withChild` false, when the response will not show it) without the child attribute at
 * all, the members table untouched: a 100k-member group then costs one row read.
 */
export function hydrate(
  { statements }: Statements,
  layout: StorageLayout,
  tenant: string,
  row: { id: string; data: string },
  withChild = true,
): ScimResource {
  const resource = JSON.parse(row.data) as ScimResource;
  const child = layout.childAttribute;
  if (child !== undefined && Object.hasOwn(resource, child)) {
    if (!withChild) {
      delete resource[child];
      return resource;
    }
    const rows = statements.members.all(tenant, layout.resourceType.name, row.id, child);
    const members: Record<string, string>[] = new Array(rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      const [value, type, display, ref] = rows[index] as MemberRow;
      members[index] = memberFromRow(value, type, display, ref);
    }
    resource[child] = members;
  }
  return resource;
}

/** Inserts a new resource: its row, index rows and member rows (409 when its id is taken). */
export function insertResource(
  context: SqliteContext,
  type: StoreResourceType,
  tenant: string,
  resource: ScimResource,
): ScimResource {
  const { statements } = context;
  const layout = context.layout(type);
  if (statements.get.get(tenant, type.name, resource.id)) throw resourceExists(type, resource.id);
  const inserted = statements.insert.run(
    tenant,
    type.name,
    resource.id,
    resource.meta.version,
    storedDocument(layout, resource),
    resource.meta.created,
    resource.meta.lastModified,
  );
  writeValues(context, layout, tenant, resource, Number(inserted.lastInsertRowid));
  writeAllMembers(context, layout, tenant, resource);
  return resource;
}

/**
 * Replaces a stored resource (404 when missing, 412 on a version mismatch). With `deltas` (a
 * PATCH) only the members they name change; without, every member row is written anew.
 */
export function replaceResource(
  context: SqliteContext,
  type: StoreResourceType,
  tenant: string,
  resource: ScimResource,
  options: { expectedVersion?: string | undefined; deltas?: readonly AttributeDelta[] | undefined },
): ScimResource {
  const { statements } = context;
  const layout = context.layout(type);
  const current = statements.get.get(tenant, type.name, resource.id);
  if (!current) throw resourceNotFound(type, resource.id);
  checkVersion(type, resource.id, current.version, options.expectedVersion);
  statements.update.run(
    resource.meta.version,
    storedDocument(layout, resource),
    resource.meta.lastModified,
    tenant,
    type.name,
    resource.id,
  );
  statements.deleteValues.run(tenant, type.name, resource.id);
  writeValues(context, layout, tenant, resource, current.seq);
  const child = layout.childAttribute;
  if (child === undefined) return resource;
  if (options.deltas) {
    for (const delta of options.deltas) {
      if (delta.attribute === child)
        applyMemberDelta(context, layout, tenant, resource.id, delta, resource[child]);
    }
  } else {
    writeAllMembers(context, layout, tenant, resource);
  }
  return resource;
}

/**
 * Deletes a resource with its index and member rows, and its memberships: the groups that lose
 * it get a new version and lastModified (as the memory store does), and no `members` attribute
 * once the last member is gone. False when there is no such resource; 412 on a version mismatch.
 */
export function deleteResource(
  { statements }: SqliteContext,
  type: StoreResourceType,
  tenant: string,
  id: string,
  expectedVersion: string | undefined,
): boolean {
  const current = statements.get.get(tenant, type.name, id);
  if (!current) return false;
  checkVersion(type, id, current.version, expectedVersion);
  statements.deleteResource.run(tenant, type.name, id);
  statements.deleteValues.run(tenant, type.name, id);
  statements.deleteMembersOf.run(tenant, type.name, id);
  const groups = statements.groupsHolding.all(tenant, id);
  statements.deleteMemberships.run(tenant, id);
  const now = new Date().toISOString();
  for (const group of groups) {
    const row = statements.get.get(tenant, group.group_type, group.group_id);
    if (!row) continue;
    const document = JSON.parse(row.data) as ScimResource;
    const version = nextVersion(row.version);
    document.meta = { ...document.meta, lastModified: now, version };
    if (!statements.hasMembers.get(tenant, group.group_type, group.group_id, group.attribute)) {
      delete document[group.attribute];
    }
    statements.update.run(version, JSON.stringify(document), now, tenant, group.group_type, group.group_id);
  }
  return true;
}
