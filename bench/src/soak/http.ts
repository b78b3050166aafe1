/**
 * The HTTP half of the soak: the built `scimkit serve --db` (SQLite, in its own process) under
 * mutated requests for a fixed time. Every error answer must be a SCIM Error body with a 4xx
 * status; a 5xx, an error without a SCIM body, a hang, a crash or a leaked password counts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filterCorpus } from '../corpus/filters.js';
import { PATCH_CASES } from '../corpus/patches.js';
import type { Random } from '../corpus/prng.js';
import { userToCreate } from '../corpus/users.js';
import { shown } from './library.js';
import { mutateJson, mutateText } from './mutate.js';

/** What the HTTP soak saw. */
export interface HttpTally {
  seconds: number;
  requests: number;
  byStatus: Record<string, number>;
  /** Error answers that are SCIM Error bodies with a 4xx status. */
  typed: number;
  /** 5xx answers (but /Me's 501) and error answers without a SCIM Error body. */
  untyped: number;
  /** Requests with no answer within 10 s, or a dropped connection. */
  failures: number;
  passwordLeaks: number;
  slowest: { ms: number; request: string };
  examples: { request: string; answer: string }[];
  /** Whether the server still answered, and answered cleanly, at the end. */
  aliveAfter: boolean;
  pollutedAfter: boolean;
}

const TOKEN = 'soak-token-7c1d9e';
const PASSWORD = 'soak-Secret-Pw-31337';
const SCHEMAS = {
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  bulk: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  search: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
};

const cliBin = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));

/** Starts the built CLI's server on a fresh SQLite file; resolves with its base URL. */
function startServer(directory: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    [cliBin, 'serve', '--port', '0', '--token', TOKEN, '--db', join(directory, 'soak.db')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.indexOf('\n');
      if (line >= 0) resolve({ child, base: out.slice(0, line).trim() });
    });
    child.once('exit', (code) => reject(new Error(`scimkit serve exited with ${code} before listening`)));
  });
}

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** One mutated request: a real endpoint, method, query, headers and body, then some edits. */
function makeRequest(random: Random, ids: { user: string; group: string }, filters: readonly string[]): Sent {
  const method = random.pick([
    'GET',
    'GET',
    'GET',
    'POST',
    'POST',
    'PUT',
    'PATCH',
    'PATCH',
    'DELETE',
    'HEAD',
    'OPTIONS',
  ]);
  let path = random.pick([
    '/Users',
    `/Users/${ids.user}`,
    '/Groups',
    `/Groups/${ids.group}`,
    '/Bulk',
    '/.search',
    '/Users/.search',
    '/ServiceProviderConfig',
    '/Schemas',
    '/ResourceTypes',
    '/Me',
    '/openapi.json',
  ]);
  if (random.bool(0.15)) path = mutateText(random, path);
  const query: string[] = [];
  if (random.bool(0.5))
    query.push(
      `filter=${encodeURIComponent(mutateText(random, random.pick(filters)).replace(/[\ud800-\udfff]/g, '?'))}`,
    );
  if (random.bool(0.2))
    query.push(`attributes=${random.pick(['userName', 'password', 'emails.value', '__proto__', 'members'])}`);
  if (random.bool(0.2)) query.push(`count=${random.pick(['0', '-1', '5', '1e9', 'x', '100000'])}`);
  if (random.bool(0.1)) query.push(`startIndex=${random.pick(['0', '-5', '2', 'NaN'])}`);
  if (random.bool(0.1)) query.push(`sortBy=${random.pick(['userName', 'password', 'meta.created', 'x'])}`);
  if (random.bool(0.05)) query.push(random.pick(['filter=%FF', 'cursor=', 'cursor=abc', '%C3=1']));
  const headers: Record<string, string> = {};
  if (random.bool(0.92)) headers.authorization = `Bearer ${TOKEN}`;
  else headers.authorization = random.pick(['Bearer wrong', 'Basic eDp5', '']);
  if (random.bool(0.1)) headers['if-match'] = random.pick(['W/"1"', '*', 'W/"999"', '"x"']);
  if (random.bool(0.05)) headers['if-none-match'] = 'W/"1"';
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    headers['content-type'] = random.pick([
      'application/scim+json',
      'application/scim+json',
      'application/json',
      'text/plain',
    ]);
    const template = path.includes('Bulk')
      ? {
          schemas: [SCHEMAS.bulk],
          failOnErrors: random.int(3),
          Operations: [
            { method: 'POST', path: '/Users', bulkId: 'b1', data: userToCreate(10_000 + random.int(1e6)) },
            {
              method: 'PATCH',
              path: '/Users/bulkId:b1',
              data: { schemas: [SCHEMAS.patch], Operations: random.pick(PATCH_CASES).operations },
            },
          ],
        }
      : path.includes('search')
        ? { schemas: [SCHEMAS.search], filter: random.pick(filters), count: 5 }
        : method === 'PATCH'
          ? { schemas: [SCHEMAS.patch], Operations: random.pick(PATCH_CASES).operations }
          : { ...userToCreate(10_000 + random.int(1e6)), password: PASSWORD };
    const choice = random.int(10);
    body =
      choice < 7
        ? JSON.stringify(mutateJson(random, template))
        : choice < 9
          ? mutateText(random, JSON.stringify(template))
          : new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
  }
  return {
    method,
    path: `${path}${query.length > 0 ? `?${query.join('&')}` : ''}`,
    headers,
    ...(body !== undefined ? { body } : {}),
  };
}

