/**
 * `npm run bench`: requests and wall time of preview (new stack), first up, no-op up and refresh
 * through the real Pulumi CLI, for the Journey Optimizer stack and for data views with 300 and
 * 1,000 declared components, against the emulator with Adobe's CJA rate limit enforced, scaled in
 * time (default ×1/50: 12 requests per 120 ms instead of per 6 s) on both the emulator and the
 * client, beside the one-request-per-component baseline and the floor the rate limit sets.
 *
 * Every operation is a `pulumi` command on a stack of its own (`cli/workspace.ts`: a DIY backend,
 * the program under Node.js 22), so its time includes what the CLI costs on its own (the CLI, the
 * language host, ts-node compiling the program, a new provider process): the same four operations
 * of a program with no resources measure that, to subtract.
 *
 * After one warm-up sequence of the empty program, each stack runs its four operations `--repeat`
 * times with no limit and as often with the scaled limit (each time on a new stack); the medians
 * give the time at Adobe's rate (see `adobeTimeMs`). Then its first up once more without the
 * engine's intermediate state checkpoints, to show what they cost.
 *
 * Options: `--scale <n>` (default 50), `--repeat <n>` (default 1), `--only ajo,dv300,dv1000`,
 * `--json <file>` (writes the figures).
 */
import { writeFileSync } from "fs";
import * as os from "os";
import { parseArgs } from "util";
import { toolchain } from "../cli/toolchain";
import { PulumiWorkspace } from "../cli/workspace";
import { DEFAULT_ORG } from "../emulator/main";
import { startEmulator } from "../emulator/server";
import { generatedComponents } from "./component-stack";
import { EmulatorAdmin } from "./emulator-admin";
import { adobeConfig, type EmulatorTarget } from "./example-stacks";
import { measureRun, type MeasuredRun, type RequestCounts } from "./measure";
import { measurePerComponentReads, type PerComponentReads } from "./per-component-reads";
import { formatReport } from "./report";
import { ADOBE_CJA_LIMIT, adobeTimeMs, limitSetting, rateLimitFloorMs, scaledLimit, type RateLimit } from "./scale";
import { AJO_SCENARIO, componentScenario, EMPTY_SCENARIO, OPERATIONS, oneRequestPerComponent, type BenchOperation, type OperationId, type Scenario } from "./scenarios";

/** One run with the limit and one without: with the real CLI a 1,000-resource first up takes minutes. */
export const DEFAULT_REPEAT = 1;

/** The figures of one operation of one stack. */
export interface OperationFigures {
  op: OperationId;
  label: string;
  /** Requests of the paced runs (the same in every run; checked). */
  requests: RequestCounts;
  /** The program's resources by what the engine did, e.g. `{ create: 1001 }`. */
  steps: Record<string, number>;
  /** Median wall time with the scaled limit, and with no limit, ms. */
  pacedMs: number;
  unpacedMs: number;
  /** Every measured run, in order, ms. */
  pacedRunsMs: number[];
  unpacedRunsMs: number[];
  /** The no-limit median less the CLI's fixed cost of the same operation (the empty program's median). */
  beyondCliMs: number;
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
  /**
   * The state the first up leaves (its size, serialized as `pulumi stack export` gives it) and the
   * first up once without intermediate checkpoints beside the no-limit median with them.
   */
  checkpoints?: { stateBytes: number; resources: number; firstUpWithoutMs: number; firstUpWithMs: number };
}

/** The empty program's operations: the CLI's own cost. */
export interface CliCostFigures {
  op: OperationId;
  label: string;
  medianMs: number;
  runsMs: number[];
  /** Requests it sent (none expected). */
  requests: number;
}

