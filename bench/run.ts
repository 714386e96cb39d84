/**
 * `npm run bench`: requests, wall time and state size of preview (new stack), first up, no-op up,
 * refresh and preview (no change) through the real Pulumi CLI, for the example stacks and for
 * generated stacks (300, 1,000 and 3,000 components in one data view; 1, 5 and 20 data views; 100 filters),
 * against the emulator with Adobe's CJA rate limit (12 requests per 6 s) enforced on the emulator
 * and set on the client, beside three floors measured or derived in the same run:
 *
 * - the pacing floor of the requests sent, (⌈N/12⌉ − 1) × 6 s;
 * - the engine's floor: the same number of dynamic resources, of the same kinds, whose provider
 *   does nothing, run through the same operations (`engine-floor.ts`);
 * - the one-request-per-component baseline (its requests and their pacing floor).
 *
 * Every operation is a `pulumi` command on a stack of its own (`cli/workspace.ts`: a DIY backend,
 * the program under Node.js 22), whose project holds the package as npm installs it
 * (`installed-package.ts`). A program with no resources measures the CLI's fixed cost.
 *
 * Options: `--only ajo,dv300,...`, `--scale <n>` (divides the limit's interval, for a quick local
 * run: the figures in docs/BENCHMARKS.md are at 1, Adobe's own rate), `--parallel <n>` (given to
 * every `pulumi` command; the engine's default is 4 per CPU), `--skip-checkpoints` (every command
 * with `PULUMI_SKIP_CHECKPOINTS=true`: the state written once, at the end), `--json <file>`.
 */
import { writeFileSync } from "fs";
import * as os from "os";
import { parseArgs } from "util";
import { toolchain } from "../cli/toolchain";
import { PulumiWorkspace, type ProgramSource } from "../cli/workspace";
import { DEFAULT_ORG } from "../emulator/main";
import { startEmulator } from "../emulator/server";
import { EmulatorAdmin } from "./emulator-admin";
import { adobeConfig, type EmulatorTarget } from "./example-stacks";
import { floorProgram, type FloorShape } from "./engine-floor";
import { installPackage, packPackage, type PackedPackage } from "./installed-package";
import { measureRun, medianRun, type MeasuredRun, type RequestCounts } from "./measure";
import { formatReport } from "./report";
import { ADOBE_CJA_LIMIT, limitSetting, pacingFloorMs, scaledLimit, type RateLimit } from "./scale";
import {
  AJO_SCENARIO,
  AUDIENCES_SCENARIO,
  componentScenario,
  EMPTY_SCENARIO,
  minimumAepRequests,
  minimumRequests,
  OPERATIONS,
  REPEAT_UNDER_MS,
  oneRequestPerComponent,
  viewsScenario,
  filtersScenario,
  type BenchOperation,
  type OperationId,
  type Scenario,
} from "./scenarios";

/** The figures of one operation of one stack. */
export interface OperationFigures {
  op: OperationId;
  label: string;
  /** What the operation sent (CJA, AEP; IMS apart). */
  requests: RequestCounts;
  /** The fewest CJA requests Adobe's API allows for it (derived in docs/BENCHMARKS.md), when derived. */
  minimum?: number;
  /** The fewest AEP requests, for a stack that sends any (derived the same way). */
  aepMinimum?: number;
  /** The program's resources by what the engine did, e.g. `{ create: 1, read: 1000 }`. */
  steps: Record<string, number>;
  /** Wall time at the limit, ms. */
  ms: number;
  /** (⌈CJA requests / 12⌉ − 1) × the limit's interval. */
  pacingFloorMs: number;
  /** From the first CJA request to the last, ms: at least the pacing floor. */
  cjaSpanMs: number;
  /** From the first CJA or AEP request to the last, ms: the time spent on Adobe's side (pacing, jobs) as the operation waited for it. */
  adobeSpanMs: number;
  /** The same operation of the engine's floor program, ms. */
  engineFloorMs: number;
  /** The one-request-per-component baseline: its CJA requests and their pacing floor. */
  baseline: { requests: number; pacingFloorMs: number };
}

export interface ScenarioFigures {
  id: string;
  title: string;
  declared: { dimensions: number; metrics: number };
  /** The engine's floor program: as many managed resources and reads as the stack. */
  shape: FloorShape;
  operations: OperationFigures[];
  /** The state after the sequence (`pulumi stack export`'s deployment, serialized), bytes, and its resources (the stack's own). */
  state: { bytes: number; resources: number; floorBytes: number };
}

/** The empty program's operations: the CLI's own cost. */
export interface CliCostFigures {
  op: OperationId;
  label: string;
  ms: number;
  /** Requests it sent (none expected). */
  requests: number;
}

