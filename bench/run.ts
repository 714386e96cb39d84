/**
 * `npm run bench`: requests and wall time of preview (new stack), first up, no-op up and refresh
 * for the Journey Optimizer stack and for data views with 300 and 1,000 declared components,
 * against the emulator with Adobe's CJA rate limit enforced, scaled in time (default ×1/50:
 * 12 requests per 120 ms instead of per 6 s) on both the emulator and the client, beside the
 * one-request-per-component baseline and the floor the rate limit sets.
 *
 * Each stack runs its four operations `--repeat` times with the scaled limit and as often with no
 * limit at all; the medians give the time at Adobe's rate (see `adobeTimeMs`).
 *
 * Options: `--scale <n>` (default 50), `--repeat <n>` (default 3), `--only ajo,dv300,dv1000`,
 * `--json <file>` (writes the figures).
 */
import { writeFileSync } from "fs";
import * as os from "os";
import { parseArgs } from "util";
import { DEFAULT_ORG } from "../emulator/main";
import { startEmulator } from "../emulator/server";
import { generatedComponents } from "./component-stack";
import { EmulatorAdmin } from "./emulator-admin";
import { adobeConfig, type EmulatorTarget } from "./example-stacks";
import { measureRun, type MeasuredRun, type RequestCounts } from "./measure";
import type { EngineState } from "./in-process-engine";
import { measurePerComponentReads, type PerComponentReads } from "./per-component-reads";
import { formatReport } from "./report";
import { ADOBE_CJA_LIMIT, adobeTimeMs, limitSetting, rateLimitFloorMs, scaledLimit, type RateLimit } from "./scale";
import { AJO_SCENARIO, componentScenario, OPERATIONS, oneRequestPerComponent, type OperationId, type Scenario } from "./scenarios";

/** The figures of one operation of one stack. */
export interface OperationFigures {
  op: OperationId;
  label: string;
  /** Requests of the paced runs (the same in every run; checked). */
  requests: RequestCounts;
  /** Resources by what the engine did, e.g. `{ create: 1001 }`. */
  steps: Record<string, number>;
  /** Median wall time with the scaled limit, and with no limit, ms. */
  pacedMs: number;
  unpacedMs: number;
  /** Estimated time at Adobe's rate, ms. */
  adobeMs: number;
  /** CJA requests ÷ 12 × 6 s. */
  floorMs: number;
  /** The one-request-per-component baseline: its CJA requests and their floor. */
  baseline: { requests: number; floorMs: number };
}

export interface ScenarioFigures {
  id: string;
  title: string;
  declared: { dimensions: number; metrics: number };
  operations: OperationFigures[];
  /** The baseline's component reads actually sent at the scaled limit (component stacks only). */
  perComponentReads?: { requests: number; throttled: number; pacedMs: number; adobeMs: number; floorMs: number };
}

