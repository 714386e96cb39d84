/**
 * One soak run's faults, drawn from the run's PRNG: background rates of 429s, 5xx answers and
 * dropped connections with added latency (the emulator's own seeded draws), and scripted episodes
 * placed after a number of requests: a burst of 429s, a burst of 5xx, dropped connections, a
 * response slower than the client's timeout (the server still acts on it), and the token expiring.
 */
import type { FaultScriptStep } from "../emulator-admin";
import type { Random } from "./random";

export interface FaultMix {
  /** Share of requests answered 429 / 5xx / dropped, drawn by the emulator. */
  rate429: number;
  rate5xx: number;
  dropRate: number;
  /** Added to every request, ms. */
  latencyMs: number;
  /** Seed of the emulator's own draws. */
  seed: number;
  /** Scripted episodes (in the emulator's script format). */
  script: FaultScriptStep[];
  /** Every token issued so far expires once this many requests have arrived; undefined: no expiry. */
  tokenExpiryAfter?: number;
  /** The next export job Adobe runs ends FAILED (Adobe's own failure, not a transport fault). */
  exportJobFails: boolean;
  /** The longest a scripted slow response is held (0: none), so a check can wait for it to land. */
  slowestMs: number;
  /** One line per episode, for the report. */
  episodes: string[];
  /** The same, counted in the report: a calm run, and each scripted episode with what it aimed at. */
  calm: boolean;
  scripted: ScriptedEpisode[];
}

export type EpisodeKind = "429 burst" | "5xx burst" | "dropped connections" | "slow response";

export interface ScriptedEpisode {
  kind: EpisodeKind;
  times: number;
  /** Whatever request comes, or one route seen in earlier runs: a read (GET) or a write. */
  target: "any request" | "a read" | "a write";
}

export interface FaultMixOptions {
  /** The client's per-attempt timeout: a slow response takes longer than this. */
  requestTimeoutMs: number;
  /** Routes (`METHOD route`) seen in earlier runs: scripted episodes may aim at one of them. */
  knownRoutes: readonly string[];
}

/** A run with no fault at all (the control runs, and the repair runs). */
export const NO_FAULTS: FaultMix = { rate429: 0, rate5xx: 0, dropRate: 0, latencyMs: 0, seed: 0, script: [], exportJobFails: false, slowestMs: 0, episodes: [], calm: true, scripted: [] };

const round = (n: number) => Math.round(n * 1000) / 1000;

export function drawFaultMix(random: Random, options: FaultMixOptions): FaultMix {
  // One run in eight is calm: the stacks' own changes with no fault.
  if (random.chance(1 / 8)) return { ...NO_FAULTS, seed: random.int(1, 2 ** 30), episodes: ["calm"] };

  const script: FaultScriptStep[] = [];
  const episodes: string[] = [];
  const scripted: ScriptedEpisode[] = [];
  // Four episodes in ten hit whatever request comes; the others aim at one route, a write
  // (where a fault can leave something behind) as often as any other route.
  const writes = options.knownRoutes.filter((r) => !r.startsWith("GET "));
  const target = (): { match?: { method: string; route: string }; label: string } => {
    if (options.knownRoutes.length === 0 || random.chance(0.4)) return { label: "any request" };
    const [method, route] = random.pick(writes.length > 0 && random.chance(0.5) ? writes : options.knownRoutes).split(" ");
    return { match: { method, route }, label: `${method} ${route}` };
  };
  const episode = (name: EpisodeKind, times: number, action: FaultScriptStep["action"]) => {
    const skip = random.int(0, 12);
    const { match, label } = target();
    if (skip > 0) script.push({ times: skip, action: { delayMs: 0 } });
    script.push({ ...(match ? { match } : {}), times, action });
    episodes.push(`${name} ×${times} on ${label} after ${skip} requests`);
    scripted.push({ kind: name, times, target: !match ? "any request" : match.method === "GET" ? "a read" : "a write" });
  };

  if (random.chance(0.5)) episode("429 burst", random.int(2, 10), { status: 429 });
  if (random.chance(0.3)) episode("5xx burst", random.int(1, 8), { status: random.pick([500, 502, 503, 504]) });
  if (random.chance(0.3)) episode("dropped connections", random.int(1, 3), { drop: true });
  let slowestMs = 0;
  if (random.chance(0.3)) {
    slowestMs = options.requestTimeoutMs + random.int(200, 800);
    episode("slow response", 1, { delayMs: slowestMs });
  }

  const tokenExpiryAfter = random.chance(0.5) ? random.int(1, 15) : undefined;
  if (tokenExpiryAfter !== undefined) episodes.push(`token expiry after ${tokenExpiryAfter} requests`);
  const exportJobFails = random.chance(0.08);
  if (exportJobFails) episodes.push("the next export job fails in Adobe");

  const mix: FaultMix = {
    rate429: round(random.between(0, 0.08)),
    rate5xx: round(random.between(0, 0.08)),
    dropRate: round(random.between(0, 0.04)),
    latencyMs: random.int(0, 30),
    seed: random.int(1, 2 ** 30),
    script,
    tokenExpiryAfter,
    exportJobFails,
    slowestMs,
    episodes,
    calm: false,
    scripted,
  };
  episodes.unshift(`rates 429 ${mix.rate429}, 5xx ${mix.rate5xx}, drop ${mix.dropRate}, latency ${mix.latencyMs} ms`);
  return mix;
}
