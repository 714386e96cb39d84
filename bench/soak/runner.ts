/**
 * The fault soak: both example stacks run `pulumi up --refresh` again and again against one
 * emulator, each run under a fresh fault mix and continuing from the state the stack's previous
 * run left, as a team re-running `pulumi up` after a failure would. The runs go through the real
 * Pulumi CLI (`engine: "cli"`, the default) or through the unit suite's in-process engine
 * (`engine: "in-process"`, see ./engines.ts). After each run the emulator's state is compared
 * with what the stacks declare, read against the state the engine left; a stack whose run failed
 * gets a clean repair run at once.
 *
 * Every stack run is classified:
 * - `converged`: the run succeeded and Adobe holds exactly what the stack declares;
 * - `repaired`: the run failed with an error, left nothing that a run cannot repair (no duplicate,
 *   nothing lost), and the next run, without faults, converged;
 * - `violation`: anything else (a duplicate, a lost object, a successful run that left Adobe
 *   different from the code, a repair run that failed or did not converge, a crash).
 */
import { startEmulator } from "../../emulator/server";
import { EmulatorAdmin, type LogEntry } from "../emulator-admin";
import type { EmulatorTarget } from "../example-stacks";
import { limitSetting, scaledLimit } from "../scale";
import { prepareAjoSoak } from "./ajo-soak";
import { prepareAudiencesSoak } from "./audiences-soak";
import { REPAIRABLE, type Problem, type SoakState } from "./emulator-view";
import { soakEngine, type KillPlan, type SoakEngine, type SoakEngineName, type UpResult } from "./engines";
import { errorKind, errorShape, failedRequest } from "./error-kinds";
import { drawFaultMix, NO_FAULTS, type FaultMix } from "./fault-mix";
import { seededRandom, type Random } from "./random";
import type { SoakStack } from "./soak-stack";
import { expireTokensAfter } from "./token-expiry";

export const SOAK_STACKS = ["ajo-cja", "audiences-cja"] as const;
export type SoakStackName = (typeof SOAK_STACKS)[number];

export interface SoakOptions {
  runs: number;
  seed: number;
  /** What runs each `pulumi up --refresh`: the real Pulumi CLI (default) or the in-process engine of the unit suite. */
  engine?: SoakEngineName;
  /** Adobe's time divided by this: rate limit, retry waits, timeouts (default 50). */
  scale?: number;
  stacks?: readonly SoakStackName[];
  orgId?: string;
  /** Adobe's spec folder for the emulator's validation (default: the emulator's default; null: off). */
  specDir?: string | null;
  /** Told one line per run. */
  log?: (line: string) => void;
  /**
   * The kill soak: no faults; each stack's `up` is killed (SIGKILL to all its processes, or one time
   * in five SIGINT to the CLI's process group) at a random moment, or right after Adobe carried out
   * one of the writes seen in earlier runs, then repaired by a plain `up`. Real CLI only.
   */
  kill?: boolean;
}

/** The client settings of the soak: Adobe's defaults, divided by the scale. */
export function soakClientSettings(scale: number): Record<string, string> {
  return {
    "adobe:cjaRateLimit": limitSetting(scaledLimit(scale)),
    "adobe:maxRetries": "5",
    "adobe:retryBaseDelayMs": String(Math.round(1000 / scale)),
    "adobe:retryMaxDelayMs": String(Math.round(30000 / scale)),
    "adobe:retryBudgetMs": String(Math.round(120000 / scale)),
    "adobe:requestTimeoutMs": String(Math.round(65000 / scale)),
  };
}

/** The emulator's asynchronous work, short so a run takes seconds. */
const ASYNC_TIMINGS = { exportJobTimings: { newMs: 20, processingMs: 40 }, queryDurationMs: 30 };
/**
 * The audiences stack's waits for its export job and query. The real CLI enforces the example's
 * config schema, where `pollIntervalSeconds` is an integer: a status read each second (the first
 * one at once). The in-process engine does not, so the unit suite's soak reads every 50 ms.
 */
