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
import { isObject, schemasFirst, setOwn } from './objects.js';

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
  /** The attribute rules of each schema under this plan, filled on first use. */
  rules: Map<IndexedSchema, SchemaRules>;
  /** Whether what shaping leaves as it is may be given back instead of copied (see {@link createSharingShaper}). */
  share: boolean;
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

/**
 * What a complex attribute's values keep under a plan: the sub-attribute rules of
 * `shapeComplex` worked out once per sub-attribute instead of once per value.
 */
interface ComplexRule {
  /** Sub-attributes by lower-cased name, and by their schema spelling. */
  lookup: ReadonlyMap<string, AttributeDefinition>;
  exact: ReadonlyMap<string, AttributeDefinition>;
  restricted: boolean;
  include: Named | undefined;
  exclude: Named | undefined;
  /** Output name of a sub-attribute by its schema spelling, or null when it is left out. */
  names: Map<string, string | null>;
  /** The plan's {@link Plan.share}. */
  share: boolean;
}

/** How one attribute leaves under a plan (its `returned` rule and the projection), worked out once. */
interface AttributeRule {
  /** The output key: the schema's spelling. */
  name: string;
  keep: boolean;
  /** How the values of a complex attribute with sub-attributes are shaped. */
  complex: ComplexRule | undefined;
}

/** The rules of one schema's attributes under a plan, by definition and by schema spelling. */
interface SchemaRules {
  entry: IndexedSchema;
  exact: ReadonlyMap<string, AttributeDefinition>;
  named: boolean;
  excluded: boolean;
  byDefinition: Map<AttributeDefinition, AttributeRule>;
  /** Only keys spelt as the schema spells them: a bounded cache whatever the stored keys are. */
  byName: Map<string, AttributeRule>;
}

function compileRule(definition: AttributeDefinition, plan: Plan, rules: SchemaRules): AttributeRule {
  const include = plan.include?.attributes.get(definition);
  const exclude = plan.exclude?.attributes.get(definition);
  const named = rules.named || include !== undefined;
  const excluded = rules.excluded || (exclude?.whole ?? false);
  const keep = kept(definition, plan.restricted, named, excluded);
  if (!keep || definition.type !== 'complex' || !definition.subAttributes)
    return { name: definition.name, keep, complex: undefined };
  const wholeInclude: Named | undefined = rules.named ? { whole: true, subs: new Set() } : include;
  // An attribute kept because it is `returned: always` (or a whole schema asked for) keeps its default sub-attributes.
  const restricted = plan.restricted && wholeInclude !== undefined && !wholeInclude.whole;
  const lookup = subAttributeMap(definition);
  const complex: ComplexRule = {
    lookup,
    exact: exactNames(lookup),
    restricted,
    include: wholeInclude,
    exclude,
    names: new Map(),
    share: plan.share,
  };
  return { name: definition.name, keep, complex };
}

function schemaRules(plan: Plan, entry: IndexedSchema): SchemaRules {
  let rules = plan.rules.get(entry);
  if (!rules) {
    rules = {
      entry,
      exact: exactNames(entry.attributes),
      named: plan.include?.schemas.has(entry) ?? false,
      excluded: plan.exclude?.schemas.has(entry) ?? false,
      byDefinition: new Map(),
      byName: new Map(),
    };
    plan.rules.set(entry, rules);
  }
  return rules;
}

/** The rule of the attribute `key` names in a schema (any casing), or undefined when it names none. */
function ruleOf(plan: Plan, rules: SchemaRules, key: string): AttributeRule | undefined {
  const cached = rules.byName.get(key);
  if (cached) return cached;
  const definition = rules.exact.get(key) ?? rules.entry.attributes.get(key.toLowerCase());
  if (!definition) return undefined;
  let rule = rules.byDefinition.get(definition);
  if (!rule) {
    rule = compileRule(definition, plan, rules);
    rules.byDefinition.set(definition, rule);
  }
  if (key === definition.name) rules.byName.set(key, rule);
  return rule;
}

