/**
 * `writeOnly` attributes (`password`): values a client can set but never read back
 * (RFC 7643 section 7). A replace keeps the stored ones it leaves out, and new values pass
 * through the `protectWriteOnly` option (hashing) before any store sees them.
 */
import type { AttributeDefinition, ScimResource } from '@scimkit/schema';
import type { Call } from './context.js';
import { type AttributeLocation, own, type TypeInfo } from './internal/type-info.js';

function readAt(resource: Record<string, unknown>, at: AttributeLocation): unknown {
  if (!at.extension) return resource[at.name];
  const container = resource[at.extension];
  return container && typeof container === 'object'
    ? (container as Record<string, unknown>)[at.name]
    : undefined;
}

function writeAt(
  resource: Record<string, unknown>,
  at: AttributeLocation,
  value: unknown,
): Record<string, unknown> {
  const set = (target: Record<string, unknown>) => {
    const copy = { ...target };
    if (value === undefined) delete copy[at.name];
    else copy[at.name] = value;
    return copy;
  };
  if (!at.extension) return set(resource);
  const container = resource[at.extension];
  if (!container || typeof container !== 'object') return resource;
  return { ...resource, [at.extension]: set(container as Record<string, unknown>) };
}

/**
 * writeOnly values cannot be read back, so a client that PUTs what it read never carries
 * them (Okta's PUT): keep the stored ones rather than clearing a password (RFC 7644 3.5.1 lets
 * the service provider decide for attributes a replace leaves out).
 */
export function keepWriteOnly(
  info: TypeInfo,
  data: Record<string, unknown>,
  current: ScimResource,
): Record<string, unknown> {
  for (const at of info.writeOnlyAttributes) {
    const stored = readAt(current, at);
    if (stored !== undefined && readAt(data, at) === undefined) data = writeAt(data, at, stored);
  }
  return data;
}

/** Passes each writeOnly value this request sets through `protectWriteOnly` before it is stored. */
export async function protectWriteOnly(
  call: Call,
  info: TypeInfo,
  data: Record<string, unknown>,
  current: ScimResource | undefined,
): Promise<Record<string, unknown>> {
  const protect = call.server.options.protectWriteOnly;
  if (!protect) return data;
  for (const at of info.writeOnlyAttributes) {
    const value = readAt(data, at);
    if (value === undefined || (current && value === readAt(current, at))) continue;
    const attribute = at.extension ? `${at.extension}:${at.name}` : at.name;
    data = writeAt(data, at, await protect(value, { resourceType: info.name, attribute }));
  }
  return data;
}

/** Values no response ever shows: `writeOnly` or `returned: never` (RFC 7643 section 2.2). */
function isHidden(attribute: AttributeDefinition): boolean {
  return attribute.mutability === 'writeOnly' || attribute.returned === 'never';
}

function holdsHiddenIn(
  attributes: readonly AttributeDefinition[],
  container: Record<string, unknown>,
): boolean {
  for (const attribute of attributes) {
    const value = own(container, attribute.name);
    if (value === undefined || value === null) continue;
    if (isHidden(attribute)) return true;
    if (!attribute.subAttributes) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'object' && item !== null && holdsHiddenIn(attribute.subAttributes, item as never))
        return true;
    }
  }
  return false;
}

/**
 * Whether a (validated) resource carries a value no response shows (`password`). A write of one
 * always counts as a change: were a write of the stored value a no-op that keeps the version,
 * the unchanged ETag would confirm a guessed password.
 */
export function holdsHidden(info: TypeInfo, resource: Record<string, unknown>): boolean {
  const { schema, extensions } = info.definition;
  if (holdsHiddenIn(schema.attributes, resource)) return true;
  return extensions.some(({ schema: extension }) => {
    const container = own(resource, extension.id);
    return (
      typeof container === 'object' &&
      container !== null &&
      holdsHiddenIn(extension.attributes, container as never)
    );
  });
}

function withoutHiddenIn(
  attributes: readonly AttributeDefinition[],
  container: Record<string, unknown>,
): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const attribute of attributes) {
    const value = own(container, attribute.name);
    if (value === undefined || value === null) continue;
    let next: unknown = value;
    if (isHidden(attribute)) next = undefined;
    else if (attribute.subAttributes) {
      const { subAttributes } = attribute;
      const strip = (item: unknown) =>
        typeof item === 'object' && item !== null && !Array.isArray(item)
          ? withoutHiddenIn(subAttributes, item as Record<string, unknown>)
          : item;
      next = Array.isArray(value) ? value.map(strip) : strip(value);
    }
    if (next === value) continue;
    copy ??= { ...container };
    if (next === undefined) delete copy[attribute.name];
    else copy[attribute.name] = next;
  }
  return copy ?? container;
}

/** The resource without the values no response shows (at any depth, extensions included). */
export function withoutHidden(info: TypeInfo, resource: ScimResource): ScimResource {
  let out = withoutHiddenIn(info.definition.schema.attributes, resource);
  for (const { schema } of info.definition.extensions) {
    const container = own(out, schema.id);
    if (typeof container !== 'object' || container === null) continue;
    const stripped = withoutHiddenIn(schema.attributes, container as Record<string, unknown>);
    if (stripped !== container) out = { ...out, [schema.id]: stripped };
  }
  return out as ScimResource;
}
