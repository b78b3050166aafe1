// The same kind of script against scimmy (an Express SCIM server from npm), typed by
// `scimkit codegen` from scimmy's own /Schemas: only what scimmy serves is typed.
import { createScimClient } from '@scimkit/client';
import { type ScimResources, scimResources } from './scim.generated.js';

const client = createScimClient<ScimResources>({
  baseUrl: process.env.SCIM_URL ?? '',
  token: process.env.SCIM_TOKEN ?? '',
  resources: scimResources,
  retry: 0,
});

const user = await client.users.create({
  userName: 'typed.scimmy@example.com',
  name: { givenName: 'Typed', familyName: 'Scimmy' },
  emails: [{ value: 'typed.scimmy@example.com', type: 'work', primary: true }],
  active: true,
});
const givenName: string | undefined = user.name?.givenName;
const group = await client.groups.create({ displayName: 'Typed scimmy', members: [{ value: user.id }] });
const patched = await client.users.patch(user.id, [{ op: 'replace', path: 'title', value: 'Director' }]);
const read = await client.users.get(user.id);
const found = await client.users.list({ filter: 'userName eq "typed.scimmy@example.com"' }).toArray();
await client.groups.delete(group.id);
await client.users.delete(user.id);

console.log(
  JSON.stringify({
    givenName,
    title: patched?.title ?? read.title,
    members: group.members?.map((member) => member.value),
    found: found.map((item) => item.userName),
    userId: user.id,
  }),
);

/** Never called: each line must be a compile error, or tsc reports an unused directive. */
export function typeErrors(): void {
  // @ts-expect-error a misspelt attribute
  void client.users.create({ userName: 'x', displayNme: 'y' });
  const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
  // @ts-expect-error scimmy does not serve the Enterprise extension, so it is not typed
  void client.users.create({ userName: 'x', [enterprise]: {} });
  // @ts-expect-error groups is read-only
  void client.users.create({ userName: 'x', groups: [] });
  // @ts-expect-error displayName is required on groups
  void client.groups.create({ members: [] });
}
