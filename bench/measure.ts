/**
 * One real-CLI operation measured: the requests the emulator counted for it (by method and route,
 * per Adobe service), its wall time (the `pulumi` process from spawn to exit) and what the engine
 * did to each of the program's resources.
 */
import type { StepSummary } from "../cli/events";
import type { OperationResult, PulumiWorkspace } from "../cli/workspace";
import type { Counter, EmulatorAdmin } from "./emulator-admin";

export type AdobeService = "ims" | "cja" | "aep";

/** Which Adobe service a route belongs to. */
export function serviceOf(route: string): AdobeService {
  if (route.startsWith("/ims/")) return "ims";
  if (route.startsWith("/data/core/") || route.startsWith("/data/foundation/")) return "aep";
  return "cja";
}

export interface RequestCounts {
  /** `"GET /data/dataviews/:dataViewId"` → requests of any status (IMS excluded). */
  byRoute: Record<string, number>;
  cja: number;
  aep: number;
  /** IMS token requests (not rate limited; one per provider process that sends anything). */
  ims: number;
  /** Answers 429 (the emulator enforcing the rate limit, or injected). */
  throttled: number;
  /** Answers other than 2xx and 429. */
  failed: number;
}

/** Sums counters by method and route. */
export function countRequests(counters: Counter[]): RequestCounts {
  const counts: RequestCounts = { byRoute: {}, cja: 0, aep: 0, ims: 0, throttled: 0, failed: 0 };
  for (const c of counters) {
    const service = serviceOf(c.route);
    counts[service] += c.count;
    if (c.status === 429) counts.throttled += c.count;
    else if (c.status < 200 || c.status > 299) counts.failed += c.count;
    if (service !== "ims") {
      const key = `${c.method} ${c.route}`;
      counts.byRoute[key] = (counts.byRoute[key] ?? 0) + c.count;
    }
  }
  return counts;
}

/**
 * The program's own resources (the stack and the default provider left out) by the engine's op,
 * e.g. `{ create: 1001 }`; a resource that was refreshed counts by what the refresh found
 * (`same`, `update`), not as a `refresh` step besides.
 */
export function countSteps(steps: StepSummary[]): Record<string, number> {
  const byUrn = new Map<string, string>();
  for (const s of steps) {
    if (!s.type.startsWith("pulumi-nodejs:dynamic/")) continue;
    if (s.op !== "refresh" || !byUrn.has(s.urn)) byUrn.set(s.urn, s.op);
  }
  const counts: Record<string, number> = {};
  for (const op of byUrn.values()) counts[op] = (counts[op] ?? 0) + 1;
  return counts;
}

export interface MeasuredRun {
  requests: RequestCounts;
  wallMs: number;
  /** From the first CJA request's arrival to the last's (0 for fewer than two): what Adobe's pacing bounds from below. */
  cjaSpanMs: number;
  /** From the first CJA or AEP request's arrival to the last's: Adobe's part of the time (its pacing, its jobs), as the operation waited for it. */
  adobeSpanMs: number;
  steps: Record<string, number>;
  result: OperationResult;
}

/**
 * Runs `pulumi <kind>` on the workspace's stack and measures it. The counters are cleared first,
 * so nothing else may use the emulator meanwhile.
 * @throws Error when the operation fails: a benchmark run must succeed
 */
export async function measureRun(admin: EmulatorAdmin, ws: PulumiWorkspace, kind: "preview" | "up" | "refresh", args: string[] = []): Promise<MeasuredRun> {
  await admin.clearRequests();
  const started = process.hrtime.bigint();
  const result = await ws.operation(kind, args, { allowFailure: true });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.code !== 0) {
    const errors = result.events.flatMap((e) => (e.diagnosticEvent?.severity === "error" ? [e.diagnosticEvent.message] : [])).join("");
    throw new Error(`pulumi ${kind} of ${ws.program.project} exited ${result.code} during the benchmark\n${errors.slice(-4000)}\n--- stderr\n${result.stderr.slice(-3000)}`);
  }
  const { counters, log } = await admin.requests();
  const span = (times: number[]) => (times.length < 2 ? 0 : Math.max(...times) - Math.min(...times));
  const cjaSpanMs = span(log.filter((e) => serviceOf(e.route) === "cja").map((e) => e.at));
  const adobeSpanMs = span(log.filter((e) => serviceOf(e.route) !== "ims").map((e) => e.at));
  return { requests: countRequests(counters), wallMs, cjaSpanMs, adobeSpanMs, steps: countSteps(result.steps), result };
}

/**
 * The run of median time among runs of one operation from one state; they must have sent the same
 * requests and taken the same steps (an idempotent operation that did not is a defect to see).
 */
export function medianRun(project: string, op: string, runs: MeasuredRun[]): MeasuredRun {
  const shape = (run: MeasuredRun) => JSON.stringify({ requests: run.requests, steps: run.steps });
  const differing = runs.filter((run) => shape(run) !== shape(runs[0]));
  if (differing.length > 0) throw new Error(`${project} ${op}: its repeated runs differ: ${runs.map(shape).join(" / ")}`);
  return [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)];
}
