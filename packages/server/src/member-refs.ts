/**
 * Group members as they leave the server: each with the `$ref` of the resource it names and its
 * `type` (RFC 7643 section 4.2), computed at response time from the request's base URL, so a
 * stored group never holds a URL that a proxy or a new host name would make wrong.
 */
import type { ScimResource } from '@scimkit/schema';
import type { ServerContext } from './context.js';

/**
 * The endpoint of each member type (`User` → `/Users`), by lower-cased type name: the types
 * the server serves that a member may be (RFC 7643 section 4.2 names User and Group).
 */
const endpoints = new WeakMap<ServerContext, Map<string, { name: string; endpoint: string }>>();

function endpointsOf(server: ServerContext): Map<string, { name: string; endpoint: string }> {
  let map = endpoints.get(server);
  if (!map) {
    map = new Map(
      server.types.map((type) => [type.name.toLowerCase(), { name: type.name, endpoint: type.endpoint }]),
    );
    endpoints.set(server, map);
  }
  return map;
}

/**
 * `resource` with `$ref` and `type` on each member that has a `value`. A member stored without
 * `type` is a `User` (what Entra ID and Okta push; a client adding a nested group sends
 * `"type": "Group"`). A `$ref` the client sent is replaced: it is the server's URL to give.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-4.2
 */
export function withMemberRefs(server: ServerContext, resource: ScimResource, base: string): ScimResource {
  const members = resource.members;
  if (!Array.isArray(members) || members.length === 0) return resource;
  const types = endpointsOf(server);
  const user = types.get('user');
  const output = new Array<unknown>(members.length);
  for (let i = 0; i < members.length; i++) {
    const member = members[i] as Record<string, unknown> | null;
    const value = member?.value;
    const type = typeof member?.type === 'string' ? types.get(member.type.toLowerCase()) : user;
    output[i] =
      typeof value === 'string' && type
        ? { ...member, $ref: `${base}${type.endpoint}/${encodeURIComponent(value)}`, type: type.name }
        : member;
  }
  return { ...resource, members: output };
}
