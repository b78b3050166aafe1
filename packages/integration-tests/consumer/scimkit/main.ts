// What a platform engineer writes against their own SCIM server once `scimkit codegen` typed
// it: a custom extension on User, a custom resource type, Groups. The typed-client test
// generates ./scim.generated.ts from a live @scimkit/server, type-checks this file under
// strict settings and runs it against that server; it prints what it read back as JSON.
import { createScimClient } from '@scimkit/client';
import { type ScimResources, scimResources } from './scim.generated.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BADGE = 'urn:example:params:scim:schemas:extension:badge:2.0:User';

const client = createScimClient<ScimResources>({
  baseUrl: process.env.SCIM_URL ?? '',
  token: process.env.SCIM_TOKEN ?? '',
  resources: scimResources,
  retry: 0,
});
const devices = client.resource('/Devices');

const user = await client.users.create({
  userName: 'typed.user@example.com',
  name: { givenName: 'Typed', familyName: 'User' },
  emails: [{ value: 'typed.user@example.com', type: 'work', primary: true }],
  password: 'correct horse battery staple',
  [ENTERPRISE]: { department: 'Engineering' },
  [BADGE]: { badgeNumber: 'B-1024', floor: 3 },
});
const floor: number | undefined = user[BADGE]?.floor;

const device = await devices.create({
  serialNumber: 'C02XK0AAJG5H',
  model: 'laptop',
  purchased: '2024-01-02T03:04:05Z',
  price: 1999.5,
  ports: 4,
  managed: true,
  tags: ['engineering'],
  unlockCode: '0000',
  owner: { value: user.id },
});
const serialNumber: string = device.serialNumber;

const group = await client.groups.create({ displayName: 'Typed engineers', members: [{ value: user.id }] });
const patched = await client.users.patch(user.id, [{ op: 'replace', path: 'title', value: 'Director' }]);
const replaced = await devices.replace(device.id, {
  serialNumber,
  model: 'phone',
  owner: { value: user.id },
});
const found = await devices.list({ filter: `serialNumber eq "${serialNumber}"` }).toArray();
await devices.delete(device.id);

console.log(
  JSON.stringify({
    user: {
      id: user.id,
      floor,
      badgeNumber: user[BADGE]?.badgeNumber,
      department: user[ENTERPRISE]?.department,
    },
    title: patched?.title,
    device: { serialNumber, model: replaced.model, found: found.map((item) => item.serialNumber) },
    members: group.members?.map((member) => member.value),
    gone: await devices.count(`serialNumber eq "${serialNumber}"`),
  }),
);

/** Never called: each line must be a compile error, or tsc reports an unused directive. */
export function typeErrors(): void {
  // @ts-expect-error a misspelt attribute
  void client.users.create({ userName: 'x', userNme: 'y' });
  // @ts-expect-error groups is read-only: membership changes go through the Group
  void client.users.create({ userName: 'x', groups: [] });
  // @ts-expect-error floor of the Badge extension is an integer
  void client.users.create({ userName: 'x', [BADGE]: { floor: 'third' } });
  // @ts-expect-error the password is never returned
  void user.password;
  // @ts-expect-error lastSeen is read-only
  void devices.create({ serialNumber: 'x', lastSeen: '2024-01-01T00:00:00Z' });
  // @ts-expect-error serialNumber is required
  void devices.create({ model: 'phone' });
  // @ts-expect-error owner.display is read-only
  void devices.create({ serialNumber: 'x', owner: { value: 'u', display: 'U' } });
  // @ts-expect-error price is a number
  void devices.replace('1', { serialNumber: 'x', price: 'cheap' });
}
