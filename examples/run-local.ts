/**
 * `npm run example`: an example stack through the real `pulumi` CLI against the local emulator.
 *
 * It starts the emulator in this process (or uses the one at `--emulator <url>` /
 * `ADOBE_EMULATOR_URL`), plays the Adobe UI on it (for ajo-cja: the connection over the five AJO
 * datasets and the template data view), then runs the CLI in a copy of the example with a stack
 * of its own (a local backend under .e2e/, the client secret set with `config set --secret`):
 * `pulumi preview` and `pulumi up` on the new stack, then `pulumi preview` and `pulumi up` again.
 * After each it prints what the engine did to every resource and the requests Adobe's APIs
 * received, per endpoint. The CLI comes from `npm run setup:pulumi` (or PATH).
 *
 * Options: a first argument names the program (`ajo-cja`, the default; `audiences-cja`; `root`,
 * both integrations as the root project deploys them), `--emulator <url>`, `--org <id>`, `--node
 * 22|24` (the Node.js the program runs under), `--keep` (keep the stack and print how to go on
 * with the CLI by hand).
 */
import { parseArgs } from "util";
import type { StepSummary } from "../cli/events";
import { prepareStack, type ProgramName } from "../cli/example-stacks";
import type { NodeMajor } from "../cli/toolchain";
import { PROGRAMS, PulumiWorkspace, type OperationResult } from "../cli/workspace";
import { DEFAULT_ORG } from "../emulator/main";
import { startEmulator, type RunningEmulator } from "../emulator/server";

type Counter = { method: string; route: string; status: number; count: number };

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

const SYMBOL: Record<string, string> = { create: "+", update: "~", replace: "+-", same: "=", delete: "-", read: ">", refresh: "~" };

function printStep(step: StepSummary, preview: boolean): void {
  const type = step.type.replace(/^pulumi-nodejs:dynamic\//, "");
  const what = preview && step.op !== "same" ? `would ${step.op}` : step.op;
  console.log(`  ${(SYMBOL[step.op] ?? "?").padEnd(2)} ${what.padEnd(14)} ${type.padEnd(30)} ${step.name.padEnd(32)} ${preview ? "" : (step.id ?? "")}`);
}

function printRun(result: OperationResult, requests: Counter[], preview: boolean): void {
  const own = result.steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/"));
  for (const step of own) printStep(step, preview);
  const byOp = new Map<string, number>();
  for (const s of own) byOp.set(s.op, (byOp.get(s.op) ?? 0) + 1);
  console.log(`  resources: ${[...byOp].map(([op, n]) => `${n} ${op}`).join(", ")} (pulumi exited ${result.code} after ${(result.ms / 1000).toFixed(1)} s)`);
  const total = requests.reduce((n, c) => n + c.count, 0);
  console.log(`  requests to Adobe's APIs: ${total}`);
  for (const c of requests) console.log(`    ${String(c.count).padStart(3)}  ${c.method.padEnd(6)} ${c.route} -> ${c.status}`);
}

function printOutputs(outputs: Record<string, unknown>): void {
  console.log("\nStack outputs (pulumi stack output --json):");
  for (const [key, value] of Object.entries(outputs)) {
    if (value !== null && typeof value === "object") {
      console.log(`  ${key}:`);
      for (const [name, item] of Object.entries(value)) console.log(`    ${name}: ${JSON.stringify(item)}`);
    } else {
      console.log(`  ${key}: ${JSON.stringify(value)}`);
    }
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { emulator: { type: "string" }, org: { type: "string" }, node: { type: "string" }, keep: { type: "boolean" } },
    strict: true,
    allowPositionals: true,
  });
  const name = (positionals[0] ?? "ajo-cja") as ProgramName;
  if (!Object.hasOwn(PROGRAMS, name)) throw new Error(`unknown program "${name}": choose one of ${Object.keys(PROGRAMS).join(", ")}`);
  const node = values.node === undefined ? undefined : (Number(values.node) as NodeMajor);
  if (node !== undefined && node !== 22 && node !== 24) throw new Error(`--node must be 22 or 24, got "${values.node}"`);
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
    started = await startEmulator({ port: 0, credentialOrgs: [org] });
    url = started.url;
    credentials = { clientId: started.options.clientId, clientSecret: started.options.clientSecret };
    console.log(`Adobe API emulator: ${url} (started in this process; spec validation ${started.specValidation ? "on" : "off"}, Adobe's rate limit on)`);
    for (const warning of started.warnings) console.warn(`WARNING: ${warning}`);
  }

  let ws: PulumiWorkspace | undefined;
  try {
    const prepared = await prepareStack(name, url, org);
    console.log(`The Adobe UI's part (emulator admin routes), org ${org}:`);
    for (const line of prepared.made) console.log(`  ${line}`);
    ws = await PulumiWorkspace.create({ program: prepared.program, stack: "emulator", ...(node ? { node } : {}) });
    console.log(`\n${ws.tools.pulumi} ${ws.tools.pulumiVersion}, Node.js ${ws.tools.nodeVersion}; project copied to ${ws.dir}`);
    await ws.setConfig(
      { "adobe:clientId": credentials.clientId, "adobe:orgId": org, "adobe:imsEndpoint": url, "adobe:cjaEndpoint": url, "adobe:platformEndpoint": url, ...prepared.config },
      { "adobe:clientSecret": credentials.clientSecret },
    );
    const runs: Array<{ title: string; kind: "preview" | "up" }> = [
      { title: "pulumi preview (new stack)", kind: "preview" },
      { title: "pulumi up (new stack)", kind: "up" },
      { title: "pulumi preview (same program)", kind: "preview" },
      { title: "pulumi up (same program again)", kind: "up" },
    ];
    for (const run of runs) {
      console.log(`\n== ${run.title}`);
      const before = await requestCounters(url);
      const result = await ws.operation(run.kind);
      printRun(result, counterDelta(before, await requestCounters(url)), run.kind === "preview");
    }
    printOutputs(await ws.outputs());
    if (values.keep) {
      console.log(`\nThe stack is kept. To go on by hand (while this emulator runs, e.g. with --emulator), in ${ws.dir}:`);
      for (const [k, v] of Object.entries(ws.env)) if (/^PULUMI_(HOME|BACKEND_URL|CONFIG_PASSPHRASE)$/.test(k)) console.log(`  export ${k}=${v}`);
      console.log(`  export PATH=${ws.tools.pulumiDir}:${ws.tools.nodeDir}:$PATH`);
      console.log("  pulumi preview --diff");
    }
  } finally {
    if (!values.keep) ws?.dispose();
    await started?.close();
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
