import type { AttributePath, ComparisonFilter, Filter } from '@scimkit/filter';
import type { AttributeDefinition } from '@scimkit/schema';
import { scimError } from './http.js';
import { own, resolvePath, type TypeInfo } from './type-info.js';

/** A compiled filter: whether a resource (or one value of a multi-valued attribute) matches. */
export type Matcher = (value: Record<string, unknown>) => boolean;

interface Scope {
  info: TypeInfo;
  /** Inside a value path: the multi-valued complex attribute whose sub-attributes paths name. */
  within?: AttributeDefinition;
  /** Unknown attributes match nothing instead of failing (root `/.search` across types). */
  lenientUnknown: boolean;
}

/**
 * Compiles a filter AST against a resource type (RFC 7644 section 3.4.2.2): string compares
 * honour `caseExact`, dateTimes compare chronologically, multi-valued attributes match when
 * any value does, a complex multi-valued attribute without sub-attribute compares `value`.
 */
export function compileMatcher(
  filter: Filter,
  info: TypeInfo,
  options: { lenientUnknown?: boolean } = {},
): Matcher {
  return compile(filter, { info, lenientUnknown: options.lenientUnknown === true });
}

function compile(filter: Filter, scope: Scope): Matcher {
  switch (filter.kind) {
    case 'And': {
      const left = compile(filter.left, scope);
      const right = compile(filter.right, scope);
      return (value) => left(value) && right(value);
    }
    case 'Or': {
      const left = compile(filter.left, scope);
      const right = compile(filter.right, scope);
      return (value) => left(value) || right(value);
    }
    case 'Not': {
      const inner = compile(filter.filter, scope);
      return (value) => !inner(value);
    }
    case 'ValuePath': {
      const target = locate(filter.path, scope);
      if (!target) return () => false;
      const inner = compile(filter.filter, { ...scope, within: target.attribute });
      return (value) => {
        const holder = target.extension ? own(value, target.extension) : value;
        const attribute = own(holder, target.attribute.name);
        const list = Array.isArray(attribute) ? attribute : attribute === undefined ? [] : [attribute];
        return list.some(
          (item) => typeof item === 'object' && item !== null && inner(item as Record<string, unknown>),
        );
      };
    }
    case 'Present': {
      const read = reader(filter.path, scope);
      if (!read) return () => false;
      return (value) =>
        read
          .values(value)
          .some((v) => v !== '' && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0));
    }
    case 'Comparison':
      return comparison(filter, scope);
  }
}

interface Located {
  extension?: string;
  attribute: AttributeDefinition;
  sub?: AttributeDefinition;
}

function locate(path: AttributePath, scope: Scope): Located | undefined {
  if (scope.within) {
    const name = path.attribute.toLowerCase();
    const attribute = scope.within.subAttributes?.find((s) => s.name.toLowerCase() === name);
    if (!attribute) return unknown(path, scope);
    return { attribute };
  }
  const resolved = resolvePath(scope.info, path);
  if (!resolved) return unknown(path, scope);
  return {
    attribute: resolved.attribute,
    ...(resolved.extension ? { extension: resolved.extension } : {}),
    ...(resolved.subAttribute ? { sub: resolved.subAttribute } : {}),
  };
}

function unknown(path: AttributePath, scope: Scope): undefined {
  if (scope.lenientUnknown) return undefined;
  const name =
    [path.schema, path.attribute].filter(Boolean).join(':') +
    (path.subAttribute ? `.${path.subAttribute}` : '');
  throw scimError(
    400,
    `The filter names "${name}", which ${scope.info.name} resources do not have.`,
    'invalidFilter',
  );
}