const AUDIENCE_WAITS: Record<SoakEngineName, { timeoutSeconds: number; pollIntervalSeconds: number; asyncWorkMs: number }> = {
  cli: { timeoutSeconds: 20, pollIntervalSeconds: 1, asyncWorkMs: 150 },
  "in-process": { timeoutSeconds: 20, pollIntervalSeconds: 0.1, asyncWorkMs: 150 },
};

export type Outcome = "converged" | "repaired" | "violation";

export interface FaultsHit {
  throttled: number;
  serverErrors: number;
  dropped: number;
  /** Requests refused for an expired token. */
  unauthorized: number;
  tokensExpired: boolean;
}

export interface StackRunRecord {
  stack: string;
  variant: string;
  outcome: Outcome;
  /** Errors of the run (one per failed resource), as the user reads them. */
  errors: string[];
  /** Faults this stack's requests met. */
  faultsHit: FaultsHit;
  /** Wall time of the run's `pulumi up --refresh` (the repair run not included), ms. */
  upMs: number;
  /** What the check found after the run (repairable ones, when the run failed). */
  problems: Problem[];
  /** The repair run, when the run failed. */
  repair?: { errors: string[]; problems: Problem[]; upMs: number };
  /** Why the run counts as a violation. */
  violation?: string;
  /** The kill that stopped the run (kill soak). */
  killed?: UpResult["killed"];
  /**
   * What the repair found that no state holds and no key can claim (the documented residuals): an
   * unstamped copy (a kill between Adobe's copy and its stamp), an export job (Adobe keeps no field for a key on one).
   */
  unclaimed?: string[];
}

export interface RunRecord {
  run: number;
  faults: string[];
  /** The run's fault mix, as counted in the report. */
  mix: Pick<FaultMix, "calm" | "rate429" | "rate5xx" | "dropRate" | "latencyMs" | "scripted" | "tokenExpiryAfter" | "exportJobFails">;
  /** What each stack's variant changed from the previous run's (beyond what every run changes). */
  changes: Record<string, string[]>;
  faultsHit: FaultsHit;
  stacks: StackRunRecord[];
  ms: number;
}

export interface SoakReport {
  seed: number;
  runs: number;
  scale: number;
  /** What ran the stacks. */
  engine: { name: SoakEngineName; engine: string; pulumiVersion?: string; programNode: string; runnerNode: string };
  clientSettings: Record<string, string>;
  emulator: { rateLimit: { requests: number; intervalMs: number }; exportJobTimings: { newMs: number; processingMs: number }; queryDurationMs: number };
  counts: {
    stackRuns: number;
    converged: number;
    /** Converged although the run's requests met faults. */
    convergedThroughFaults: number;
    repaired: number;
    violations: number;
    /** Kill soak: runs killed before they ended, those whose lock needed `pulumi cancel`, pending creates cleared after their repair, objects no key could claim. */
    killed: number;
    cancelled: number;
    pendingCreatesCleared: number;
    unclaimed: number;
  };
  perStack: Record<string, { converged: number; convergedThroughFaults: number; repaired: number; violations: number; meanUpMs: number; maxUpMs: number }>;
  /** Errors of failed runs by kind, each with how often it came and its messages' shapes. */
  errorKinds: Record<string, { title: string; count: number; shapes: Record<string, number> }>;
  /** The same errors by the request that gave up (`CJA GET /data/dataviews/{id}/metrics`; `none` when the message names none): errors, and stack runs they failed. */
  failedRequests: Record<string, { errors: number; stackRuns: number }>;
  violations: Array<{ run: number; stack: string; detail: string }>;
  /** The fault mixes drawn: calm runs, the background rates of the others, and in how many runs each scripted episode came. */
  faultMix: {
    calmRuns: number;
    rates: Record<"rate429" | "rate5xx" | "dropRate" | "latencyMs", { mean: number; max: number }>;
    episodes: Record<string, { runs: number; byTarget: Record<string, number> }>;
    /** Runs with a burst of 429s longer than the client's retries (maxRetries + 1 or more). */
    burstsPastRetries: number;
    tokenExpiryRuns: number;
    exportJobFailRuns: number;
  };
  /** How often each stack's variant changed something, by change. */
  variantChanges: Record<string, Record<string, number>>;
  /** Requests that met each fault, over all runs. */
  faultsHit: { throttled: number; serverErrors: number; dropped: number; unauthorized: number; tokenExpiries: number };
  durationMs: number;
  records: RunRecord[];
}

