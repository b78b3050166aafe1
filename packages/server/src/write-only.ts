/**
 * `writeOnly` attributes (`password`): values a client can set but never read back
 * (RFC 7643 section 7). A replace keeps the stored ones it leaves out, and new values pass
 * through the `protectWriteOnly` option (hashing) before any store sees them.
 */
import type { ScimResource } from '@scimkit/schema';
import type { Call } from './context.js';
import type { AttributeLocation, TypeInfo } from './internal/type-info.js';

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