export interface BenchReport {
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadAverage: number[] };
  /** The pulumi CLI (`pulumi version`) and the Node.js the programs and their providers ran under. */
  cli: { pulumi: string; programNode: string };
  adobeLimit: RateLimit;
  scale: number;
  scaledLimit: RateLimit;
  repeat: number;
  cliCost: CliCostFigures[];
  scenarios: ScenarioFigures[];
  /** Wall time of the whole benchmark, ms. */
  totalMs: number;
  /** `os.loadavg()` when it ended (other work on the machine shows in the timings). */
  loadAverageEnd: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The SDK compiles the program with its vendored ts-node, which caches what it compiled in a
 * folder named after the compiler options (the tsconfig.json's path among them): the first
 * operation of a new stack compiles and type-checks the program, the later ones reuse it. The
 * cache goes into the workspace (relative to the project folder, the program's working directory),
 * so it is removed with it instead of piling up in the system's temporary folder.
 */
const WORKSPACE_ENV = { TS_NODE_CACHE_DIRECTORY: "../ts-node-cache" };

interface Sequence {
  runs: Partial<Record<OperationId, MeasuredRun>>;
  /** Stack outputs after the last operation. */
  outputs: Record<string, unknown>;
  /** Size of the stack's state after the last operation (`pulumi stack export`), bytes; when asked for. */
  stateBytes?: number;
}

interface SequenceOptions {
  /** The operations to run, in this order (default: all four). */
  operations?: readonly BenchOperation[];
  /** Environment of every command on top of {@link WORKSPACE_ENV}. */
  env?: Record<string, string>;
  /** Export the state at the end and measure its size. */
  stateSize?: boolean;
}

/**
 * The operations in order on a new stack (a workspace of its own), on a freshly reset emulator
 * with the Adobe UI's part played again; the client's limit is stack config.
 */
async function runSequence(admin: EmulatorAdmin, target: EmulatorTarget, scenario: Scenario, limit: RateLimit | null, opts: SequenceOptions = {}): Promise<Sequence> {
  await admin.reset();
  await admin.setRateLimit(limit);
  const prepared = await scenario.prepare(target, admin);
  const ws = await PulumiWorkspace.create({ program: prepared.program, stack: "bench", env: { ...WORKSPACE_ENV, ...opts.env } });
  try {
    const { "adobe:clientSecret": secret, ...plain } = adobeConfig(target, { "adobe:cjaRateLimit": limit ? limitSetting(limit) : "off" });
    await ws.setConfig({ ...plain, ...prepared.config }, { "adobe:clientSecret": secret });
    const runs: Sequence["runs"] = {};
    for (const op of opts.operations ?? OPERATIONS) {
      // Each operation starts a new provider process with a full limiter: let the last one's requests cool down.
      await sleep(limit ? limit.intervalMs : 0);
      runs[op.id] = await measureRun(admin, ws, op.kind);
    }
    const outputs = await ws.outputs();
    return { runs, outputs, ...(opts.stateSize ? { stateBytes: JSON.stringify((await ws.exportState()).deployment).length } : {}) };
  } finally {
    ws.dispose();
  }
}

/** The run of `op` in a sequence that ran it. */
function runOf(sequence: Sequence, op: OperationId): MeasuredRun {
  const run = sequence.runs[op];
  if (!run) throw new Error(`no ${op} run in this sequence`);
  return run;
}

const sameRequests = (a: RequestCounts, b: RequestCounts) => JSON.stringify(Object.entries(a.byRoute).sort()) === JSON.stringify(Object.entries(b.byRoute).sort());

function checkSameRequests(scenario: Scenario, op: (typeof OPERATIONS)[number], sequences: Sequence[]): RequestCounts {
  const requests = runOf(sequences[0], op.id).requests;
  for (const s of sequences) {
    const r = runOf(s, op.id).requests;
    if (!sameRequests(r, requests)) throw new Error(`${scenario.id} ${op.label}: the runs sent different requests: ${JSON.stringify(r.byRoute)} vs ${JSON.stringify(requests.byRoute)}`);
  }
  return requests;
}

/**
 * The empty program's four operations, `repeat` times after a warm-up (no requests, so no limit to
 * pace). The warm-up is the benchmark's only one: the first CLI run loads the CLI, Node.js and
 * TypeScript from disk; the stacks after it run without one of their own.
 */
async function measureCliCost(admin: EmulatorAdmin, target: EmulatorTarget, repeat: number): Promise<CliCostFigures[]> {
  process.stdout.write(`  ${EMPTY_SCENARIO.id}: a first run to warm up (not measured)\n`);
  await runSequence(admin, target, EMPTY_SCENARIO, null);
  const sequences: Sequence[] = [];
  for (let i = 0; i < repeat; i++) {
    process.stdout.write(`  ${EMPTY_SCENARIO.id}: run ${i + 1}/${repeat}\n`);
    sequences.push(await runSequence(admin, target, EMPTY_SCENARIO, null));
  }
  return OPERATIONS.map((op) => {
    const requests = checkSameRequests(EMPTY_SCENARIO, op, sequences);
    const runsMs = sequences.map((s) => runOf(s, op.id).wallMs);
    return { op: op.id, label: op.label, medianMs: median(runsMs), runsMs, requests: requests.cja + requests.aep };
  });
}

async function measureScenario(admin: EmulatorAdmin, target: EmulatorTarget, scenario: Scenario, scale: number, repeat: number, cliCost: CliCostFigures[]): Promise<ScenarioFigures> {
  const limit = scaledLimit(scale);
  const paced: Sequence[] = [];
  const unpaced: Sequence[] = [];
  for (let i = 0; i < repeat; i++) {
    process.stdout.write(`  ${scenario.id}: run ${i + 1}/${repeat} without a limit, then at 12/${limit.intervalMs} ms\n`);
    unpaced.push(await runSequence(admin, target, scenario, null));
    paced.push(await runSequence(admin, target, scenario, limit));
  }

  const operations = OPERATIONS.map((op): OperationFigures => {
    const requests = checkSameRequests(scenario, op, [...paced, ...unpaced]);
    const pacedRunsMs = paced.map((r) => runOf(r, op.id).wallMs);
    const unpacedRunsMs = unpaced.map((r) => runOf(r, op.id).wallMs);
    const pacedMs = median(pacedRunsMs);
    const unpacedMs = median(unpacedRunsMs);
    const baselineRequests = oneRequestPerComponent(requests, scenario.declared);
    return {
      op: op.id,
      label: op.label,
      requests,
      steps: runOf(paced[0], op.id).steps,
      pacedMs,
      unpacedMs,
      pacedRunsMs,
      unpacedRunsMs,
      beyondCliMs: unpacedMs - cliCost.find((c) => c.op === op.id)!.medianMs,
      adobeMs: adobeTimeMs(unpacedMs, pacedMs, scale, requests.cja),
      floorMs: rateLimitFloorMs(requests.cja),
      baseline: { requests: baselineRequests, floorMs: rateLimitFloorMs(baselineRequests) },
    };
  });

  const figures: ScenarioFigures = { id: scenario.id, title: scenario.title, declared: scenario.declared, operations };
  if (scenario.id !== AJO_SCENARIO.id) {
    // The emulator still holds what the last paced run made (each run starts from a reset).
    const dataViewId = paced[paced.length - 1].outputs.dataViewId as string;
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

  // What the state checkpoints cost: the first up once more, with the engine told not to write the
  // state after every step (only at the end); not how anyone should run it, only to measure. The
  // preview before it compiles the program, as in the measured sequences.
  process.stdout.write(`  ${scenario.id}: preview and first up without intermediate checkpoints (PULUMI_SKIP_CHECKPOINTS)\n`);
  const unchecked = await runSequence(admin, target, scenario, null, { operations: OPERATIONS.filter((o) => o.id === "preview" || o.id === "up"), env: { PULUMI_SKIP_CHECKPOINTS: "true" }, stateSize: true });
  const uncheckedUp = runOf(unchecked, "up");
  if (!sameRequests(uncheckedUp.requests, operations[1].requests)) throw new Error(`${scenario.id} first up without checkpoints sent other requests: ${JSON.stringify(uncheckedUp.requests.byRoute)}`);
  figures.checkpoints = { stateBytes: unchecked.stateBytes!, resources: Object.values(uncheckedUp.steps).reduce((a, b) => a + b, 0), firstUpWithoutMs: uncheckedUp.wallMs, firstUpWithMs: operations[1].unpacedMs };
  return figures;
}

function machine(): BenchReport["machine"] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: roundedLoad(),
  };
}

const roundedLoad = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const { values } = parseArgs({
    options: { scale: { type: "string", default: "50" }, repeat: { type: "string", default: String(DEFAULT_REPEAT) }, only: { type: "string" }, json: { type: "string" } },
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

  const tools = toolchain();
  const emulator = await startEmulator({ port: 0, rateLimit: limit, credentialOrgs: [DEFAULT_ORG] });
  const admin = new EmulatorAdmin(emulator.url);
  const target: EmulatorTarget = { url: emulator.url, orgId: DEFAULT_ORG, clientId: emulator.options.clientId, clientSecret: emulator.options.clientSecret };
  console.log(`pulumi ${tools.pulumiVersion}, programs under Node.js ${tools.nodeVersion}`);
  console.log(`Adobe's CJA limit ${ADOBE_CJA_LIMIT.requests} requests / ${ADOBE_CJA_LIMIT.intervalMs} ms, scaled ×1/${scale}: ${limit.requests} / ${limit.intervalMs} ms on the emulator and on the client`);
  console.log(`Emulator ${emulator.url} (spec validation ${emulator.specValidation ? "on" : "off"})`);

  try {
    const report: BenchReport = {
      command: `npm run bench -- --scale ${scale} --repeat ${repeat}${only ? ` --only ${only.join(",")}` : ""}`,
      machine: machine(),
      cli: { pulumi: tools.pulumiVersion, programNode: tools.nodeVersion },
      adobeLimit: { ...ADOBE_CJA_LIMIT },
      scale,
      scaledLimit: limit,
      repeat,
      cliCost: await measureCliCost(admin, target, repeat),
      scenarios: [],
      totalMs: 0,
      loadAverageEnd: [],
    };
    for (const scenario of scenarios) report.scenarios.push(await measureScenario(admin, target, scenario, scale, repeat, report.cliCost));
    const failures = await admin.validationFailures();
    if (failures.length > 0) throw new Error(`the emulator broke Adobe's spec during the benchmark: ${JSON.stringify(failures.slice(0, 3))}`);
    report.totalMs = Number(process.hrtime.bigint() - started) / 1e6;
    report.loadAverageEnd = roundedLoad();

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