function faultsHit(log: LogEntry[], tokensExpired: boolean): FaultsHit {
  return {
    throttled: log.filter((e) => e.status === 429).length,
    serverErrors: log.filter((e) => e.status >= 500).length,
    dropped: log.filter((e) => e.status === 0).length,
    unauthorized: log.filter((e) => e.status === 401).length,
    tokensExpired,
  };
}

const hitAny = (f: FaultsHit) => f.throttled + f.serverErrors + f.dropped + f.unauthorized > 0;

/** A clear error names the resource that failed (one of the program's, not the stack) and says what Adobe or the network did. */
function unclearErrors(errors: string[]): string[] {
  return errors.filter((e) => !/^urn:pulumi:[^:]+::[^:]+::pulumi-nodejs:dynamic\//.test(e) || /undefined|\[object Object\]/.test(e.replace(/^urn:\S+: /, "")) || e.replace(/^urn:\S+: /, "").trim().length < 10);
}

async function applyFaults(admin: EmulatorAdmin, mix: FaultMix): Promise<void> {
  await admin.setFaults({ rate429: mix.rate429, rate5xx: mix.rate5xx, dropRate: mix.dropRate, latencyMs: mix.latencyMs, seed: mix.seed, script: mix.script });
}

/** How long a held answer waits: longer than any kill takes to land. */
const HOLD_MS = 30_000;

/**
 * Where to kill one stack's run: half the time right after Adobe carried out the run's first,
 * second or third write (its answer held, so the CLI dies not knowing), otherwise at a random
 * moment of its usual run time (that of its last run that was not killed). A run with fewer
 * writes ends before the kill.
 */
function drawKill(random: Random, usualMs: number, admin: EmulatorAdmin): { plan: KillPlan; script: FaultMix["script"] } {
  const signal = random.chance(0.2) ? "SIGINT" : "SIGKILL";
  if (random.chance(0.5)) {
    const nth = random.int(1, 3);
    const pass = nth > 1 ? [{ match: { writes: true }, times: nth - 1, action: { delayMs: 0 } }] : [];
    return {
      plan: {
        signal,
        until: async () => (await admin.requests()).held.length > 0,
        describe: `${signal} once Adobe carried out write ${nth}`,
        detail: async () => (await admin.requests()).held.map((h) => `${h.method} ${h.route}`)[0],
      },
      script: [...pass, { match: { writes: true }, times: 1, action: { answerAfterMs: HOLD_MS } }],
    };
  }
  const afterMs = random.int(0, Math.max(1, Math.round(usualMs * 0.95)));
  return { plan: { signal, afterMs, describe: `${signal} after ${(afterMs / 1000).toFixed(1)} s` }, script: [] };
}

/** Runs the soak on an emulator of its own; resolves with the counts (a violation does not throw). */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const scale = options.scale ?? 50;
  const limit = scaledLimit(scale);
  const client = soakClientSettings(scale);
  const requestTimeoutMs = Number(client["adobe:requestTimeoutMs"]);
  const names = options.stacks ?? SOAK_STACKS;
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const engineName = options.engine ?? "cli";
  const engine: SoakEngine = soakEngine(engineName);
  if (options.kill && engineName !== "cli") throw new Error("the kill soak runs the real CLI only (--engine cli)");

  const orgId = options.orgId ?? "SOAK00000000000000000000@AdobeOrg";
  const emulator = await startEmulator({ port: 0, rateLimit: limit, ...ASYNC_TIMINGS, specDir: options.specDir, credentialOrgs: [orgId] });
  const admin = new EmulatorAdmin(emulator.url);
  const target: EmulatorTarget = { url: emulator.url, orgId, clientId: emulator.options.clientId, clientSecret: emulator.options.clientSecret };

  try {
    const stacks: SoakStack<unknown>[] = [];
    if (names.includes("ajo-cja")) stacks.push((await prepareAjoSoak(target, admin, client)) as SoakStack<unknown>);
    if (names.includes("audiences-cja")) stacks.push((await prepareAudiencesSoak(target, admin, client, AUDIENCE_WAITS[engineName])) as SoakStack<unknown>);
    const states = new Map<string, SoakState | undefined>();
    const variants = new Map<string, unknown>(stacks.map((s) => [s.name, s.initial]));
    const knownRoutes = new Set<string>();
    const usualMs = new Map<string, number>();
    const records: RunRecord[] = [];
    // A violation is counted once: the objects it left behind are set aside for later checks.
    const setAside = new Set<string>();
    const markReported = (problems: Problem[]) => problems.forEach((p) => p.objectIds?.forEach((id) => setAside.add(id)));

    const checkAll = async (which: SoakStack<unknown>[], converged: Map<string, boolean>) => {
      for (const s of which) await s.settle?.();
      const dump = await admin.state();
      return new Map(which.map((s) => [s.name, s.check(dump as never, states.get(s.name), variants.get(s.name), converged.get(s.name) ?? false, setAside)]));
    };

    for (let run = 1; run <= options.runs; run++) {
      const runStarted = Date.now();
      const random = seededRandom((options.seed * 100_003 + run) >>> 0);
      const changes: Record<string, string[]> = {};
      if (run > 1) {
        for (const s of stacks) {
          const last = variants.get(s.name);
          variants.set(s.name, s.next(random, last, run));
          changes[s.name] = s.changes(last, variants.get(s.name));
        }
      }
      const drawn = drawFaultMix(random, { requestTimeoutMs, knownRoutes: [...knownRoutes].sort() });
      const mix = options.kill ? { ...NO_FAULTS, episodes: ["kill"] } : drawn;

      await admin.clearRequests();
      if (mix.exportJobFails) for (const s of stacks) await s.adobeFailure?.arm();
      await applyFaults(admin, mix);
      const expiry = mix.tokenExpiryAfter !== undefined ? expireTokensAfter(admin, mix.tokenExpiryAfter) : undefined;
      const results = new Map<string, UpResult>();
      for (const s of stacks) {
        const kill = options.kill ? drawKill(random, usualMs.get(s.name) ?? 5000, admin) : undefined;
        if (kill) await admin.setFaults({ script: kill.script });
        const result = await engine.up(s, variants.get(s.name), kill?.plan);
        if (kill) await admin.setFaults({});
        results.set(s.name, result);
        states.set(s.name, result.state);
        if (!result.killed && result.ok) usualMs.set(s.name, result.to - result.from);
      }
      const tokensExpired = (await expiry?.stop()) ?? false;
      await admin.setFaults({});
      // A response held past the client's timeout is still carried out: let it land before the check.
      if (mix.slowestMs > 0) await new Promise((resolve) => setTimeout(resolve, mix.slowestMs));
      for (const s of stacks) await s.adobeFailure?.disarm();
      const requestLog = (await admin.requests()).log;
      for (const e of requestLog) if (!e.route.startsWith("/ims/") && e.route !== "") knownRoutes.add(`${e.method} ${e.route}`);
      const hit = faultsHit(requestLog, tokensExpired);

      const problems = await checkAll(stacks, new Map(stacks.map((s) => [s.name, results.get(s.name)!.ok])));
      const stackRecords: StackRunRecord[] = [];
      const toRepair: SoakStack<unknown>[] = [];
      for (const s of stacks) {
        const result = results.get(s.name)!;
        const found = problems.get(s.name)!;
        const ownLog = requestLog.filter((e) => e.at >= result.from && e.at <= result.to);
        const record: StackRunRecord = {
          stack: s.name,
          variant: s.describe(variants.get(s.name)),
          outcome: "converged",
          errors: result.errors,
          faultsHit: faultsHit(ownLog, tokensExpired && ownLog.some((e) => e.status === 401)),
          upMs: result.to - result.from,
          problems: found,
          ...(result.killed ? { killed: result.killed } : {}),
        };
        stackRecords.push(record);
        if (result.crash) {
          record.outcome = "violation";
          record.violation = `the run crashed: ${result.crash}`;
        } else if (result.ok) {
          if (found.length > 0) {
            record.outcome = "violation";
            record.violation = `the run succeeded but: ${found.map((p) => `${p.kind}: ${p.detail}`).join("; ")}`;
            markReported(found);
          }
        } else {
          const unrepairable = found.filter((p) => !REPAIRABLE.has(p.kind));
          const unclear = unclearErrors(result.errors);
          if (unrepairable.length > 0) {
            record.outcome = "violation";
            record.violation = `the failed run left: ${unrepairable.map((p) => `${p.kind}: ${p.detail}`).join("; ")}`;
            markReported(unrepairable);
          } else if (!result.killed && (unclear.length > 0 || result.errors.length === 0)) {
            record.outcome = "violation";
            record.violation = `the run failed without a clear error: ${JSON.stringify(unclear)}`;
          }
          toRepair.push(s);
        }
      }

      // A failed stack is run again at once without faults, from the state its failed run left.
      if (toRepair.length > 0) {
        await admin.clearRequests();
        const repaired = new Map<string, UpResult>();
        for (const s of toRepair) {
          const result = await engine.up(s, variants.get(s.name));
          repaired.set(s.name, result);
          states.set(s.name, result.state);
          const record = stackRecords.find((r) => r.stack === s.name)!;
          if (record.killed && result.ok) {
            // The killed run's pending creates stay in the checkpoint after the repair adopted their objects.
            const { cleared, state } = await engine.clearPendingCreates(s);
            if (cleared > 0) {
              record.killed.pendingCreatesCleared = cleared;
              states.set(s.name, state);
            }
          }
        }
        // A repair run is a whole run: how long a run of the stack takes.
        for (const s of toRepair) {
          const { from, to, ok } = repaired.get(s.name)!;
          if (ok) usualMs.set(s.name, to - from);
        }
        const after = await checkAll(toRepair, new Map(toRepair.map((s) => [s.name, repaired.get(s.name)!.ok])));
        for (const s of toRepair) {
          const record = stackRecords.find((r) => r.stack === s.name)!;
          const result = repaired.get(s.name)!;
          const all = after.get(s.name)!;
          // The documented residual: a kill between Adobe's copy and the stamp leaves an unstamped copy.
          const unclaimed = record.killed ? all.filter((p) => p.kind === "unclaimed") : [];
          if (unclaimed.length > 0) {
            record.unclaimed = unclaimed.map((p) => p.detail);
            markReported(unclaimed);
          }
          const found = all.filter((p) => !unclaimed.includes(p));
          record.repair = { errors: result.errors, problems: found, upMs: result.to - result.from };
          if (record.outcome === "violation") continue;
          if (!result.ok || found.length > 0) {
            markReported(found);
            record.outcome = "violation";
            record.violation = result.ok
              ? `the repair run succeeded but: ${found.map((p) => `${p.kind}: ${p.detail}`).join("; ")}`
              : `the repair run without faults failed: ${result.crash ?? result.errors.join(" | ")}`;
          } else {
            record.outcome = "repaired";
          }
        }
      }

      const { calm, rate429, rate5xx, dropRate, latencyMs, scripted, tokenExpiryAfter, exportJobFails } = mix;
      const record: RunRecord = {
        run,
        faults: mix.episodes,
        mix: { calm, rate429, rate5xx, dropRate, latencyMs, scripted, tokenExpiryAfter, exportJobFails },
        changes,
        faultsHit: hit,
        stacks: stackRecords,
        ms: Date.now() - runStarted,
      };
      records.push(record);
      log(describeRun(record, options.runs));
    }

    const failures = await admin.validationFailures();
    const report = summarize(options, scale, client, limit, records, Date.now() - started, { name: engineName, ...engine.describe, runnerNode: process.version });
    if (failures.length > 0) {
      report.violations.push({ run: 0, stack: "emulator", detail: `the emulator broke Adobe's spec: ${JSON.stringify(failures.slice(0, 3))}` });
      report.counts.violations++;
    }
    return report;
  } finally {
    await engine.close();
    await emulator.close();
  }
}

