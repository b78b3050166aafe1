import type { Filter } from '@scimkit/filter';
import type { AttributeDelta } from '@scimkit/patch';
import type { ScimResource } from '@scimkit/schema';
import { nextVersion } from '@scimkit/schema/internal';
import { scimError } from './internal/http.js';
import { own, resolvePath, type TypeInfo, typeInfo } from './internal/type-info.js';
import { keptAsGiven } from './internal/verified.js';
import { queryInMemory } from './query-in-memory.js';
import type { ScimStore, StoreContext, StoreMemberSlice, StoreResourceType } from './store.js';

interface TypeTable {
  info: TypeInfo;
  resources: Map<string, ScimResource>;
}

interface Tenant {
  types: Map<string, TypeTable>;
  /**
   * Uniqueness index: `scope\0path` (scope `*` for global, `type:<name>` for server) →
   * normalised value → owner (`type\0id`).
   */
  unique: Map<string, Map<string, string>>;
  /** member id → keys (`type\0groupId`) of the groups listing it. */
  memberOf: Map<string, Set<string>>;
  /**
   * Set once a stored resource holds a unique value the index cannot answer `eq` for exactly
   * (a differently spelt key, a list, a shared value): filters then always scan.
   */
  irregular?: boolean;
}

/** A tenant's tables and indexes, created on its first write. */
function tenantOf(tenants: Map<string, Tenant>, context: StoreContext): Tenant {
  const key = context.tenant ?? '';
  let tenant = tenants.get(key);
  if (!tenant) {
    tenant = { types: new Map(), unique: new Map(), memberOf: new Map() };
    tenants.set(key, tenant);
  }
  return tenant;
}

/** A resource type's table within a tenant, created on first use. */
function tableOf(tenant: Tenant, type: StoreResourceType): TypeTable {
  let table = tenant.types.get(type.name);
  if (!table) {
    table = { info: typeInfo(type), resources: new Map() };
    tenant.types.set(type.name, table);
  }
  return table;
}

/** Every `[index key, normalised value]` of a resource's unique values (deduplicated). */
function uniqueKeys(table: TypeTable, resource: ScimResource): [string, string][] {
  const keys = new Map<string, [string, string]>();
  for (const attribute of table.info.uniqueAttributes) {
    const holder = attribute.extension ? own(resource, attribute.extension) : resource;
    const raw = own(holder, attribute.name);
    const list = attribute.multiValued ? (Array.isArray(raw) ? raw : []) : Array.isArray(raw) ? [] : [raw];
    const key = `${attribute.scope === 'global' ? '*' : `type:${table.info.name}`}\0${attribute.path}`;
    for (const item of list) {
      const value = attribute.sub === undefined ? item : own(item, attribute.sub);
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      const text = String(value);
      const normalised = attribute.caseExact ? text : text.toLowerCase();
      keys.set(`${key}\0${normalised}`, [key, normalised]);
    }
  }
  return [...keys.values()];
}
/**
 * Throws 409 uniqueness when another resource holds one of this resource's unique values;
 * returns those values, which `put` indexes (the stored copy holds the same ones).
 */
function checkUnique(tenant: Tenant, table: TypeTable, resource: ScimResource): [string, string][] {
  const self = `${table.info.name}\0${resource.id}`;
  const keys = uniqueKeys(table, resource);
  for (const [key, value] of keys) {
    const owner = tenant.unique.get(key)?.get(value);
    if (owner !== undefined && owner !== self) {
      const path = key.slice(key.indexOf('\0') + 1);
      throw scimError(409, `${table.info.name} ${path} "${value}" is already taken.`, 'uniqueness');
    }
  }
  return keys;
}
/** Adds a resource's unique values (`keys`, from {@link uniqueKeys}) to the index (`add`) or removes them. */
function indexUnique(
  tenant: Tenant,
  table: TypeTable,
  resource: ScimResource,
  add: boolean,
  keys = uniqueKeys(table, resource),
) {
  const self = `${table.info.name}\0${resource.id}`;
  for (const [key, value] of keys) {
    let values = tenant.unique.get(key);
    if (!values) {
      values = new Map();
      tenant.unique.set(key, values);
    }
    if (add) {
      const owner = values.get(value);
      if (owner !== undefined && owner !== self) tenant.irregular = true;
      values.set(value, self);
    } else if (values.get(value) === self) values.delete(value);
  }
  if (add && !tenant.irregular) {
    for (const attribute of table.info.uniqueAttributes) {
      if (attribute.extension || attribute.sub !== undefined || attribute.multiValued) continue;
      const raw = own(resource, attribute.name);
      if (Array.isArray(raw)) tenant.irregular = true;
      else if (raw === undefined) {
        const lower = attribute.name.toLowerCase();
        for (const key of Object.keys(resource)) if (key.toLowerCase() === lower) tenant.irregular = true;
      }
    }
  }
}
/**
 * A unique, single-valued core attribute whose `eq` the uniqueness index answers: its index key
 * and whether values compare case-sensitively.
 */
