/**
 * `npm run example`: runs the ajo-cja example against the local emulator with no Pulumi CLI.
 *
 * It starts the emulator in this process (or uses the one at `--emulator <url>` /
 * `ADOBE_EMULATOR_URL`), plays the Adobe UI on it (the connection and the template data view),
 * then runs the program three times the way the engine would, each resource going through its
 * real serialized provider: `pulumi up` on a new stack, `pulumi preview` and `pulumi up` again
 * with the state of the first run. After each run it prints what happened to every resource and
 * the requests the emulator received, per endpoint.
 *
 * Options: `--emulator <url>` (a running emulator), `--org <id>`, `--state <file>` (start from
 * the state saved there and save the final state to it). A first argument names another example
 * (`npm run example -- audiences-cja`, see local-examples.ts); the default is ajo-cja.
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { parse as parseYaml } from "yaml";
import { runProgram, type EngineState, type RunOptions, type RunResult, type Step } from "../bench/in-process-engine";
import { DEFAULT_ORG } from "../emulator/main";
import { startEmulator, type RunningEmulator } from "../emulator/server";
import { ajoCjaStack } from "./ajo-cja/stack";
import { setUpAjoInEmulator } from "./ajo-cja/ui-setup";
// Hook for the other examples (`npm run example -- audiences-cja`): see examples/local-examples.ts.
import { OTHER_EXAMPLES } from "./local-examples";

/** The example's folder in the source tree, from here or from the compiled copy in dist/examples. */
const EXAMPLE_DIR = [path.join(__dirname, "ajo-cja"), path.resolve(__dirname, "..", "..", "examples", "ajo-cja")].find((dir) =>
  existsSync(path.join(dir, "Pulumi.yaml")),
);

type Counter = { method: string; route: string; status: number; count: number };

/** Project config defaults from the example's Pulumi.yaml (the CLI applies them; here we do). Lists and objects as JSON, as the CLI stores them. */
export function projectConfigDefaults(projectFile: string): { project: string; defaults: Record<string, string> } {
  const doc = parseYaml(readFileSync(projectFile, "utf8")) as { name: string; config?: Record<string, { default?: unknown }> };
  const defaults: Record<string, string> = {};
  for (const [key, declared] of Object.entries(doc.config ?? {})) {
    if (declared && typeof declared === "object" && declared.default !== undefined) defaults[`${doc.name}:${key}`] = typeof declared.default === "string" ? declared.default : JSON.stringify(declared.default);
  }
  return { project: doc.name, defaults };
}

async function requestCounters(url: string): Promise<Counter[]> {
  const res = await fetch(`${url}/_emulator/requests`);
  if (!res.ok) throw new Error(`GET /_emulator/requests answered ${res.status}`);
  return ((await res.json()) as { counters: Counter[] }).counters;
}

/** What the counters gained between two snapshots. */
function counterDelta(before: Counter[], after: Counter[]): Counter[] {
  const key = (c: Counter) => `${c.method} ${c.route} ${c.status}`;
  const earlier = new Map(before.map((c) => [key(c), c.count]));
  return after.map((c) => ({ ...c, count: c.count - (earlier.get(key(c)) ?? 0) })).filter((c) => c.count > 0);
}

const SYMBOL: Record<Step["op"], string> = { create: "+", update: "~", replace: "+-", same: "=", delete: "-" };

function printStep(step: Step): void {
  const type = step.type.replace(/^pulumi-nodejs:dynamic\//, "");
  const what = step.preview && step.op !== "same" ? `would ${step.op}` : step.op;
  console.log(`  ${SYMBOL[step.op].padEnd(2)} ${what.padEnd(14)} ${type.padEnd(22)} ${step.name.padEnd(32)} ${step.id ?? ""}`);
}

function printOutputs(outputs: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(outputs)) {
    if (value !== null && typeof value === "object") {
      console.log(`    ${key}:`);
      for (const [name, item] of Object.entries(value)) console.log(`      ${name}: ${JSON.stringify(item)}`);
    } else {
      console.log(`    ${key}: ${JSON.stringify(value)}`);
    }
  }
}

