import cliProgress from 'cli-progress';
import type { CliStream, Colors } from './io.js';

/** A progress bar on a terminal: done/total, rate, ETA, failures. */
export interface Progress {
  /** Advances by `count` records and updates the counters shown. */
  increment(count: number, succeeded: number, failed: number): void;
  /** Draws the final state and releases the terminal line. */
  stop(): void;
}

/** A cli-progress bar on `stream` (call only when `stream.isTTY`). */
export function createProgress(stream: CliStream, total: number, colors: Colors): Progress {
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: `{bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted} | ${colors.green('{succeeded} ok')} ${colors.red('{failed} failed')}`,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      etaBuffer: 50,
      fps: 10,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: '0', succeeded: 0, failed: 0 });
  let done = 0;
  return {
    increment(count, succeeded, failed) {
      done += count;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? (done / seconds).toFixed(done / seconds >= 100 ? 0 : 1) : '0';
      bar.increment(count, { rate, succeeded, failed });
    },
    stop() {
      bar.stop();
    },
  };
}
