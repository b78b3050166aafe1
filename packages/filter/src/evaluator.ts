/**
 * Compiles a filter once into a tree of closures that test resources. Attribute names,
 * schema characteristics, lower-cased filter values and dateTime values are resolved at
 * compile time; at run time only resource values are read and compared.
 */
import type { AttributePath, ComparisonFilter, ComparisonOperator, Filter, FilterValue } from './ast.js';
import { booleanTest, dateTimeTest, numberTest, stringTest } from './comparisons.js';
import { parseDateTime, parsed } from './date-time.js';
import { FilterSyntaxError } from './errors.js';
import type { ParseOptions } from './options.js';
import { parseFilter } from './parser.js';
import { formatFilter } from './printer.js';
import {
  anyLeaf,
  anySub,
  isPresent,
  isRecord,
  keyReader,
  type Read,
  scanKeys,
  type Test,
  twoStepPredicate,
} from './readers.js';
import {
  comparesAsDateTime,
  type FilterAttributeDefinition,
  type FilterSchemaDefinition,
  indexAttributes,
  indexSchemas,
} from './schema-index.js';

/** Options of {@link compileFilter}. */
export interface CompileOptions extends ParseOptions {
  /**
   * The resource's schema and its extensions. With them, names resolve to their
   * characteristics (type, `caseExact`, multi-valued, sub-attributes) and unknown attributes
   * never match. Without them, types are inferred from the values: strings compare
   * case-insensitively and dateTime strings as plain strings. The lists are indexed once and
   * the index reused while the same list holds the same schemas (an attribute list that grows
   * is indexed again): pass new lists rather than rewriting the elements of one.
   */
  schemas?: readonly FilterSchemaDefinition[];
  /** The URN of the core schema, in which unqualified names resolve. @defaultValue the `id` of the first of `schemas` */
  resourceSchema?: string;
}

/** A compiled filter: whether a resource matches. */
export type FilterPredicate = (resource: unknown) => boolean;

/** How to reach a path's values: the attribute's value, then (optionally) a sub-attribute of each value. */
type Resolved =
  | {
      read: Read;
      sub: Read | undefined;
      definition: FilterAttributeDefinition | undefined;
      /** The key to read straight from the (object) resource, when no container or inherited name is involved. */
      direct: string | undefined;
      /** The keys (container, attribute, sub-attribute) as spelled, when none is an inherited name. */
      keys: { container: string | undefined; attribute: string; sub: string | undefined } | undefined;
    }
  | undefined;

interface Scope {
  /** Attributes by lower-case name, or undefined when there are no schemas. */
  attributes: Map<string, FilterAttributeDefinition> | undefined;
  /** Whether this is a value path's inside (relative paths). */
  relative: boolean;
}

const NEVER: FilterPredicate = () => false;
const ALWAYS: FilterPredicate = () => true;

class Compiler {
  /** The filter as text (for error messages), or its AST until an error needs the text. */
  private source: string | Filter;
  private readonly positions: boolean;
  private readonly lenient: boolean;
  private readonly core: string | undefined;
  private readonly schemas: Map<string, { id: string; attributes: Map<string, FilterAttributeDefinition> }>;
  private readonly hasSchemas: boolean;
  private readonly coreAttributes: Map<string, FilterAttributeDefinition> | undefined;

  constructor(source: string | Filter, options: CompileOptions) {
    this.source = source;
    this.positions = typeof source === 'string';
    this.lenient = options.lenient === true;
    const list = options.schemas ?? [];
    this.hasSchemas = list.length > 0;
    this.core = (options.resourceSchema ?? list[0]?.id)?.toLowerCase();
    const index = indexSchemas(list, this.core);
    this.schemas = index.schemas;
    this.coreAttributes = index.coreAttributes;
  }

  /** The filter's text: as given, or printed from the AST (only ever needed for an error). */
  private get input(): string {
    if (typeof this.source !== 'string') this.source = formatFilter(this.source);
    return this.source;
  }