/** The definition compared (sub-attribute, `value` of complex multi-valued, or the attribute) and a value reader. */
function reader(
  path: AttributePath,
  scope: Scope,
): { definition: AttributeDefinition; values: (value: Record<string, unknown>) => unknown[] } | undefined {
  const located = locate(path, scope);
  if (!located) return undefined;
  const { attribute, sub, extension } = located;
  const subName = sub?.name ?? (attribute.type === 'complex' ? 'value' : undefined);
  const definition =
    sub ??
    (attribute.type === 'complex'
      ? (attribute.subAttributes?.find((s) => s.name === 'value') ?? attribute)
      : attribute);
  return {
    definition,
    values: (value) => {
      const holder = extension ? own(value, extension) : value;
      const raw = own(holder, attribute.name);
      if (raw === undefined || raw === null) return [];
      const list = Array.isArray(raw) ? raw : [raw];
      if (subName === undefined) return list;
      const out: unknown[] = [];
      for (const item of list) {
        const v = own(item, subName);
        if (v === undefined || v === null) continue;
        if (Array.isArray(v)) out.push(...v);
        else out.push(v);
      }
      return out;
    },
  };
}

function comparison(filter: ComparisonFilter, scope: Scope): Matcher {
  const read = reader(filter.path, scope);
  if (!read) return () => false;
  const { definition } = read;
  const operator = filter.operator;
  const expected = filter.value;
  if (
    (definition.type === 'boolean' || definition.type === 'binary') &&
    ['gt', 'ge', 'lt', 'le'].includes(operator)
  ) {
    throw scimError(
      400,
      `The operator "${operator}" cannot compare ${definition.type} attributes.`,
      'invalidFilter',
    );
  }
  if (definition.type === 'complex') {
    throw scimError(
      400,
      'A filter cannot compare a complex attribute without naming a sub-attribute.',
      'invalidFilter',
    );
  }
  const test = predicate(operator, expected, definition);
  if (operator === 'ne') {
    const eq = predicate('eq', expected, definition);
    return (value) => !read.values(value).some(eq);
  }
  return (value) => read.values(value).some(test);
}

function predicate(
  operator: ComparisonFilter['operator'],
  expected: ComparisonFilter['value'],
  definition: AttributeDefinition,
): (actual: unknown) => boolean {
  if (expected === null) {
    if (operator === 'eq') return () => false;
    return () => false;
  }
  const type = definition.type;
  if (type === 'dateTime' && typeof expected === 'string') {
    const time = Date.parse(expected);
    if (Number.isNaN(time)) {
      throw scimError(400, `"${expected}" is not a dateTime the filter can compare.`, 'invalidFilter');
    }
    return (actual) => {
      if (typeof actual !== 'string') return false;
      const t = Date.parse(actual);
      if (Number.isNaN(t)) return false;
      return order(operator, t - time);
    };
  }
  if (typeof expected === 'string') {
    const exact = definition.caseExact === true;
    const e = exact ? expected : expected.toLowerCase();
    return (actual) => {
      if (typeof actual !== 'string') {
        if (typeof actual === 'boolean' || typeof actual === 'number') return String(actual) === e;
        return false;
      }
      const a = exact ? actual : actual.toLowerCase();
      switch (operator) {
        case 'eq':
          return a === e;
        case 'co':
          return a.includes(e);
        case 'sw':
          return a.startsWith(e);
        case 'ew':
          return a.endsWith(e);
        default:
          return order(operator, a < e ? -1 : a > e ? 1 : 0);
      }
    };
  }
  if (typeof expected === 'boolean') {
    return (actual) => {
      const a = typeof actual === 'string' ? actual.toLowerCase() === 'true' : actual;
      return operator === 'eq' && a === expected;
    };
  }
  return (actual) => {
    const a = typeof actual === 'string' ? Number(actual) : actual;
    if (typeof a !== 'number' || Number.isNaN(a)) return false;
    if (operator === 'co' || operator === 'sw' || operator === 'ew')
      return String(a).includes(String(expected));
    return order(operator, a - expected);
  };
}

function order(operator: ComparisonFilter['operator'], difference: number): boolean {
  switch (operator) {
    case 'eq':
      return difference === 0;
    case 'gt':
      return difference > 0;
    case 'ge':
      return difference >= 0;
    case 'lt':
      return difference < 0;
    case 'le':
      return difference <= 0;
    default:
      return false;
  }
}

/**
 * Prunes a filter for one resource type (root `/.search`): comparisons on attributes the type
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
      try {
        compileMatcher(filter, info);
        return filter;
      } catch {
        return false;
      }
  }
}
