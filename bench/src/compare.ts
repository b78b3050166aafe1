/** JSON equality helpers used to check that libraries compute the same thing (untimed). */

/** A JSON copy without `meta` (libraries differ on bookkeeping, not on the patch). */
export function normalise(value: unknown): unknown {
  const json = JSON.parse(JSON.stringify(value)) as unknown;
  if (json && typeof json === 'object' && !Array.isArray(json)) delete (json as Record<string, unknown>).meta;
  return sortKeys(json);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Top-level attributes whose values differ between two resources (after {@link normalise}). */
export function differingAttributes(a: unknown, b: unknown): string[] {
  const x = normalise(a) as Record<string, unknown>;
  const y = normalise(b) as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k])).sort();
}