interface IndexedAttribute {
  key: string;
  caseExact: boolean;
}

/**
 * Per type, by lower-cased name: the first unique, single-valued core attribute of that name,
 * or null when its values are not strings (dateTime instants compare by value, not by text).
 */
const indexedAttributes = new WeakMap<TypeInfo, Map<string, IndexedAttribute | null>>();

function indexedAttributesOf(info: TypeInfo): Map<string, IndexedAttribute | null> {
  let byName = indexedAttributes.get(info);
  if (byName) return byName;
  byName = new Map();
  for (const attribute of info.uniqueAttributes) {
    if (attribute.extension || attribute.sub !== undefined || attribute.multiValued) continue;
    const lower = attribute.name.toLowerCase();
    if (byName.has(lower)) continue;
    const type = resolvePath(info, { attribute: attribute.name })?.attribute.type;
    byName.set(
      lower,
      type === 'string' || type === 'reference'
        ? {
            key: `${attribute.scope === 'global' ? '*' : `type:${info.name}`}\0${attribute.path}`,
            caseExact: attribute.caseExact,
          }
        : null,
    );
  }
  indexedAttributes.set(info, byName);
  return byName;
}

/**
 * The only resources that can match a top-level `attribute eq "text"` filter on a unique,
 * single-valued core attribute (userName: Okta's and Entra ID's lookup), from the uniqueness
 * index; undefined for any other filter (queryInMemory then scans). The filter still runs on
 * the candidates, so the answer is the scan's.
 */
function candidatesOf(tenant: Tenant, table: TypeTable, filter: Filter): ScimResource[] | undefined {
  if (tenant.irregular || filter.kind !== 'Comparison' || filter.operator !== 'eq') return undefined;
  if (typeof filter.value !== 'string' || filter.path.subAttribute !== undefined) return undefined;
  const { info } = table;
  const { schema, attribute: name } = filter.path;
  if (schema !== undefined && schema.toLowerCase() !== info.schemaUrn.toLowerCase()) return undefined;
  const attribute = indexedAttributesOf(info).get(name.toLowerCase());
  if (!attribute) return undefined;
  const owner = tenant.unique
    .get(attribute.key)
    ?.get(attribute.caseExact ? filter.value : filter.value.toLowerCase());
  const prefix = `${info.name}\0`;
  if (owner === undefined || !owner.startsWith(prefix)) return [];
  const resource = table.resources.get(owner.slice(prefix.length));
  return resource ? [resource] : [];
}
/** The member ids a group lists. */
function memberIds(resource: ScimResource | undefined): Set<string> {
  const ids = new Set<string>();
  const members = resource?.members;
  if (Array.isArray(members)) {
    for (const member of members) {
      const value = own(member, 'value');
      if (typeof value === 'string') ids.add(value);
    }
  }
  return ids;
}
/** Updates `memberOf` for a group's change of members (`before` or `after` absent: created or deleted). */
function indexMembers(
  tenant: Tenant,
  table: TypeTable,
  before: ScimResource | undefined,
  after: ScimResource | undefined,
) {
  if (!table.info.hasMembers) return;
  const id = (after ?? before)!.id;
  const key = `${table.info.name}\0${id}`;
  const old = memberIds(before);
  const next = memberIds(after);
  for (const member of old) {
    if (!next.has(member)) {
      const set = tenant.memberOf.get(member);
      set?.delete(key);
      if (set?.size === 0) tenant.memberOf.delete(member);
    }
  }
  for (const member of next) {
    if (!old.has(member)) {
      let set = tenant.memberOf.get(member);
      if (!set) {
        set = new Set();
        tenant.memberOf.set(member, set);
      }
      set.add(key);
    }
  }
}
/** Throws 412 when the stored version is not the one the write read. */
function checkVersion(current: ScimResource, expected: string | undefined) {
  if (expected !== undefined && current.meta.version !== expected) {
    throw scimError(
      412,
      `${current.meta.resourceType} ${current.id} changed since version ${expected}; it is now ${current.meta.version}.`,
    );
  }
}
/**
 * Whether a replace keeps every unique value (`keys`) of the stored version `before`, and the
 * index names it as their owner: the common write (a PATCH of a title keeps the userName).
 */
