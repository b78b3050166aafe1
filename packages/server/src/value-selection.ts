/**
 * Value filters in `attributes` (`attributes=emails[type eq "work"]`), outside RFC 7644's
 * grammar but sent by some clients: the lenient dialect accepts them and the response carries
 * the attribute with only the values that match.
 */
import {
  type AttributePath,
  compileFilter,
  FilterSyntaxError,
  isFilterSyntaxError,
  type ParseOptions,
  parsePath,
} from '@scimkit/filter';
import type { TypeInfo } from './internal/type-info.js';

/** One `attr[filter]` of an `attributes` list. */
export interface ValueSelection {
  /** The attribute path as the projection shows it (`emails`, or `emails.value`). */
  path: AttributePath;
  /** `attr[filter]` as filter text, which one value, wrapped as a resource, must match. */
  filter: string;
  /** The whole `attributes` text, and where {@link ValueSelection.filter} starts in it (for errors). */
  input: string;
  start: number;
  /** The options it was parsed with. */
  options: ParseOptions;
}

/** One item of an attributes list and where it starts in the list's text. */
export interface AttributeListItem {
  text: string;
  start: number;
}

/**
 * Splits an `attributes` list at the commas outside brackets and quoted strings:
 * `emails[type eq "a,b"],userName` is two items.
 */
export function splitAttributeList(text: string): AttributeListItem[] {
  const items: AttributeListItem[] = [];
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
      items.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
  }
  items.push({ text: text.slice(start), start });
  return items;
}

/**
 * `error` (about `text` inside `input`, where `text` starts at `start`) as an error about
 * `input`: the position a client sees is the one in what it sent.
 */
export function relocated(error: unknown, input: string, start: number): unknown {
  if (!isFilterSyntaxError(error) || !(error instanceof FilterSyntaxError)) return error;
  return new FilterSyntaxError({
    input,
    position: start + error.position,
    expected: error.expected,
    found: error.found,
    scimType: error.scimType,
    reason: error.reason,
  });
}

/**
 * Reads one `attr[filter]` item of an `attributes` list (`input`, in which the item starts at
 * `start`): the plain path it stands for (for the projection) and the selection to apply.
 * Errors give their position in `input`.
 */
export function parseValueSelection(
  item: AttributeListItem,
  input: string,
  options: ParseOptions,
): ValueSelection {
  const text = item.text.trim();
  const start = item.start + item.text.indexOf(text);
  let parsed: ReturnType<typeof parsePath>;
  try {
    parsed = parsePath(text, options);
  } catch (error) {
    throw relocated(error, input, start);
  }
  const { attribute, schema } = parsed.path;
  const path: AttributePath = {
    kind: 'AttributePath',
    ...(schema !== undefined ? { schema } : {}),
    attribute,
    ...(parsed.subAttribute !== undefined ? { subAttribute: parsed.subAttribute } : {}),
  };
  // `emails[type eq "work"].value` selects with the filter `emails[type eq "work"]`.
  const filter = text.slice(0, text.lastIndexOf(']') + 1);
  return { path, filter, input, start, options };
}

type Matcher = ReturnType<typeof compileFilter>;
const matchers = new WeakMap<ValueSelection, WeakMap<TypeInfo, Matcher>>();

/**
 * The selection's filter compiled against the resource type's schemas (cached per selection and
 * type); a filter the schemas refuse (`emails[primary gt true]`) throws with its position in the
 * `attributes` text.
 */
export function selectionMatcher(selection: ValueSelection, info: TypeInfo): Matcher {
  let byType = matchers.get(selection);
  if (!byType) {
    byType = new WeakMap();
    matchers.set(selection, byType);
  }
  let matcher = byType.get(info);
  if (!matcher) {
    try {
      matcher = compileFilter(selection.filter, {
        ...selection.options,
        schemas: info.schemas,
        resourceSchema: info.schemaUrn,
      });
    } catch (error) {
      throw relocated(error, selection.input, selection.start);
    }
    byType.set(info, matcher);
  }
  return matcher;
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
  for (const selection of selections) {
    const { schema, attribute } = selection.path;
    const inExtension = schema !== undefined && schema.toLowerCase() !== info.schemaUrn.toLowerCase();
    const holderKey = inExtension ? keyOf(output, schema) : undefined;
    const holder = inExtension ? holderKey && (output[holderKey] as Record<string, unknown>) : output;
    if (!holder || typeof holder !== 'object') continue;
    const key = keyOf(holder, attribute);
    const values = key === undefined ? undefined : holder[key];
    if (!Array.isArray(values) || key === undefined) continue;
    const matches = selectionMatcher(selection, info);
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
