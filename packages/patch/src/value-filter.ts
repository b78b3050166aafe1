import type { AttributePath, Filter } from '@scimkit/filter';
import type { AttributeDefinition } from '@scimkit/schema';
import { subAttributeOf } from './schema-index.js';
import { isObject, readKey } from './values.js';

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

function compare(
  definition: AttributeDefinition,
  operator: string,
  actual: unknown,
  expected: unknown,
): boolean {
  if (actual === undefined || actual === null) return operator === 'ne' && expected !== null;
  if (typeof actual === 'string' && typeof expected === 'string') {
    let a = actual;
    let b = expected;
    if (definition.type === 'dateTime') {
      const left = Date.parse(a);
      const right = Date.parse(b);
      if (!Number.isNaN(left) && !Number.isNaN(right)) return compareOrdered(operator, left, right, a, b);
    }
    if (definition.caseExact !== true) {
      a = a.toLowerCase();
      b = b.toLowerCase();
    }
    return compareOrdered(operator, a, b, a, b);
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    return compareOrdered(operator, actual, expected, String(actual), String(expected));
  }
  if (typeof actual === 'boolean' && typeof expected === 'boolean') {
    if (operator === 'eq') return actual === expected;
    if (operator === 'ne') return actual !== expected;
    return false;
  }
  return operator === 'ne';
}

function compareOrdered<T extends string | number>(
  operator: string,
  a: T,
  b: T,
  textA: string,
  textB: string,
): boolean {
  switch (operator) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'co':
      return textA.includes(textB);
    case 'sw':
      return textA.startsWith(textB);
    case 'ew':
      return textA.endsWith(textB);
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}

function read(attribute: AttributeDefinition, definition: AttributeDefinition, element: unknown): unknown {
  if (attribute.type !== 'complex') return element;
  return isObject(element) ? readKey(element, definition.name) : undefined;
}

/**
 * Compiles the filter of a value path (`emails[type eq "work"]`) into a predicate over ONE value
 * of the multi-valued attribute. Paths are relative and resolved against the attribute's
 * sub-attributes (case-insensitive); unknown names throw {@link ValueFilterPathError}, so
 * `__proto__` and inherited names never reach a property read.
 */
export function compileValueFilter(attribute: AttributeDefinition, filter: Filter): ValuePredicate {
  switch (filter.kind) {
    case 'Comparison': {
      const definition = resolveRelative(attribute, filter.path);
      const { operator, value } = filter;
      if (
        (operator === 'gt' || operator === 'ge' || operator === 'lt' || operator === 'le') &&
        (definition.type === 'boolean' || definition.type === 'binary' || definition.type === 'complex')
      ) {
        throw new ValueFilterPathError(
          `"${operator}" cannot compare "${definition.name}" (${definition.type})`,
        );
      }
      return (element) => compare(definition, operator, read(attribute, definition, element), value);
    }
    case 'Present': {
      const definition = resolveRelative(attribute, filter.path);
      return (element) => {
        const value = read(attribute, definition, element);
        return (
          value !== undefined &&
          value !== null &&
          value !== '' &&
          !(Array.isArray(value) && value.length === 0)
        );
      };
    }
    case 'And': {
      const left = compileValueFilter(attribute, filter.left);
      const right = compileValueFilter(attribute, filter.right);
      return (element) => left(element) && right(element);
    }
    case 'Or': {
      const left = compileValueFilter(attribute, filter.left);
      const right = compileValueFilter(attribute, filter.right);
      return (element) => left(element) || right(element);
    }
    case 'Not': {
      const inner = compileValueFilter(attribute, filter.filter);
      return (element) => !inner(element);
    }
    case 'ValuePath':
      throw new ValueFilterPathError(`a value path cannot be nested inside "${attribute.name}[…]"`);
  }
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
