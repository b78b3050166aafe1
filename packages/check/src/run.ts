/**
 * Running the catalogue against a server: start (discovery and a token probe), one check at
 * a time, cleanup, report. `runChecks` does it all; `startCheckRun` hands out the steps so a
 * test framework can give each check a test of its own.
 */
import { createScimClient } from '@scimkit/client';
import { CATALOGUE } from './checks/index.js';
import { Tracker } from './cleanup.js';
import { CheckContext, type CheckDefinition, CheckSkipped, errorText } from './context.js';
import { CheckFailure } from './expect.js';
import { exchangeOf, Http, type TokenSource } from './http.js';
import { discover } from './server-info.js';
import {
  type CheckInfo,
  type CheckReport,
  type CheckResult,
  type CheckSummary,
  type CleanupReport,
  FEATURES,
  type Feature,
} from './types.js';

/**
 * Options of {@link runChecks} and {@link startCheckRun}.
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export interface RunChecksOptions {
  /** The SCIM base URL, e.g. `https://example.com/scim/v2`. */
  url: string;
  /** The bearer token, or a function returning it (called before every request). */
  token: TokenSource;
  /**
   * The `fetch` to send requests with (an instrumented one, undici with a proxy, an app's
   * `fetch` handler wrapped to take a URL).
   * @defaultValue `globalThis.fetch`
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Run only the checks that send nothing but GET: safe on a production endpoint.
   * @defaultValue false
   */
  readOnly?: boolean;
  /** Only these checks: ids (`filter.eq`) or groups (`filter`). @defaultValue every check */
  only?: readonly string[];
  /** Leave these checks out: ids or groups. */
  skip?: readonly string[];
  /**
   * The start of every userName, displayName and externalId the run creates.
   * @defaultValue `scimkit-check-` and 8 random hex digits
   */
  prefix?: string;
  /** Milliseconds to wait for each answer. @defaultValue 30_000 */
  timeout?: number;
  /** Extra headers for every request (a tenant header, say). */
  headers?: Record<string, string>;
  /**
   * Stops the run: no further request is sent (one already sent finishes, so that whatever it
   * creates is seen), cleanup runs, then `runChecks` rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /** Called as each check starts. */
  onCheckStart?: (check: CheckInfo) => void;
  /** Called with each result as soon as it is known. */
  onResult?: (result: CheckResult) => void;
}

/** Why a run could not start: the server cannot be reached, or refuses the token. */
export class CheckRunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckRunError';
  }
}

/** Whether `check` is selected by `only` and `skip` (ids or group names). */
function selected(
  check: CheckInfo,
  only: readonly string[] | undefined,
  skip: readonly string[] | undefined,
): boolean {
  const matches = (names: readonly string[]) =>
    names.some((name) => name === check.id || name === check.group);
  return (only === undefined || only.length === 0 || matches(only)) && !(skip && matches(skip));
}

/**
 * The checks a run with these options goes through, in catalogue order; an unknown name in
 * `only` or `skip` is an error, so a typo never silently runs nothing.
 */
export function selectDefinitions(
  options: Pick<RunChecksOptions, 'only' | 'skip'> = {},
): readonly CheckDefinition[] {
  const known = new Set(CATALOGUE.flatMap((check) => [check.id, check.group]));
  for (const name of [...(options.only ?? []), ...(options.skip ?? [])]) {
    if (!known.has(name)) throw new CheckRunError(`unknown check or group "${name}"`);
  }
  return CATALOGUE.filter((check) => selected(check, options.only, options.skip));
}