  compile(filter: Filter, scope: Scope): FilterPredicate {
    switch (filter.kind) {
      case 'And':
      case 'Or':
        return this.chain(filter, scope);
      case 'Not': {
        const inner = this.compile(filter.filter, scope);
        if (inner === NEVER) return ALWAYS;
        if (inner === ALWAYS) return NEVER;
        return (resource) => !inner(resource);
      }
      case 'Present': {
        const resolved = this.resolve(filter.path, scope);
        if (resolved === undefined) return NEVER;
        return this.present(resolved);
      }
      case 'Comparison':
        return this.comparison(filter, scope);
      case 'ValuePath': {
        const resolved = this.resolve(filter.path, scope);
        if (resolved === undefined) return NEVER;
        const definition = resolved.definition;
        let inner: FilterPredicate;
        if (definition === undefined) {
          inner = this.compile(filter.filter, { attributes: undefined, relative: true });
        } else if (definition.type === 'complex') {
          inner = this.compile(filter.filter, {
            attributes: indexAttributes(definition.subAttributes ?? []),
            relative: true,
          });
        } else {
          return NEVER;
        }
        if (inner === NEVER) return NEVER;
        const read = resolved.read;
        return (resource) => {
          const value = read(resource);
          if (Array.isArray(value)) {
            for (let i = 0; i < value.length; i++) {
              const item: unknown = value[i];
              if (typeof item === 'object' && item !== null && inner(item)) return true;
            }
            return false;
          }
          return isRecord(value) && inner(value);
        };
      }
    }
  }

