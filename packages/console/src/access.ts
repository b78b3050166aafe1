/**
 * Who may use the console: whoever holds its own token (never a SCIM bearer token), presented
 * once to open a session (an HttpOnly, SameSite=Strict cookie scoped to the console's path) or
 * as `Authorization: Bearer` by scripts. State-changing requests authenticated by the cookie
 * must come from the console's own page (Origin check), and a console on a loopback address
 * answers only requests addressed to a loopback name (DNS rebinding).
 */

const encoder = new TextEncoder();

/** Most sessions kept; the oldest is forgotten beyond it. */
const MAX_SESSIONS = 64;
/** Failed sign-ins tolerated per minute before answering 429. */
const MAX_FAILURES_PER_MINUTE = 30;

function randomToken(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  let binary = '';
  for (const byte of buffer) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Constant-time equality of two secrets (compared as SHA-256 digests, so lengths leak nothing). */
async function sameSecret(presented: string, expected: Uint8Array): Promise<boolean> {
  const hashed = await digest(presented);
  let difference = 0;
  for (let i = 0; i < hashed.length; i++) difference |= hashed[i]! ^ expected[i]!;
  return difference === 0;
}

/** A new console token: 32 random bytes, base64url. */
export function createConsoleToken(): string {
  return randomToken(32);
}

/** Why a request was refused, as an HTTP status and a sentence. */
export interface Refusal {
  status: 401 | 403 | 421 | 429;
  message: string;
}

/** Options of {@link ConsoleAccess}. */
export interface ConsoleAccessOptions {
  /** The console token. */
  token: string;
  /** The console's path (the cookie's `Path`). */
  path: string;
  /** Host names (without port) requests may be addressed to; any when absent. */
  allowedHosts?: readonly string[];
}

/** The console's token, sessions and request checks. */
export class ConsoleAccess {
  readonly #expected: Promise<Uint8Array>;
  readonly #sessions = new Set<string>();
  readonly #path: string;
  readonly #allowedHosts: Set<string> | undefined;
  /** Distinguishes the cookies of several consoles on one host (cookies ignore ports). */
  readonly cookieName = `scimkit_console_${randomToken(6).replace(/[-_]/g, 'x')}`;
  #failures: number[] = [];

  constructor(options: ConsoleAccessOptions) {
    this.#expected = digest(options.token);
    this.#path = options.path;
    this.#allowedHosts = options.allowedHosts
      ? new Set(options.allowedHosts.map((host) => host.toLowerCase()))
      : undefined;
  }

  /** A refusal when the request is addressed to a host name the console does not answer. */
  checkHost(request: Request): Refusal | undefined {
    if (!this.#allowedHosts) return undefined;
    const hostname = new URL(request.url).hostname.toLowerCase();
    if (this.#allowedHosts.has(hostname)) return undefined;
    return {
      status: 421,
      message: `This console answers requests to ${[...this.#allowedHosts].join(', ')} only.`,
    };
  }

  /**
   * Whether the request carries the console token (`Authorization: Bearer`) or a session
   * cookie; for state-changing methods authenticated by cookie, also that it comes from the
   * console's own origin.
   */
  async check(request: Request): Promise<Refusal | undefined> {
    const authorization = request.headers.get('authorization');
    if (authorization !== null) {
      const limited = this.#limited();
      if (limited) return limited;
      const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
      if (match && (await sameSecret(match[1]!, await this.#expected))) return undefined;
      return this.#failed();
    }
    const session = this.#sessionOf(request);
    if (session === undefined || !this.#sessions.has(session)) {
      return { status: 401, message: 'Sign in with the console token (the link scimkit serve printed).' };
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sameOrigin(request);
    return undefined;
  }

  /** Trades the console token (`token` of the sign-in request's JSON body) for a session cookie. */
  async signIn(request: Request, token: unknown): Promise<{ refusal: Refusal } | { cookie: string }> {
    const origin = sameOrigin(request);
    if (origin) return { refusal: origin };
    const limited = this.#limited();
    if (limited) return { refusal: limited };
    if (typeof token !== 'string' || !(await sameSecret(token, await this.#expected))) {
      return { refusal: this.#failed() };
    }
    const session = randomToken(32);
    this.#sessions.add(session);
    if (this.#sessions.size > MAX_SESSIONS) this.#sessions.delete(this.#sessions.values().next().value!);
    const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
    return {
      cookie: `${this.cookieName}=${session}; Path=${this.#path}; HttpOnly; SameSite=Strict${secure}`,
    };
  }

  /** Ends the request's session; returns the cookie that clears it. */
  signOut(request: Request): string {
    const session = this.#sessionOf(request);
    if (session !== undefined) this.#sessions.delete(session);
    return `${this.cookieName}=; Path=${this.#path}; HttpOnly; SameSite=Strict; Max-Age=0`;
  }

  #sessionOf(request: Request): string | undefined {
    const cookies = request.headers.get('cookie') ?? '';
    for (const part of cookies.split(';')) {
      const equals = part.indexOf('=');
      if (equals > 0 && part.slice(0, equals).trim() === this.cookieName)
        return part.slice(equals + 1).trim();
    }
    return undefined;
  }

  #limited(): Refusal | undefined {
    const now = Date.now();
    this.#failures = this.#failures.filter((time) => now - time < 60_000);
    if (this.#failures.length < MAX_FAILURES_PER_MINUTE) return undefined;
    return { status: 429, message: 'Too many wrong console tokens; try again in a minute.' };
  }

  #failed(): Refusal {
    this.#failures.push(Date.now());
    return {
      status: 401,
      message: 'That is not the console token. SCIM bearer tokens do not open the console.',
    };
  }
}

/**
 * A refusal unless the request comes from a page of the console's own origin: browsers send
 * `Origin` with every POST, and a cross-site page cannot make it lie.
 */
function sameOrigin(request: Request): Refusal | undefined {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (origin === new URL(request.url).origin && (site === null || site === 'same-origin')) return undefined;
  return { status: 403, message: 'Only the console page itself may do this (cross-origin request refused).' };
}
