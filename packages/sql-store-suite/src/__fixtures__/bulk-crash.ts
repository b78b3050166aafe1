/**
 * Child process of the crash-consistency suite: opens the store (with the opener module's
 * default export, on the database `location`), commits a few users, then runs a bulk of creates
 * inside one transaction and reports progress on stdout. With `hang`, it stops halfway inside
 * the open transaction and waits to be killed.
 */
import { pathToFileURL } from 'node:url';
import { userResourceType } from '@scimkit/schema';
import type { SuiteStore } from '../harness.js';

const [opener, location, mode, totalText] = process.argv.slice(2);
if (!opener || location === undefined) {
  throw new Error('usage: bulk-crash.ts <opener module> <location> <hang|finish> <total>');
}
const open = (await import(pathToFileURL(opener).href)).default as (location: string) => SuiteStore;
const total = Number(totalText ?? 1000);
const store = open(location);

const meta = (id: string) => ({
  resourceType: 'User',
  created: '2024-01-01T00:00:00Z',
  lastModified: '2024-01-01T00:00:00Z',
  location: `/Users/${id}`,
  version: 'W/"1"',
});
const user = (id: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id,
  userName: id,
  emails: [{ value: `${id}@example.com`, type: 'work' }],
  meta: meta(id),
});

for (let i = 0; i < 10; i++) await store.create(userResourceType, user(`committed-${i}`), { context: {} });
process.stdout.write('committed\n');

await store.transaction(async () => {
  for (let i = 0; i < total; i++) {
    await store.create(userResourceType, user(`bulk-${i}`), { context: {} });
    if (i === Math.floor(total / 2)) {
      process.stdout.write('midway\n');
      if (mode === 'hang') await new Promise(() => setInterval(() => {}, 1000));
    }
  }
});
process.stdout.write('done\n');
await store.close();
