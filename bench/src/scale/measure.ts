/**
 * What the scale bench measures against a running server: the latency one client sees, request
 * after request (p50 and p99 of real HTTP round trips), and the throughput of many connections.
 */
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
}

/** Throughput of one route with several server processes. */
export interface Throughput {
  route: string;
  processes: number;
  requestsPerSecond: number;
  p99: number;
  errors: number;
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

/** Sends one request and fails on any status but `expected`; returns the parsed body. */
export async function send(base: string, call: Call, expected = 200): Promise<Record<string, unknown>> {
  const response = await fetch(base + call.path, {
    method: call.method ?? 'GET',
    headers,
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
  });
  const text = await response.text();
  if (response.status !== expected)
    throw new Error(`${call.method ?? 'GET'} ${call.path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * Runs `samples` requests one after the other (after a tenth as many unmeasured, to warm up)
 * and returns their latency percentiles. `call(k)` gives the k-th request; `check` may assert on
 * each response body.
 */
export async function latency(
  base: string,
  name: string,
  samples: number,
  call: (k: number) => Call,
  check: (body: Record<string, unknown>, k: number) => void = () => {},
): Promise<Latency> {
  const warmup = Math.max(1, Math.floor(samples / 10));
  for (let k = 0; k < warmup; k++) check(await send(base, call(samples + k)), samples + k);
  const times: number[] = [];
  for (let k = 0; k < samples; k++) {
    const started = performance.now();
    const body = await send(base, call(k));
    times.push(performance.now() - started);
    check(body, k);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    name,
    samples,
    p50: round(percentile(times, 50)),
    p99: round(percentile(times, 99)),
    max: round(times.at(-1)!),
  };
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
  const result = await autocannon({
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
            headers,
            ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          };
        },
      },
    ],
  });
  return {
    route,
    processes,
    requestsPerSecond: Math.round(result.requests.average),
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}