function randomPrefix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `scimkit-check-${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function resultOf(
  check: CheckInfo,
  status: CheckResult['status'],
  durationMs: number,
  extra: Partial<CheckResult> = {},
): CheckResult {
  const { id, group, title, level, rfc, idps } = check;
  return { id, group, title, level, rfc, idps, status, durationMs, ...extra };
}

/**
 * The catalogue: every check (or those `only` and `skip` select) with its id, group, level,
 * RFC section and the IdPs that depend on it.
 * @example
 * ```ts
 * import { listChecks } from '@scimkit/check';
 *
 * for (const check of listChecks({ only: ['idp'] })) console.log(check.id, check.title);
 * ```
 */
export function listChecks(options: Pick<RunChecksOptions, 'only' | 'skip'> = {}): CheckInfo[] {
  return selectDefinitions(options).map(({ run: _run, ...info }) => info);
}

/** Counts results. */
function summarize(results: readonly CheckResult[]): CheckSummary {
  const failed = results.filter((result) => result.status === 'failed');
  return {
    total: results.length,
    passed: results.filter((result) => result.status === 'passed').length,
    failed: failed.length,
    skipped: results.filter((result) => result.status === 'skipped').length,
    requiredFailed: failed.filter((result) => result.level === 'required').length,
    advisoryFailed: failed.filter((result) => result.level === 'advisory').length,
  };
}

/**
 * A started run: run its checks one by one (in any order; fixtures are created on first
 * use), then finish it to clean up and get the report.
 */
export class CheckRun {
  /** The checks selected, in catalogue order. */
  readonly checks: readonly CheckInfo[];
  readonly #definitions: ReadonlyMap<string, CheckDefinition>;
  readonly #context: CheckContext;
  readonly #tracker: Tracker;
  readonly #options: RunChecksOptions;
  readonly #results = new Map<string, CheckResult>();
  readonly #started = Date.now();
  #cleanup: CleanupReport | undefined;

  /** @internal Use {@link startCheckRun}. */
  constructor(
    context: CheckContext,
    tracker: Tracker,
    checks: readonly CheckDefinition[],
    options: RunChecksOptions,
  ) {
    this.#context = context;
    this.#tracker = tracker;
    this.checks = checks;
    this.#definitions = new Map(checks.map((check) => [check.id, check]));
    this.#options = options;
  }

  /** The prefix of everything this run creates. */
  get prefix(): string {
    return this.#context.prefix;
  }

  /** Why `check` does not run on this server, if it does not. */
  skipReason(check: CheckInfo): string | undefined {
    if (this.#context.readOnly && check.writes) return 'read-only run';
    const missing = check.requires.filter((feature) => !this.#context.has(feature));
    if (missing.length > 0) return `not advertised: ${missing.join(', ')}`;
    return undefined;
  }

  /** Runs one check of {@link CheckRun.checks} (at most once; a second call returns the first result). */
  async run(info: CheckInfo): Promise<CheckResult> {
    const done = this.#results.get(info.id);
    if (done) return done;
    const check = this.#definitions.get(info.id);
    if (!check) throw new CheckRunError(`the check ${info.id} is not part of this run`);
    this.#options.onCheckStart?.(check);
    const reason = this.skipReason(check);
    let result: CheckResult;
    if (reason !== undefined) result = resultOf(check, 'skipped', 0, { skipReason: reason });
    else {
      const started = Date.now();
      try {
        await check.run(this.#context);
        result = resultOf(check, 'passed', Date.now() - started);
      } catch (error) {
        result = this.#failed(check, error, Date.now() - started);
      }
    }
    this.#results.set(check.id, result);
    this.#options.onResult?.(result);
    return result;
  }

  #failed(check: CheckDefinition, error: unknown, durationMs: number): CheckResult {
    if (error instanceof CheckSkipped)
      return resultOf(check, 'skipped', durationMs, { skipReason: error.message });
    if (this.#options.signal?.aborted) throw this.#options.signal.reason;
    const exchange = exchangeOf(error) ?? this.#context.lastExchange;
    const details =
      error instanceof CheckFailure
        ? error.details
        : {
            message: exchangeOf(error)
              ? `no answer: ${errorText(error)}`
              : `the check stopped: ${errorText(error)}`,
            expected: 'an answer the check can read',
            ...(exchange ? { exchange } : {}),
          };
    return resultOf(check, 'failed', durationMs, { failure: { ...details, why: check.why } });
  }

  /** Removes what the run created (once) and returns the report. */
  async finish(): Promise<CheckReport> {
    this.#cleanup ??= await this.#tracker.cleanup({ patch: this.#context.has('patch') });
    const results = this.checks
      .map((check) => this.#results.get(check.id))
      .filter((result) => result !== undefined);
    const summary = summarize(results);
    const features = this.#context.server.features;
    return {
      baseUrl: this.#context.http.baseUrl,
      startedAt: new Date(this.#started).toISOString(),
      durationMs: Date.now() - this.#started,
      readOnly: this.#context.readOnly,
      prefix: this.#context.prefix,
      ok: summary.requiredFailed === 0,
      summary,
      features,
      notAdvertised: FEATURES.filter((feature: Feature) => !features[feature]),
      results,
      cleanup: this.#cleanup,
    };
  }
}

/**
 * Connects to the server (discovery, and a `GET /Users` to see the token accepted) and
 * returns a run whose checks can be run one at a time.
 * @throws {@link CheckRunError} when the server cannot be reached or refuses the token.
 */
export async function startCheckRun(options: RunChecksOptions): Promise<CheckRun> {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new CheckRunError(`"${options.url}" is not a URL (expected e.g. https://example.com/scim/v2)`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new CheckRunError(`"${options.url}" is not an http(s) URL`);
  const checks = selectDefinitions(options);
  const readOnly = options.readOnly === true;
  const http = new Http({
    baseUrl: options.url,
    token: options.token,
    fetch: options.fetch,
    timeout: options.timeout,
    headers: options.headers,
    signal: options.signal,
    readOnly,
  });
  const tracker = new Tracker(http);
  // The client sends through the recording fetch, which adds the token.
  const client = createScimClient({ baseUrl: http.baseUrl, token: '', fetch: http.fetch, retry: 0 });
  let probe: Awaited<ReturnType<Http['send']>>;
  try {
    probe = await http.send({ method: 'GET', path: '/Users', query: { count: 1 } });
  } catch (error) {
    throw new CheckRunError(`cannot reach ${http.baseUrl}: ${errorText(error)}`, { cause: error });
  }
  if (probe.status === 401 || probe.status === 403) {
    throw new CheckRunError(`${http.baseUrl} refused the token: GET /Users answered ${probe.status}`);
  }
  const server = await discover(http);
  const context = new CheckContext({
    http,
    client,
    server,
    prefix: options.prefix ?? randomPrefix(),
    readOnly,
  });
  return new CheckRun(context, tracker, checks, options);
}

/**
 * Runs the conformance checks against a live SCIM service provider: discovery, User and
 * Group CRUD, PATCH, filters, paging, projection, errors, ETags, bulk, uniqueness and the
 * Entra ID and Okta provisioning cycles. It creates only resources whose names start with a
 * unique prefix and removes them at the end (deactivating users where DELETE is refused).
 *
 * @example
 * ```ts
 * import { runChecks } from '@scimkit/check';
 *
 * const report = await runChecks({ url: 'https://example.com/scim/v2', token: process.env.SCIM_TOKEN! });
 * for (const result of report.results) if (result.status === 'failed') console.log(result.id, result.failure?.message);
 * process.exitCode = report.ok ? 0 : 1;
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7644
 */
export async function runChecks(options: RunChecksOptions): Promise<CheckReport> {
  const run = await startCheckRun(options);
  let report: CheckReport;
  try {
    for (const check of run.checks) {
      options.signal?.throwIfAborted();
      await run.run(check);
    }
  } finally {
    // Cleanup runs whatever happened, an aborted run included.
    report = await run.finish();
  }
  return report;
}
