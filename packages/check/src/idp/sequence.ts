/**
 * Replaying what an identity provider sends over a provisioning cycle: a sequence is plain
 * code over {@link SequenceIo}, with the expectations the IdP depends on. `scimkit check` runs
 * the sequences as checks; scimkit's own store tests run the same sequences with stricter,
 * scimkit-specific assertions added through {@link SequenceHooks}.
 */
import { CheckFailure, expectStatus } from '../expect.js';
import type { Answer, Http, Method } from '../http.js';
import type { IdentityProvider } from '../types.js';

/** What a sequence talks through. */
export interface SequenceIo {
  /** The SCIM base URL. */
  readonly baseUrl: string;
  /** Starts every name the sequence creates (unique per run). */
  readonly prefix: string;
  /** Sends one request of the step named `step` (a path under the base URL, query included). */
  send(step: string, method: Method, path: string, body?: unknown): Promise<Answer>;
}

/** A recorded provisioning cycle of one identity provider. */
export interface IdpSequence {
  readonly idp: IdentityProvider;
  /** `Microsoft Entra ID`, `Okta`. */
  readonly name: string;
  run(io: SequenceIo): Promise<void>;
}

/** Extra assertions on a sequence's answers (scimkit's own tests add exact values this way). */
export interface SequenceHooks {
  /**
   * Called with every answer, before the sequence's own expectations; may send more requests
   * through `io`.
   */
  onAnswer?(step: string, answer: Answer, io: SequenceIo): void | Promise<void>;
}

/** A JSON string literal, URL-encoded, for a filter in a query string. */
export function filterQuery(filter: string): string {
  return encodeURIComponent(filter);
}

/** The PatchOp body of `operations`. */
export function patchOp(...Operations: unknown[]): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations };
}

/**
 * Runs a sequence over `http`. A failed expectation rejects with a `CheckFailure` whose
 * message names the step.
 */
export async function runSequence(
  sequence: IdpSequence,
  options: { http: Http; prefix: string; hooks?: SequenceHooks },
): Promise<void> {
  let current = 'start';
  const io: SequenceIo = {
    baseUrl: options.http.baseUrl,
    prefix: options.prefix,
    async send(step, method, path, body) {
      current = step;
      const answer = await options.http.send({ method, path, ...(body === undefined ? {} : { body }) });
      await options.hooks?.onAnswer?.(step, answer, io);
      return answer;
    },
  };
  try {
    await sequence.run(io);
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new CheckFailure({
      ...error.details,
      message: `${sequence.name}, step "${current}": ${error.details.message}`,
    });
  }
}

/**
 * The resource after a PATCH the IdP sends: 200 with it, or 204 and a GET (RFC 7644 section
 * 3.5.2 allows both, and both IdPs accept both).
 */
export async function afterPatch(
  io: SequenceIo,
  step: string,
  answer: Answer,
  path: string,
): Promise<Answer> {
  expectStatus(answer, [200, 204], 'HTTP 200 with the resource, or 204');
  if (answer.status === 200 && answer.text !== '') return answer;
  const read = await io.send(`${step} (read back)`, 'GET', path);
  expectStatus(read, 200);
  return read;
}
