import type { ScimClient } from '@scimkit/client';
import { eq } from '@scimkit/filter';
import { ENTERPRISE_USER_SCHEMA, type PatchOperation, type User } from '@scimkit/schema';

/** One employee as the HR system knows them: the source of truth. */
export interface Employee {
  employeeNumber: string;
  email: string;
  givenName: string;
  familyName: string;
  department: string;
}

/** What a reconciliation did (or, in a dry run, would do). */
export interface ReconcileReport {
  joiners: string[];
  movers: string[];
  leavers: string[];
  unchanged: number;
}

/**
 * Brings a SCIM server in line with the HR roster, the way an identity provider would:
 * creates joiners, moves movers with one targeted PATCH each, and deactivates leavers (never
 * deletes: the account stays for audit, sign-in stops). The roster is matched on `externalId`
 * (the employee number), never on `userName`, which people change.
 */
export async function reconcile(
  client: ScimClient,
  roster: readonly Employee[],
  options: { dryRun?: boolean } = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = { joiners: [], movers: [], leavers: [], unchanged: 0 };
  const byNumber = new Map(roster.map((employee) => [employee.employeeNumber, employee]));
  const seen = new Set<string>();

  // Page through active accounts only; the client follows the server's paging, whatever it is.
  for await (const user of client.users.list({ filter: eq('active', true), pageSize: 100 })) {
    const employee = user.externalId === undefined ? undefined : byNumber.get(user.externalId);
    if (!employee) {
      report.leavers.push(user.userName);
      if (!options.dryRun) await client.users.deactivate(user.id);
      continue;
    }
    seen.add(employee.employeeNumber);
    const department = (user as User)[ENTERPRISE_USER_SCHEMA]?.department;
    if (department === employee.department) {
      report.unchanged++;
      continue;
    }
    report.movers.push(user.userName);
    const move: PatchOperation[] = [
      { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: employee.department },
    ];
    // If-Match: a concurrent change by someone else makes this fail with 412 instead of losing it.
    if (!options.dryRun) await client.users.patch(user.id, move, { ifMatch: user.meta.version });
  }

  for (const employee of roster) {
    if (seen.has(employee.employeeNumber)) continue;
    // An inactive account for this person may exist (a rehire): reactivate rather than duplicate.
    const [existing] = await client.users
      .list({ filter: eq('externalId', employee.employeeNumber), limit: 1 })
      .toArray();
    report.joiners.push(employee.email);
    if (options.dryRun) continue;
    if (existing) {
      await client.users.patch(existing.id, [
        {
          op: 'replace',
          value: { active: true, [`${ENTERPRISE_USER_SCHEMA}:department`]: employee.department },
        },
      ]);
      continue;
    }
    await client.users.create({
      externalId: employee.employeeNumber,
      userName: employee.email,
      name: { givenName: employee.givenName, familyName: employee.familyName },
      emails: [{ value: employee.email, type: 'work', primary: true }],
      active: true,
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: employee.employeeNumber, department: employee.department },
    });
  }
  return report;
}
