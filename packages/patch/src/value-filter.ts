import {
  type AttributePath,
  compileFilter,
  type Filter,
  type FilterSchemaDefinition,
  isFilterSyntaxError,
} from '@scimkit/filter';
import type { AttributeDefinition } from '@scimkit/schema';
import { subAttributeOf } from './schema-index.js';

/** A predicate over one value of a multi-valued attribute. */
export type ValuePredicate = (element: unknown) => boolean;

/** Thrown by {@link compileValueFilter} for a path it cannot resolve; the caller adds the operation context. */
export class ValueFilterPathError extends Error {}

/** The sub-attribute a relative path inside `attribute[…]` names, or a {@link ValueFilterPathError}. */
function resolveRelative(attribute: AttributeDefinition, path: AttributePath): AttributeDefinition {
  if (path.schema !== undefined) {
    throw new ValueFilterPathError(
      `"${path.schema}:${path.attribute}" must be relative inside "${attribute.name}[…]"`,
    );
  }
  if (attribute.type !== 'complex') {
    if (path.attribute.toLowerCase() === 'value' && path.subAttribute === undefined) return attribute;
    throw new ValueFilterPathError(`"${attribute.name}" has simple values: only "value" can be filtered on`);
  }
  const sub = subAttributeOf(attribute, path.attribute);
  if (!sub)
    throw new ValueFilterPathError(`unknown sub-attribute "${path.attribute}" of "${attribute.name}"`);
  if (path.subAttribute !== undefined) {
    throw new ValueFilterPathError(
      `"${attribute.name}.${sub.name}" has no sub-attribute "${path.subAttribute}"`,
    );
  }
  return sub;
}

/** Checks every path of a value filter against the attribute's sub-attributes. */
function validate(attribute: AttributeDefinition, filter: Filter): void {
  const pending: Filter[] = [filter];
  while (pending.length > 0) {
    const node = pending.pop() as Filter;
    switch (node.kind) {
      case 'And':
      case 'Or':
        pending.push(node.left, node.right);
        break;
      case 'Not':
        pending.push(node.filter);
        break;
      case 'ValuePath':
        throw new ValueFilterPathError(`a value path cannot be nested inside "${attribute.name}[…]"`);
      default:
        resolveRelative(attribute, node.path);
    }
  }
}

const SYNTHETIC_SCHEMA = 'urn:scimkit:patch:value';
const syntheticSchemas = new WeakMap<AttributeDefinition, FilterSchemaDefinition>();

/** One value of the attribute as a resource of its own: its sub-attributes (or `value`) at the top. */
function syntheticSchema(attribute: AttributeDefinition): FilterSchemaDefinition {
  let schema = syntheticSchemas.get(attribute);
  if (!schema) {
    const attributes =
      attribute.type === 'complex'
        ? (attribute.subAttributes ?? [])
        : [{ ...attribute, name: 'value', multiValued: false }];
    schema = { id: SYNTHETIC_SCHEMA, attributes };
    syntheticSchemas.set(attribute, schema);
  }
  return schema;
}

/**
 * Compiles the filter of a value path (`emails[type eq "work"]`) into a predicate over ONE value
 * of the multi-valued attribute, with `compileFilter` of `@scimkit/filter` run against a schema
 * made of the attribute's sub-attributes (so `caseExact`, dateTime and number comparisons follow
 * the schema). Paths are relative and checked first: unknown names throw
 * {@link ValueFilterPathError}, so `__proto__` and inherited names never reach a property read.
 */
export function compileValueFilter(attribute: AttributeDefinition, filter: Filter): ValuePredicate {
  validate(attribute, filter);
  let predicate: ValuePredicate;
  try {
    predicate = compileFilter(filter, {
      schemas: [syntheticSchema(attribute)],
      resourceSchema: SYNTHETIC_SCHEMA,
    });
  } catch (error) {
    if (isFilterSyntaxError(error)) throw new ValueFilterPathError(error.message);
    throw error;
  }
  if (attribute.type === 'complex') return predicate;
  return (element) => predicate({ value: element });
}

/**
 * The string compared by a filter of the form `value eq "<string>"`, for an index lookup instead
 * of a scan (Entra removes members one `members[value eq "<id>"]` at a time); else undefined.
 */
export function valueEqualityKey(filter: Filter): string | undefined {
  if (filter.kind !== 'Comparison' || filter.operator !== 'eq' || typeof filter.value !== 'string')
    return undefined;
  if (filter.path.schema !== undefined || filter.path.subAttribute !== undefined) return undefined;
  if (filter.path.attribute.toLowerCase() !== 'value') return undefined;
  return filter.value;
}

/**
 * The value an `add` creates when its filter matches nothing: the filter's equality conditions
 * (`type eq "work" and primary eq true` gives `{ type: 'work', primary: true }`). Undefined when
 * the filter has any other shape.
 */
export function valueFromFilter(
  attribute: AttributeDefinition,
  filter: Filter,
): Record<string, unknown> | undefined {
  if (attribute.type !== 'complex') return undefined;
  const result: Record<string, unknown> = {};
  const pending: Filter[] = [filter];
  while (pending.length > 0) {
    const node = pending.pop() as Filter;
    if (node.kind === 'And') {
      pending.push(node.right, node.left);
      continue;
    }
    if (node.kind !== 'Comparison' || node.operator !== 'eq' || node.value === null) return undefined;
    const definition = resolveRelative(attribute, node.path);
    if (definition.type === 'complex' || definition.multiValued) return undefined;
    if (Object.hasOwn(result, definition.name) && result[definition.name] !== node.value) return undefined;
    result[definition.name] = node.value;
  }
  return result;
}
