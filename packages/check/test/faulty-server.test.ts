// Each fault of the faulty server is flagged by exactly the checks that depend on that
// behaviour, and by no other: the other checks read leniently whatever they do not check.
import { type CheckReport, formatFailure, runChecks } from '@scimkit/check';
import { describe, expect, it } from 'vitest';
import { type Fault, startFaultyServer } from './faulty-server.js';

async function run(faults: Fault[]): Promise<CheckReport> {
  const server = await startFaultyServer(faults);
  try {
    return await runChecks({ url: server.url, token: server.token });
  } finally {
    await server.close();
  }
}

const failedIds = (report: CheckReport) =>
  report.results.filter((result) => result.status === 'failed').map((result) => result.id);

/** The checks each fault fails, and a line of what the first of them says. */
const EXPECTED: [Fault, string[], RegExp][] = [
  // Every check reading totalResults over the population; lookups that find 0 or 1 are right by chance.
  [
    'total-results-of-page',
    ['paging.total-results', 'paging.count-zero', 'paging.negative-count', 'paging.past-the-end'],
    /^totalResults is 1$/,
  ],
  [
    'case-sensitive-username',
    ['filter.username-case-insensitive', 'idp.okta'],
    /^GET \/scim\/v2\/Users\?filter=userName eq ".*POP\.BOB@EXAMPLE\.COM" found no resources$/,
  ],
  [
    'password-returned',
    ['users.change-password', 'projection.password-never', 'idp.okta'],
    /^the PATCH answer contains the password$/,
  ],
  ['no-location', ['users.location', 'groups.location'], /^\/Users answered 201 without a Location header$/],
  [
    'lowercase-ops-only',
    ['patch.op-names-case-insensitive', 'idp.entra-id'],
    /^PATCH \/scim\/v2\/Users\/.* answered 400, expected 200 or 204$/,
  ],
  // Without a ListResponse there is no totalResults nor nextCursor to read, and both IdPs read them.
  [
    'bare-array-lists',
    [
      'paging.list-response',
      'paging.total-results',
      'paging.count-zero',
      'paging.negative-count',
      'paging.past-the-end',
      'paging.cursor',
      'idp.entra-id',
      'idp.okta',
    ],
    /^the list is a bare JSON array$/,
  ],
  [
    'filter-500',
    ['filter.invalid', 'filter.boolean-ordering'],
    /^GET \/scim\/v2\/Users\?filter=userName eq answered 500, expected 400$/,
  ],
  [
    'no-delete',
    ['users.delete', 'groups.delete', 'errors.not-found-on-write', 'idp.entra-id'],
    /^DELETE \/scim\/v2\/Users\/.* answered 405, expected 204$/,
  ],
];

describe('scimkit check against a faulty server', () => {
  it('passes everything when the server has no fault (the faulty layer is transparent)', async () => {
    const report = await run([]);
    expect(report.results.filter((result) => result.status === 'failed').map(formatFailure)).toEqual([]);
    expect(report.summary.skipped).toBe(0);
  });

  it.each(EXPECTED)('flags %s, and only it', async (fault, ids, message) => {
    const report = await run([fault]);
    expect(failedIds(report)).toEqual(ids);
    const first = report.results.find((result) => result.id === ids[0]);
    expect(first?.failure?.message).toMatch(message);
    expect(first?.failure?.exchange?.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2\//);
    expect(report.ok).toBe(false);
  });

  it('deactivates the users it cannot delete and lists the groups it had to leave', async () => {
    const server = await startFaultyServer(['no-delete']);
    try {
      const report = await runChecks({ url: server.url, token: server.token });
      const users = (await (
        await fetch(`${server.url}/Users?count=500`, { headers: { authorization: `Bearer ${server.token}` } })
      ).json()) as { Resources: { active?: boolean }[] };
      expect(report.cleanup.deleted).toBe(0);
      expect(report.cleanup.deactivated).toBe(users.Resources.length);
      expect(users.Resources.filter((user) => user.active !== false)).toEqual([]);
      expect(new Set(report.cleanup.leftovers.map((leftover) => leftover.endpoint))).toEqual(
        new Set(['/Groups']),
      );
      expect(report.cleanup.leftovers[0]?.reason).toBe('DELETE answered 405');
    } finally {
      await server.close();
    }
  });
});