  /** `and` / `or` chains, flattened in a loop so long chains do not recurse per term. */
  private chain(filter: Filter & { kind: 'And' | 'Or' }, scope: Scope): FilterPredicate {
    const kind = filter.kind;
    const operands: Filter[] = [];
    const stack: Filter[] = [filter];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.kind === kind) {
        stack.push((node as typeof filter).right, (node as typeof filter).left);
      } else {
        operands.push(node);
      }
    }
    const isAnd = kind === 'And';
    const compiled: FilterPredicate[] = [];
    for (const operand of operands) {
      const predicate = this.compile(operand, scope);
      if (predicate === (isAnd ? NEVER : ALWAYS)) return predicate;
      if (predicate !== (isAnd ? ALWAYS : NEVER)) compiled.push(predicate);
    }
    if (compiled.length === 0) return isAnd ? ALWAYS : NEVER;
    if (compiled.length === 1) return compiled[0]!;
    if (compiled.length === 2) {
      const [a, b] = compiled as [FilterPredicate, FilterPredicate];
      return isAnd ? (resource) => a(resource) && b(resource) : (resource) => a(resource) || b(resource);
    }
    if (isAnd) {
      return (resource) => {
        for (const predicate of compiled) if (!predicate(resource)) return false;
        return true;
      };
    }
    return (resource) => {
      for (const predicate of compiled) if (predicate(resource)) return true;
      return false;
    };
  }

  run(filter: Filter): FilterPredicate {
    return this.compile(filter, { attributes: this.coreAttributes, relative: false });
  }

  /** Whether the path has a non-empty value. */
  private present(resolved: NonNullable<Resolved>): FilterPredicate {
    const { read, sub, direct } = resolved;
    if (sub === undefined && direct !== undefined) {
      const lower = direct.toLowerCase();
      return (resource) => {
        const value = (resource as Record<string, unknown>)[direct];
        return isPresent(value === undefined ? scanKeys(resource as Record<string, unknown>, lower) : value);
      };
    }
    if (sub === undefined) return (resource) => isPresent(read(resource));
    return (resource) => anySub(read(resource), sub, false, isPresent);
  }

  /** Resolves a path to a reader of its values and the definition of what is read. */
  private resolve(path: AttributePath, scope: Scope): Resolved {
    let definition: FilterAttributeDefinition | undefined;
    let container: Read | undefined;
    let containerKey: string | undefined;
    const attribute = path.attribute;
    if (scope.relative) {
      if (scope.attributes !== undefined) {
        definition = scope.attributes.get(attribute.toLowerCase());
        if (definition === undefined) return undefined;
      }
    } else if (this.hasSchemas) {
      const lowerName = attribute.toLowerCase();
      if (path.schema !== undefined) {
        const lowerSchema = path.schema.toLowerCase();
        if (lowerSchema === this.core) {
          definition = this.coreAttributes!.get(lowerName);
        } else {
          const extension = this.schemas.get(lowerSchema);
          if (extension === undefined) return undefined;
          definition = extension.attributes.get(lowerName);
          container = keyReader(extension.id);
          containerKey = extension.id;
        }
      } else {
        definition = this.coreAttributes!.get(lowerName);
        if (definition === undefined) {
          // An unqualified name found in exactly one extension resolves there.
          for (const [id, extension] of this.schemas) {
            // Other resources' core schemas (Group next to User) are not extensions.
            if (id === this.core || id.startsWith('urn:ietf:params:scim:schemas:core:')) continue;
            const found = extension.attributes.get(lowerName);
            if (found === undefined) continue;
            if (definition !== undefined) return undefined;
            definition = found;
            container = keyReader(extension.id);
            containerKey = extension.id;
          }
        }
      }
      if (definition === undefined) return undefined;
    } else if (path.schema !== undefined) {
      const lowerSchema = path.schema.toLowerCase();
      const isCore =
        this.core === undefined
          ? lowerSchema.startsWith('urn:ietf:params:scim:schemas:core:')
          : lowerSchema === this.core;
      if (!isCore) {
        container = keyReader(path.schema);
        containerKey = path.schema;
      }
    }
    const key = definition?.name ?? attribute;
    const own = keyReader(key);
    const read: Read = container === undefined ? own : (resource) => own(container(resource));
    const direct = container === undefined && !(key in Object.prototype) ? key : undefined;
    const plain =
      !(key in Object.prototype) && (containerKey === undefined || !(containerKey in Object.prototype));
    if (path.subAttribute === undefined) {
      const keys = plain ? { container: containerKey, attribute: key, sub: undefined } : undefined;
      return { read, sub: undefined, definition, direct, keys };
    }

    let subDefinition: FilterAttributeDefinition | undefined;
    if (definition !== undefined) {
      if (definition.type !== 'complex') return undefined;
      subDefinition = definition.subAttributes?.find(
        (candidate) => candidate.name.toLowerCase() === path.subAttribute!.toLowerCase(),
      );
      if (subDefinition === undefined) return undefined;
    }
    const subKey = subDefinition?.name ?? path.subAttribute;
    return {
      read,
      sub: keyReader(subKey),
      definition: subDefinition,
      direct,
      keys:
        plain && !(subKey in Object.prototype)
          ? { container: containerKey, attribute: key, sub: subKey }
          : undefined,
    };
  }

  private error(position: number, found: string, expected: string): FilterSyntaxError {
    return new FilterSyntaxError({ input: this.input, position, found, expected, scimType: 'invalidFilter' });
  }

  /** Offset of the operator of a comparison parsed from the input (0 without positions). */
  private operatorPosition(filter: ComparisonFilter): number {
    const end = filter.path.loc?.end;
    if (end === undefined || !this.positions) return 0;
    let position = end;
    while (position < this.input.length && this.input.charCodeAt(position) <= 0x20) position++;
    return position;
  }

  private valuePosition(filter: ComparisonFilter): number {
    const operator = this.operatorPosition(filter);
    if (filter.loc === undefined || !this.positions) return 0;
    let position = operator + 2;
    while (position < this.input.length && this.input.charCodeAt(position) <= 0x20) position++;
    return position;
  }

  private comparison(filter: ComparisonFilter, scope: Scope): FilterPredicate {
    const { operator, value } = filter;
    const ordering = operator === 'gt' || operator === 'ge' || operator === 'lt' || operator === 'le';
    if (ordering && (value === null || typeof value === 'boolean')) {
      throw this.error(
        this.valuePosition(filter),
        String(value),
        `a string, number or dateTime value for "${operator}"`,
      );
    }
    const resolved = this.resolve(filter.path, scope);
    if (resolved === undefined) return NEVER;
    let definition = resolved.definition;
    const { read, sub, direct, keys } = resolved;
    let complexValue = false;
    if (definition !== undefined && definition.type === 'complex') {
      // A complex attribute compared without a sub-attribute compares its "value".
      const valueDefinition = definition.subAttributes?.find(
        (candidate) => candidate.name.toLowerCase() === 'value',
      );
      if (valueDefinition === undefined) return NEVER;
      definition = valueDefinition;
      complexValue = true;
    }
    const type = definition?.type;
    if (ordering && (type === 'boolean' || type === 'binary')) {
      throw this.error(
        this.operatorPosition(filter),
        JSON.stringify(operator),
        `eq, ne, co, sw, ew or pr for the ${type} attribute "${formatAttributePathShort(filter.path)}"`,
      );
    }
    if (value === null) {
      const present = this.present(resolved);
      if (operator === 'eq') return (resource) => !present(resource);
      if (operator === 'ne') return present;
      return NEVER;
    }
    const test = this.scalarTest(filter, operator, value, type, definition?.caseExact === true);
    if (test === undefined) return NEVER;
    // Without a definition a complex value is recognised at run time.
    const unwrap = complexValue || definition === undefined;
    if (keys !== undefined && (keys.container !== undefined || keys.sub !== undefined)) {
      return twoStepPredicate(keys, unwrap, test);
    }
    if (sub !== undefined) return (resource) => anySub(read(resource), sub, unwrap, test);
    if (unwrap) return (resource) => anyLeaf(read(resource), true, test);
    if (direct !== undefined) {
      // The hot path: a plain key of the resource object (predicates only ever receive objects).
      const lower = direct.toLowerCase();
      if (
        operator === 'eq' &&
        typeof value === 'string' &&
        (type === undefined || type === 'string' || type === 'reference')
      ) {
        // The most common filter (userName eq "…"), with the comparison inlined.
        const expected = value;
        const expectedLower = value.toLowerCase();
        const caseExact = definition?.caseExact === true;
        return (resource) => {
          let found = (resource as Record<string, unknown>)[direct];
          if (found === undefined) found = scanKeys(resource as Record<string, unknown>, lower);
          if (typeof found === 'string') {
            return found === expected || (!caseExact && found.toLowerCase() === expectedLower);
          }
          return Array.isArray(found) && anyLeaf(found, false, test);
        };
      }
      if (operator === 'eq' && typeof value !== 'string' && !(this.lenient && typeof value === 'boolean')) {
        // Numbers and booleans: identity, or any item of a list.
        const expected = value;
        return (resource) => {
          let found = (resource as Record<string, unknown>)[direct];
          if (found === undefined) found = scanKeys(resource as Record<string, unknown>, lower);
          return found === expected || (Array.isArray(found) && anyLeaf(found, false, test));
        };
      }
      return (resource) => {
        let found = (resource as Record<string, unknown>)[direct];
        if (found === undefined) found = scanKeys(resource as Record<string, unknown>, lower);
        return Array.isArray(found) ? anyLeaf(found, false, test) : test(found);
      };
    }
    return (resource) => {
      const value = read(resource);
      return Array.isArray(value) ? anyLeaf(value, false, test) : test(value);
    };
  }

  /** A test of one attribute value, or undefined when nothing can match. */
  private scalarTest(
    filter: ComparisonFilter,
    operator: ComparisonOperator,
    value: Exclude<FilterValue, null>,
    type: FilterAttributeDefinition['type'] | undefined,
    caseExact: boolean,
  ): Test | undefined {
    if (typeof value === 'string' && comparesAsDateTime(type, operator)) {
      if (!parseDateTime(value)) {
        throw this.error(
          this.valuePosition(filter),
          JSON.stringify(value),
          'a dateTime value such as "2011-05-13T04:42:34Z"',
        );
      }
      return dateTimeTest(operator, parsed.seconds, parsed.nanos);
    }
    if (typeof value === 'string') {
      if (
        type !== undefined &&
        type !== 'string' &&
        type !== 'reference' &&
        type !== 'binary' &&
        type !== 'dateTime'
      ) {
        return undefined;
      }
      return stringTest(operator, value, caseExact || type === 'binary');
    }
    if (typeof value === 'number') {
      if (type !== undefined && type !== 'integer' && type !== 'decimal') return undefined;
      return numberTest(operator, value);
    }
    if (type !== undefined && type !== 'boolean') return undefined;
    return booleanTest(operator, value, this.lenient);
  }
}