/**
 * A new object with the keys `keys[from]` to `keys[end - 1]` of `source` and their values, as
 * they are: what a sharing shape kept unchanged before the first key that changes.
 */
function copyOfKeys(
  source: Record<string, unknown>,
  keys: readonly string[],
  from: number,
  end: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = from; i < end; i++) setOwn(out, keys[i]!, source[keys[i]!]);
  return out;
}

/** The output name of the sub-attribute `key` names, or null when it is left out. */
function subAttributeName(rule: ComplexRule, key: string): string | null {
  const cached = rule.names.get(key);
  if (cached !== undefined) return cached;
  const sub = rule.exact.get(key) ?? rule.lookup.get(key.toLowerCase());
  // Not in the schema: follows its parent.
  if (!sub) return rule.restricted ? null : key;
  const named = (rule.include?.whole ?? false) || (rule.include?.subs.has(sub) ?? false);
  const excluded = rule.exclude?.subs.has(sub) ?? false;
  const name = kept(sub, rule.restricted, named, excluded) ? sub.name : null;
  if (key === sub.name) rule.names.set(key, name);
  return name;
}

/**
 * A complex value as it leaves (undefined when nothing is left). When sharing, the value itself
 * is given back if every key stays as it is; the copy starts at the first key that does not.
 */
function shapeComplex(
  rule: ComplexRule,
  value: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const keys = Object.keys(value);
  let out: Record<string, unknown> | undefined = rule.share ? undefined : {};
  let assigned = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const subValue = value[key];
    const name = subValue === undefined ? null : subAttributeName(rule, key);
    if (out === undefined) {
      if (name === key) {
        assigned = true;
        continue;
      }
      // Everything before this key stays as it is.
      out = copyOfKeys(value, keys, 0, i);
    }
    if (name === null) continue;
    setOwn(out, name, subValue);
    assigned = true;
  }
  if (!assigned) return undefined;
  return out ?? value;
}

/**
 * An attribute's value as it leaves (undefined: left out). When sharing, an array whose values
 * all stay as they are is given back itself.
 */
function shapeValue(rule: AttributeRule, value: unknown): unknown {
  const { complex } = rule;
  if (complex === undefined) return value;
  if (Array.isArray(value)) {
    let items: unknown[] | undefined = complex.share ? undefined : [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const shaped = isObject(item) ? shapeComplex(complex, item) : item;
      if (items === undefined) {
        if (shaped === item && item !== undefined) continue;
        items = value.slice(0, i);
      }
      if (shaped !== undefined) items.push(shaped);
    }
    if (items === undefined) return value.length > 0 ? value : undefined;
    return items.length > 0 ? items : undefined;
  }
  return isObject(value) ? shapeComplex(complex, value) : value;
}

/**
 * The attributes of one schema found in `source` (an extension object, or the core attributes
 * of a resource whose keys are out of order), shaped; undefined when none is left. When
 * sharing, `source` itself when every key stays as it is; the copy starts at the first that
 * does not.
 */
function shapeAttributes(
  plan: Plan,
  rules: SchemaRules,
  source: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const keys = Object.keys(source);
  let out: Record<string, unknown> | undefined = plan.share ? undefined : {};
  let assigned = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = source[key];
    const rule = ruleOf(plan, rules, key);
    const shaped = rule?.keep ? shapeValue(rule, value) : undefined;
    const kept = shaped !== undefined && shaped !== null;
    if (out === undefined) {
      if (kept && rule!.name === key && shaped === value) {
        assigned = true;
        continue;
      }
      out = copyOfKeys(source, keys, 0, i);
    }
    if (!kept) continue;
    setOwn(out, rule!.name, shaped);
    assigned = true;
  }
  if (!assigned) return undefined;
  return out ?? source;
}

/**
 * A top-level key that is neither `schemas` nor a core attribute: a shaped extension (under its
 * URN as the schema spells it), or an attribute no schema defines (kept only when nothing
 * restricts the response). Undefined when it is left out.
 */
