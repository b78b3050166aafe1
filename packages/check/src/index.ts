/**
 * @packageDocumentation
 * Is a SCIM endpoint ready for Microsoft Entra ID and Okta? `@scimkit/check` runs about a
 * hundred checks against any live SCIM 2.0 service provider (discovery, User and Group CRUD,
 * PATCH, filters, paging, projection, errors, ETags, bulk, uniqueness, and the Entra ID and
 * Okta provisioning cycles end to end), each tied to the RFC section or the IdP that depends
 * on it. It creates only resources with a unique prefix and removes them afterwards;
 * `readOnly` runs only GET checks. Results come as data ({@link CheckReport}), as JUnit XML,
 * or as one test per check in the server's own test suite ({@link describeChecks}). The
 * `scimkit check` command of `@scimkit/cli` is its command-line front end.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { runChecks, toJUnit } from '@scimkit/check';
 *
 * const report = await runChecks({ url: 'https://example.com/scim/v2', token: process.env.SCIM_TOKEN! });
 * console.log(`${report.summary.passed} passed, ${report.summary.failed} failed`);
 * await writeFile('scim-check.xml', toJUnit(report));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export { failureLines, formatFailure, IDP_NAMES, levelLabel, toJUnit } from './format.js';
export type { TokenSource } from './http.js';
export {
  CheckRun,
  CheckRunError,
  listChecks,
  type RunChecksOptions,
  runChecks,
  startCheckRun,
} from './run.js';
export {
  type CheckTarget,
  type DescribeChecksOptions,
  describeChecks,
  type TestApi,
  type TestContextLike,
} from './test-api.js';
export {
  CHECK_GROUPS,
  type CheckFailureDetails,
  type CheckGroup,
  type CheckInfo,
  type CheckLevel,
  type CheckReport,
  type CheckResult,
  type CheckStatus,
  type CheckSummary,
  type CleanupReport,
  FEATURES,
  type Feature,
  type IdentityProvider,
  type Leftover,
  type RecordedExchange,
} from './types.js';