export interface BenchReport {
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadAverage: number[] };
  /** The pulumi CLI (`pulumi version`) and the Node.js the programs and their providers ran under. */
  cli: { pulumi: string; programNode: string };
  /** The limit enforced (Adobe's, unless `--scale`). */
  limit: RateLimit;
  scale: number;
  /** Every command ran with `PULUMI_SKIP_CHECKPOINTS=true` (`--skip-checkpoints`): the engine writes the state once, at the end. */
  skipCheckpoints: boolean;
  cliCost: CliCostFigures[];
  scenarios: ScenarioFigures[];
  /** Wall time of the whole benchmark, ms. */
  totalMs: number;
  /** `os.loadavg()` when it ended (other work on the machine shows in the timings). */
  loadAverageEnd: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  /** Run this program instead of the scenario's (the engine's floor). */
  program?: ProgramSource;
}

/**
 * The operations in order on a new stack (a workspace of its own), on a freshly reset emulator
 * with the Adobe UI's part played again; the client's limit is stack config.
 */
async function runSequence(admin: EmulatorAdmin, target: EmulatorTarget, scenario: Scenario, limit: RateLimit | null, opts: SequenceOptions = {}): Promise<Sequence> {
  await admin.reset();
  await admin.setRateLimit(limit);
  const prepared = opts.program ? { program: opts.program, config: {} } : await scenario.prepare(target, admin);
  const ws = await PulumiWorkspace.create({ program: prepared.program, stack: "bench", env: { ...WORKSPACE_ENV, ...checkpointEnv, ...opts.env } });
  try {
    if (packed) installPackage(packed, ws.dir);
    const { "adobe:clientSecret": secret, ...plain } = adobeConfig(target, { "adobe:cjaRateLimit": limit ? limitSetting(limit) : "off" });
    await ws.setConfig({ ...plain, ...prepared.config }, { "adobe:clientSecret": secret });
    const runs: Sequence["runs"] = {};
    for (const op of opts.operations ?? OPERATIONS) {
      // Each operation starts a new provider process with a full limiter: let the last one's requests cool down.
      await sleep(limit ? limit.intervalMs : 0);
      const first = await measureRun(admin, ws, op.kind, operationArgs);
      const repeats: MeasuredRun[] = [];
      while (op.idempotent && first.wallMs < REPEAT_UNDER_MS && repeats.length < 2) {
        await sleep(limit ? limit.intervalMs : 0);
        repeats.push(await measureRun(admin, ws, op.kind, operationArgs));
      }
      runs[op.id] = medianRun(ws.program.project, op.id, [first, ...repeats]);
    }
    const outputs = await ws.outputs();
    return { runs, outputs, ...(opts.stateSize ? { stateBytes: JSON.stringify((await ws.exportState()).deployment).length } : {}) };
  } finally {
    ws.dispose();
  }
}

/** `PULUMI_SKIP_CHECKPOINTS=true` under `--skip-checkpoints`, for every command (stack and floor alike). */
let checkpointEnv: Record<string, string> = {};

/** The package as npm installs it, copied into every project (stack and floor alike). */
let packed: PackedPackage | undefined;

/** Options given to every `pulumi` operation (`--parallel <n>`), stack and floor alike. */
let operationArgs: string[] = [];

/** The run of `op` in a sequence that ran it. */
function runOf(sequence: Sequence, op: OperationId): MeasuredRun {
  const run = sequence.runs[op];
  if (!run) throw new Error(`no ${op} run in this sequence`);
  return run;
}

/**
 * The empty program's operations after a warm-up (no requests, so no limit to pace). The warm-up
 * is the benchmark's only one: the first CLI run loads the CLI, Node.js and TypeScript from disk.
 */
async function measureCliCost(admin: EmulatorAdmin, target: EmulatorTarget): Promise<CliCostFigures[]> {
  process.stdout.write(`  ${EMPTY_SCENARIO.id}: a first run to warm up (not measured), then one measured\n`);
  await runSequence(admin, target, EMPTY_SCENARIO, null);
  const measured = await runSequence(admin, target, EMPTY_SCENARIO, null);
  return OPERATIONS.map((op) => {
    const run = runOf(measured, op.id);
    return { op: op.id, label: op.label, ms: run.wallMs, requests: run.requests.cja + run.requests.aep };
  });
}

/** Resources of the stack's own (not the stack or the default provider) in an exported state. */
function stackResources(sequence: Sequence): number {
  return Object.values(runOf(sequence, "up").steps).reduce((a, b) => a + b, 0);
}

