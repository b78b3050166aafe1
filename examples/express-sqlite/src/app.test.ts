import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, createApp } from './app.js';

describe('example: Express app with /scim/v2 on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scimkit-example-'));
  const audit: AuditEntry[] = [];
  const { app, close } = createApp({
    filename: join(dir, 'scim.db'),
    tokens: { 'entra-token': 'acme', 'okta-token': 'globex' },
    audit: (entry) => audit.push(entry),
  });
  let server: Server;
  let base: string;
  const call = (token: string, path: string, init: RequestInit = {}) =>
    fetch(`${base}/scim/v2${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    });

  beforeAll(async () => {
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the app routes and serves SCIM beside them', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true });
    expect((await call('wrong', '/Users')).status).toBe(401);
  });

  it('provisions, deactivates and audits per tenant, keeping tenants apart', async () => {
    const created = await call('entra-token', '/Users', {
      method: 'POST',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'ada@acme.example',
        active: true,
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const deactivated = await call('entra-token', `/Users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      }),
    });
    expect(deactivated.status).toBe(200);
    expect(((await deactivated.json()) as { active: boolean }).active).toBe(false);

    // The other tenant sees nothing of acme's users.
    const other = (await (await call('okta-token', '/Users')).json()) as { totalResults: number };
    expect(other.totalResults).toBe(0);
    expect((await call('okta-token', `/Users/${id}`)).status).toBe(404);

    expect(audit).toEqual([
      { action: 'created', resourceType: 'User', id, tenant: 'acme' },
      { action: 'patched', resourceType: 'User', id, tenant: 'acme' },
      { action: 'deactivated', resourceType: 'User', id, tenant: 'acme' },
    ]);
  });
});