function formatAttributePathShort(path: AttributePath): string {
  return path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
}

/**
 * Compiles a filter (text or AST) once into a predicate over resources. Attribute names and
 * schema URNs match case-insensitively (resources may use any casing); strings compare
 * case-insensitively unless the definition says `caseExact`; dateTime values compare
 * chronologically (offsets and fractional seconds to the nanosecond); numbers numerically.
 * A multi-valued attribute matches if any value matches; a complex attribute compared
 * without a sub-attribute compares its `value`; a value path's conditions must hold within
 * one value. `pr` is false for null, `""`, `[]` and `{}`. `eq null` matches an absent
 * attribute and `ne null` a present one; `ne` otherwise needs a value that differs.
 * With `schemas`, unknown attributes never match.
 *
 * @throws {@link FilterSyntaxError} (`invalidFilter`) for malformed text, `gt`/`ge`/`lt`/`le`
 * on a boolean or binary attribute or with a boolean or null value, and a malformed dateTime
 * compared with a dateTime attribute.
 * @example
 * ```ts
 * import { compileFilter } from '@scimkit/filter';
 * import { type User, userDefinition } from '@scimkit/schema';
 *
 * declare const users: User[];
 * const matches = compileFilter('emails[type eq "work" and value ew "@example.com"]', { schemas: [userDefinition] });
 * const found = users.filter(matches);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function compileFilter(filter: string | Filter, options: CompileOptions = {}): FilterPredicate {
  const ast = typeof filter === 'string' ? parseFilter(filter, options) : filter;
  const predicate = new Compiler(filter, options).run(ast);
  return (resource) => isRecord(resource) && predicate(resource);
}