function printRun(result: RunResult, requests: Counter[], previousOutputs: Record<string, unknown> | undefined): void {
  const byOp = new Map<string, number>();
  for (const s of result.steps) byOp.set(s.op, (byOp.get(s.op) ?? 0) + 1);
  console.log(`  resources: ${[...byOp].map(([op, n]) => `${n} ${op}`).join(", ")}`);
  if (previousOutputs && JSON.stringify(previousOutputs) === JSON.stringify(result.outputs)) {
    console.log("  outputs: the same as above");
  } else {
    console.log("  outputs:");
    printOutputs(result.outputs);
  }
  const total = requests.reduce((n, c) => n + c.count, 0);
  console.log(`  requests to Adobe's APIs: ${total}`);
  for (const c of requests) console.log(`    ${String(c.count).padStart(3)}  ${c.method.padEnd(6)} ${c.route} -> ${c.status}`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { emulator: { type: "string" }, org: { type: "string" }, state: { type: "string" } }, strict: true, allowPositionals: true });
  const exampleName = positionals[0] ?? "ajo-cja";
  const other = OTHER_EXAMPLES[exampleName];
  if (exampleName !== "ajo-cja" && !other) throw new Error(`unknown example "${exampleName}": choose one of ajo-cja, ${Object.keys(OTHER_EXAMPLES).join(", ")}`);
  const external = values.emulator ?? process.env.ADOBE_EMULATOR_URL;
  const org = values.org ?? DEFAULT_ORG;

  let started: RunningEmulator | undefined;
  let url: string;
  let credentials: { clientId: string; clientSecret: string };
  if (external) {
    url = external.replace(/\/+$/, "");
    credentials = { clientId: process.env.ADOBE_CLIENT_ID ?? "emulator-client-id", clientSecret: process.env.ADOBE_CLIENT_SECRET ?? "emulator-client-secret" };
    console.log(`Adobe API emulator: ${url} (already running)`);
  } else {
    started = await startEmulator({ port: 0 });
    url = started.url;
    credentials = { clientId: started.options.clientId, clientSecret: started.options.clientSecret };
    console.log(`Adobe API emulator: ${url} (started in this process; spec validation ${started.specValidation ? "on" : "off"}, Adobe's rate limit on)`);
    for (const warning of started.warnings) console.warn(`WARNING: ${warning}`);
  }

  try {
    if (other) {
      const prepared = await other(url, org);
      const { project, defaults } = projectConfigDefaults(path.join(prepared.dir, "Pulumi.yaml"));
      const adobe = { "adobe:clientId": credentials.clientId, "adobe:clientSecret": credentials.clientSecret, "adobe:orgId": org, "adobe:imsEndpoint": url, "adobe:cjaEndpoint": url, "adobe:platformEndpoint": url };
      await runThreeTimes(url, { project, stack: "emulator", config: { ...defaults, ...prepared.stackConfig, ...adobe }, secretKeys: ["adobe:clientSecret"], onStep: printStep }, prepared.program, values.state);
      return;
    }
    const ui = await setUpAjoInEmulator(url, org);
    console.log(`The Adobe UI's part (emulator admin routes), org ${org}:`);
    console.log(`  connection "${ui.connectionName}" (${ui.connectionId}) with ${Object.keys(ui.datasetIds).length} datasets`);
    console.log(`  template data view "${ui.templateDataViewName}" (${ui.templateDataViewId}) with the guide's 13 dimensions and 9 metrics`);

    if (!EXAMPLE_DIR) throw new Error("examples/ajo-cja/Pulumi.yaml not found");
    const { project, defaults } = projectConfigDefaults(path.join(EXAMPLE_DIR, "Pulumi.yaml"));
    const config: Record<string, string> = {
      ...defaults,
      [`${project}:connectionName`]: ui.connectionName,
      [`${project}:templateDataViewId`]: ui.templateDataViewId,
      [`${project}:dataViewName`]: "AJO reporting (emulator)",
      "adobe:clientId": credentials.clientId,
      "adobe:clientSecret": credentials.clientSecret,
      "adobe:orgId": org,
      "adobe:imsEndpoint": url,
      "adobe:cjaEndpoint": url,
      "adobe:platformEndpoint": url,
    };
    const base: Omit<RunOptions, "kind" | "state"> = { project, stack: "emulator", config, secretKeys: ["adobe:clientSecret"], onStep: printStep };
    const program = () => ajoCjaStack().outputs;
    await runThreeTimes(url, base, program, values.state);
  } finally {
    await started?.close();
  }
}

/** `pulumi up`, `pulumi preview`, `pulumi up` of `program`, printing each run. */
async function runThreeTimes(url: string, base: Omit<RunOptions, "kind" | "state">, program: () => unknown, statePath: string | undefined): Promise<void> {
  let state: EngineState | undefined = statePath && existsSync(statePath) ? (JSON.parse(readFileSync(statePath, "utf8")) as EngineState) : undefined;
  const runs: { title: string; kind: RunOptions["kind"] }[] = [
    { title: state ? "pulumi up (with the saved state)" : "pulumi up (new stack)", kind: "up" },
    { title: "pulumi preview (same program, state of the last up)", kind: "preview" },
    { title: "pulumi up (same program again)", kind: "up" },
  ];
  let outputs: Record<string, unknown> | undefined;
  for (const run of runs) {
    console.log(`\n== ${run.title}`);
    const before = await requestCounters(url);
    const result = await runProgram(program, { ...base, kind: run.kind, state });
    printRun(result, counterDelta(before, await requestCounters(url)), outputs);
    state = result.state;
    outputs = result.outputs;
  }
  if (statePath && state) {
    writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
    console.log(`\nState saved to ${statePath}`);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
