/** Waiting for an asynchronous Adobe job (export job, query) to reach a final state. */

export interface WaitOptions<T> {
  /** Reads the current state. */
  poll: () => Promise<T>;
  isFinal: (state: T) => boolean;
  /** Gives up after this long; `onTimeout` runs first (e.g. to cancel the job). */
  timeoutMs: number;
  intervalMs: number;
  /** Called after each read with the state and the time waited so far. */
  onProgress?: (state: T, elapsedMs: number) => void;
}

export class WaitTimeoutError extends Error {
  constructor(
    message: string,
    readonly last: unknown,
  ) {
    super(message);
    this.name = "WaitTimeoutError";
  }
}

export async function waitForFinal<T>(opts: WaitOptions<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    const state = await opts.poll();
    const elapsed = Date.now() - started;
    opts.onProgress?.(state, elapsed);
    if (opts.isFinal(state)) return state;
    if (elapsed + opts.intervalMs > opts.timeoutMs) throw new WaitTimeoutError(`still not finished after ${Math.round(elapsed / 1000)} s`, state);
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs));
  }
}

/** A progress line on the provider host's stderr, which the Pulumi CLI shows with the resource. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}
