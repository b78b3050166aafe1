/**
 * The live stream: server-sent events carrying each exchange's summary as it completes, the
 * demo's progress, and a replay of what the page missed (after `Last-Event-ID` on reconnect).
 * A page that stops reading is cut off rather than buffered without end; it reconnects and
 * catches up from the history.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import type { DemoState } from './demo-runner.js';
import { summarize } from './exchange.js';
import type { ExchangeHistory, HistoryEvent } from './history.js';

/** Comment lines sent this often keep proxies and the browser from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;
/** Events a slow page may fall behind by before its stream is closed. */
const MAX_BACKLOG = 2000;

/** What a stream needs from the console. */
export interface LiveSource {
  history: ExchangeHistory;
  /** The demo's state now. */
  demoState(): DemoState;
  /** Calls `listener` on every demo state change until the returned function is called. */
  onDemoChange(listener: (state: DemoState) => void): () => void;
  /** The history's bound, which the page mirrors. */
  maxEntries: number;
}

const encoder = new TextEncoder();

function message(event: string, data: unknown, id?: number): Uint8Array {
  return encoder.encode(
    `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
  );
}

/** The open streams, to close them when the console stops. */
export class LiveStreams {
  readonly #close = new Set<() => void>();
  readonly #limit: number;

  constructor(limit = 32) {
    this.#limit = limit;
  }

  /** Whether another stream may open. */
  get full(): boolean {
    return this.#close.size >= this.#limit;
  }

  /** Ends every open stream. */
  closeAll(): void {
    for (const close of [...this.#close]) close();
  }

  /** A stream of events starting after the exchange with id `after`. */
  open(source: LiveSource, after: number): ReadableStream<Uint8Array> {
    let cleanup = () => {};
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          let closed = false;
          const send = (chunk: Uint8Array) => {
            if (closed) return;
            if ((controller.desiredSize ?? 0) < -MAX_BACKLOG) {
              cleanup();
              controller.close();
              return;
            }
            controller.enqueue(chunk);
          };
          const onHistory = (event: HistoryEvent) => {
            if (event.type === 'cleared') send(message('cleared', {}));
            else send(message('exchange', summarize(event.record), event.record.id));
          };
          const unsubscribeHistory = source.history.subscribe(onHistory);
          const unsubscribeDemo = source.onDemoChange((state) => send(message('demo', state)));
          const timer = setInterval(() => send(encoder.encode(': keep-alive\n\n')), KEEP_ALIVE_MS);
          const close = () => {
            if (closed) return;
            cleanup();
            try {
              controller.close();
            } catch {
              // Already closed by the reader.
            }
          };
          cleanup = () => {
            closed = true;
            clearInterval(timer);
            unsubscribeHistory();
            unsubscribeDemo();
            this.#close.delete(close);
          };
          this.#close.add(close);
          send(encoder.encode('retry: 2000\n\n'));
          send(
            message('hello', {
              demo: source.demoState(),
              maxEntries: source.maxEntries,
              dropped: source.history.dropped,
            }),
          );
          for (const record of source.history.since(after))
            send(message('exchange', summarize(record), record.id));
        },
        cancel: () => cleanup(),
      },
      { highWaterMark: 1 },
    );
  }
}
