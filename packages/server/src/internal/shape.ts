import type { AttributePath } from '@scimkit/filter';
import type { AttributeDefinition } from '@scimkit/schema';
import type { TypeInfo } from './type-info.js';

/** A parsed projection: `attributes` / `excludedAttributes` (RFC 7644 section 3.4.2.5). */
export interface Projection {
  attributes?: readonly AttributePath[];
  excludedAttributes?: readonly AttributePath[];
}

/** `urn-lower|name-lower` → sub-attribute names (lower-cased), or `true` for the whole attribute. */
type Selection = Map<string, Set<string> | true>;

function selection(info: TypeInfo, paths: readonly AttributePath[] | undefined): Selection | undefined {
  if (!paths || paths.length === 0) return undefined;
  const core = info.schemaUrn.toLowerCase();
  const selected: Selection = new Map();
  for (const path of paths) {
    let urn = path.schema?.toLowerCase() ?? '';
    const attribute = path.attribute.toLowerCase();
    let sub = path.subAttribute?.toLowerCase();
    if (urn === core) urn = '';
    // `attributes=urn:…:enterprise:2.0:User` names a whole extension.
    if (urn === '' && path.schema === undefined && info.schemaByUrn.has(`${attribute}`)) {
      selected.set(`${attribute}|`, true);
      continue;
    }
    if (urn !== '' && !info.schemaByUrn.has(urn)) {
      // `urn:…:User:name` parsed with the schema swallowing the attribute: try the full text.
      const full = `${urn}:${attribute}`;
      if (info.schemaByUrn.has(full)) {
        selected.set(`${full}|`, true);
        continue;
      }
    }
    const key = `${urn}|${attribute}`;
    if (sub === undefined) {
      selected.set(key, true);
    } else {
      const existing = selected.get(key);
      if (existing === true) continue;
      const set = existing ?? new Set<string>();
      set.add(sub);
      selected.set(key, set);
      sub = undefined;
    }
  }
  return selected;
}

/**
 * Applies `returned` rules and the projection to a resource about to leave the server:
 * `never` attributes never appear, `always` ones always do, `request` ones only when asked for,
 * `default` ones unless excluded (or, with `attributes`, only when asked for).
 * Compiled lookups come from {@link TypeInfo}, so nothing is built per request but the selection.
 */
export function projectResource(
  info: TypeInfo,
  resource: Record<string, unknown>,
  projection: Projection,
): Record<string, unknown> {
  const include = selection(info, projection.attributes);
  const exclude = include ? undefined : selection(info, projection.excludedAttributes);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(resource)) {
    const value = resource[key];
    if (key === 'schemas') {
      out.schemas = value;
      continue;
    }
    const lower = key.toLowerCase();
    const definition = info.coreAttributes.get(lower);
    if (definition) {
      const kept = keep(
        definition,
        value,
        include?.get(`|${lower}`),
        exclude?.get(`|${lower}`),
        include !== undefined,
      );
      if (kept !== undefined) out[key] = kept;
      continue;
    }
    const extension = info.extensionAttributes.get(lower);
    if (!extension || typeof value !== 'object' || value === null) continue;
    const whole = include?.get(`${lower}|`);
    if (exclude?.get(`${lower}|`) === true) continue;
    const inner: Record<string, unknown> = {};
    let any = false;
    for (const name of Object.keys(value)) {
      const attribute = extension.get(name.toLowerCase());
      if (!attribute) continue;
      const id = `${lower}|${name.toLowerCase()}`;
      const kept = keep(
        attribute,
        (value as Record<string, unknown>)[name],
        whole === true ? true : include?.get(id),
        exclude?.get(id),
        include !== undefined,
      );
      if (kept !== undefined) {
        inner[name] = kept;
        any = true;
      }
    }
    if (any) out[key] = inner;
  }
  return out;
}

function keep(
  definition: AttributeDefinition,
  value: unknown,
  included: Set<string> | true | undefined,
  excluded: Set<string> | true | undefined,
  hasInclude: boolean,
): unknown {
  switch (definition.returned) {
    case 'never':
      return undefined;
    case 'always':
      return subAttributes(definition, value, undefined, undefined);
    case 'request':
      if (included === undefined) return undefined;
      return subAttributes(definition, value, included === true ? undefined : included, undefined);
    default:
      if (hasInclude) {
        if (included === undefined) return undefined;
        return subAttributes(definition, value, included === true ? undefined : included, undefined);
      }
      if (excluded === true) return undefined;
      return subAttributes(definition, value, undefined, excluded);
  }
}

/** Filters the sub-attributes of a complex value (or each value of a multi-valued one). */
function subAttributes(
  definition: AttributeDefinition,
  value: unknown,
  only: Set<string> | undefined,
  without: Set<string> | undefined,
): unknown {
  const subs = definition.subAttributes;
  if (definition.type !== 'complex' || !subs) return value;
  const needsWork =
    only !== undefined ||
    without !== undefined ||
    subs.some((s) => s.returned === 'never' || s.returned === 'request');
  if (!needsWork) return value;
  const one = (item: unknown) => {
    if (typeof item !== 'object' || item === null) return item;
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(item)) {
      const lower = name.toLowerCase();
      const sub = subs.find((s) => s.name.toLowerCase() === lower);
      if (!sub || sub.returned === 'never') continue;
      if (sub.returned !== 'always') {
        if (only !== undefined && !only.has(lower)) continue;
        if (sub.returned === 'request' && (only === undefined || !only.has(lower))) continue;
        if (without?.has(lower)) continue;
      }
      out[name] = (item as Record<string, unknown>)[name];
    }
    return out;
  };
  if (Array.isArray(value))
    return value
      .map(one)
      .filter((item) => typeof item !== 'object' || Object.keys(item as object).length > 0);
  return one(value);
}
