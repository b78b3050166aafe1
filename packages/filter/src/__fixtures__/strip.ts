/** A deep copy of an AST without `loc` properties (keeps `-0`, unlike a JSON round trip). */
export function strip<T>(node: T): T {
  if (Array.isArray(node)) return node.map(strip) as T;
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'loc') copy[key] = strip(value);
  return copy as T;
}