async function measureScenario(admin: EmulatorAdmin, target: EmulatorTarget, scenario: Scenario, limit: RateLimit): Promise<ScenarioFigures> {
  process.stdout.write(`  ${scenario.id}: the stack at ${limit.requests} requests / ${limit.intervalMs} ms\n`);
  const ours = await runSequence(admin, target, scenario, limit, { stateSize: true });
  const upSteps = runOf(ours, "up").steps;
  const shape: FloorShape = { managed: upSteps.create ?? 0, reads: upSteps.read ?? 0 };
  process.stdout.write(`  ${scenario.id}: its engine floor (${shape.managed} managed resources and ${shape.reads} reads that do nothing)\n`);
  const floor = await runSequence(admin, target, EMPTY_SCENARIO, null, { program: floorProgram(shape), stateSize: true });
  const floorSteps = runOf(floor, "up").steps;
  if ((floorSteps.create ?? 0) !== shape.managed || (floorSteps.read ?? 0) !== shape.reads) {
    throw new Error(`${scenario.id}: the engine floor's first up did ${JSON.stringify(floorSteps)}, not ${JSON.stringify(shape)}`);
  }

  const operations = OPERATIONS.map((op): OperationFigures => {
    const run = runOf(ours, op.id);
    const baselineRequests = oneRequestPerComponent(run.requests, scenario.declared);
    return {
      op: op.id,
      label: op.label,
      requests: run.requests,
      minimum: minimumRequests(scenario.id, op.id),
      aepMinimum: minimumAepRequests(scenario.id, op.id),
      steps: run.steps,
      ms: run.wallMs,
      pacingFloorMs: pacingFloorMs(run.requests.cja, limit),
      cjaSpanMs: run.cjaSpanMs,
      adobeSpanMs: run.adobeSpanMs,
      engineFloorMs: runOf(floor, op.id).wallMs,
      baseline: { requests: baselineRequests, pacingFloorMs: pacingFloorMs(baselineRequests, limit) },
    };
  });
  return {
    id: scenario.id,
    title: scenario.title,
    declared: scenario.declared,
    shape,
    operations,
    state: { bytes: ours.stateBytes!, resources: stackResources(ours), floorBytes: floor.stateBytes! },
  };
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

/** Every stack the benchmark knows, in the order it runs them. */
export function allScenarios(): Scenario[] {
  return [AJO_SCENARIO, AUDIENCES_SCENARIO, viewsScenario(1), viewsScenario(5), viewsScenario(20), filtersScenario(100), componentScenario(300), componentScenario(1000), componentScenario(3000)];
}

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const { values } = parseArgs({
    options: { scale: { type: "string", default: "1" }, only: { type: "string" }, json: { type: "string" }, parallel: { type: "string" }, "skip-checkpoints": { type: "boolean", default: false } },
    strict: true,
  });
  if (values.parallel !== undefined) {
    if (!/^[1-9][0-9]*$/.test(values.parallel)) throw new Error(`--parallel must be a whole number of at least 1, got "${values.parallel}"`);
    operationArgs = ["--parallel", values.parallel];
  }
  const skipCheckpoints = values["skip-checkpoints"] === true;
  if (skipCheckpoints) checkpointEnv = { PULUMI_SKIP_CHECKPOINTS: "true" };
  const scale = Number(values.scale);
  const limit = scaledLimit(scale);
  const all = allScenarios();
  const only = values.only?.split(",").map((s) => s.trim());
  const scenarios = only ? all.filter((s) => only.includes(s.id)) : all;
  if (scenarios.length === 0) throw new Error(`--only matches none of ${all.map((s) => s.id).join(", ")}`);

  const tools = toolchain();
  packed = packPackage();
  const emulator = await startEmulator({ port: 0, rateLimit: limit, credentialOrgs: [DEFAULT_ORG] });
  const admin = new EmulatorAdmin(emulator.url);
  const target: EmulatorTarget = { url: emulator.url, orgId: DEFAULT_ORG, clientId: emulator.options.clientId, clientSecret: emulator.options.clientSecret };
  console.log(`pulumi ${tools.pulumiVersion}, programs under Node.js ${tools.nodeVersion}`);
  console.log(`CJA limit ${limit.requests} requests / ${limit.intervalMs} ms on the emulator and on the client${scale === 1 ? " (Adobe's own)" : ` (Adobe's ×1/${scale})`}`);
  console.log(`Emulator ${emulator.url} (spec validation ${emulator.specValidation ? "on" : "off"})`);

  try {
    const report: BenchReport = {
      command: `npm run bench --${scale === 1 ? "" : ` --scale ${scale}`}${only ? ` --only ${only.join(",")}` : ""}${operationArgs.length > 0 ? ` --parallel ${values.parallel}` : ""}${skipCheckpoints ? " --skip-checkpoints" : ""}`.replace(/ --$/, ""),
      machine: machine(),
      cli: { pulumi: tools.pulumiVersion, programNode: tools.nodeVersion },
      limit,
      scale,
      skipCheckpoints,
      cliCost: await measureCliCost(admin, target),
      scenarios: [],
      totalMs: 0,
      loadAverageEnd: [],
    };
    for (const scenario of scenarios) report.scenarios.push(await measureScenario(admin, target, scenario, limit));
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
    packed.remove();
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.stack ?? err.message);
    process.exitCode = 1;
  });
}
