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

/**
 * The least time `requests` CJA requests take under the limit: the first 12 go at once, each
 * later 12 waits for the window, so (⌈N/12⌉ − 1) × 6 s; none for a run of at most 12.
 */
export function pacingFloorMs(requests: number, limit: RateLimit = ADOBE_CJA_LIMIT): number {
  if (requests <= 0) return 0;
  return (Math.ceil(requests / limit.requests) - 1) * limit.intervalMs;
}
