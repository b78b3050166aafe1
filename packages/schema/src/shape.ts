import type { AttributeDefinition, ResourceTypeDefinition } from './definition.js';
import {
  type AttributeReference,
  exactNames,
  type IndexedSchema,
  indexResourceType,
  type ResourceTypeIndex,
  resolveInIndex,
  subAttributeMap,
} from './lookup.js';
import { isObject, setOwn } from './objects.js';

/**
 * A list of attribute paths: the comma-separated text of the `attributes` /
 * `excludedAttributes` query parameters, an array of path strings (as in a SearchRequest), or
 * already-parsed paths such as the filter package's `AttributePath` nodes. Paths may name a
 * sub-attribute (`name.givenName`), be URN-qualified (`urn:…:enterprise:2.0:User:department`)
 * or name a whole extension (`urn:…:enterprise:2.0:User`).
 */
export type AttributeList = string | readonly (string | AttributeReference)[];

/** Options of {@link shapeResource} and {@link createResourceShaper}. */
export interface ShapeResourceOptions {
  /** The resource type the resource belongs to. */
  resourceType: ResourceTypeDefinition;
  /**
   * Return only these attributes (plus those with `returned: always`). Attributes with
   * `returned: request` come back only when named here.
   */
  attributes?: AttributeList;
  /** Leave these attributes out (`returned: always` attributes stay). */
  excludedAttributes?: AttributeList;
}

/** Which parts of one attribute a list names. */
interface Named {
  /** The whole attribute is named. */
  whole: boolean;
  /** Sub-attributes named one by one. */
  subs: Set<AttributeDefinition>;
}

/** A list of paths resolved against a resource type. */
interface Selection {
  /** Schemas named as a whole (`attributes=urn:…:enterprise:2.0:User`). */
  schemas: Set<IndexedSchema>;
  /** Attributes named, by definition. */
  attributes: Map<AttributeDefinition, Named>;
}

function parseList(list: AttributeList | undefined): (string | AttributeReference)[] {
  if (list === undefined) return [];
  if (typeof list === 'string') return list.split(',');
  return [...list];
}

/** The schema a path names as a whole (`urn:…:enterprise:2.0:User`), if it names one. */
function wholeSchemaOf(index: ResourceTypeIndex, path: AttributeReference): IndexedSchema | undefined {
  if (path.schema === undefined) return index.schemas.get(path.attribute.toLowerCase());
  if (path.attribute === '') return index.schemas.get(path.schema.toLowerCase());
  // A parsed whole URN splits at its last colon: `urn:…:enterprise:2.0` + `User`.
  if (index.schemas.has(path.schema.toLowerCase())) return undefined;
  return index.schemas.get(`${path.schema}:${path.attribute}`.toLowerCase());
}

function select(index: ResourceTypeIndex, list: AttributeList | undefined): Selection | undefined {
  const items = parseList(list);
  const selection: Selection = { schemas: new Set(), attributes: new Map() };
  let any = false;
  for (const item of items) {
    let reference: AttributeReference;
    if (typeof item === 'string') {
      const path = item.trim();
      if (!path) continue;
      reference = { attribute: path };
    } else {
      if (!item || typeof item.attribute !== 'string') continue;
      reference = item;
    }
    const whole = wholeSchemaOf(index, reference);
    if (whole) {
      selection.schemas.add(whole);
      any = true;
      continue;
    }
    // Unknown paths select nothing (RFC 7644 leaves them to the service provider; ignoring is safe).
    const found = resolveInIndex(index, reference);
    if (!found) continue;
    any = true;
    let named = selection.attributes.get(found.attribute);
    if (!named) {
      named = { whole: false, subs: new Set() };
      selection.attributes.set(found.attribute, named);
    }
    if (found.subAttribute) named.subs.add(found.subAttribute);
    else named.whole = true;
  }
  return any ? selection : undefined;
}

interface Plan {
  index: ResourceTypeIndex;
  include: Selection | undefined;
  exclude: Selection | undefined;
  /** Whether an `attributes` list was given at all (even one naming only unknown paths). */
  restricted: boolean;
}