function shapeOther(plan: Plan, key: string, value: unknown): { name: string; value: unknown } | undefined {
  const extension = plan.index.schemas.get(key.toLowerCase());
  if (!extension) return plan.restricted ? undefined : { name: key, value };
  if (extension.core || !isObject(value)) return undefined;
  const shaped = shapeAttributes(plan, schemaRules(plan, extension), value);
  return shaped && { name: extension.schema.id, value: shaped };
}

function isSchemasKey(key: string): boolean {
  return key === 'schemas' || key.toLowerCase() === 'schemas';
}

function shapeWithPlan<T extends object>(resource: T, plan: Plan): T {
  const source = resource as Record<string, unknown>;
  const keys = Object.keys(source);
  const core = schemaRules(plan, plan.index.core);
  // `schemas` first, then the attributes in the order of the resource as given. When `schemas`
  // comes first (as in every stored resource), one pass writes the output in that order; else
  // the attributes are sorted into it afterwards.
  if (keys.length === 0 || !isSchemasKey(keys[0]!) || core.entry.attributes.has('schemas'))
    return shapeUnordered(source, keys, plan, core) as T;
  let schemas = source[keys[0]!];
  // When sharing, nothing is built while every key stays as it is: the copy starts at the first
  // key that does not, with the keys before it as they are.
  let shaped: Record<string, unknown> | undefined = plan.share && keys[0] === 'schemas' ? undefined : {};
  let count = 0;
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    const value = source[key];
    const rule = ruleOf(plan, core, key);
    let name: string | undefined;
    let output: unknown;
    if (rule !== undefined) {
      output = rule.keep ? shapeValue(rule, value) : undefined;
      if (output !== undefined && output !== null) name = rule.name;
    } else if (isSchemasKey(key)) {
      // A second `schemas` key (other casing): its value, in the first one's place.
      schemas = value;
    } else {
      const other = shapeOther(plan, key, value);
      if (other) ({ name, value: output } = other);
    }
    if (shaped === undefined) {
      if (name === key && output === value) continue;
      shaped = copyOfKeys(source, keys, 1, i);
      count = i - 1;
    }
    if (name === undefined) continue;
    setOwn(shaped, name, output);
    count++;
  }
  if (shaped === undefined) return resource;
  return schemasFirst(schemas, shaped, count, undefined) as T;
}

/** {@link shapeWithPlan} for a resource whose first key is not `schemas`. */
function shapeUnordered(
  source: Record<string, unknown>,
  keys: readonly string[],
  plan: Plan,
  core: SchemaRules,
): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of keys) if (isSchemasKey(key)) ordered['schemas'] = source[key];
  for (const key of keys) {
    if (isSchemasKey(key)) continue;
    const rule = ruleOf(plan, core, key);
    if (rule !== undefined) {
      const shaped = rule.keep ? shapeValue(rule, source[key]) : undefined;
      if (shaped !== undefined && shaped !== null) setOwn(ordered, rule.name, shaped);
      continue;
    }
    const other = shapeOther(plan, key, source[key]);
    if (other) setOwn(ordered, other.name, other.value);
  }
  return ordered;
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
  return shaperFor(options, false);
}

/**
 * {@link createResourceShaper} whose output shares what shaping leaves as it is: the resource
 * itself when nothing is dropped, renamed or moved (a stored resource in the default view), else
 * a copy that shares the unchanged values. For callers that never write into the output and
 * whose input is not written afterwards (a server's response, made from a resource the store
 * handed over); it saves the copy of every key and value.
 * @internal
 */
export function createSharingShaper(options: ShapeResourceOptions): <T extends object>(resource: T) => T {
  return shaperFor(options, true);
}

function shaperFor(options: ShapeResourceOptions, share: boolean): <T extends object>(resource: T) => T {
  const index = indexResourceType(options.resourceType);
  const restricted = options.attributes !== undefined && parseList(options.attributes).some(nonEmpty);
  const plan: Plan = {
    index,
    include: select(index, options.attributes),
    exclude: select(index, options.excludedAttributes),
    restricted,
    rules: new Map(),
    share,
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
