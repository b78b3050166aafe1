import type { AttributePath, Filter } from '@scimkit/filter';
import type { AttributeDefinition } from '@scimkit/schema';
import { scimError } from './http.js';
import { type ResolvedPath, resolvePath, type TypeInfo } from './type-info.js';

function known(path: AttributePath, info: TypeInfo, within: AttributeDefinition | undefined): boolean {
  if (!within) return resolvePath(info, path) !== undefined;
  const name = path.attribute.toLowerCase();
  const sub = within.subAttributes?.find((s) => s.name.toLowerCase() === name);
  return sub !== undefined && path.subAttribute === undefined;
}

/** The first attribute path of a filter that a resource type does not define, as text. */
function unknownAttribute(filter: Filter, info: TypeInfo, within?: AttributeDefinition): string | undefined {
  switch (filter.kind) {
    case 'And':
    case 'Or':
      return unknownAttribute(filter.left, info, within) ?? unknownAttribute(filter.right, info, within);
    case 'Not':
      return unknownAttribute(filter.filter, info, within);
    case 'ValuePath': {
      const resolved = within ? undefined : resolvePath(info, filter.path);
      if (!resolved) return describe(filter.path);
      return unknownAttribute(filter.filter, info, resolved.attribute);
    }
    default:
      return known(filter.path, info, within) ? undefined : describe(filter.path);
  }
}

/**
 * Whether an attribute may never be read back (`returned: never` or `mutability: writeOnly`,
 * such as `password`): filtering or sorting on it would reveal its value one guess at a time.
 */
export function isHidden(attribute: AttributeDefinition | undefined): boolean {
  return attribute !== undefined && (attribute.returned === 'never' || attribute.mutability === 'writeOnly');
}

/** Whether a resolved path is the read-only `User.groups`, computed from membership and not stored. */
export function isComputedGroups(info: TypeInfo, resolved: ResolvedPath | undefined): boolean {
  return (
    info.hasComputedGroups &&
    resolved !== undefined &&
    resolved.extension === undefined &&
    resolved.attribute.name === 'groups'
  );
}

/** The first attribute path of a filter whose definitions pass `test`, as text. */
function findAttribute(
  filter: Filter,
  info: TypeInfo,
  test: (resolved: ResolvedPath) => boolean,
  within?: ResolvedPath,
): string | undefined {
  switch (filter.kind) {
    case 'And':
    case 'Or':
      return (
        findAttribute(filter.left, info, test, within) ?? findAttribute(filter.right, info, test, within)
      );
    case 'Not':
      return findAttribute(filter.filter, info, test, within);
    case 'ValuePath': {
      const resolved = resolvePath(info, filter.path);
      if (!resolved) return undefined;
      if (test(resolved)) return describe(filter.path);
      return findAttribute(filter.filter, info, test, resolved);
    }
    default: {
      if (within) {
        const name = filter.path.attribute.toLowerCase();
        const sub = within.attribute.subAttributes?.find((s) => s.name.toLowerCase() === name);
        return sub && test({ ...within, subAttribute: sub }) ? describe(filter.path) : undefined;
      }
      const resolved = resolvePath(info, filter.path);
      return resolved && test(resolved) ? describe(filter.path) : undefined;
    }
  }
}

/**
 * Rejects a filter on an attribute that is never returned, such as `password` (its matches
 * would disclose the value), or on `User.groups`, which is computed from Group membership and
 * not stored (it would silently match nothing): 400 invalidFilter.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 */
export function checkFilterReadable(filter: Filter, info: TypeInfo): void {
  const hidden = findAttribute(filter, info, (r) => isHidden(r.attribute) || isHidden(r.subAttribute));
  if (hidden !== undefined) {
    throw scimError(
      400,
      `The filter names "${hidden}", which is never returned, so it cannot be filtered on.`,
      'invalidFilter',
    );
  }
  const computed = findAttribute(filter, info, (r) => isComputedGroups(info, r));
  if (computed !== undefined) {
    throw scimError(
      400,
      `The filter names "${computed}", which is computed from Group membership and cannot be filtered on; filter Groups by members.value instead.`,
      'invalidFilter',
    );
  }
}

function describe(path: AttributePath): string {
  return `${path.schema ? `${path.schema}:` : ''}${path.attribute}${path.subAttribute ? `.${path.subAttribute}` : ''}`;
}

/** Rejects a filter naming attributes the resource type lacks (400 invalidFilter). */
export function checkFilterAttributes(filter: Filter, info: TypeInfo): void {
  const name = unknownAttribute(filter, info);
  if (name !== undefined) {
    throw scimError(
      400,
      `The filter names "${name}", which ${info.name} resources do not have.`,
      'invalidFilter',
    );
  }
  checkFilterReadable(filter, info);
}

/**
 * Prunes a filter for one resource type (root `/.search`): conditions on attributes the type
 * lacks are false. Returns `true` (match all), `false` (match none) or the remaining filter.
 */
export function pruneFilter(filter: Filter, info: TypeInfo): Filter | boolean {
  switch (filter.kind) {
    case 'And': {
      const left = pruneFilter(filter.left, info);
      const right = pruneFilter(filter.right, info);
      if (left === false || right === false) return false;
      if (left === true) return right;
      if (right === true) return left;
      return { ...filter, left, right };
    }
    case 'Or': {
      const left = pruneFilter(filter.left, info);
      const right = pruneFilter(filter.right, info);
      if (left === true || right === true) return true;
      if (left === false) return right;
      if (right === false) return left;
      return { ...filter, left, right };
    }
    case 'Not': {
      const inner = pruneFilter(filter.filter, info);
      if (typeof inner === 'boolean') return !inner;
      return { ...filter, filter: inner };
    }
    default:
      return unknownAttribute(filter, info) === undefined ? filter : false;
  }
}
