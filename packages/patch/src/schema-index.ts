import type { AttributeDefinition, ResourceTypeDefinition } from '@scimkit/schema';
import {
  type IndexedSchema,
  indexResourceType,
  type ResourceTypeIndex,
  splitQualifiedName,
  subAttributeMap,
} from '@scimkit/schema/internal';

/** One schema of a resource type: the core schema or an extension (`core: false`). */
export type SchemaEntry = IndexedSchema;

/** Lookup tables of a resource type, built once per definition object by `@scimkit/schema`. */
export type TypeIndex = ResourceTypeIndex;

/** The resource type of the previous call and its tables (a server patches one type after another). */
let lastType: ResourceTypeDefinition | undefined;
let lastIndex: TypeIndex | undefined;

/**
 * The (cached) lookup tables of a resource type: the previous call's without a lookup, else
 * through `@scimkit/schema`'s WeakMap.
 */
export function indexType(resourceType: ResourceTypeDefinition): TypeIndex {
  if (resourceType === lastType && lastIndex) return lastIndex;
  const index = indexResourceType(resourceType);
  lastType = resourceType;
  lastIndex = index;
  return index;
}

/**
 * Per lower-cased lookup map: the same definitions keyed by their schema spelling, so the usual
 * case (IdPs send schema casing) needs no `toLowerCase`. Only schema names are keys (never input).
 */
const exactMaps = new WeakMap<ReadonlyMap<string, AttributeDefinition>, Map<string, AttributeDefinition>>();

/** The previous lookup's maps: consecutive lookups (keys of one value, one schema) share them. */
let lastByLower: ReadonlyMap<string, AttributeDefinition> | undefined;
let lastExact: Map<string, AttributeDefinition> | undefined;

function exactMap(byLower: ReadonlyMap<string, AttributeDefinition>): Map<string, AttributeDefinition> {
  if (byLower === lastByLower && lastExact) return lastExact;
  let exact = exactMaps.get(byLower);
  if (!exact) {
    exact = new Map();
    // Only the definition a lower-cased lookup would return, under its own spelling.
    for (const [lower, definition] of byLower)
      if (definition.name.toLowerCase() === lower && !/[.:]/.test(definition.name))
        exact.set(definition.name, definition);
    exactMaps.set(byLower, exact);
  }
  lastByLower = byLower;
  lastExact = exact;
  return exact;
}

/** A top-level attribute of `entry` by name (case-insensitive; `id`, `externalId`, `meta` in the core schema). */
export function attributeOf(entry: SchemaEntry, name: string): AttributeDefinition | undefined {
  const exact = exactMap(entry.attributes).get(name);
  if (exact) return exact;
  if (name.includes('.') || name.includes(':')) return undefined;
  return entry.attributes.get(name.toLowerCase());
}

/** The sub-attribute lookups of a complex attribute, and the facts the engine asks of it often. */
interface SubAttributes {
  exact: ReadonlyMap<string, AttributeDefinition>;
  byLower: ReadonlyMap<string, AttributeDefinition>;
  value: AttributeDefinition | undefined;
  primary: boolean;
  /** Whether a sub-attribute is readOnly or immutable (only those need checks when merged). */
  guarded: boolean;
  /** The definitions {@link subAttributesNamed} gave for the last keys of values. */
  named: RecentAnswers<readonly (AttributeDefinition | undefined)[]>;
}

/** One lookup per attribute (instead of one per map): sub-attributes are read on every value. */
const subAttributeCache = new WeakMap<AttributeDefinition, SubAttributes>();

/**
 * The previous two lookups' attributes and tables: a request usually alternates between two
 * complex attributes at most (such as `name` and `emails` of a profile update).
 */
let lastAttribute: AttributeDefinition | undefined;
let lastSubs: SubAttributes | undefined;
let previousAttribute: AttributeDefinition | undefined;
let previousSubs: SubAttributes | undefined;

function subAttributesOf(attribute: AttributeDefinition): SubAttributes {
  if (attribute === lastAttribute && lastSubs) return lastSubs;
  let subs = attribute === previousAttribute ? previousSubs : undefined;
  previousAttribute = lastAttribute;
  previousSubs = lastSubs;
  subs ??= subAttributeCache.get(attribute);
  if (!subs) {
    const byLower = subAttributeMap(attribute);
    const exact = exactMap(byLower);
    subs = {
      exact,
      byLower,
      value: byLower.get('value'),
      primary: byLower.get('primary')?.type === 'boolean',
      guarded: (attribute.subAttributes ?? []).some(
        (sub) => sub.mutability === 'readOnly' || sub.mutability === 'immutable',
      ),
      named: new RecentAnswers(),
    };
    subAttributeCache.set(attribute, subs);
  }
  lastAttribute = attribute;
  lastSubs = subs;
  return subs;
}