function holdsAlready(
  tenant: Tenant,
  table: TypeTable,
  before: ScimResource,
  keys: readonly [string, string][],
): boolean {
  const previous = uniqueKeys(table, before);
  if (previous.length !== keys.length) return false;
  const self = `${table.info.name}\0${before.id}`;
  for (let i = 0; i < keys.length; i++) {
    const [key, value] = keys[i]!;
    const [oldKey, oldValue] = previous[i]!;
    if (key !== oldKey || value !== oldValue || tenant.unique.get(key)?.get(value) !== self) return false;
  }
  return true;
}

/** Stores a deeply frozen copy and updates the indexes (`keys`: the resource's unique values). */
function put(
  tenant: Tenant,
  table: TypeTable,
  resource: ScimResource,
  before: ScimResource | undefined,
  keys: [string, string][],
) {
  const stored = frozenCopy(resource, before);
  keptAsGiven(resource, stored);
  if (before && holdsAlready(tenant, table, before, keys)) {
    // Only the checks for irregular values: removing and adding the same entries changes nothing.
    indexUnique(tenant, table, stored, true, []);
  } else {
    if (before) indexUnique(tenant, table, before, false);
    indexUnique(tenant, table, stored, true, keys);
  }
  table.resources.set(stored.id, stored);
  indexMembers(tenant, table, before, stored);
  return stored;
}

/** Removes a deleted resource from every group that lists it, bumping each group's version. */
function removeFromGroups(tenant: Tenant, id: string): void {
  const groups = tenant.memberOf.get(id);
  if (!groups) return;
  tenant.memberOf.delete(id);
  const now = new Date().toISOString();
  for (const key of groups) {
    const [typeName, groupId] = key.split('\0') as [string, string];
    const groupTable = tenant.types.get(typeName);
    const group = groupTable?.resources.get(groupId);
    if (!groupTable || !group) continue;
    const { members: before, ...rest } = structuredClone(group);
    const members = (before as unknown[]).filter((m) => own(m, 'value') !== id);
    groupTable.resources.set(
      groupId,
      deepFreeze({
        ...rest,
        ...(members.length > 0 ? { members } : {}),
        meta: { ...group.meta, lastModified: now, version: nextVersion(group.meta.version) },
      }),
    );
  }
}

/**
 * An in-memory {@link ScimStore} for tests, demos and small apps: resources live in Maps
 * (per tenant), indexes keep uniqueness checks and `User.groups` O(1), and every write checks
 * `meta.version` for optimistic concurrency. Stored resources are deeply frozen copies, so
 * nothing outside the store can change them and the server reuses each one's shaped response
 * until it is replaced (see {@link ScimStore}). Nothing survives a restart.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createScimServer } from '@scimkit/server';
 *
 * const server = createScimServer({ store: createMemoryStore(), auth: { tokens: ['secret'] } });
 * ```
 */
export function createMemoryStore(): ScimStore {
  const tenants = new Map<string, Tenant>();

  const store: ScimStore = {
    async create(type, resource, { context }) {
      const tenant = tenantOf(tenants, context);
      const table = tableOf(tenant, type);
      if (table.resources.has(resource.id)) {
        throw scimError(409, `${type.name} ${resource.id} already exists.`, 'uniqueness');
      }
      return put(tenant, table, resource, undefined, checkUnique(tenant, table, resource));
    },
    async get(type, id, { context }) {
      return tenants
        .get(context.tenant ?? '')
        ?.types.get(type.name)
        ?.resources.get(id);
    },
    async replace(type, resource, { context, expectedVersion }) {
      const tenant = tenantOf(tenants, context);
      const table = tableOf(tenant, type);
      const current = table.resources.get(resource.id);
      if (!current) throw scimError(404, `${type.name} ${resource.id} does not exist.`);
      checkVersion(current, expectedVersion);
      return put(tenant, table, resource, current, checkUnique(tenant, table, resource));
    },
    async delete(type, id, { context, expectedVersion }) {
      const tenant = tenantOf(tenants, context);
      const table = tableOf(tenant, type);
      const current = table.resources.get(id);
      if (!current) return false;
      checkVersion(current, expectedVersion);
      table.resources.delete(id);
      indexUnique(tenant, table, current, false);
      indexMembers(tenant, table, current, undefined);
      removeFromGroups(tenant, id);
      return true;
    },
    async query(type, query, { context }) {
      const tenant = tenants.get(context.tenant ?? '');
      const table = tenant?.types.get(type.name);
      const candidates =
        tenant && table && query.filter ? candidatesOf(tenant, table, query.filter) : undefined;
      return queryInMemory(candidates ?? (table ? table.resources.values() : []), query, {
        resourceType: type,
      });
    },
    async getMemberSlice(type, id, { context, values }) {
      const current = await store.get(type, id, { context });
      return current && memberSlice(current, values);
    },
    async replaceMemberSlice(type, resource, { context, expectedVersion, deltas }) {
      const current = await store.get(type, resource.id, { context });
      if (!current) throw scimError(404, `${type.name} ${resource.id} does not exist.`);
      const { members: _slice, ...rest } = resource;
      const members = withMemberDeltas(current.members, deltas);
      const whole = (members.length > 0 ? { ...rest, members } : rest) as ScimResource;
      return store.replace(type, whole, { context, ...(expectedVersion ? { expectedVersion } : {}) });
    },
    async groupsOf(memberId, { context }) {
      return groupsIn(tenants.get(context.tenant ?? ''), memberId);
    },
    async groupsOfMany(memberIds, { context }) {
      const tenant = tenants.get(context.tenant ?? '');
      return new Map(memberIds.map((id) => [id, groupsIn(tenant, id)]));
    },
  };

  return store;
}

