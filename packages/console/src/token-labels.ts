/**
 * Naming the client behind a request without ever showing its credentials: a label given to
 * its bearer token, or a fingerprint of the token under a key that lives only in this process
 * (so a fingerprint cannot be checked against guessed tokens elsewhere).
 */

import { authorizationParts } from './redaction.js';

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Labels requests by their `Authorization` header. */
export class TokenLabeler {
  readonly #key: Promise<CryptoKey>;
  readonly #labels: Promise<Map<string, string>>;

  /** `labels` maps a label (`Entra ID`) to the bearer token that client uses. */
  constructor(labels: Readonly<Record<string, string>> = {}) {
    this.#key = crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]) as Promise<CryptoKey>;
    this.#labels = Promise.all(
      Object.entries(labels).map(async ([label, token]) => [await this.#fingerprint(token), label] as const),
    ).then((entries) => new Map(entries));
  }

  async #fingerprint(token: string): Promise<string> {
    const signature = await crypto.subtle.sign('HMAC', await this.#key, encoder.encode(token));
    return hex(signature).slice(0, 8);
  }

  /**
   * `Entra ID` for a labelled token, `bearer 1a2b3c4d` for another bearer token, `basic
   * credentials` (another known scheme), `unreadable credentials` or `no token`.
   */
  async label(authorization: string | null): Promise<string> {
    if (authorization === null || authorization.trim() === '') return 'no token';
    const parts = authorizationParts(authorization);
    if (!parts) return 'unreadable credentials';
    if (parts.scheme.toLowerCase() !== 'bearer') return `${parts.scheme.toLowerCase()} credentials`;
    const fingerprint = await this.#fingerprint(parts.credentials);
    return (await this.#labels).get(fingerprint) ?? `bearer ${fingerprint}`;
  }
}
