// Shapes of clients beyond Entra ID and Okta (conformance suites, client libraries such as
// python's scim2-client) that scimkit's server accepts by default (docs/idp-compatibility.md),
// replayed over HTTP against the server on every store: the SQL stores must agree with the
// memory store, an unquoted dateTime filter included.
import { describe, expect, it } from 'vitest';
import { STORES, send as sendTo, type TestServer } from './stores.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const q = (filter: string) => encodeURIComponent(filter);
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe.each(STORES)('Third-party client shapes on %s over HTTP', (_name, start) => {
  let server: TestServer;
  let base: string;
  const send = (method: string, path: string, body?: unknown) => sendTo(base, method, path, body);

  it('replays lower-case endpoints, lenient PATCH values, unquoted dateTime filters and member references', async () => {
    server = await start();
    base = server.url;
    try {
      // Case-insensitive routers send lower-case endpoint names.
      expect((await send('GET', '/serviceproviderconfig')).status).toBe(200);
      const created = await send('POST', '/users', {
        schemas: [USER],
        userName: 'client.person@example.com',
        name: { givenName: 'Client', nick: 'cp' },
        emails: [
          { type: 'home', value: 'home@example.com' },
          { type: 'work', value: 'client.person@example.com' },
        ],
      });
      expect(created.status).toBe(201);
      expect(created.body.name).toEqual({ givenName: 'Client' });
      const id: string = created.body.id;
      const other = await send('POST', '/Users', { schemas: [USER], userName: 'client.other@example.com' });

      // scim2-client: `schemas` inside the extension value, on add and replace.
      for (const [op, employeeNumber] of [
        ['add', '1'],
        ['replace', '2'],
      ]) {
        const extended = await send(
          'PATCH',
          `/users/${id}`,
          patch({ op, path: ENTERPRISE, value: { schemas: [ENTERPRISE], employeeNumber } }),
        );
        expect(extended.status).toBe(200);
        expect(extended.body[ENTERPRISE]).toEqual({ employeeNumber });
      }

      // Members: a bare id string, and a member with a field no schema defines.
      const group = await send('POST', '/groups', { schemas: [GROUP], displayName: 'Client Group' });
      expect(group.status).toBe(201);
      const groupId: string = group.body.id;
      const bare = await send(
        'PATCH',
        `/Groups/${groupId}`,
        patch({ op: 'add', path: 'members', value: id }),
      );
      expect(bare.status).toBe(200);
      const extra = await send(
        'PATCH',
        `/Groups/${groupId}`,
        patch({ op: 'add', path: 'members', value: [{ value: other.body.id, displayName: 'new User' }] }),
      );
      expect(extra.status).toBe(200);
      const read = await send('GET', `/Groups/${groupId}`);
      const byValue = (a: { value: string }, b: { value: string }) => a.value.localeCompare(b.value);
      expect([...read.body.members].sort(byValue)).toEqual(
        [id, other.body.id].sort().map((value) => ({ value, $ref: `${base}/Users/${value}`, type: 'User' })),
      );

      // A value filter in attributes: only the matching values come back.
      const work = await send('GET', `/Users/${id}?attributes=${q('emails[type eq "work"].value')}`);
      expect(work.body.emails).toEqual([{ value: 'client.person@example.com' }]);

      // An unquoted dateTime with 7 fraction digits and an offset, compared chronologically by the store.
      const instant = new Date(created.body.meta.created).getTime();
      const at = (shift: number, fraction: string) =>
        `${new Date(instant + shift - 7 * 3_600_000).toISOString().slice(0, 23)}${fraction}-07:00`;
      const count = async (filter: string) =>
        (await send('GET', `/Users?filter=${q(`userName sw "client." and ${filter}`)}`)).body.totalResults;
      expect(await count(`meta.created gt ${at(-1, '9999')}`)).toBe(2);
      expect(await count(`meta.created le ${at(-1, '9999')}`)).toBe(0);
      expect(await count(`meta.created eq ${at(0, '0000')}`)).toBe(1);
    } finally {
      await server.close();
    }
  });
});
