import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../test/harness.js';
import { CONTENT_SECURITY_POLICY } from './routes.js';

let harness: Harness;
let origin: string;
beforeAll(async () => {
  harness = await startHarness();
  origin = new URL(harness.consoleUrl).origin;
});
afterAll(() => harness.close());

const api = (path: string, init: RequestInit = {}) => fetch(`${harness.consoleUrl}api/${path}`, init);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Signs in as the page does and returns the session cookie. */
async function signIn(): Promise<string> {
  const response = await api('session', {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ token: harness.scimConsole.token }),
  });
  expect(response.status).toBe(204);
  const cookie = response.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/; Path=\/console; HttpOnly; SameSite=Strict$/);
  return cookie.split(';')[0]!;
}

/** A raw HTTP request, to send a Host header fetch would not let through. */
function rawGet(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('console access', () => {
  it('serves the page to anyone (it holds no data), under a strict CSP, never framed or sniffed', async () => {
    const page = await fetch(harness.consoleUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect((await fetch(`${harness.consoleUrl}console.js`)).headers.get('content-type')).toMatch(
      /^text\/javascript/,
    );
    const bare = await fetch(harness.consoleUrl.slice(0, -1), { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/console/']);
  });

  it('refuses the API without the console token, with a SCIM token, or with a wrong one', async () => {
    await harness.scim('/ServiceProviderConfig');
    expect((await api('exchanges')).status).toBe(401);
    const withScimToken = await api('exchanges', { headers: bearer(harness.scimToken) });
    expect(withScimToken.status).toBe(401);
    expect(await withScimToken.json()).toEqual({
      message: 'That is not the console token. SCIM bearer tokens do not open the console.',
    });
    expect((await api('events', { headers: bearer(harness.scimToken) })).status).toBe(401);
    expect((await api('exchanges/1', { headers: bearer('x'.repeat(43)) })).status).toBe(401);
    const ok = await api('exchanges', { headers: bearer(harness.scimConsole.token) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
  });

  it('does not let the console token into /scim/v2, nor answer SCIM on the console port', async () => {
    const scim = await harness.scim('/Users', { headers: bearer(harness.scimConsole.token) });
    expect(scim.status).toBe(401);
    const onConsolePort = await fetch(`${origin}/scim/v2/Users`, { headers: bearer(harness.scimToken) });
    expect(onConsolePort.status).toBe(404);
  });

  it('trades the token for an HttpOnly, SameSite=Strict session cookie, only from its own page', async () => {
    const crossSite = await api('session', {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ token: harness.scimConsole.token }),
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    const wrong = await api('session', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ token: harness.scimToken }),
    });
    expect(wrong.status).toBe(401);

    const cookie = await signIn();
    expect((await api('session', { headers: { cookie } })).status).toBe(204);
    expect((await api('exchanges', { headers: { cookie } })).status).toBe(200);
  });

  it('refuses state changes made with the cookie from another origin or without JSON (CSRF)', async () => {
    const cookie = await signIn();
    const forged = await api('clear', {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(forged.status).toBe(403);
    const noOrigin = await api('clear', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noOrigin.status).toBe(403);
    const crossSiteFetch = await api('clear', {
      method: 'POST',
      headers: { cookie, origin, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(crossSiteFetch.status).toBe(403);
    const formPost = await api('clear', {
      method: 'POST',
      headers: { cookie, origin, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(formPost.status).toBe(415);
    expect(harness.scimConsole.history.length).toBeGreaterThan(0);
    const own = await api('clear', {
      method: 'POST',
      headers: { cookie, origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(own.status).toBe(204);
    expect(harness.scimConsole.history.length).toBe(0);
  });

  it('ends a session on sign-out', async () => {
    const cookie = await signIn();
    const out = await api('session', { method: 'DELETE', headers: { cookie, origin } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await api('exchanges', { headers: { cookie } })).status).toBe(401);
  });

  it('answers only requests addressed to a loopback name (DNS rebinding)', async () => {
    const port = new URL(origin).port;
    expect(await rawGet(`${origin}/console/`, `evil.example:${port}`)).toBe(421);
    expect(await rawGet(`${origin}/console/`, `localhost:${port}`)).toBe(200);
  });
});

describe('console access: guessing', () => {
  it('answers 429 after too many wrong tokens in a minute', async () => {
    const guessing = await startHarness();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++) {
        const response = await fetch(`${guessing.consoleUrl}api/exchanges`, {
          headers: bearer(`guess-${i}`),
        });
        statuses.push(response.status);
      }
      expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
      expect(statuses.slice(30)).toEqual([429, 429]);
    } finally {
      await guessing.close();
    }
  });
});
