import type * as NodeCrypto from 'node:crypto';
import { type ScimRequest, scimError } from './internal/http.js';
import type { StoreContext } from './store.js';

/**
 * Who made a request, as the authentication hook sees it. `tenant` partitions the store;
 * `userId` makes `/Me` answer for that User.
 */
export interface ScimPrincipal {
  /** An identifier of the caller (client application, token name), for audit logs. */
  id?: string;
  /**
   * The tenant whose resources the request reads and writes ({@link StoreContext.tenant}): a
   * non-empty string, or absent for a single-tenant server. Any other value is a configuration
   * error that fails the request with 500 (never the shared default tenant).
   */
  tenant?: string;
  /** The id of the User resource the caller is, which `/Me` serves (RFC 7644 section 3.11). */
  userId?: string;
  /** Anything else the verify callback attaches. */
  [key: string]: unknown;
}

/** Bearer tokens from a fixed list, compared in constant time. */
export interface TokenAuth {
  /**
   * The accepted bearer tokens: at least one, each non-empty and without whitespace
   * (`createScimServer` throws a `TypeError` otherwise).
   */
  tokens: readonly string[];
}

/** A callback that verifies a bearer token (a JWT, an API key in a database…). */
export interface VerifyAuth {
  /**
   * Returns the principal the token belongs to, or `undefined` to reject it (401).
   * Compare secrets in constant time.
   */
  verify(token: string, request: Request): ScimPrincipal | undefined | Promise<ScimPrincipal | undefined>;
}

/**
 * How requests authenticate: HTTP bearer tokens (RFC 6750), from a list or a callback.
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-2
 */
export type ScimAuth = TokenAuth | VerifyAuth;

const encoder = new TextEncoder();

/**
 * `node:crypto` where the runtime offers it (Node 20.16+, Bun, Deno through
 * `process.getBuiltinModule`): hashing there is synchronous and several times faster than Web
 * Crypto's. Elsewhere (Workers without nodejs_compat) Web Crypto does the same job.
 */
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as typeof NodeCrypto | undefined;

/**
 * One-shot `crypto.hash` (Node 20.12+, 21.7+): no Hash object per request, about half the cost
 * of `createHash().update().digest()` for a short token.
 */
const oneShotHash = (
  nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer } | undefined
)?.hash;

function sha256(text: string): Uint8Array | Promise<Uint8Array> {
  if (oneShotHash) return oneShotHash('sha256', text, 'buffer');
  if (nodeCrypto) return nodeCrypto.createHash('sha256').update(text).digest();
  return crypto.subtle.digest('SHA-256', encoder.encode(text)).then((digest) => new Uint8Array(digest));
}

/**
 * Constant-time equality of two SHA-256 digests (same length by construction):
 * `crypto.timingSafeEqual` under Node, else XOR-accumulating every byte (the same technique).
 */
function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (nodeCrypto) return nodeCrypto.timingSafeEqual(a, b);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/** Extracts the bearer token of a request, if any. */
function bearer(request: ScimRequest): string | undefined {
  const header = request.header('authorization');
  if (!header) return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * What makes a configured token unusable, if anything, said so that the operator can fix it
 * (usually its source: an unset or empty environment variable, a secrets file's newline).
 */
function tokenProblem(token: unknown): string | undefined {
  if (token === undefined) {
    return 'is undefined: the environment variable it is read from (such as process.env.SCIM_TOKEN) is not set.';
  }
  if (typeof token !== 'string') return `is ${token === null ? 'null' : `a ${typeof token}`}, not a string.`;
  if (token === '') {
    return 'is an empty string (an environment variable set to nothing?); a bearer token cannot be empty (RFC 6750 section 2.1).';
  }
  if (/\s/.test(token)) {
    return 'contains whitespace (a trailing newline from a secrets file?); a bearer token cannot (RFC 6750 section 2.1).';
  }
  return undefined;
}

/**
 * Builds the per-request authenticator: the principal, or a 401 thrown (or rejected). With a
 * token list and synchronous hashing (Node), it answers without a promise.
 */
export function createAuthenticator(
  auth: ScimAuth,
): (request: ScimRequest) => ScimPrincipal | Promise<ScimPrincipal> {
  if ('tokens' in auth) {
    // A token no Authorization header can carry would lock every client out without a word:
    // fail at start-up instead (the message names the position, never the secret).
    if (auth.tokens.length === 0) {
      throw new TypeError('auth.tokens is empty: configure at least one bearer token.');
    }
    auth.tokens.forEach((token, index) => {
      const problem = tokenProblem(token);
      if (problem) throw new TypeError(`auth.tokens[${index}] ${problem}`);
    });
    let ready: Uint8Array[] | undefined;
    const digests = Promise.all(auth.tokens.map((token) => sha256(token))).then((list) => {
      ready = list;
      return list;
    });
    const check = (presented: Uint8Array, list: readonly Uint8Array[]): ScimPrincipal => {
      let match = false;
      // Compare against every token without stopping early.
      for (const digest of list) match = digestsEqual(presented, digest) || match;
      if (!match) throw unauthorized();
      return {};
    };
    return (request) => {
      const token = bearer(request);
      if (token === undefined) throw unauthorized();
      const hashed = sha256(token);
      if (hashed instanceof Uint8Array && ready) return check(hashed, ready);
      return Promise.all([hashed, digests]).then(([presented, list]) => check(presented, list));
    };
  }
  return async (request) => {
    const token = bearer(request);
    if (token === undefined) throw unauthorized();
    const principal = await auth.verify(token, request.request());
    if (principal === undefined || principal === null) throw unauthorized();
    return principal;
  };
}

function unauthorized() {
  return scimError(401, 'Authentication is required: send a valid bearer token in the Authorization header.');
}

/**
 * The store context of a principal. A `tenant` that is present but not a non-empty string (a
 * number from a JWT claim, `null`, `''`) is a bug in the verify callback: falling back to the
 * shared default tenant would let every such caller see the others' data, so it throws a plain
 * Error, which the server reports through `onError` and answers as a generic 500.
 */
export function contextOf(principal: ScimPrincipal): StoreContext {
  const tenant = principal.tenant;
  if (tenant === undefined) return {};
  if (typeof tenant !== 'string' || tenant === '') {
    throw new TypeError(
      `auth.verify returned a principal whose tenant is ${tenant === '' ? 'an empty string' : typeof tenant === 'object' ? 'null or an object' : `a ${typeof tenant}`}; a tenant must be a non-empty string (or absent for a single-tenant server).`,
    );
  }
  return { tenant };
}
