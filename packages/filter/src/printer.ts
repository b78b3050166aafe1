/**
 * Prints ASTs back to canonical text: lower-case keywords and operators, single spaces,
 * JSON values and the fewest parentheses that keep the tree's shape, so that
 * `parseFilter(formatFilter(ast))` gives `ast` back (without `loc`).
 */
import type { AttributePath, Filter, FilterValue, PatchPath } from './ast.js';

/**
 * Prints an attribute path: `[schema ":"] attribute ["." subAttribute]`.
 *
 * @example
 * ```ts
 * import { formatAttributePath } from '@scimkit/filter';
 *
 * formatAttributePath({ kind: 'AttributePath', attribute: 'name', subAttribute: 'givenName' }); // 'name.givenName'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.10
 */
export function formatAttributePath(path: AttributePath): string {
  let text = path.schema === undefined ? path.attribute : `${path.schema}:${path.attribute}`;
  if (path.subAttribute !== undefined) text += `.${path.subAttribute}`;
  return text;
}

/** Prints a filter value as JSON (`-0` keeps its sign). */
export function formatValue(value: FilterValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`A filter value must be a finite number, got ${value}`);
    return Object.is(value, -0) ? '-0' : String(value);
  }
  return JSON.stringify(value);
}

// Precedence: or < and < everything else.
function precedence(filter: Filter): number {
  return filter.kind === 'Or' ? 1 : filter.kind === 'And' ? 2 : 3;
}

function print(filter: Filter): string {
  switch (filter.kind) {
    case 'Comparison':
      return `${formatAttributePath(filter.path)} ${filter.operator} ${formatValue(filter.value)}`;
    case 'Present':
      return `${formatAttributePath(filter.path)} pr`;
    case 'Not':
      return `not (${print(filter.filter)})`;
    case 'ValuePath':
      return `${formatAttributePath(filter.path)}[${print(filter.filter)}]`;
    case 'And':
    case 'Or':
      return printChain(filter);
  }
}

/**
 * Prints a left-leaning chain of one binary kind in a loop, so long `a and b and c …` chains
 * do not recurse once per term.
 */
function printChain(filter: Filter & { kind: 'And' | 'Or' }): string {
  const kind = filter.kind;
  const own = kind === 'Or' ? 1 : 2;
  const rights: Filter[] = [];
  let node: Filter = filter;
  while (node.kind === kind) {
    rights.push((node as typeof filter).right);
    node = (node as typeof filter).left;
  }
  // The leftmost operand needs parentheses only if it binds more loosely.
  let text = precedence(node) < own ? `(${print(node)})` : print(node);
  const keyword = kind === 'Or' ? ' or ' : ' and ';
  for (let i = rights.length - 1; i >= 0; i--) {
    const right = rights[i]!;
    // A right operand of the same kind (or looser) needs parentheses to keep the tree's shape.
    text += keyword + (precedence(right) <= own ? `(${print(right)})` : print(right));
  }
  return text;
}

/**
 * Prints a filter as canonical text with the fewest parentheses: `and` binds tighter than
 * `or`, chains lean left, keywords are lower case and values are JSON. Printing is
 * idempotent and `parseFilter(formatFilter(ast))` equals `ast` apart from `loc`.
 *
 * @throws TypeError for a non-finite number value (`NaN`, `Infinity`), which JSON cannot write.
 * @example
 * ```ts
 * import { formatFilter, parseFilter } from '@scimkit/filter';
 *
 * formatFilter(parseFilter('(userName EQ "x") AND (title pr OR active eq true)'));
 * // 'userName eq "x" and (title pr or active eq true)'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2
 */
export function formatFilter(filter: Filter): string {
  return print(filter);
}

/**
 * Prints a PATCH path: `attrPath` or `attribute[filter]["." subAttribute]`.
 *
 * @example
 * ```ts
 * import { formatPath, parsePath } from '@scimkit/filter';
 *
 * formatPath(parsePath('emails[type EQ "work"].value')); // 'emails[type eq "work"].value'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2
 */
export function formatPath(path: PatchPath): string {
  if (path.valueFilter === undefined) return formatAttributePath(path.path);
  let text = `${formatAttributePath(path.path)}[${print(path.valueFilter)}]`;
  if (path.subAttribute !== undefined) text += `.${path.subAttribute}`;
  return text;
}
