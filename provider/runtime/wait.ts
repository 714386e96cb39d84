/** Waiting for an asynchronous Adobe job (export job, query) to reach a final state. */
import { AdobeApiError } from "../adobe/errors";

export interface WaitOptions<T> {
  /** Reads the current state. */
  poll: () => Promise<T>;
  isFinal: (state: T) => boolean;
  /** Gives up after this long; `onTimeout` runs first (e.g. to cancel the job). */
  timeoutMs: number;
  intervalMs: number;
  /**
   * The state the caller already holds (the submission's answer): when it is final it is the
   * result, and otherwise the first read comes one interval later, not at once.
   */
  current?: T;
  /** Called after each read with the state and the time waited so far. */
  onProgress?: (state: T, elapsedMs: number) => void;
}

export class WaitTimeoutError extends Error {
  constructor(
    message: string,
    /** The last state read, if any read succeeded. */
    readonly last: unknown,
  ) {
    super(message);
    this.name = "WaitTimeoutError";
  }
}

/** A status read that failed only for now (throttled, a 5xx, the network), after its own retries. */
function transient(error: unknown): error is AdobeApiError {
  return error instanceof AdobeApiError && (error.retryable || error.gaveUp !== undefined);
}

/**
 * Reads the state every `intervalMs` until it is final. A read that fails for now is no news (the
 * job runs on at Adobe's side): the wait goes on, and ends only when the job does, or at
 * `timeoutMs` with a {@link WaitTimeoutError}. Giving up on a job still running would leave it
 * behind for the next run to submit again.
 */
export async function waitForFinal<T>(opts: WaitOptions<T>): Promise<T> {
  const started = Date.now();
  let last: T | undefined = opts.current;
  let readError: AdobeApiError | undefined;
  if (last !== undefined) {
    if (opts.isFinal(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs));
  }
  for (;;) {
    try {
      last = await opts.poll();
      readError = undefined;
    } catch (error) {
      if (!transient(error)) throw error;
      readError = error;
    }
    const elapsed = Date.now() - started;
    if (readError === undefined) {
      opts.onProgress?.(last as T, elapsed);
      if (opts.isFinal(last as T)) return last as T;
    }
    if (elapsed + opts.intervalMs > opts.timeoutMs) {
      const why = readError ? ` (the last status read failed: ${readError.message})` : "";
      throw new WaitTimeoutError(`still not finished after ${Math.round(elapsed / 1000)} s${why}`, last);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs));
  }
}

/** A progress line on the provider host's stderr, which the Pulumi CLI shows with the resource. */
export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}