export interface BenchReport {
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  adobeLimit: RateLimit;
  scale: number;
  scaledLimit: RateLimit;
  repeat: number;
  scenarios: ScenarioFigures[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The four operations in order, each from the state the one before left, on a freshly reset emulator. */
async function runSequence(admin: EmulatorAdmin, target: EmulatorTarget, scenario: Scenario, limit: RateLimit | null): Promise<Record<OperationId, MeasuredRun>> {
  await admin.reset();
  await admin.setRateLimit(limit);
  const stack = await scenario.prepare(target, admin, { "adobe:cjaRateLimit": limit ? limitSetting(limit) : "off" });
  const runs = {} as Record<OperationId, MeasuredRun>;
  let state: EngineState | undefined;
  for (const op of OPERATIONS) {
    // A new provider process starts with a full limiter: let the last run's requests cool down.
    await sleep(limit ? limit.intervalMs : 0);
    const run = await measureRun(admin, stack, op.kind, op.fromState ? state : undefined);
    if (op.kind !== "preview") state = run.result.state;
    runs[op.id] = run;
  }
  return runs;
}

const sameRequests = (a: RequestCounts, b: RequestCounts) => JSON.stringify(Object.entries(a.byRoute).sort()) === JSON.stringify(Object.entries(b.byRoute).sort());

async function measureScenario(admin: EmulatorAdmin, target: EmulatorTarget, scenario: Scenario, scale: number, repeat: number): Promise<ScenarioFigures> {
  const limit = scaledLimit(scale);
  const paced: Record<OperationId, MeasuredRun>[] = [];
  const unpaced: Record<OperationId, MeasuredRun>[] = [];
  process.stdout.write(`  ${scenario.id}: a first run to warm up (not measured)\n`);
  await runSequence(admin, target, scenario, null);
  for (let i = 0; i < repeat; i++) {
    process.stdout.write(`  ${scenario.id}: run ${i + 1}/${repeat} without a limit, then at 12/${limit.intervalMs} ms\n`);
    unpaced.push(await runSequence(admin, target, scenario, null));
    paced.push(await runSequence(admin, target, scenario, limit));
  }

  const operations = OPERATIONS.map((op): OperationFigures => {
    const requests = paced[0][op.id].requests;
    for (const run of [...paced, ...unpaced]) {
      if (!sameRequests(run[op.id].requests, requests)) throw new Error(`${scenario.id} ${op.label}: the runs sent different requests: ${JSON.stringify(run[op.id].requests.byRoute)} vs ${JSON.stringify(requests.byRoute)}`);
    }
    const pacedMs = median(paced.map((r) => r[op.id].wallMs));
    const unpacedMs = median(unpaced.map((r) => r[op.id].wallMs));
    const baselineRequests = oneRequestPerComponent(requests, scenario.declared);
    return {
      op: op.id,
      label: op.label,
      requests,
      steps: paced[0][op.id].steps as Record<string, number>,
      pacedMs,
      unpacedMs,
      adobeMs: adobeTimeMs(unpacedMs, pacedMs, scale, requests.cja),
      floorMs: rateLimitFloorMs(requests.cja),
      baseline: { requests: baselineRequests, floorMs: rateLimitFloorMs(baselineRequests) },
    };
  });

  const figures: ScenarioFigures = { id: scenario.id, title: scenario.title, declared: scenario.declared, operations };
  if (scenario.id !== AJO_SCENARIO.id) {
    // The emulator holds what the last paced run made (each run starts from a reset).
    const dataViewId = paced[paced.length - 1].up.result.outputs.dataViewId as string;
    const count = scenario.declared.dimensions + scenario.declared.metrics;
    const { dimensions, metrics } = generatedComponents(count);
    const config = adobeConfig(target, { "adobe:cjaRateLimit": limitSetting(limit) });
    await admin.setRateLimit(limit);
    const reads: PerComponentReads = await measurePerComponentReads(admin, config, dataViewId, { dimensions: dimensions.map((d) => d.id), metrics: metrics.map((m) => m.id) }, limit.intervalMs);
    figures.perComponentReads = {
      requests: reads.requests.cja,
      throttled: reads.requests.throttled,
      pacedMs: reads.wallMs,
      adobeMs: reads.wallMs * scale,
      floorMs: rateLimitFloorMs(reads.requests.cja),
    };
  }
  return figures;
}

function machine(): BenchReport["machine"] {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? "unknown", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scale: { type: "string", default: "50" }, repeat: { type: "string", default: "3" }, only: { type: "string" }, json: { type: "string" } },
    strict: true,
  });
  const scale = Number(values.scale);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number >= 1, got ${values.repeat}`);
  const limit = scaledLimit(scale);
  const all = [AJO_SCENARIO, componentScenario(300), componentScenario(1000)];
  const only = values.only?.split(",").map((s) => s.trim());
  const scenarios = only ? all.filter((s) => only.includes(s.id)) : all;
  if (scenarios.length === 0) throw new Error(`--only matches none of ${all.map((s) => s.id).join(", ")}`);

  const emulator = await startEmulator({ port: 0, rateLimit: limit });
  const admin = new EmulatorAdmin(emulator.url);
  const target: EmulatorTarget = { url: emulator.url, orgId: DEFAULT_ORG, clientId: emulator.options.clientId, clientSecret: emulator.options.clientSecret };
  console.log(`Adobe's CJA limit ${ADOBE_CJA_LIMIT.requests} requests / ${ADOBE_CJA_LIMIT.intervalMs} ms, scaled ×1/${scale}: ${limit.requests} / ${limit.intervalMs} ms on the emulator and on the client`);
  console.log(`Emulator ${emulator.url} (spec validation ${emulator.specValidation ? "on" : "off"})`);

  try {
    const report: BenchReport = {
      command: `npm run bench -- --scale ${scale} --repeat ${repeat}${only ? ` --only ${only.join(",")}` : ""}`,
      machine: machine(),
      adobeLimit: { ...ADOBE_CJA_LIMIT },
      scale,
      scaledLimit: limit,
      repeat,
      scenarios: [],
    };
    for (const scenario of scenarios) report.scenarios.push(await measureScenario(admin, target, scenario, scale, repeat));
    const failures = await admin.validationFailures();
    if (failures.length > 0) throw new Error(`the emulator broke Adobe's spec during the benchmark: ${JSON.stringify(failures.slice(0, 3))}`);

    console.log("");
    console.log(formatReport(report));
    if (values.json) {
      writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`\nFigures written to ${values.json}`);
    }
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exitCode = 1;
  });
}