function describeRun(r: RunRecord, of: number): string {
  const hit = r.faultsHit;
  const faults = `${hit.throttled} 429, ${hit.serverErrors} 5xx, ${hit.dropped} dropped, ${hit.unauthorized} 401${hit.tokensExpired ? ", tokens expired" : ""}`;
  const stacks = r.stacks.map((s) => {
    if (s.outcome === "converged") return `${s.stack} converged`;
    if (s.outcome === "repaired" && s.killed) {
      const notes = [s.killed.cancelled ? "lock cancelled" : "", s.killed.pendingCreatesCleared ? `${s.killed.pendingCreatesCleared} pending creates cleared` : ""].filter(Boolean);
      return `${s.stack} killed (${s.killed.describe}${notes.length ? `; ${notes.join(", ")}` : ""}), repaired${s.unclaimed?.length ? ` (left unclaimed: ${s.unclaimed.join("; ")})` : ""}`;
    }
    if (s.outcome === "repaired") return `${s.stack} failed (${s.errors.map((e) => errorKind(e).id).join(", ")}), repaired`;
    return `${s.stack} VIOLATION: ${s.violation}`;
  });
  return `run ${String(r.run).padStart(String(of).length)}/${of} (${(r.ms / 1000).toFixed(1)} s; faults met: ${faults}): ${stacks.join(" | ")}`;
}

