/**
 * Retry layer: exponential backoff with full jitter, `Retry-After` honoured, bounded in count and
 * in total time. Knows which failures may be retried for which requests; knows nothing of HTTP
 * transport or auth.
 */
import { AdobeApiError } from "./errors";
import type { RetrySettings } from "./settings";

/** Time source and randomness, injectable for unit tests. */
export interface RetryEnvironment {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const realRetryEnvironment: RetryEnvironment = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export interface RetryOptions<T> {
  policy: RetrySettings;
  /**
   * Whether repeating the request cannot do harm (GET, PUT, DELETE, read-only POSTs). When false,
   * a failure after which the server may already have acted (5xx, timeout, dropped connection) is
   * only retried after `recover` found nothing; 429 and a rejected token are always retried.
   */
  idempotent: boolean;
  /**
   * For non-idempotent requests: looks for the result of an earlier attempt that the server may
   * have carried out (e.g. a data view with our externalId). Called after the backoff wait (and
   * once more when retries have run out). A value is returned as the result; undefined means
   * "not done", and the request is retried.
   */
  recover?: () => Promise<T | undefined>;
  /**
   * For non-idempotent requests: after a failure where the attempt may still be under way at the
   * server (the client timed out, or the gateway answered 504), the least time to wait before
   * asking `recover`, so that such an attempt has landed by then. The client passes the attempt's
   * own timeout: the server gets as long again as the client waited.
   */
  settleMs?: number;
  env?: RetryEnvironment;
  /** Told before each wait: the attempt that failed (1-based), the wait in ms, the error. */
  onRetry?: (info: { attempt: number; waitMs: number; error: AdobeApiError }) => void;
  /** Told when `recover` returned a result instead of a retry. */
  onRecovered?: (info: { attempt: number; error: AdobeApiError }) => void;
}

/** Delay before retry number `retry` (0-based): full jitter, `random * min(max, base * 2^retry)`. */
export function backoffDelay(retry: number, policy: RetrySettings, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * Parses a `Retry-After` header: delay-seconds (`"3"`, `"1.5"`) or an HTTP date. Returns ms to
 * wait (>= 0), or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (v === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Failures after which the server may have acted on the request (not a clean rejection). */
function mayHaveActed(error: AdobeApiError): boolean {
  return error.kind === "network" || error.kind === "timeout" || (error.kind === "http" && error.status >= 500);
}

/**
 * Failures after which the server may still be carrying the request out: the client (timeout) or
 * the gateway (504) stopped waiting for it. After any other answer or a broken connection the
 * attempt is over, done or not, and `recover` can tell which at once.
 */
function mayStillBeRunning(error: AdobeApiError): boolean {
  return error.kind === "timeout" || (error.kind === "http" && error.status === 504);
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, or the policy's count or time
 * budget is used up. A rejected token (401 with `tokenRejected`) is retried once at once, outside
 * the budget, so the next attempt runs with a fresh token.
 * @throws the last AdobeApiError; when retries ran out, with the attempts and the reason in its message
 */
export async function retrying<T>(attempt: (n: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const env = options.env ?? realRetryEnvironment;
  const { policy } = options;
  const started = env.now();
  let attempts = 0;
  let retries = 0;
  let refreshedToken = false;
  // Whether an attempt may have reached Adobe without its answer reaching us: Adobe may still act on it.
  let mayStillAct = false;

  for (;;) {
    attempts++;
    let error: AdobeApiError;
    try {
      return await attempt(attempts);
    } catch (e) {
      if (!(e instanceof AdobeApiError)) throw e;
      error = e;
    }

    if (error.tokenRejected && !refreshedToken) {
      refreshedToken = true;
      options.onRetry?.({ attempt: attempts, waitMs: 0, error });
      continue;
    }
    if (!error.retryable) throw error;

    const ambiguous = !options.idempotent && error.status !== 429 && mayHaveActed(error);
    mayStillAct ||= ambiguous && mayStillBeRunning(error);
    if (ambiguous && !options.recover) {
      throw error.exhausted(attempts, "not retried: the request is not idempotent and the server may have acted on it");
    }

    // An attempt that may still be running at the server must land before recover can see it.
    const settleMs = ambiguous && options.recover && mayStillBeRunning(error) ? (options.settleMs ?? 0) : 0;
    const waitMs = Math.max(error.retryAfterMs ?? backoffDelay(retries, policy, env.random), settleMs);
    const elapsed = env.now() - started;
    let gaveUp: string | undefined;
    if (retries >= policy.maxRetries) {
      gaveUp = `gave up after ${attempts} attempts (maxRetries ${policy.maxRetries})`;
    } else if (elapsed + waitMs > policy.budgetMs) {
      gaveUp = `gave up after ${attempts} attempts: waiting ${waitMs} ms more would exceed the retry budget of ${policy.budgetMs} ms`;
    }

    if (gaveUp === undefined) {
      options.onRetry?.({ attempt: attempts, waitMs, error });
      retries++;
      await env.sleep(waitMs);
    } else if (settleMs > 0) {
      await env.sleep(settleMs);
    }
    // After the wait, so that an attempt the server was still carrying out has had time to land.
    if (ambiguous && options.recover) {
      let recovered: T | undefined;
      try {
        recovered = await options.recover();
      } catch (lookup) {
        if (!(lookup instanceof AdobeApiError)) throw lookup;
        throw error.exhausted(attempts, `the server may have carried it out, and looking for its result failed (${lookup.message}); check for it before running again`);
      }
      if (recovered !== undefined) {
        options.onRecovered?.({ attempt: attempts, error });
        return recovered;
      }
    }
    if (gaveUp !== undefined) {
      throw error.exhausted(attempts, mayStillAct ? `${gaveUp}; Adobe may still carry out an attempt whose answer never came: look for its result before creating it again` : gaveUp);
    }
  }
}
