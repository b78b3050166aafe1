/**
 * What the scale bench measures against a running server: the latency one client sees, request
 * after request (p50 and p99 of real HTTP round trips), and the throughput of many connections.
 */
import http from 'node:http';
import autocannon from 'autocannon';
import { TOKEN } from '../server/protocol.js';

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' };

/** Latency percentiles of one kind of request, in milliseconds. */
export interface Latency {
  name: string;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers other than 200, e.g. `400 tooMany` when a scan ran past the store's queryTimeout. */
  refused?: Record<string, number>;
  /** Why the measurement could not be made. */
  error?: string;
  /**
   * The same answer's bytes replayed by a bare node:http server and measured the same way
   * (scale/floor-server.ts): what the machine, not the server, costs this answer.
   */
  floor?: { p50: number; p99: number; max: number };
}

/** Throughput of one route with several server processes. */
export interface Throughput {
  route: string;
  processes: number;
  requestsPerSecond: number;
  p99: number;
  errors: number;
  /** What the failed requests were: status codes other than 2xx, connection errors, timeouts. */
  failures?: Record<string, number>;
  /** The first failure's detail (a response body or an error message). */
  firstFailure?: string;
}

/** One request: method, path below the server's root, and a body. */
export interface Call {
  method?: string;
  path: string;
  body?: unknown;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * One keep-alive connection for the measuring client. node:http rather than `fetch`: undici's
 * fetch adds 0.15–0.3 ms per request and its own garbage to the p99 on this machine (measured
 * against a fixed-bytes server), which is the client's cost, not the server's.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One query of the latency table: `call(k)` gives its k-th request, `check` asserts on a 200 body. */
export interface Query {
  name: string;
  samples: number;
  call: (k: number) => Call;
  check?: (body: Record<string, unknown>, k: number) => void;
}

/** One answer: its status, text and parsed body, and when its last byte arrived (`performance.now()`). */
export interface Answer {
  status: number;
  text: string;
  body: Record<string, unknown>;
  receivedAt: number;
}

/**
 * Sends one request; fails on any status not in `accepted`. `receivedAt` is taken when the last
 * byte has arrived, before the client decodes and parses the body: a 170 kB cursor page takes
 * the client 0.5–0.7 ms to parse on this machine, which is the client's work, not the server's.
 */
export function send(base: string, call: Call, accepted: readonly number[] = [200]): Promise<Answer> {
  const method = call.method ?? 'GET';
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      base + call.path,
      {
        method,
        agent,
        headers:
          payload === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const receivedAt = performance.now();
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          if (!accepted.includes(status)) {
            reject(new Error(`${method} ${call.path}: ${status} ${text.slice(0, 300)}`));
            return;
          }
          resolve({
            status,
            text,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            receivedAt,
          });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * Runs `samples` requests one after the other (after a warm-up, unmeasured)
 * and returns their latency percentiles. `call(k)` gives the k-th request; `check` may assert on
 * each 200 response body. A `400 tooMany` (the store's queryTimeout) is counted, not fatal.
 */
export async function latency(
  base: string,
  name: string,
  samples: number,
  call: (k: number) => Call,
  check: (body: Record<string, unknown>, k: number) => void = () => {},
): Promise<Latency> {
  const refused: Record<string, number> = {};
  /** Sends the k-th request and checks its answer; returns when its last byte arrived. */
  const one = async (k: number): Promise<number> => {
    const { status, body, receivedAt } = await send(base, call(k), [200, 204, 400]);
    if (status === 200) check(body, k);
    else if (status === 204) return receivedAt;
    else if (body['scimType'] === 'tooMany') refused['400 tooMany'] = (refused['400 tooMany'] ?? 0) + 1;
    else throw new Error(`${name}: 400 ${JSON.stringify(body).slice(0, 300)}`);
    return receivedAt;
  };
  const times: number[] = [];
  try {
    // Warm-up, not measured: at least a tenth of the samples, then on for up to 2 s (at most
    // `samples` requests), so V8 has optimised the request's path before the clock starts: with
    // a tenth alone the first query of a run measured up to twice its steady p50.
    const warming = performance.now();
    const least = Math.max(1, Math.floor(samples / 10));
    for (let k = 0; k < samples && (k < least || performance.now() - warming < 2000); k++)
      await one(samples + k);
    for (const key of Object.keys(refused)) delete refused[key];
    for (let k = 0; k < samples; k++) {
      const started = performance.now();
      times.push((await one(k)) - started);
    }
  } catch (error) {
    // Reported as such; the other measurements still run.
    const message = error instanceof Error ? error.message : String(error);
    console.log(`  ${name}: failed: ${message}`);
    return { name, samples: times.length, p50: 0, p99: 0, max: 0, error: message };
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const result: Latency = {
    name,
    samples,
    p50: round(percentile(times, 50)),
    p99: round(percentile(times, 99)),
    max: round(times.at(-1)!),
  };
  if (Object.keys(refused).length > 0) result.refused = refused;
  console.log(
    `  ${name}: p50 ${result.p50} ms, p99 ${result.p99} ms${result.refused ? `, refused ${JSON.stringify(result.refused)}` : ''}`,
  );
  return result;
}

/** autocannon with `connections` connections for `seconds` against `calls`, rotated per request. */
export async function throughput(
  port: number,
  route: string,
  processes: number,
  seconds: number,
  calls: readonly Call[],
): Promise<Throughput> {
  let next = 0;
  let firstFailure: string | undefined;
  const options: autocannon.Options = {
    url: `http://127.0.0.1:${port}`,
    connections: 20,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const call = calls[next++ % calls.length]!;
          return {
            ...request,
            method: (call.method ?? 'GET') as autocannon.Request['method'],
            path: call.path,
            // A copy for each request: autocannon writes Content-Length into the object it is
            // given, and a shared one carried a PATCH's length into the GETs of the next run
            // (the server then read the next request as the missing body: 501s and stalls).
            headers: { ...headers },
            ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          };
        },
        onResponse: (status, body) => {
          if (status >= 300) firstFailure ??= `${status} ${String(body).slice(0, 300)}`;
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('reqError', (error: Error) => {
      firstFailure ??= error.message;
    });
  });
  const failures: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {}))
    if (Number(status) >= 300) failures[status] = stats.count ?? 0;
  if (result.errors > 0) failures['errors'] = result.errors;
  if (result.timeouts > 0) failures['timeouts'] = result.timeouts;
  return {
    route,
    processes,
    requestsPerSecond: Math.round(result.requests.average),
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    ...(Object.keys(failures).length > 0 ? { failures } : {}),
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}