/** A sub-attribute of a complex attribute by name (case-insensitive), never an inherited property. */
export function subAttributeOf(
  attribute: AttributeDefinition,
  name: string,
): AttributeDefinition | undefined {
  const subs = subAttributesOf(attribute);
  return subs.exact.get(name) ?? subs.byLower.get(name.toLowerCase());
}

/**
 * The sub-attributes of a complex attribute named by `keys` (the keys of one of its values), in
 * their order, each as {@link subAttributeOf} finds it; remembered for the attribute's last two
 * lists of keys (see {@link RecentAnswers}).
 */
export function subAttributesNamed(
  attribute: AttributeDefinition,
  keys: readonly string[],
): readonly (AttributeDefinition | undefined)[] {
  const subs = subAttributesOf(attribute);
  const known = subs.named.find(attribute, keys);
  if (known) return known;
  const named = keys.map((key) => subs.exact.get(key) ?? subs.byLower.get(key.toLowerCase()));
  return subs.named.remember(attribute, keys, named);
}

/**
 * Answers about lists of keys (of a value or of a path-less value) and what they were asked
 * for (a schema, an attribute), remembered for the last two lists: IdPs send the values of an
 * attribute with the same keys every time, and a server alternates between a few request
 * shapes. Comparing the key strings (interned by V8) costs less than a map lookup per key.
 */
export class RecentAnswers<T> {
  private owner: object | undefined;
  private keys: readonly string[] = [];
  private answer: T | undefined;
  private olderOwner: object | undefined;
  private olderKeys: readonly string[] = [];
  private olderAnswer: T | undefined;

  /** The answer remembered for these keys of `owner`, if any. */
  find(owner: object, keys: readonly string[]): T | undefined {
    if (owner === this.owner && sameKeys(this.keys, keys)) return this.answer;
    if (owner !== this.olderOwner || !sameKeys(this.olderKeys, keys)) return undefined;
    return this.remember(owner, keys, this.olderAnswer as T);
  }

  /** Remembers `answer` for these keys of `owner` (the older answer goes), and returns it. */
  remember(owner: object, keys: readonly string[], answer: T): T {
    this.olderOwner = this.owner;
    this.olderKeys = this.keys;
    this.olderAnswer = this.answer;
    this.owner = owner;
    this.keys = keys;
    this.answer = answer;
    return answer;
  }
}

/** Whether two lists of keys are the same strings in the same order. */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Splits `urn:…:User:manager.value` into the schema it names and the rest (`manager.value`);
 * the rest is empty when the text is the URN itself. The longest known URN wins, so colons in
 * filter values or in versioned URNs never mis-split. Undefined when no known URN is a prefix.
 */
export function splitUrn(index: TypeIndex, text: string): { entry: SchemaEntry; rest: string } | undefined {
  const whole = index.schemas.get(text.toLowerCase());
  return whole ? { entry: whole, rest: '' } : splitQualifiedName(index, text);
}

/** The sub-attribute named `value` of a complex attribute, if it has one. */
export function valueSubAttribute(attribute: AttributeDefinition): AttributeDefinition | undefined {
  return attribute.type === 'complex' ? subAttributesOf(attribute).value : undefined;
}

/** Whether a multi-valued complex attribute has a `primary` sub-attribute. */
export function hasPrimary(attribute: AttributeDefinition): boolean {
  return attribute.type === 'complex' && subAttributesOf(attribute).primary;
}

/** Whether a complex attribute has a readOnly or immutable sub-attribute. */
export function hasGuardedSubAttributes(attribute: AttributeDefinition): boolean {
  return attribute.type === 'complex' && subAttributesOf(attribute).guarded;
}

/** The name of an attribute in errors and deltas: `urn:…:User:department` for extension attributes. */
export function attributeLabel(entry: SchemaEntry, attribute: AttributeDefinition): string {
  return entry.core ? attribute.name : `${entry.schema.id}:${attribute.name}`;
}
