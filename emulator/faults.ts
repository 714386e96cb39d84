/**
 * Fault injection for ims/cja/aep requests: added latency, injected 429 / 5xx answers and dropped
 * connections, drawn from a seeded PRNG so a run repeats; plus scripted steps, consumed in order
 * by matching requests, for deterministic tests. A scripted step decides the request's fault on
 * its own; random draws apply only to requests no step matched. Latency applies to every request.
 */
import { randomInt } from "crypto";
import { STATUS_CODES } from "http";
import { z } from "zod";
import { gateway, gatewayError } from "./errors";
import type { EmuResponse, FaultOptions } from "./types";

/** What a scripted step does to the request it matches. */
export type FaultAction =
  /** Answer with this status (body: Adobe's gateway body for it unless given). */
  | { status: number; body?: unknown; retryAfterSeconds?: number }
  /** Destroy the connection without an answer. */
  | { drop: true }
  /** Carry out the request (the state changes), then destroy the connection before the answer. */
  | { dropAfter: true }
  /** Carry out the request at once, then hold its answer this long (Adobe done, the client still waiting). */
  | { answerAfterMs: number }
  /** Wait this long, then process the request normally. */
  | { delayMs: number };

export interface FaultScriptStep {
  /**
   * Which requests the step applies to; omitted fields match anything. `route` is the template;
   * `writes: true` matches only requests that may change state (not GET, not a `.../validate`,
   * not IMS).
   */
  match?: { method?: string; route?: string; writes?: boolean };
  /** How many matching requests the step consumes before the next step applies. */
  times: number;
  action: FaultAction;
}

/** Body of `PUT /_emulator/faults`. */
export type FaultSettings = FaultOptions & { script?: FaultScriptStep[] };

const share = z.number().min(0).max(1);

export const faultSettingsSchema = z
  .object({
    latencyMs: z.number().int().min(0).optional(),
    rate429: share.optional(),
    rate5xx: share.optional(),
    dropRate: share.optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    seed: z.number().int().optional(),
    script: z
      .array(
        z.object({
          match: z.object({ method: z.string().optional(), route: z.string().optional(), writes: z.boolean().optional() }).strict().optional(),
          times: z.number().int().positive(),
          action: z.union([
            z.object({ status: z.number().int().min(100).max(599), body: z.unknown().optional(), retryAfterSeconds: z.number().int().min(0).optional() }).strict(),
            z.object({ drop: z.literal(true) }).strict(),
            z.object({ dropAfter: z.literal(true) }).strict(),
            z.object({ answerAfterMs: z.number().int().min(0) }).strict(),
            z.object({ delayMs: z.number().int().min(0) }).strict(),
          ]),
        }),
      )
      .optional(),
  })
  .strict()
  .refine((f) => (f.rate429 ?? 0) + (f.rate5xx ?? 0) + (f.dropRate ?? 0) <= 1, {
    message: "rate429 + rate5xx + dropRate must not exceed 1",
  });

export type FaultOutcome =
  | { kind: "pass" }
  | { kind: "respond"; response: EmuResponse }
  | { kind: "drop" }
  | { kind: "dropAfter" }
  | { kind: "answerAfter"; ms: number };

/** What happens to one request: wait `delayMs`, then the outcome. */
export interface FaultDecision {
  delayMs: number;
  outcome: FaultOutcome;
}

const GATEWAY_5XX: Record<number, EmuResponse> = {
  500: gatewayError(500, "500000", "Internal Server Error"),
  502: gatewayError(502, "502000", "Bad Gateway"),
  503: gatewayError(503, "503000", "Service Unavailable"),
};
const INJECTED_5XX_STATUSES = [500, 502, 503];

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function retryAfterHeader(seconds: number | undefined): Record<string, string> | undefined {
  return seconds === undefined ? undefined : { "retry-after": String(seconds) };
}

