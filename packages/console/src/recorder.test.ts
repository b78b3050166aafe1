import type { AttributeDefinition, ResourceTypeDefinition } from '@scimkit/schema';
import { groupResourceType, userResourceType } from '@scimkit/schema';
import type { ScimEvent } from '@scimkit/server';
import { stringAttribute } from '@scimkit/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../test/harness.js';
import { summarize } from './exchange.js';
import { REDACTED } from './redaction.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function createUser(h: Harness, userName: string, extra: Record<string, unknown> = {}) {
  const response = await h.scim('/Users', {
    method: 'POST',
    body: JSON.stringify({ schemas: [USER], userName, active: true, ...extra }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string };
}

describe('createScimConsole: recording', () => {
  it('records the attributes the server dropped with the write they were dropped from', async () => {
    harness = await startHarness();
    const { id } = await createUser(harness, 'dropped@example.com', { shoeSize: 44 });
    const patched = await harness.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', value: { nickName: 'Dee', favouriteColour: 'teal', hatSize: 7 } }],
      }),
    });
    expect(patched.status).toBe(200);
    const plain = await harness.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'CTO' }] }),
    });
    expect(plain.status).toBe(200);
    await harness.recorded(3);
    const [created, withUnknown, withoutUnknown] = harness.scimConsole.history.since();
    expect(created!.changes).toMatchObject([{ kind: 'created', id, ignored: ['shoeSize'] }]);
    expect(withUnknown!.changes).toMatchObject([
      { kind: 'patched', id, ignored: ['favouriteColour', 'hatSize'] },
    ]);
    expect(withUnknown!.changes[0]!.diff).toEqual([{ kind: 'added', path: 'nickName', after: 'Dee' }]);
    expect(withoutUnknown!.changes[0]).not.toHaveProperty('ignored');
    expect(summarize(withUnknown!).changes).toEqual([
      { kind: 'patched', deactivated: false, resourceType: 'User', id, ignored: 2 },
    ]);
  });

  it('records each exchange with time, method, path, status, duration, principal, step and the store change', async () => {
    harness = await startHarness({
      console: { tokenLabels: { 'Entra ID': 'scim-token-for-tests-0123456789' } },
    });
    const { id } = await createUser(harness, 'bjensen@example.com');
    const patched = await harness.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      }),
    });
    expect(patched.status).toBe(200);
    await harness.recorded(2);
    const [created, deactivated] = harness.scimConsole.history.since();
    expect(created).toMatchObject({
      method: 'POST',
      path: '/scim/v2/Users',
      resource: 'Users',
      status: 201,
      principal: 'Entra ID',
      source: 'client',
      step: 'Joiner',
    });
    expect(Date.parse(created!.time)).toBeGreaterThan(0);
    expect(created!.durationMs).toBeGreaterThanOrEqual(0);
    expect(created!.changes).toMatchObject([
      { kind: 'created', resourceType: 'User', id, deactivated: false },
    ]);
    expect(created!.response.headers).toContainEqual(['location', `${harness.baseUrl}/Users/${id}`]);

    expect(deactivated).toMatchObject({ method: 'PATCH', status: 200, step: 'Leaver' });
    expect(deactivated!.changes).toHaveLength(1);
    expect(deactivated!.changes[0]).toMatchObject({ kind: 'patched', deactivated: true, id });
    expect(deactivated!.changes[0]!.diff).toEqual([
      { kind: 'changed', path: 'active', before: true, after: false },
    ]);
    expect(JSON.parse(deactivated!.changes[0]!.before!)).toMatchObject({ id, active: true });
    expect(JSON.parse(deactivated!.changes[0]!.after!)).toMatchObject({ id, active: false });
    expect(JSON.parse(deactivated!.request.body!.text)).toMatchObject({ Operations: [{ path: 'active' }] });
  });

  it('keeps each store change with its own exchange when requests run concurrently', async () => {
    harness = await startHarness();
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => createUser(harness!, `user${i}`)));
    await Promise.all(
      users.map(({ id }, i) =>
        harness!.scim(`/Users/${id}`, {
          method: 'PATCH',
          body: JSON.stringify({ Operations: [{ op: 'replace', path: 'displayName', value: `name ${i}` }] }),
        }),
      ),
    );
    await harness.recorded(24);
    const patches = harness.scimConsole.history.since().filter((record) => record.method === 'PATCH');
    expect(patches).toHaveLength(12);
    for (const record of patches) {
      const id = record.path.split('/').at(-1);
      expect(record.changes.map((change) => change.id)).toEqual([id]);
      const sent = JSON.parse(record.request.body!.text) as { Operations: { value: string }[] };
      expect(record.changes[0]!.diff).toEqual([
        { kind: 'added', path: 'displayName', after: sent.Operations[0]!.value },
      ]);
    }
  });

  it('redacts every writeOnly or returned-never value a schema declares, wherever it travels', async () => {
    const lockerType: ResourceTypeDefinition = {
      name: 'Locker',
      endpoint: '/Lockers',
      schema: {
        id: 'urn:example:Locker',
        attributes: [
          stringAttribute('label', { required: true }),
          stringAttribute('combination', { mutability: 'writeOnly', returned: 'never' }),
        ] as unknown as AttributeDefinition[],
      },
      extensions: [],
    };
    harness = await startHarness({ resourceTypes: [userResourceType, groupResourceType, lockerType] });
    const combination = 'combination-31-7-22';
    const password = 'Tr0ub4dor&3-horse';
    const created = await harness.scim('/Lockers', {
      method: 'POST',
      body: JSON.stringify({ schemas: ['urn:example:Locker'], label: 'gym', combination }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await harness.scim(`/Lockers/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        Operations: [{ op: 'replace', path: 'combination', value: `${combination}-new` }],
      }),
    });
    await createUser(harness, 'x', { password });
    await harness.scim(
      `/Users?filter=${encodeURIComponent(`password eq "${password}"`)}&access_token=query-token-1234`,
    );
    await harness.recorded(4);
    const everything = JSON.stringify(harness.scimConsole.history.since());
    for (const secret of [combination, password, 'query-token-1234', harness.scimToken]) {
      expect(everything).not.toContain(secret);
    }
    const [post, patch] = harness.scimConsole.history.since();
    expect(JSON.parse(post!.request.body!.text)).toMatchObject({ combination: REDACTED });
    expect(post!.changes[0]!.diff).toContainEqual({ kind: 'added', path: 'combination', after: REDACTED });
    expect(patch!.changes[0]!.diff).toEqual([
      { kind: 'changed', path: 'combination', before: REDACTED, after: REDACTED },
    ]);
    const search = harness.scimConsole.history.since()[3]!;
    expect(search.path).toBe(`/scim/v2/Users?filter=password eq "${REDACTED}"&access_token=${REDACTED}`);
    expect(search.error).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect(search.request.headers).toContainEqual(['authorization', `Bearer ${REDACTED}`]);
  });

  it('shows every store change of a bulk request in its one exchange', async () => {
    harness = await startHarness();
    const response = await harness.scim('/Bulk', {
      method: 'POST',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'u', data: { schemas: [USER], userName: 'bulk1' } },
          {
            method: 'POST',
            path: '/Groups',
            bulkId: 'g',
            data: { displayName: 'G', members: [{ value: 'bulkId:u' }] },
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    await harness.recorded(1);
    const [bulk] = harness.scimConsole.history.since();
    expect(bulk!.changes.map((change) => `${change.kind} ${change.resourceType}`)).toEqual([
      'created User',
      'created Group',
    ]);
    expect(bulk!.resource).toBe('Bulk');
  });

  it('never holds up or changes an exchange, and keeps only the start of a body beyond the limit', async () => {
    harness = await startHarness({ console: { maxBodyLength: 1000 } });
    const huge = JSON.stringify({ schemas: [USER], userName: 'big', title: 'x'.repeat(3 * 1024 * 1024) });
    const response = await harness.scim('/Users', { method: 'POST', body: huge });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { status: string }).status).toBe('413');
    const ok = await harness.scim('/ServiceProviderConfig');
    expect(ok.status).toBe(200);
    await harness.recorded(2);
    const [tooLarge] = harness.scimConsole.history.since();
    expect(tooLarge!.status).toBe(413);
    expect(tooLarge!.request.body!.truncated).toBe(true);
    expect(tooLarge!.request.body!.text.length).toBe(1000);
    expect(tooLarge!.error?.status).toBe('413');
  });
});

describe('ScimConsole.serverOptions', () => {
  it('runs the hooks given first and records the change anyway, even when one throws', async () => {
    const seen: string[] = [];
    const errors: unknown[] = [];
    harness = await startHarness({
      server: {
        onCreated: (event: ScimEvent) => {
          seen.push(event.id);
          throw new Error('audit log down');
        },
        onError: (error) => errors.push(error),
      },
    });
    const { id } = await createUser(harness, 'hooked');
    await harness.recorded(1);
    expect(seen).toEqual([id]);
    expect(errors).toHaveLength(1);
    expect(harness.scimConsole.history.since()[0]!.changes).toMatchObject([{ kind: 'created', id }]);
  });

  it('refuses a console token that is also a SCIM token', async () => {
    const { createScimConsole } = await import('./console.js');
    const { createMemoryStore } = await import('@scimkit/server');
    const scimConsole = createScimConsole({ token: 'shared-token-0123456789' });
    expect(() =>
      scimConsole.serverOptions({
        store: createMemoryStore(),
        auth: { tokens: ['shared-token-0123456789'] },
      }),
    ).toThrow('The console token is also a SCIM bearer token');
    expect(() => createScimConsole({ token: 'short' })).toThrow('at least 16 characters');
    expect(() => createScimConsole({ path: '/' })).toThrow('cannot be the root');
  });
});