/** `resource` with only the members whose value lower-cases to one of `values`. */
function memberSlice(resource: ScimResource, values: readonly string[]): StoreMemberSlice {
  const { members, ...rest } = resource;
  const list = Array.isArray(members) ? (members as unknown[]) : [];
  const wanted = new Set(values.map((value) => value.toLowerCase()));
  const slice = list.filter((member) => {
    const value = own(member, 'value');
    return typeof value === 'string' && wanted.has(value.toLowerCase());
  });
  return {
    resource: (slice.length > 0 ? { ...rest, members: slice } : rest) as ScimResource,
    otherMembers: list.length > slice.length,
  };
}

/** The whole member list after member deltas: removed values go, added ones come last. */
function withMemberDeltas(members: unknown, deltas: readonly AttributeDelta[]): unknown[] {
  let list = Array.isArray(members) ? (members as unknown[]) : [];
  for (const delta of deltas) {
    const removed = new Set(delta.removed.map((member) => own(member, 'value')));
    list = [...list.filter((member) => !removed.has(own(member, 'value'))), ...delta.added];
  }
  return list;
}

function groupsIn(tenant: Tenant | undefined, memberId: string): { id: string; displayName?: string }[] {
  const keys = tenant?.memberOf.get(memberId);
  if (!tenant || !keys) return [];
  const groups: { id: string; displayName?: string }[] = [];
  for (const key of keys) {
    const [typeName, groupId] = key.split('\0') as [string, string];
    const group = tenant.types.get(typeName)?.resources.get(groupId);
    if (!group) continue;
    groups.push(
      typeof group.displayName === 'string'
        ? { id: groupId, displayName: group.displayName }
        : { id: groupId },
    );
  }
  return groups;
}

/**
 * A deeply frozen copy of JSON data, made in one pass: several times faster than
 * `structuredClone` followed by a freeze, and each write of the store makes one. Anything but
 * plain objects and arrays (which a resource should not hold) goes through `structuredClone`.
 *
 * `shared`: a resource this store holds (deeply frozen, so nothing can change it). A top-level
 * value the copy would take that is the very object `shared` holds under the same key is kept
 * as it is instead of copied: a PATCH of a title leaves the other attributes' objects as they
 * were, and the new version shares them with the previous one.
 */
function frozenCopy<T>(value: T, shared?: object): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = frozenCopy(value[i]);
    return Object.freeze(copy) as T;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return deepFreeze(structuredClone(value));
  const previous = shared as Record<string, unknown> | undefined;
  // A spread, then the object values replaced: a copy built key by key turns into a slow
  // "dictionary" object at its 20th key (a full Enterprise User has 20), which every later
  // read of the stored version pays for. A spread copies an own "__proto__" key as a key.
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(copy)) {
    const item = copy[key];
    if (typeof item !== 'object' || item === null) continue;
    const kept = previous !== undefined && own(previous, key) === item ? item : frozenCopy(item);
    // Assigning to "__proto__" would set the prototype; define it as the data key it is.
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value: kept, enumerable: true, writable: true, configurable: true });
    else copy[key] = kept;
  }
  return Object.freeze(copy) as T;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
