import { createScimClient } from '@scimkit/client';
import { ENTERPRISE_USER_SCHEMA } from '@scimkit/schema';
import { createMemoryStore, createScimServer } from '@scimkit/server';
import { serveNode } from '@scimkit/server/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Employee, reconcile } from './reconcile.js';

const ada: Employee = {
  employeeNumber: '1',
  email: 'ada@example.com',
  givenName: 'Ada',
  familyName: 'Lovelace',
  department: 'R&D',
};
const alan: Employee = {
  employeeNumber: '2',
  email: 'alan@example.com',
  givenName: 'Alan',
  familyName: 'Turing',
  department: 'R&D',
};
const grace: Employee = {
  employeeNumber: '3',
  email: 'grace@example.com',
  givenName: 'Grace',
  familyName: 'Hopper',
  department: 'Navy',
};

describe('example: reconcile an HR roster against a SCIM server', () => {
  let close: () => Promise<void>;
  let client: ReturnType<typeof createScimClient>;

  beforeAll(async () => {
    const server = createScimServer({ store: createMemoryStore(), auth: { tokens: ['hr-token'] } });
    const running = await serveNode({ server, port: 0, host: '127.0.0.1' });
    close = running.close;
    client = createScimClient({ baseUrl: `${running.url}/scim/v2`, token: 'hr-token' });
  });
  afterAll(() => close());

  it('creates joiners, moves movers, deactivates leavers, and is idempotent', async () => {
    expect(await reconcile(client, [ada, alan])).toEqual({
      joiners: ['ada@example.com', 'alan@example.com'],
      movers: [],
      leavers: [],
      unchanged: 0,
    });

    // Ada moves to Finance, Alan leaves, Grace joins. A dry run changes nothing.
    const next = [{ ...ada, department: 'Finance' }, grace];
    const planned = await reconcile(client, next, { dryRun: true });
    expect(planned).toEqual({
      joiners: ['grace@example.com'],
      movers: ['ada@example.com'],
      leavers: ['alan@example.com'],
      unchanged: 0,
    });
    expect(await client.users.count('active eq true')).toBe(2);

    expect(await reconcile(client, next)).toEqual(planned);
    const [alanAccount] = await client.users.list({ filter: 'externalId eq "2"' }).toArray();
    expect(alanAccount?.active).toBe(false);
    const [adaAccount] = await client.users.list({ filter: 'externalId eq "1"' }).toArray();
    expect(adaAccount?.[ENTERPRISE_USER_SCHEMA]?.department).toBe('Finance');

    // Running again finds nothing to do.
    expect(await reconcile(client, next)).toEqual({ joiners: [], movers: [], leavers: [], unchanged: 2 });
  });

  it('reactivates a rehired employee instead of creating a duplicate account', async () => {
    const report = await reconcile(client, [{ ...ada, department: 'Finance' }, grace, alan]);
    expect(report.joiners).toEqual(['alan@example.com']);
    expect(await client.users.count('externalId eq "2"')).toBe(1);
    const [alanAccount] = await client.users.list({ filter: 'externalId eq "2"' }).toArray();
    expect(alanAccount?.active).toBe(true);
    expect(alanAccount?.[ENTERPRISE_USER_SCHEMA]?.department).toBe('R&D');
  });
});