/** Whether a (sub-)attribute is kept, given what names it and what excludes it. */
function kept(
  definition: AttributeDefinition,
  restricted: boolean,
  named: boolean,
  excluded: boolean,
): boolean {
  if (definition.returned === 'never') return false;
  if (definition.returned === 'always') return true;
  if (restricted) return named;
  if (excluded) return false;
  return definition.returned === 'default' || named;
}

function shapeComplex(
  definition: AttributeDefinition,
  value: Record<string, unknown>,
  restricted: boolean,
  include: Named | undefined,
  exclude: Named | undefined,
): Record<string, unknown> | undefined {
  const lookup = subAttributeMap(definition);
  const exact = exactNames(lookup);
  const out: Record<string, unknown> = {};
  let assigned = false;
  for (const key of Object.keys(value)) {
    const sub = exact.get(key) ?? lookup.get(key.toLowerCase());
    const subValue = value[key];
    if (subValue === undefined) continue;
    if (!sub) {
      // Not in the schema: follows its parent.
      if (restricted) continue;
      setOwn(out, key, subValue);
      assigned = true;
      continue;
    }
    const named = (include?.whole ?? false) || (include?.subs.has(sub) ?? false);
    const excluded = exclude?.subs.has(sub) ?? false;
    if (!kept(sub, restricted, named, excluded)) continue;
    setOwn(out, sub.name, subValue);
    assigned = true;
  }
  return assigned ? out : undefined;
}

function shapeAttribute(
  definition: AttributeDefinition,
  value: unknown,
  plan: Plan,
  schemaNamed: boolean,
  schemaExcluded: boolean,
): unknown {
  const include = plan.include?.attributes.get(definition);
  const exclude = plan.exclude?.attributes.get(definition);
  const named = schemaNamed || include !== undefined;
  const excluded = schemaExcluded || (exclude?.whole ?? false);
  if (!kept(definition, plan.restricted, named, excluded)) return undefined;
  if (definition.type !== 'complex' || !definition.subAttributes) return value;
  const wholeInclude: Named | undefined = schemaNamed ? { whole: true, subs: new Set() } : include;
  // An attribute kept because it is `returned: always` (or a whole schema asked for) keeps its default sub-attributes.
  const restricted = plan.restricted && wholeInclude !== undefined && !wholeInclude.whole;
  const shapeOne = (item: unknown): unknown =>
    isObject(item) ? shapeComplex(definition, item, restricted, wholeInclude, exclude) : item;
  if (Array.isArray(value)) {
    const items = value.map(shapeOne).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  return shapeOne(value);
}

function shapeContainer(
  entry: IndexedSchema,
  source: Record<string, unknown>,
  plan: Plan,
  target: Record<string, unknown>,
): boolean {
  const schemaNamed = plan.include?.schemas.has(entry) ?? false;
  const schemaExcluded = plan.exclude?.schemas.has(entry) ?? false;
  const exact = exactNames(entry.attributes);
  let assigned = false;
  for (const key of Object.keys(source)) {
    const definition = exact.get(key) ?? entry.attributes.get(key.toLowerCase());
    if (!definition) continue;
    const shaped = shapeAttribute(definition, source[key], plan, schemaNamed, schemaExcluded);
    if (shaped === undefined || shaped === null) continue;
    setOwn(target, definition.name, shaped);
    assigned = true;
  }
  return assigned;
}

function shapeWithPlan<T extends object>(resource: T, plan: Plan): T {
  const source = resource as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const { index } = plan;
  for (const key of Object.keys(source)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas') {
      out['schemas'] = source[key];
      continue;
    }
    if (index.core.attributes.has(lower)) continue;
    const extension = index.schemas.get(lower);
    if (extension && !extension.core) {
      const value = source[key];
      if (!isObject(value)) continue;
      const shaped: Record<string, unknown> = {};
      if (shapeContainer(extension, value, plan, shaped)) setOwn(out, extension.schema.id, shaped);
      continue;
    }
    // Attributes no schema of the resource type defines leave only when nothing restricts the response.
    if (!plan.restricted && !extension) {
      setOwn(out, key, source[key]);
    }
  }
  const core: Record<string, unknown> = {};
  shapeContainer(index.core, source, plan, core);
  // Core attributes first (`schemas`, then schema order of the resource as given), then extensions.
  const ordered: Record<string, unknown> = {};
  if (Object.hasOwn(out, 'schemas')) ordered['schemas'] = out['schemas'];
  for (const key of Object.keys(core)) setOwn(ordered, key, core[key]);
  for (const key of Object.keys(out)) if (key !== 'schemas') setOwn(ordered, key, out[key]);
  return ordered as T;
}

