/**
 * CJA's rate limit: at most `requests` per sliding window of `intervalMs`, per client id.
 * A rejected request does not take a slot.
 */

export interface RateLimit {
  requests: number;
  intervalMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class SlidingWindowLimiter {
  private readonly accepted = new Map<string, number[]>();

  constructor(private limit: RateLimit | null) {}

  /** Current limit (null = off). */
  get current(): RateLimit | null {
    return this.limit;
  }

  /** Replaces the limit and forgets every window. */
  configure(limit: RateLimit | null): void {
    this.limit = limit;
    this.accepted.clear();
  }

  /** Takes a slot for `key` at time `at` (ms) if one is free. */
  take(key: string, at: number): RateDecision {
    const limit = this.limit;
    if (!limit) return { allowed: true };
    const windowStart = at - limit.intervalMs;
    const inWindow = (this.accepted.get(key) ?? []).filter((t) => t > windowStart);
    if (inWindow.length < limit.requests) {
      inWindow.push(at);
      this.accepted.set(key, inWindow);
      return { allowed: true };
    }
    this.accepted.set(key, inWindow);
    const oldest = Math.min(...inWindow);
    const waitMs = oldest + limit.intervalMs - at;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}