/** The answer of a scripted `{status}` step. */
function scriptedResponse(action: { status: number; body?: unknown; retryAfterSeconds?: number }, defaultRetryAfter?: number): EmuResponse {
  const retryAfter = action.retryAfterSeconds ?? (action.status === 429 ? defaultRetryAfter : undefined);
  if (action.body !== undefined) return { status: action.status, body: action.body, headers: retryAfterHeader(retryAfter) };
  if (action.status === 429) return gateway.tooManyRequests(retryAfter);
  const known = GATEWAY_5XX[action.status];
  const base = known ?? gatewayError(action.status, `${action.status}000`, STATUS_CODES[action.status] ?? "Error");
  return { ...base, headers: retryAfterHeader(retryAfter) };
}

function stepMatches(step: FaultScriptStep, method: string, route: string): boolean {
  const m = step.match;
  if (!m) return true;
  const write = method !== "GET" && !route.endsWith("/validate") && !route.startsWith("/ims/");
  return (m.method === undefined || m.method.toUpperCase() === method) && (m.route === undefined || m.route === route) && (m.writes !== true || write);
}

export class FaultInjector {
  private options: FaultOptions = {};
  private script: FaultScriptStep[] = [];
  private random: () => number = Math.random;
  private seed = 0;

  constructor(options: FaultOptions) {
    this.configure(options);
  }

  /** Replaces the fault options and the script; restarts the PRNG from the seed. */
  configure(options: FaultOptions, script: FaultScriptStep[] = []): void {
    this.options = { ...options };
    this.script = script.map((s) => ({ ...s, match: s.match && { ...s.match } }));
    this.seed = options.seed ?? randomInt(0, 2 ** 31);
    this.random = mulberry32(this.seed);
  }

  /** Current options, the seed in use, and the script steps not yet consumed. */
  settings(): FaultSettings & { seedInUse: number } {
    return { ...this.options, script: this.script.map((s) => ({ ...s })), seedInUse: this.seed };
  }

  /** The `Retry-After` seconds configured for 429s (injected and real), if any. */
  get retryAfterSeconds(): number | undefined {
    return this.options.retryAfterSeconds;
  }

  /** Decides the fault for one request (consuming a scripted step or a random draw). */
  next(method: string, route: string): FaultDecision {
    const latency = this.options.latencyMs ?? 0;
    const step = this.script.find((s) => stepMatches(s, method, route));
    if (step) {
      this.consume(step);
      return { delayMs: latency + ("delayMs" in step.action ? step.action.delayMs : 0), outcome: this.scriptedOutcome(step.action) };
    }
    return { delayMs: latency, outcome: this.randomOutcome() };
  }

  private consume(step: FaultScriptStep): void {
    step.times -= 1;
    if (step.times <= 0) this.script.splice(this.script.indexOf(step), 1);
  }

  private scriptedOutcome(action: FaultAction): FaultOutcome {
    if ("drop" in action) return { kind: "drop" };
    if ("dropAfter" in action) return { kind: "dropAfter" };
    if ("answerAfterMs" in action) return { kind: "answerAfter", ms: action.answerAfterMs };
    if ("status" in action) return { kind: "respond", response: scriptedResponse(action, this.options.retryAfterSeconds) };
    return { kind: "pass" };
  }

  private randomOutcome(): FaultOutcome {
    const { rate429 = 0, rate5xx = 0, dropRate = 0 } = this.options;
    if (rate429 + rate5xx + dropRate <= 0) return { kind: "pass" };
    const draw = this.random();
    if (draw < rate429) return { kind: "respond", response: gateway.tooManyRequests(this.options.retryAfterSeconds) };
    if (draw < rate429 + rate5xx) {
      const status = INJECTED_5XX_STATUSES[Math.floor(this.random() * INJECTED_5XX_STATUSES.length)];
      return { kind: "respond", response: GATEWAY_5XX[status] };
    }
    if (draw < rate429 + rate5xx + dropRate) return { kind: "drop" };
    return { kind: "pass" };
  }
}