/**
 * Builds a reusable shaper for one resource type and one `attributes` / `excludedAttributes`
 * pair: the paths are resolved once, then every resource of a ListResponse is shaped with it.
 *
 * @example
 * ```ts
 * import { createResourceShaper, type Group, groupResourceType } from '@scimkit/schema';
 *
 * declare const resources: Group[];
 * const shape = createResourceShaper({ resourceType: groupResourceType, excludedAttributes: 'members' });
 * const page = resources.map(shape);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.5
 */
export function createResourceShaper(options: ShapeResourceOptions): <T extends object>(resource: T) => T {
  const index = indexResourceType(options.resourceType);
  const restricted = options.attributes !== undefined && parseList(options.attributes).some(nonEmpty);
  const plan: Plan = {
    index,
    include: select(index, options.attributes),
    exclude: select(index, options.excludedAttributes),
    restricted,
  };
  return <T extends object>(resource: T): T => shapeWithPlan(resource, plan);
}

function nonEmpty(item: string | AttributeReference): boolean {
  return typeof item === 'string' ? item.trim() !== '' : true;
}

/**
 * Shapes a resource for a response: attributes with `returned: never` (such as `password`)
 * are always removed, even when asked for; `returned: always` ones (`id`, `schemas`) always
 * stay; `returned: request` ones only when named in `attributes`. `attributes` keeps only the
 * named attributes, `excludedAttributes` drops the named ones; both take sub-attribute
 * (`name.givenName`) and URN-qualified paths, and whole extensions by URN. Names match
 * case-insensitively and come out in schema casing. The input is not modified.
 *
 * @example
 * ```ts
 * import { shapeResource, type User, userResourceType } from '@scimkit/schema';
 *
 * declare const user: User;
 * shapeResource(user, { resourceType: userResourceType, attributes: 'userName,name.givenName' });
 * // → { schemas: [...], id: '2819c223', userName: 'bjensen', name: { givenName: 'Barbara' } }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.5
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-7
 */
export function shapeResource<T extends object>(resource: T, options: ShapeResourceOptions): T {
  return createResourceShaper(options)(resource);
}

/**
 * Whether a response shaped with this projection can show the core attribute `name` (by the
 * same rules as {@link createResourceShaper}), so that a server or store knows whether it must
 * compute or read it at all (`User.groups`, a Group's `members` rows). `returned: always`
 * attributes always show and `never` ones never; a non-empty `attributes` list shows what it
 * names, by the attribute or any of its sub-attributes, or the whole core schema by its URN;
 * otherwise a `default` attribute shows unless `excludedAttributes` names it as a whole or the
 * whole core schema (excluding only sub-attributes still shows it), and a `request` one does not.
 *
 * @example
 * ```ts
 * import { parseAttributeList } from '@scimkit/filter';
 * import { groupResourceType } from '@scimkit/schema';
 * import { projectionShows } from '@scimkit/schema/internal';
 *
 * const excludedAttributes = parseAttributeList('members');
 * projectionShows(groupResourceType, 'members', { excludedAttributes }); // false
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.5
 * @internal
 */
export function projectionShows(
  resourceType: ResourceTypeDefinition,
  name: string,
  projection: {
    attributes?: readonly AttributeReference[] | undefined;
    excludedAttributes?: readonly AttributeReference[] | undefined;
  },
): boolean {
  const index = indexResourceType(resourceType);
  const definition = index.core.attributes.get(name.toLowerCase());
  if (!definition || definition.returned === 'never') return false;
  if (definition.returned === 'always') return true;
  const names = (path: AttributeReference, whole: boolean): boolean => {
    if (wholeSchemaOf(index, path) === index.core) return true;
    const found = resolveInIndex(index, path);
    return found?.attribute === definition && (!whole || found.subAttribute === undefined);
  };
  const { attributes, excludedAttributes } = projection;
  if (attributes && attributes.length > 0) return attributes.some((path) => names(path, false));
  if (definition.returned === 'request') return false;
  return excludedAttributes?.some((path) => names(path, true)) !== true;
}
