/**
 * The shapes of the check catalogue and of a run's report: plain data, so a report can be
 * written as JSON, turned into JUnit XML or compared in a test.
 */

/** The groups checks are listed in, in the order they run. */
export const CHECK_GROUPS = [
  'discovery',
  'users',
  'groups',
  'patch',
  'filter',
  'paging',
  'projection',
  'errors',
  'etag',
  'bulk',
  'uniqueness',
  'idp',
] as const;

/** One of {@link CHECK_GROUPS}. */
export type CheckGroup = (typeof CHECK_GROUPS)[number];

/**
 * `required`: the RFC says MUST/SHALL, or Entra ID or Okta provisioning breaks without it; a
 * failure fails the run. `advisory`: SHOULD/MAY behaviour worth having; reported, never fatal.
 */
export type CheckLevel = 'required' | 'advisory';

/** An identity provider whose provisioning depends on a behaviour. */
export type IdentityProvider = 'entra-id' | 'okta';

/**
 * What a server must advertise before the checks that use it run. All but `groups` and
 * `enterpriseUser` come from `/ServiceProviderConfig` (`cursor` from RFC 9865 `pagination`);
 * those two come from `/ResourceTypes`.
 * @see https://www.rfc-editor.org/rfc/rfc7643#section-5
 */
export type Feature =
  | 'patch'
  | 'bulk'
  | 'filter'
  | 'sort'
  | 'etag'
  | 'changePassword'
  | 'cursor'
  | 'groups'
  | 'enterpriseUser';

/** Every {@link Feature}, in the order reports list them. */
export const FEATURES: readonly Feature[] = [
  'patch',
  'filter',
  'sort',
  'etag',
  'bulk',
  'changePassword',
  'cursor',
  'groups',
  'enterpriseUser',
];

/** What the catalogue says about one check. */
export interface CheckInfo {
  /** Stable id, `<group>.<name>`, e.g. `filter.username-case-insensitive`. */
  readonly id: string;
  /** The group the check belongs to. */
  readonly group: CheckGroup;
  /** One line saying what the server must do. */
  readonly title: string;
  /** Whether a failure fails the run. */
  readonly level: CheckLevel;
  /** The RFC section the expectation comes from (a link to rfc-editor.org). */
  readonly rfc: string;
  /** Identity providers whose provisioning depends on this behaviour. */
  readonly idps: readonly IdentityProvider[];
  /** Why it matters, shown with a failure. */
  readonly why: string;
  /** Features the server must advertise for the check to run. */
  readonly requires: readonly Feature[];
  /** Whether the check sends anything but GET (read-only runs skip those). */
  readonly writes: boolean;
}

/** One HTTP exchange as a report shows it: the token is never included. */
export interface RecordedExchange {
  /** The request as sent. */
  readonly request: {
    readonly method: string;
    readonly url: string;
    /** Request headers, with `authorization` redacted. */
    readonly headers: Readonly<Record<string, string>>;
    /** The body (cut to a readable length). */
    readonly body?: string;
  };
  /** The answer, when there was one. */
  readonly response?: {
    readonly status: number;
    /** The headers that matter for SCIM: content-type, location, etag. */
    readonly headers: Readonly<Record<string, string>>;
    /** The body (cut to a readable length). */
    readonly body: string;
  };
  /** Why there was no answer (network error, timeout). */
  readonly error?: string;
}

/** Why a check failed. */
export interface CheckFailureDetails {
  /** One line: what went wrong. */
  readonly message: string;
  /** What the server should have done. */
  readonly expected: string;
  /** What it did instead, when that is not obvious from the exchange. */
  readonly actual?: string;
  /** The exchange that showed the problem. */
  readonly exchange?: RecordedExchange;
}

/** `passed`, `failed`, or `skipped` (feature not advertised, read-only run, or excluded). */
export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** The outcome of one check, with what the catalogue says about it. */
export interface CheckResult extends Pick<CheckInfo, 'id' | 'group' | 'title' | 'level' | 'rfc' | 'idps'> {
  readonly status: CheckStatus;
  /** Milliseconds the check took (0 when skipped). */
  readonly durationMs: number;
  /** Why the check was skipped. */
  readonly skipReason?: string;
  /** Why the check failed. */
  readonly failure?: CheckFailureDetails & { readonly why: string };
}

/** A resource the run created and could not remove. */
export interface Leftover {
  /** `/Users` or `/Groups`. */
  readonly endpoint: string;
  readonly id: string;
  /** What the server answered to DELETE (and to the deactivation, for users). */
  readonly reason: string;
}

/** What the run did to clean up after itself. */
export interface CleanupReport {
  /** Resources removed with DELETE. */
  readonly deleted: number;
  /** Users deactivated (`active: false`) because the server refused DELETE. */
  readonly deactivated: number;
  /** Resources left behind. */
  readonly leftovers: readonly Leftover[];
}

/** Counts of a report's results. */
export interface CheckSummary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Failed checks of level `required`: the run fails when this is not 0. */
  readonly requiredFailed: number;
  readonly advisoryFailed: number;
}

/** Everything a run found. */
export interface CheckReport {
  /** The SCIM base URL checked. */
  readonly baseUrl: string;
  /** ISO 8601 time the run started. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Whether only GET checks ran. */
  readonly readOnly: boolean;
  /** The prefix of every userName, displayName and externalId the run created. */
  readonly prefix: string;
  /** True when no required check failed. */
  readonly ok: boolean;
  readonly summary: CheckSummary;
  /** What the server advertised. */
  readonly features: Readonly<Record<Feature, boolean>>;
  /** Features not advertised: the checks needing them were skipped. */
  readonly notAdvertised: readonly Feature[];
  /** One result per check of the catalogue, in catalogue order. */
  readonly results: readonly CheckResult[];
  readonly cleanup: CleanupReport;
}
