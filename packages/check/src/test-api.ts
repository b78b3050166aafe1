/**
 * One test per check in a server's own test suite (vitest, jest, or any runner with the
 * `describe`/`it`/`beforeAll`/`afterAll` shape), without depending on any of them.
 */
import { formatFailure } from './format.js';
import { type CheckRun, listChecks, type RunChecksOptions, startCheckRun } from './run.js';
import type { CheckReport } from './types.js';

/** The test context a runner passes to a test function; `skip` marks the test skipped (vitest). */
export interface TestContextLike {
  skip?: (note?: string) => void;
}

/** The part of a test runner's API {@link describeChecks} uses (vitest's and jest's shape). */
export interface TestApi {
  describe(name: string, body: () => void): void;
  it(name: string, test: (context: TestContextLike) => Promise<void>, timeout?: number): void;
  beforeAll(hook: () => Promise<void>, timeout?: number): void;
  afterAll(hook: () => Promise<void>, timeout?: number): void;
}

/** Options of {@link describeChecks}: those of `runChecks` but the target, plus a timeout. */
export interface DescribeChecksOptions
  extends Omit<RunChecksOptions, 'url' | 'token' | 'onCheckStart' | 'onResult'> {
  /** Milliseconds each check's test may take. @defaultValue 60_000 */
  timeout?: number;
  /** The describe block's name. @defaultValue `scimkit check` */
  name?: string;
  /** Called with the report once every check ran and cleanup is done. */
  onReport?: (report: CheckReport) => void;
}

/** Where the server under test is: resolved in `beforeAll`, so it can be started there. */
export type CheckTarget = Pick<RunChecksOptions, 'url' | 'token' | 'fetch'>;

/**
 * Registers one test per check (named `<id>: <title>`) inside a `describe` block. The server
 * is reached in `beforeAll` and everything the checks created is removed in `afterAll`. A
 * failed check (advisory ones too) fails its test with the explanation; a check for a feature
 * the server does not advertise is marked skipped. Leave checks out with `skip`.
 *
 * @example
 * ```ts
 * import { describeChecks } from '@scimkit/check';
 * import { afterAll, beforeAll, describe, it } from 'vitest';
 *
 * declare function startMyServer(): Promise<{ url: string }>; // your server, on a free port
 *
 * describeChecks({ describe, it, beforeAll, afterAll }, async () => {
 *   const { url } = await startMyServer();
 *   return { url: `${url}/scim/v2`, token: 'test-token' };
 * }, { skip: ['etag.if-none-match'] });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export function describeChecks(
  test: TestApi,
  target: () => CheckTarget | Promise<CheckTarget>,
  options: DescribeChecksOptions = {},
): void {
  const { timeout = 60_000, name = 'scimkit check', onReport, ...runOptions } = options;
  const checks = listChecks(runOptions);
  test.describe(name, () => {
    let run: CheckRun | undefined;
    test.beforeAll(async () => {
      run = await startCheckRun({ ...runOptions, ...(await target()) });
    }, timeout);
    test.afterAll(async () => {
      const report = await run?.finish();
      if (report) onReport?.(report);
    }, timeout);
    for (const check of checks) {
      test.it(
        `${check.id}: ${check.title}`,
        async (context) => {
          if (!run) throw new Error('the check run did not start (see beforeAll)');
          const result = await run.run(check);
          if (result.status === 'failed') throw new Error(formatFailure(result));
          if (result.status === 'skipped') context?.skip?.(result.skipReason);
        },
        timeout,
      );
    }
  });
}