/** Whether an error answer is a SCIM Error body whose status matches. */
function isScimErrorAnswer(status: number, contentType: string | null, text: string): boolean {
  if (!contentType?.startsWith('application/scim+json')) return false;
  try {
    const body = JSON.parse(text) as { schemas?: unknown; status?: unknown };
    return (
      Array.isArray(body.schemas) && body.schemas.includes(SCHEMAS.error) && body.status === String(status)
    );
  } catch {
    return false;
  }
}

async function json(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Fuzzes the built server over HTTP for `seconds` with `concurrency` clients. */
export async function soakHttp(random: Random, seconds: number, concurrency: number): Promise<HttpTally> {
  const directory = mkdtempSync(join(tmpdir(), 'scimkit-soak-'));
  const { child, base } = await startServer(directory);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const tally: HttpTally = {
    seconds,
    requests: 0,
    byStatus: {},
    typed: 0,
    untyped: 0,
    failures: 0,
    passwordLeaks: 0,
    slowest: { ms: 0, request: '' },
    examples: [],
    aliveAfter: false,
    pollutedAfter: false,
  };
  try {
    const user = await json(base, 'POST', '/Users', { ...userToCreate(1), password: PASSWORD });
    const group = await json(base, 'POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Soak',
      members: [{ value: user.id }],
    });
    const ids = { user: String(user.id), group: String(group.id) };
    const filters = filterCorpus().map((entry) => entry.text);
    const deadline = Date.now() + seconds * 1000;
    const worker = async () => {
      while (Date.now() < deadline && !exited) {
        const sent = makeRequest(random, ids, filters);
        const label = `${sent.method} ${shown(sent.path, 100)}`;
        const started = performance.now();
        try {
          const response = await fetch(`${base}${sent.path}`, {
            method: sent.method,
            headers: sent.headers,
            ...(sent.body !== undefined ? { body: sent.body } : {}),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await response.text();
          const ms = performance.now() - started;
          if (ms > tally.slowest.ms) tally.slowest = { ms, request: label };
          tally.requests++;
          const status = response.status;
          tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
          if (text.includes(PASSWORD)) tally.passwordLeaks++;
          if (status >= 400) {
            // 501 is what RFC 7644 section 3.11 has for /Me without a User behind the token.
            const expected = status < 500 || status === 501;
            const clean =
              expected &&
              (sent.method === 'HEAD' ||
                isScimErrorAnswer(status, response.headers.get('content-type'), text));
            if (clean) tally.typed++;
            else {
              tally.untyped++;
              if (tally.examples.length < 5)
                tally.examples.push({ request: label, answer: `${status} ${shown(text, 200)}` });
            }
          }
        } catch (error) {
          tally.failures++;
          if (tally.examples.length < 5)
            tally.examples.push({ request: label, answer: shown(String(error), 200) });
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    // Still up, and nothing leaked into new resources (a polluted prototype would show here).
    const probe = await json(base, 'POST', '/Users', { ...userToCreate(2), password: PASSWORD });
    const config = await fetch(`${base}/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    tally.aliveAfter = !exited && typeof probe.id === 'string' && config.status === 200;
    tally.pollutedAfter =
      JSON.stringify(probe).includes('"polluted"') || JSON.stringify(probe).includes(PASSWORD);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (exited ? resolve(undefined) : child.once('exit', resolve)));
    rmSync(directory, { recursive: true, force: true });
  }
  return tally;
}
