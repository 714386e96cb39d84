/**
 * Adobe's CJA rate limit, the same limit scaled in time for a benchmark that runs in seconds, and
 * the time floors that the limit sets.
 */

/** CJA: 12 requests per 6 s per user (Adobe's CJA API guide; a 429 carries `error_code 429050`). */
export const ADOBE_CJA_LIMIT = { requests: 12, intervalMs: 6000 } as const;

export interface RateLimit {
  requests: number;
  intervalMs: number;
}

/** The limit with its interval divided by `scale` (×1/50: 12 per 120 ms). */
export function scaledLimit(scale: number): RateLimit {
  if (!(scale >= 1) || ADOBE_CJA_LIMIT.intervalMs % scale !== 0) {
    throw new Error(`scale must divide ${ADOBE_CJA_LIMIT.intervalMs} (e.g. 10, 20, 50, 100), got ${scale}`);
  }
  return { requests: ADOBE_CJA_LIMIT.requests, intervalMs: ADOBE_CJA_LIMIT.intervalMs / scale };
}

/** The limit as the client setting `adobe:cjaRateLimit` writes it. */
export function limitSetting(limit: RateLimit): string {
  return `${limit.requests}/${limit.intervalMs}`;
}

/** The time Adobe's limit needs for `requests` CJA requests at its sustained rate: requests ÷ 12 × 6 s. */
export function rateLimitFloorMs(requests: number): number {
  return (requests / ADOBE_CJA_LIMIT.requests) * ADOBE_CJA_LIMIT.intervalMs;
}

/**
 * A run's time at Adobe's rate, from the same run measured twice here: without any limit
 * (`unpacedMs`: the program, the provider and the emulator's work) and with the limit scaled by
 * `scale` (`pacedMs`). Only the waiting the limit adds is scaled back:
 * `unpaced + (paced − unpaced) × scale`. A run of at most `limit.requests` CJA requests starts with
 * a full limiter and never waits, so its time is `unpaced` (scaling the noise between two
 * measurements would only invent a wait).
 */
export function adobeTimeMs(unpacedMs: number, pacedMs: number, scale: number, cjaRequests: number, limit: RateLimit = ADOBE_CJA_LIMIT): number {
  if (cjaRequests <= limit.requests) return unpacedMs;
  return unpacedMs + Math.max(0, pacedMs - unpacedMs) * scale;
}
