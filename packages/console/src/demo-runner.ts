/**
 * "Run the demo": plays the joiner-mover-leaver story against the observed server, in process,
 * through the same recording wrapper a real identity provider's requests go through, with each
 * request marked as the demo's and named by its step.
 */
import { createScimClient } from '@scimkit/client';
import type { ScimServer } from '@scimkit/server';
import type { Recorder } from './recorder.js';
import { joinerMoverLeaver, type StoryStep } from './story.js';

/** What "Run the demo" needs: a SCIM token the server accepts. */
export interface ConsoleDemoOptions {
  /** A bearer token the observed server accepts (the demo's requests carry it). */
  token: string;
  /**
   * The base URL the demo's requests are addressed to (they never leave the process; the
   * server puts this URL in `meta.location`), or a function returning it when the server's
   * port is known only once it listens.
   * @defaultValue `http://localhost` + the server's base path
   */
  baseUrl?: string | (() => string);
}

/** Whether the demo can run, is running, and how the last run ended. */
export interface DemoState {
  /** Whether the console has a demo token and observes a server. */
  available: boolean;
  /** Whether a run is in progress. */
  running: boolean;
  /** The step in progress. */
  step?: StoryStep;
  /** Why the last run stopped early, if it did. */
  error?: string;
  /** How many runs finished (successfully or not). */
  runs: number;
}

/** Plays the story on demand, one run at a time. */
export class DemoRunner {
  readonly #recorder: Recorder;
  readonly #options: ConsoleDemoOptions | undefined;
  readonly #onChange: (state: DemoState) => void;
  #target: ScimServer | undefined;
  #state: DemoState;

  constructor(
    recorder: Recorder,
    options: ConsoleDemoOptions | undefined,
    onChange: (state: DemoState) => void,
  ) {
    this.#recorder = recorder;
    this.#options = options;
    this.#onChange = onChange;
    this.#state = { available: false, running: false, runs: 0 };
  }

  /** The (observed) server the demo talks to. */
  setTarget(server: ScimServer): void {
    this.#target = server;
    this.#set({ ...this.#state, available: this.#options !== undefined });
  }

  /** The current state. */
  get state(): DemoState {
    return this.#state;
  }

  #set(state: DemoState): void {
    this.#state = state;
    this.#onChange(state);
  }

  /**
   * Starts a run; resolves when it ends (a failed step ends it, with `state.error` set). Throws
   * a `TypeError` when the demo is not available or already running.
   */
  async run(options: { hardDelete?: boolean } = {}): Promise<void> {
    const target = this.#target;
    const demo = this.#options;
    if (!target || !demo)
      throw new TypeError('The demo needs a SCIM token (demo.token) and an observed server.');
    if (this.#state.running) throw new TypeError('The demo is already running.');
    const tag = [...crypto.getRandomValues(new Uint8Array(2))]
      .map((byte) => byte.toString(16).padStart(2, '0'))
      .join('');
    const steps = joinerMoverLeaver({ tag, ...(options.hardDelete ? { hardDelete: true } : {}) });
    let current: StoryStep = steps[0]!.step;
    const client = createScimClient({
      baseUrl:
        (typeof demo.baseUrl === 'function' ? demo.baseUrl() : demo.baseUrl) ??
        `http://localhost${target.basePath}`,
      token: demo.token,
      retry: 0,
      fetch: (input, init) => {
        const request = new Request(input, init);
        this.#recorder.tag(request, { source: 'demo', step: current });
        return target.fetch(request);
      },
    });
    const { available, runs } = this.#state;
    try {
      for (const step of steps) {
        current = step.step;
        this.#set({ available, running: true, step: current, runs });
        await step.run(client);
      }
      this.#set({ available, running: false, runs: runs + 1 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#set({ available, running: false, error: `${current}: ${message}`, runs: runs + 1 });
    }
  }
}
