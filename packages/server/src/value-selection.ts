/**
 * Value filters in `attributes` (`attributes=emails[type eq "work"]`), outside RFC 7644's
 * grammar but sent by some clients: the lenient dialect accepts them and the response carries
 * the attribute with only the values that match.
 */
import { type AttributePath, type ParseOptions, parsePath, type ValuePathFilter } from '@scimkit/filter';
import { compiledFilter, type TypeInfo } from './internal/type-info.js';

/** One `attr[filter]` of an `attributes` list. */
export interface ValueSelection {
  /** The attribute path as the projection shows it (`emails`, or `emails.value`). */
  path: AttributePath;
  /** `attr[filter]` as a filter that one value, wrapped as a resource, must match. */
  filter: ValuePathFilter;
}

/**
 * Splits an `attributes` list at the commas outside brackets and quoted strings:
 * `emails[type eq "a,b"],userName` is two items.
 */
export function splitAttributeList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '[') depth++;
    else if (char === ']') depth--;
    else if (char === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items;
}

/**
 * Reads the `attr[filter]` items of an `attributes` list: the plain paths they stand for (for
 * the projection) and the selections to apply. Items without brackets are left to the caller.
 */
export function parseValueSelection(item: string, options: ParseOptions): ValueSelection {
  const parsed = parsePath(item.trim(), options);
  const { attribute, schema } = parsed.path;
  const path: AttributePath = {
    kind: 'AttributePath',
    ...(schema !== undefined ? { schema } : {}),
    attribute,
    ...(parsed.subAttribute !== undefined ? { subAttribute: parsed.subAttribute } : {}),
  };
  const filter: ValuePathFilter = {
    kind: 'ValuePath',
    path: { kind: 'AttributePath', ...(schema !== undefined ? { schema } : {}), attribute },
    filter: parsed.valueFilter!,
  };
  return { path, filter };
}

/** Case-insensitive own key lookup. */
function keyOf(object: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
}

/** `resource` with each selected multi-valued attribute keeping only the values its filter matches. */
export function selectValues(
  resource: Record<string, unknown>,
  info: TypeInfo,
  selections: readonly ValueSelection[],
): Record<string, unknown> {
  let output = resource;
  for (const { filter } of selections) {
    const { schema, attribute } = filter.path;
    const inExtension = schema !== undefined && schema.toLowerCase() !== info.schemaUrn.toLowerCase();
    const holderKey = inExtension ? keyOf(output, schema) : undefined;
    const holder = inExtension ? holderKey && (output[holderKey] as Record<string, unknown>) : output;
    if (!holder || typeof holder !== 'object') continue;
    const key = keyOf(holder, attribute);
    const values = key === undefined ? undefined : holder[key];
    if (!Array.isArray(values) || key === undefined) continue;
    const matches = compiledFilter(filter, info);
    const wrap = (value: unknown) =>
      inExtension ? { [holderKey!]: { [key]: [value] } } : { [key]: [value] };
    const kept = values.filter((value) => matches(wrap(value)));
    const nextHolder = { ...holder };
    if (kept.length > 0) nextHolder[key] = kept;
    else delete nextHolder[key];
    output = inExtension ? { ...output, [holderKey!]: nextHolder } : nextHolder;
  }
  return output;
}
