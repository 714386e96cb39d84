/**
 * One engine run measured: the requests the emulator counted for it (by method and route, per
 * Adobe service) and its wall time.
 */
import { countSteps, EngineRunError, runProgram, type EngineState, type Operation, type RunOptions, type RunResult } from "./in-process-engine";
import type { Counter, EmulatorAdmin } from "./emulator-admin";
import type { StackUnderTest } from "./example-stacks";

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

export interface MeasuredRun {
  requests: RequestCounts;
  wallMs: number;
  steps: Partial<Record<Operation, number>>;
  result: RunResult;
}

/**
 * Runs the stack once (`kind`, from `state`) and measures it. The counters are cleared first, so
 * nothing else may use the emulator meanwhile.
 * @throws EngineRunError as the run does: a benchmark run must succeed
 */
export async function measureRun(admin: EmulatorAdmin, stack: StackUnderTest, kind: RunOptions["kind"], state: EngineState | undefined): Promise<MeasuredRun> {
  await admin.clearRequests();
  const started = process.hrtime.bigint();
  let result: RunResult;
  try {
    result = await runProgram(stack.program, { kind, project: stack.project, stack: "bench", config: stack.config, secretKeys: ["adobe:clientSecret"], state });
  } catch (error) {
    if (error instanceof EngineRunError) throw new Error(`${stack.project} ${kind} failed during the benchmark: ${error.message}`);
    throw error;
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const { counters } = await admin.requests();
  return { requests: countRequests(counters), wallMs, steps: countSteps(result.steps), result };
}
