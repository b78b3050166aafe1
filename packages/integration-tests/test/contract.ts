// What the client must do against ANY conforming SCIM server: the same suite runs against
// @scimkit/server and against scimmy + scimmy-routers from npm.

import { createScimClient, isScimHttpError, type ScimClient, ScimHttpError } from '@scimkit/client';
import type { Filter } from '@scimkit/filter';
import { isScimError } from '@scimkit/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A running server: its SCIM base URL and a token it accepts. */
export interface TargetServer {
  baseUrl: string;
  token: string;
  close(): Promise<void>;
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

export function describeClientContract(name: string, start: () => Promise<TargetServer>): void {
  describe(`@scimkit/client against ${name}`, () => {
    let target: TargetServer;
    let client: ScimClient;
    const seeded: string[] = [];

    beforeAll(async () => {
      target = await start();
      client = createScimClient({ baseUrl: target.baseUrl, token: target.token, retry: 0 });
      // More users than one default page of either server (scimmy pages by 20).
      const results = await client.bulk(
        Array.from({ length: 45 }, (_, index) => ({
          method: 'POST' as const,
          path: '/Users',
          bulkId: `seed${index}`,
          data: {
            schemas: [USER],
            userName: `seed.${String(index).padStart(2, '0')}@example.com`,
            active: true,
          },
        })),
        { maxOperations: 20 },
      );
      for (const result of results) {
        if (!result.ok || result.id === undefined)
          throw new Error(`seeding failed: ${JSON.stringify(result)}`);
        seeded.push(result.id);
      }
    });
    afterAll(() => target.close());

    it('discovers the server and its resource types', async () => {
      const discovery = await client.discover();
      expect(discovery.serviceProviderConfig.patch.supported).toBe(true);
      expect(discovery.resourceTypes.map((type) => type.endpoint)).toEqual(
        expect.arrayContaining(['/Users', '/Groups']),
      );
    });

    it('creates, reads, replaces, patches and deletes a user', async () => {
      const created = await client.users.create({
        userName: 'bjensen@example.com',
        name: { givenName: 'Barbara', familyName: 'Jensen' },
        emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
        active: true,
      });
      expect(created.id).toEqual(expect.any(String));
      expect(created.schemas).toContain(USER);
      const read = await client.users.get(created.id);
      expect(read.userName).toBe('bjensen@example.com');
      expect(read.name?.familyName).toBe('Jensen');

      const replaced = await client.users.replace(created.id, {
        userName: 'bjensen@example.com',
        displayName: 'Babs Jensen',
        active: true,
      });
      expect(replaced.displayName).toBe('Babs Jensen');

      const deactivated = await client.users.deactivate(created.id);
      expect(
        deactivated === undefined ? (await client.users.get(created.id)).active : deactivated.active,
      ).toBe(false);

      await client.users.delete(created.id);
      const error = await client.users.get(created.id).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ScimHttpError);
      expect(isScimHttpError(error) && error.status).toBe(404);
      expect(isScimError(error)).toBe(true);
    });

    it('reports a userName clash as a 409 uniqueness ScimHttpError', async () => {
      const error = await client.users
        .create({ userName: 'seed.00@example.com' })
        .catch((caught: unknown) => caught);
      expect(isScimHttpError(error)).toBe(true);
      expect(error).toMatchObject({ status: 409, scimType: 'uniqueness', method: 'POST' });
    });

    it('rejects a wrong token with a 401 ScimHttpError', async () => {
      const intruder = createScimClient({ baseUrl: target.baseUrl, token: 'wrong', retry: 0 });
      await expect(intruder.users.count()).rejects.toMatchObject({ status: 401 });
    });

    it('lists every user over several pages', async () => {
      const ids = new Set<string>();
      let pages = 0;
      for await (const page of client.users.list({ pageSize: 10, filter: 'userName sw "seed."' }).pages()) {
        pages++;
        for (const user of page.resources) ids.add(user.id);
      }
      expect([...ids].sort()).toEqual([...seeded].sort());
      expect(pages).toBeGreaterThan(1);
    });

    it('iterates lazily and stops at limit', async () => {
      const names: string[] = [];
      for await (const user of client.users.list({
        filter: 'userName sw "seed."',
        sortBy: 'userName',
        limit: 3,
      })) {
        names.push(user.userName);
      }
      expect(names).toEqual(['seed.00@example.com', 'seed.01@example.com', 'seed.02@example.com']);
    });

    it('filters with text and with a filter AST', async () => {
      const byText = await client.users.list({ filter: 'userName eq "seed.07@example.com"' }).toArray();
      const ast: Filter = {
        kind: 'Comparison',
        path: { kind: 'AttributePath', attribute: 'userName' },
        operator: 'eq',
        value: 'seed.07@example.com',
      };
      const byAst = await client.users.list({ filter: ast }).toArray();
      expect(byText.map((user) => user.id)).toEqual([seeded[7]]);
      expect(byAst.map((user) => user.id)).toEqual([seeded[7]]);
    });

    it('searches with POST /.search over several pages', async () => {
      const users = await client.users.search({ filter: 'userName sw "seed.1"', pageSize: 4 }).toArray();
      expect(users.map((user) => user.userName).sort()).toEqual(
        Array.from({ length: 10 }, (_, index) => `seed.1${index}@example.com`),
      );
    });

    it('counts matches', async () => {
      expect(await client.users.count('userName sw "seed.2"')).toBe(10);
      expect(await client.users.count('userName eq "nobody@example.com"')).toBe(0);
    });

    it('adds and removes group members with targeted PATCH', async () => {
      const group = await client.groups.create({ displayName: 'Engineering' });
      await client.groups.addMembers(group.id, [
        seeded[0] as string,
        seeded[1] as string,
        seeded[2] as string,
      ]);
      await client.groups.removeMembers(group.id, [seeded[1] as string]);
      const read = await client.groups.get(group.id);
      expect(read.members?.map((member) => member.value).sort()).toEqual([seeded[0], seeded[2]].sort());
      await client.groups.delete(group.id);
    });

    it('splits bulk requests and resolves bulkId references across them', async () => {
      const results = await client.bulk(
        [
          {
            method: 'POST',
            path: '/Groups',
            bulkId: 'team',
            data: {
              schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
              displayName: 'Bulk team',
              members: [{ value: 'bulkId:alice' }],
            },
          },
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'alice',
            data: { schemas: [USER], userName: 'alice@example.com' },
          },
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'bob',
            data: { schemas: [USER], userName: 'bob@example.com' },
          },
        ],
        { maxOperations: 1 },
      );
      expect(results.map((result) => result.status)).toEqual([201, 201, 201]);
      const [team, alice] = results;
      const group = await client.groups.get(team?.id as string);
      expect(group.members?.map((member) => member.value)).toEqual([alice?.id]);
    });
  });
}