function summarize(
  options: SoakOptions,
  scale: number,
  client: Record<string, string>,
  limit: { requests: number; intervalMs: number },
  records: RunRecord[],
  durationMs: number,
  engine: SoakReport["engine"],
): SoakReport {
  const stackRuns = records.flatMap((r) => r.stacks.map((s) => ({ ...s, hit: hitAny(s.faultsHit), run: r.run })));
  const perStack: SoakReport["perStack"] = {};
  for (const s of stackRuns) {
    const entry = (perStack[s.stack] ??= { converged: 0, convergedThroughFaults: 0, repaired: 0, violations: 0, meanUpMs: 0, maxUpMs: 0 });
    entry.meanUpMs += s.upMs;
    entry.maxUpMs = Math.max(entry.maxUpMs, s.upMs);
    if (s.outcome === "converged") entry.converged++;
    if (s.outcome === "converged" && s.hit) entry.convergedThroughFaults++;
    if (s.outcome === "repaired") entry.repaired++;
    if (s.outcome === "violation") entry.violations++;
  }
  for (const entry of Object.values(perStack)) entry.meanUpMs = Math.round(entry.meanUpMs / (entry.converged + entry.repaired + entry.violations));
  const errorKinds: SoakReport["errorKinds"] = {};
  for (const s of stackRuns) {
    for (const error of s.errors) {
      const kind = errorKind(error);
      const entry = (errorKinds[kind.id] ??= { title: kind.title, count: 0, shapes: {} });
      entry.count++;
      const shape = errorShape(error);
      entry.shapes[shape] = (entry.shapes[shape] ?? 0) + 1;
    }
  }
  const failedRequests: SoakReport["failedRequests"] = {};
  for (const s of stackRuns) {
    const requests = s.errors.map((e) => failedRequest(e) ?? "none");
    for (const request of requests) (failedRequests[request] ??= { errors: 0, stackRuns: 0 }).errors++;
    for (const request of new Set(requests)) failedRequests[request].stackRuns++;
  }
  const sum = (pick: (h: FaultsHit) => number) => records.reduce((n, r) => n + pick(r.faultsHit), 0);
  const faulty = records.filter((r) => !r.mix.calm);
  const rate = (key: "rate429" | "rate5xx" | "dropRate" | "latencyMs") => ({
    mean: faulty.length === 0 ? 0 : Math.round((faulty.reduce((n, r) => n + r.mix[key], 0) / faulty.length) * 10000) / 10000,
    max: faulty.reduce((n, r) => Math.max(n, r.mix[key]), 0),
  });
  const episodes: SoakReport["faultMix"]["episodes"] = {};
  for (const r of records) {
    for (const e of r.mix.scripted) {
      const entry = (episodes[e.kind] ??= { runs: 0, byTarget: {} });
      entry.runs++;
      entry.byTarget[e.target] = (entry.byTarget[e.target] ?? 0) + 1;
    }
  }
  const maxRetries = Number(client["adobe:maxRetries"]);
  const variantChanges: SoakReport["variantChanges"] = {};
  for (const r of records) {
    for (const [stack, changes] of Object.entries(r.changes)) {
      const entry = (variantChanges[stack] ??= {});
      for (const c of changes) entry[c] = (entry[c] ?? 0) + 1;
    }
  }
  return {
    seed: options.seed,
    runs: records.length,
    scale,
    engine,
    clientSettings: client,
    emulator: { rateLimit: limit, ...ASYNC_TIMINGS },
    counts: {
      stackRuns: stackRuns.length,
      converged: stackRuns.filter((s) => s.outcome === "converged").length,
      convergedThroughFaults: stackRuns.filter((s) => s.outcome === "converged" && s.hit).length,
      repaired: stackRuns.filter((s) => s.outcome === "repaired").length,
      violations: stackRuns.filter((s) => s.outcome === "violation").length,
      killed: stackRuns.filter((s) => s.killed).length,
      cancelled: stackRuns.filter((s) => s.killed?.cancelled).length,
      pendingCreatesCleared: stackRuns.reduce((n, s) => n + (s.killed?.pendingCreatesCleared ?? 0), 0),
      unclaimed: stackRuns.reduce((n, s) => n + (s.unclaimed?.length ?? 0), 0),
    },
    perStack,
    errorKinds,
    failedRequests,
    violations: stackRuns.filter((s) => s.outcome === "violation").map((s) => ({ run: s.run, stack: s.stack, detail: s.violation ?? "" })),
    faultMix: {
      calmRuns: records.length - faulty.length,
      rates: { rate429: rate("rate429"), rate5xx: rate("rate5xx"), dropRate: rate("dropRate"), latencyMs: rate("latencyMs") },
      episodes,
      burstsPastRetries: records.filter((r) => r.mix.scripted.some((e) => e.kind === "429 burst" && e.times > maxRetries)).length,
      tokenExpiryRuns: records.filter((r) => r.mix.tokenExpiryAfter !== undefined).length,
      exportJobFailRuns: records.filter((r) => r.mix.exportJobFails).length,
    },
    variantChanges,
    faultsHit: {
      throttled: sum((h) => h.throttled),
      serverErrors: sum((h) => h.serverErrors),
      dropped: sum((h) => h.dropped),
      unauthorized: sum((h) => h.unauthorized),
      tokenExpiries: records.filter((r) => r.faultsHit.tokensExpired).length,
    },
    durationMs,
    records,
  };
}
