// `scimkit check` against scimmy + scimmy-routers (npm, Express 5): it reports exactly that
// server's real deviations, each checked by hand against the RFC, and nothing it does right.
import { type CheckReport, formatFailure, runChecks } from '@scimkit/check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningScimmy, SCIMMY_TOKEN, startScimmy } from './scimmy-server.js';

/** Each failing check, with the deviation it found and the first line it reports. */
const DEVIATIONS: [string, RegExp][] = [
  // RFC 7644 §3.3: "The URI of the created resource SHALL include, in the HTTP "Location"
  // header …": scimmy-routers answers POST with res.status(201).send(…), no Location.
  ['users.location', /^\/Users answered 201 without a Location header$/],
  ['groups.location', /^\/Groups answered 201 without a Location header$/],
  // RFC 7643 §4.1.2 (advisory): the in-memory handlers store Users as sent, so "groups" is never computed.
  ['groups.user-groups', /^its groups are nothing$/],
  // RFC 7644 §3.5.2.3: replacing a complex attribute leaves the sub-attributes not named unchanged;
  // scimmy replaces the whole "name" (familyName is lost).
  ['patch.replace-complex', /^name is \{"givenName":"Patricia"\}$/],
  // RFC 7643 §2.1: attribute names are case-insensitive; scimmy answers 400 invalidPath for "DISPLAYNAME".
  ['patch.attribute-names-case-insensitive', /^PATCH \/scim\/Users\/\w+ answered 400, expected 200 or 204$/],
  // Entra ID sends "False" for booleans; scimmy answers 400 invalidValue (an IdP incompatibility, not an RFC one).
  ['patch.string-booleans', /^PATCH \/scim\/Users\/\w+ answered 400, expected 200 or 204$/],
  // RFC 7644 §3.5.2.1: adding a value already there "SHALL NOT change the modify timestamp";
  // scimmy bumps lastModified (and appends a second primary email, against RFC 7643 §2.4).
  ['patch.no-op-add', /^meta\.lastModified changed to "/],
  // RFC 7643 §4.1.1 (userName caseExact false): scimmy's filter compares userName case-sensitively.
  [
    'filter.username-case-insensitive',
    /^GET \/scim\/Users\?filter=userName eq ".*POP\.BOB@EXAMPLE\.COM" found no resources$/,
  ],
  // RFC 7644 §3.4.2.2: emails.value is a valid attribute path; scimmy answers 400 invalidValue
  // "Cannot convert undefined or null to object" once a stored user has no emails.
  ['filter.multi-valued', /^GET \/scim\/Users\?filter=emails\.value eq ".*" answered 400, expected 200$/],
  // Entra ID's emails[type eq "work"].value eq "…" (outside the ABNF): the same 400.
  [
    'filter.value-path-attribute',
    /^GET \/scim\/Users\?filter=emails\[type eq "work"\]\.value eq ".*" answered 400, expected 200$/,
  ],
  // RFC 7644 §3.12 (invalidFilter): "userName eq" (no value) is answered 200 with an empty list.
  ['filter.invalid', /^GET \/scim\/Users\?filter=userName eq answered 200, expected 400$/],
  // RFC 7644 §3.4.2.2: gt on a Boolean "SHALL cause a failed response (HTTP status code 400)
  // with scimType of invalidFilter"; scimmy answers 200 with no resources.
  ['filter.boolean-ordering', /^GET \/scim\/Users\?filter=active gt true answered 200, expected 400$/],
  // RFC 7644 §3.4.2.4: scimmy-routers on Express 5 (its declared peer range is express >=4.18)
  // loses startIndex and count in GET queries (it assigns to req.query, a getter in Express 5),
  // so every page is the first page of 20: more than count, the same at any startIndex.
  ['paging.start-index', /^startIndex=1&count=1 answered 3 resources$/],
  ['paging.count', /^3 resources for count=2$/],
  ['paging.count-zero', /^3 resources for count=0$/],
  ['paging.negative-count', /^3 resources for count=-1$/],
  ['paging.past-the-end', /^3 resources for startIndex=10 \(past the end\)$/],
  // Okta's lookup in another case finds nothing (the userName filter above).
  ['idp.okta', /^Okta, step "look the user up in capitals": totalResults 0, resources \[\]$/],
];

/** What scimmy does not advertise: the checks needing it are skipped, with the reason. */
const SKIPPED: [string, string][] = [
  ['users.enterprise-extension', 'not advertised: enterpriseUser'],
  ['users.change-password', 'not advertised: changePassword'],
  ['patch.extension-path', 'not advertised: enterpriseUser'],
  ['paging.cursor', 'not advertised: cursor'],
  ['paging.invalid-cursor', 'not advertised: cursor'],
  ['errors.precondition-failed', 'not advertised: etag'],
  ['etag.headers', 'not advertised: etag'],
  ['etag.changes', 'not advertised: etag'],
  ['etag.if-none-match', 'not advertised: etag'],
  ['idp.entra-id', 'not advertised: enterpriseUser'],
];

describe('scimkit check against scimmy + scimmy-routers (Express)', () => {
  let scimmy: RunningScimmy;
  let report: CheckReport;

  beforeAll(async () => {
    scimmy = await startScimmy();
    report = await runChecks({ url: scimmy.url, token: SCIMMY_TOKEN });
  });
  afterAll(() => scimmy.close());

  it('reports its real deviations, each with what it found', () => {
    const failed = report.results.filter((result) => result.status === 'failed');
    expect(failed.map((result) => result.id)).toEqual(DEVIATIONS.map(([id]) => id));
    for (const [id, message] of DEVIATIONS) {
      const result = failed.find((candidate) => candidate.id === id);
      expect(result?.failure?.message, formatFailure(result!)).toMatch(message);
    }
    expect(report.summary).toMatchObject({ requiredFailed: DEVIATIONS.length - 1, advisoryFailed: 1 });
    expect(report.ok).toBe(false);
  });

  it('skips what it does not advertise, and passes everything else', () => {
    const skipped = report.results.filter((result) => result.status === 'skipped');
    expect(skipped.map((result) => [result.id, result.skipReason])).toEqual(SKIPPED);
    expect(report.notAdvertised).toEqual(['etag', 'changePassword', 'cursor', 'enterpriseUser']);
    expect(report.summary.passed).toBe(report.results.length - DEVIATIONS.length - SKIPPED.length);
  });

  it('removed every resource it created', () => {
    expect(report.cleanup.leftovers).toEqual([]);
    expect(scimmy.users.size).toBe(0);
    expect(scimmy.groups.size).toBe(0);
  });
});
