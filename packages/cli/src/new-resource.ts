/**
 * The resource the CLI sends to create a User or Group (`users create`, `groups create`, and each
 * resource record of `import`): the core schema URN added to `schemas` when missing, and a new
 * User active unless the input says otherwise. RFC 7643 gives `active` no default, so a server
 * stores none; Entra ID and Okta always send `active: true`, and `--filter 'active eq true'`
 * would otherwise miss every user created from the command line.
 */
import { GROUP_SCHEMA, USER_SCHEMA } from '@scimkit/schema';

/** `users` or `groups`. */
export type ResourceKind = 'users' | 'groups';

/** The attribute named `name` in any case (SCIM attribute names are case-insensitive). */
function hasAttribute(resource: Record<string, unknown>, name: string): boolean {
  return Object.keys(resource).some((key) => key.toLowerCase() === name);
}

/** Completes `resource` in place for a POST to `/Users` or `/Groups`, and returns it. */
export function newResource(kind: ResourceKind, resource: Record<string, unknown>): Record<string, unknown> {
  const core = kind === 'users' ? USER_SCHEMA : GROUP_SCHEMA;
  const schemas = Array.isArray(resource['schemas']) ? (resource['schemas'] as unknown[]) : [];
  if (!schemas.some((schema) => typeof schema === 'string' && schema.toLowerCase() === core.toLowerCase())) {
    resource['schemas'] = [core, ...schemas];
  }
  if (kind === 'users' && !hasAttribute(resource, 'active')) resource['active'] = true;
  return resource;
}
