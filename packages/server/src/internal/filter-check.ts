import type { AttributePath, Filter } from '@scimkit/filter';
import type { AttributeDefinition } from '@scimkit/schema';
import { scimError } from './http.js';
import { resolvePath, type TypeInfo } from './type-info.js';

function known(path: AttributePath, info: TypeInfo, within: AttributeDefinition | undefined): boolean {
  if (!within) return resolvePath(info, path) !== undefined;
  const name = path.attribute.toLowerCase();
  const sub = within.subAttributes?.find((s) => s.name.toLowerCase() === name);
  return sub !== undefined && path.subAttribute === undefined;
}

/** The first attribute path of a filter that a resource type does not define, as text. */
export function unknownAttribute(
  filter: Filter,
  info: TypeInfo,
  within?: AttributeDefinition,
): string | undefined {
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
