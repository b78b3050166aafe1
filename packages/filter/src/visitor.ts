/**
 * Walking and rewriting filter ASTs without recursion (an explicit stack), so trees of any
 * depth are safe.
 */
import type {
  AndFilter,
  ComparisonFilter,
  Filter,
  NotFilter,
  OrFilter,
  PresentFilter,
  ValuePathFilter,
} from './ast.js';

/**
 * Callbacks of {@link visitFilter}. `enter` and the per-kind callbacks run before a node's
 * children (return `false` from `enter` to skip them), `leave` after them. `parent` is the
 * enclosing filter node, undefined for the root.
 */
export interface FilterVisitor {
  /** Called before a node's children; returning `false` skips them (and the per-kind callback still runs). */
  enter?(node: Filter, parent: Filter | undefined): undefined | boolean;
  /** Called after a node's children. */
  leave?(node: Filter, parent: Filter | undefined): void;
  /** Called for every `attrPath op value`. */
  Comparison?(node: ComparisonFilter, parent: Filter | undefined): void;
  /** Called for every `attrPath pr`. */
  Present?(node: PresentFilter, parent: Filter | undefined): void;
  /** Called for every `and`. */
  And?(node: AndFilter, parent: Filter | undefined): void;
  /** Called for every `or`. */
  Or?(node: OrFilter, parent: Filter | undefined): void;
  /** Called for every `not (…)`. */
  Not?(node: NotFilter, parent: Filter | undefined): void;
  /** Called for every `attribute[…]`. */
  ValuePath?(node: ValuePathFilter, parent: Filter | undefined): void;
}

function children(node: Filter): Filter[] {
  switch (node.kind) {
    case 'And':
    case 'Or':
      return [node.left, node.right];
    case 'Not':
    case 'ValuePath':
      return [node.filter];
    default:
      return [];
  }
}

/**
 * Visits every node of a filter depth-first, left to right.
 *
 * @example
 * ```ts
 * import { parseFilter, visitFilter } from '@scimkit/filter';
 *
 * const attributes: string[] = [];
 * visitFilter(parseFilter('userName eq "a" or emails[type eq "work"]'), {
 *   Comparison: (node) => attributes.push(node.path.attribute),
 * });
 * // attributes: ['userName', 'type']
 * ```
 */
export function visitFilter(filter: Filter, visitor: FilterVisitor): void {
  type Frame = { node: Filter; parent: Filter | undefined; left: boolean };
  const stack: Frame[] = [{ node: filter, parent: undefined, left: false }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { node, parent } = frame;
    if (frame.left) {
      visitor.leave?.(node, parent);
      continue;
    }
    const descend = visitor.enter?.(node, parent) !== false;
    const callback = visitor[node.kind] as ((node: Filter, parent: Filter | undefined) => void) | undefined;
    callback?.(node, parent);
    frame.left = true;
    stack.push(frame);
    if (!descend) continue;
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, parent: node, left: false });
  }
}

/**
 * Rewrites a filter bottom-up: `fn` sees each node after its children were rewritten and
 * returns a replacement, or `undefined` to keep the node. Unchanged subtrees keep their
 * identity; the input is never mutated.
 *
 * @example
 * ```ts
 * import { parseFilter, transformFilter } from '@scimkit/filter';
 *
 * // Qualify every top-level attribute with the core User schema URN.
 * const rewritten = transformFilter(parseFilter('userName eq "a"'), (node) =>
 *   node.kind === 'Comparison' ? { ...node, path: { ...node.path, schema: 'urn:ietf:params:scim:schemas:core:2.0:User' } } : undefined,
 * );
 * ```
 */
export function transformFilter(filter: Filter, fn: (node: Filter) => Filter | undefined): Filter {
  const work: Filter[] = [filter];
  const expanded: boolean[] = [false];
  const results: Filter[] = [];
  while (work.length > 0) {
    const top = work.length - 1;
    const node = work[top]!;
    if (!expanded[top]) {
      expanded[top] = true;
      const kids = children(node);
      for (let i = kids.length - 1; i >= 0; i--) {
        work.push(kids[i]!);
        expanded.push(false);
      }
      continue;
    }
    work.pop();
    expanded.pop();
    let rebuilt: Filter = node;
    switch (node.kind) {
      case 'And':
      case 'Or': {
        const right = results.pop()!;
        const left = results.pop()!;
        if (left !== node.left || right !== node.right) rebuilt = { ...node, left, right };
        break;
      }
      case 'Not':
      case 'ValuePath': {
        const inner = results.pop()!;
        if (inner !== node.filter) rebuilt = { ...node, filter: inner };
        break;
      }
    }
    results.push(fn(rebuilt) ?? rebuilt);
  }
  return results[0]!;
}
