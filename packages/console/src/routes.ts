/**
 * The console's HTTP surface, all below its path (`/console` by default): the page and its
 * files (public: they hold no data), and `api/…` (the console token or a session): `session`,
 * `state`, `exchanges`, `exchanges/{id}`, `events` (the live stream), `demo` and `clear`.
 * Every response forbids framing, sniffing and caching; the page runs under a CSP that allows
 * nothing but its own files.
 */
import type { ConsoleAccess, Refusal } from './access.js';
import { readCapped } from './capture.js';
import type { DemoRunner } from './demo-runner.js';
import { summarize } from './exchange.js';
import type { ExchangeHistory } from './history.js';
import type { LiveSource, LiveStreams } from './live.js';
import { UI_ASSETS } from './ui-assets.generated.js';

/** The Content-Security-Policy of every console response: its own files, nothing inline, no framing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/** Largest request body the API reads (sign-in and demo options are a few bytes). */
const MAX_API_BODY = 4096;

/** Everything the routes work with. */
export interface ConsoleRoutes {
  path: string;
  access: ConsoleAccess;
  history: ExchangeHistory;
  demo: DemoRunner;
  streams: LiveStreams;
  live: LiveSource;
}

function respond(
  status: number,
  body?: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) {
  return new Response(body ?? null, { status, headers: { ...SECURITY_HEADERS, ...headers } });
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return respond(status, JSON.stringify(value), {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
}

function refuse(refusal: Refusal): Response {
  return json(
    refusal.status,
    { message: refusal.message },
    refusal.status === 401 ? { 'www-authenticate': 'Bearer realm="scimkit-console"' } : {},
  );
}

/** Reads a small JSON object body, or answers why not (415, 413, 400). */
async function jsonBody(request: Request): Promise<Record<string, unknown> | Response> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) return json(415, { message: 'Send application/json.' });
  const raw = await readCapped(request.body, MAX_API_BODY);
  if (raw?.truncated) return json(413, { message: `At most ${MAX_API_BODY} bytes.` });
  try {
    const value: unknown = JSON.parse(raw?.text ?? '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  return json(400, { message: 'Send a JSON object.' });
}

function asset(name: string, method: string): Response {
  const file = Object.hasOwn(UI_ASSETS, name) ? UI_ASSETS[name] : undefined;
  if (!file) return json(404, { message: 'No such console page.' });
  if (method !== 'GET' && method !== 'HEAD')
    return json(405, { message: 'Use GET.' }, { allow: 'GET, HEAD' });
  return respond(200, method === 'HEAD' ? undefined : file.body, { 'content-type': file.type });
}

/** Answers a request below the console's path; `undefined` for any other path. */
export async function handleConsoleRequest(
  routes: ConsoleRoutes,
  request: Request,
): Promise<Response | undefined> {
  const url = new URL(request.url);
  const { path } = routes;
  if (url.pathname !== path && !url.pathname.startsWith(`${path}/`)) return undefined;
  const wrongHost = routes.access.checkHost(request);
  if (wrongHost) return refuse(wrongHost);
  const rest = url.pathname.slice(path.length);
  if (rest === '') return respond(308, undefined, { location: `${path}/` });
  if (rest === '/') return asset('index.html', request.method);
  if (!rest.startsWith('/api/')) return asset(rest.slice(1), request.method);
  return api(routes, request, rest.slice('/api/'.length));
}

async function api(routes: ConsoleRoutes, request: Request, route: string): Promise<Response> {
  const { access, history, demo } = routes;
  const method = request.method;
  // Every POST carries JSON: an HTML form cannot send that across sites (a CSRF defence on top of
  // SameSite cookies and the Origin check).
  const body = method === 'POST' ? await jsonBody(request) : {};
  if (body instanceof Response) return body;
  if (route === 'session' && method === 'POST') {
    const result = await access.signIn(request, body['token']);
    return 'refusal' in result
      ? refuse(result.refusal)
      : respond(204, undefined, { 'set-cookie': result.cookie });
  }
  const refusal = await access.check(request);
  if (refusal) return refuse(refusal);
  const exchange = /^exchanges\/(\d{1,15})$/.exec(route);
  switch (`${method} ${exchange ? 'exchanges/{id}' : route}`) {
    case 'GET session':
      return respond(204);
    case 'DELETE session':
      return respond(204, undefined, { 'set-cookie': access.signOut(request) });
    case 'GET state':
      return json(200, { demo: demo.state, maxEntries: routes.live.maxEntries, dropped: history.dropped });
    case 'GET exchanges':
      return json(200, { exchanges: history.since(0).map(summarize), dropped: history.dropped });
    case 'GET exchanges/{id}': {
      const record = history.get(Number(exchange![1]));
      return record ? json(200, record) : json(404, { message: 'This exchange is no longer kept.' });
    }
    case 'GET events':
      return events(routes, request);
    case 'POST demo': {
      if (!demo.state.available) {
        return json(409, {
          message: 'The demo is not available: the console has no SCIM token for it (demo.token).',
        });
      }
      if (demo.state.running) return json(409, { message: 'The demo is already running.' });
      void demo.run({ hardDelete: body['hardDelete'] === true });
      return json(202, demo.state);
    }
    case 'POST clear':
      history.clear();
      return respond(204);
    default:
      return json(404, { message: 'No such console API.' });
  }
}

function events(routes: ConsoleRoutes, request: Request): Response {
  if (routes.streams.full)
    return json(503, { message: 'Too many open console pages.' }, { 'retry-after': '5' });
  const url = new URL(request.url);
  const last = request.headers.get('last-event-id') ?? url.searchParams.get('after') ?? '0';
  const after = /^\d{1,15}$/.test(last) ? Number(last) : 0;
  return respond(200, routes.streams.open(routes.live, after), {
    'content-type': 'text/event-stream; charset=utf-8',
    'x-accel-buffering': 'no',
  });
}
