/**
 * The floor of each latency: the answer the scimkit server sent, replayed by a bare node:http
 * server (scale/floor-server.ts) and measured by the same client in the same way. It is what
 * the loopback, the scheduler and the client cost an answer of that size, so that a p99 over a
 * target can be told apart from a machine that cannot meet it (on this 2-core VM the floor of a
 * 170 kB page measured from about 1 ms to 8 ms at p99 at different times of one day).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../suites/server.js';
import type { RecordedAnswer } from './floor-server.js';
import { type Latency, latency, type Query } from './measure.js';

const FLOOR_SERVER = fileURLToPath(new URL('./floor-server.ts', import.meta.url));

/**
 * `measured` with each row's `floor`: `answers[i]` (one answer of `list[i]`) served by the
 * floor server, requested as `list[i]` requests it (method and body), as many times.
 */
export async function withFloors(
  measured: readonly Latency[],
  list: readonly Query[],
  answers: readonly RecordedAnswer[],
): Promise<Latency[]> {
  const child = fork(FLOOR_SERVER, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`the floor server exited with ${code}`)));
      child.send({ answers });
    });
    const base = `http://127.0.0.1:${port}`;
    const out: Latency[] = [];
    for (const [i, row] of measured.entries()) {
      const query = list[i]!;
      if (row.error) {
        out.push(row);
        continue;
      }
      const floor = await latency(base, `floor: ${query.name}`, query.samples, (k) => ({
        ...query.call(k),
        path: `/floor/${i}`,
      }));
      out.push(floor.error ? row : { ...row, floor: { p50: floor.p50, p99: floor.p99, max: floor.max } });
    }
    return out;
  } finally {
    await stopChild(child);
  }
}
