/**
 * Client-side rate limiter: a token bucket of `requests` tokens in which a spent token comes back
 * `intervalMs` after the request that spent it has finished. So however requests overlap and
 * however long they take on the wire, no window of `intervalMs` sees more than `requests` of
 * them arrive at Adobe (a request arrives before it finishes, and the next one on the same token
 * starts `intervalMs` after that). Waiters are served first come, first served.
 *
 * One instance per Adobe service per process, shared by every resource of the provider process.
 */
import type { RateLimit } from "./settings";

/** Clock and timer, injectable for unit tests. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realLimiterClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Call when the request that took the token has finished (successfully or not). Idempotent. */
export type Release = () => void;

export interface Limiter {
  /** Waits for a token. The caller must call the returned `release` when its request has finished. */
  acquire(): Promise<Release>;
}

/** A limiter that never waits (rate limit off). */
export const unlimited: Limiter = { acquire: async () => () => undefined };

export class RateLimiter implements Limiter {
  private readonly capacity: number;
  private readonly intervalMs: number;
  private inFlight = 0;
  /** When each cooling token comes back; non-decreasing because releases happen in time order. */
  private readonly cooling: number[] = [];
  private readonly waiters: Array<(release: Release) => void> = [];
  private wakeAt: number | undefined;

  constructor(
    limit: RateLimit,
    private readonly clock: LimiterClock = realLimiterClock,
  ) {
    if (!(limit.requests >= 1) || !(limit.intervalMs >= 1)) throw new Error(`invalid rate limit ${limit.requests}/${limit.intervalMs}`);
    this.capacity = limit.requests;
    this.intervalMs = limit.intervalMs;
  }

  acquire(): Promise<Release> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  /** Requests waiting for a token. */
  get waiting(): number {
    return this.waiters.length;
  }

  private available(now: number): number {
    while (this.cooling.length > 0 && this.cooling[0] <= now) this.cooling.shift();
    return this.capacity - this.inFlight - this.cooling.length;
  }

  private pump(): void {
    const now = this.clock.now();
    while (this.waiters.length > 0 && this.available(now) > 0) {
      this.inFlight++;
      this.waiters.shift()!(this.releaser());
    }
    if (this.waiters.length > 0 && this.cooling.length > 0) this.scheduleWake(this.cooling[0], now);
  }

  private scheduleWake(at: number, now: number): void {
    if (this.wakeAt !== undefined && this.wakeAt <= at) return;
    this.wakeAt = at;
    void this.clock.sleep(Math.max(0, at - now)).then(() => {
      if (this.wakeAt === at) this.wakeAt = undefined;
      this.pump();
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.cooling.push(this.clock.now() + this.intervalMs);
      this.pump();
    };
  }
}

/** A limiter for the given setting: a RateLimiter, or `unlimited` when the setting is off. */
export function createLimiter(limit: RateLimit | null, clock?: LimiterClock): Limiter {
  return limit ? new RateLimiter(limit, clock) : unlimited;
}
