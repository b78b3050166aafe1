/**
 * The floor of the scale bench's latencies: `node --import tsx scale/floor-server.ts`, a bare
 * node:http server that answers `GET|PATCH /floor/<i>` with the i-th recorded answer (status
 * and bytes as the scimkit server sent them), doing no other work. Measured by the same client
 * in the same way, it shows what this machine's loopback, scheduler and client cost an answer
 * of that size; the server's own share of a latency is what it adds to that. It gets the answers
 * over IPC (`{ answers: [{ status, text }] }`), reports `{ port }` once it listens, and exits on
 * `close` or when the parent disconnects.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A recorded answer to replay. */
export interface RecordedAnswer {
  status: number;
  text: string;
}

function serve(answers: readonly RecordedAnswer[]): void {
  // Encoded once: the floor writes bytes, it does not make them.
  const bodies = answers.map((answer) => Buffer.from(answer.text, 'utf8'));
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const index = Number((request.url ?? '').slice('/floor/'.length));
      const body = bodies[index];
      if (body === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(answers[index]!.status, {
        'content-type': 'application/scim+json',
        'content-length': body.length,
      });
      response.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  const stop = (): void => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.on('message', (message) => {
    if (message === 'close') stop();
  });
  process.on('disconnect', stop);
}

process.once('message', (message) => serve((message as { answers: RecordedAnswer[] }).answers));
