/**
 * The unit suite runs programs through bench/in-process-engine.ts, which is not the Pulumi engine.
 * This test runs one scenario through both, each against an emulator of its own set up the same
 * way (the Journey Optimizer example: up on a new stack, preview, up again, a person's edit in
 * the Data View Manager, refresh), and compares what each engine did to every resource and which
 * requests reached Adobe. IMS token requests are left out of the comparison: the real engine
 * starts a provider process (so fetches a token) per operation, the in-process engine shares one.
 */
import { runProgram, type EngineState, type RunOptions } from "../bench/in-process-engine";
import { prepareStack } from "../cli/example-stacks";
import type { PulumiWorkspace } from "../cli/workspace";
import { ajoCjaStack } from "../examples/ajo-cja/stack";
import { adobeRequests, emulatorWorkspace, startTestEmulator, TEST_ORG, type TestEmulator } from "./support";

type Scenario = Array<{ kind: "up" | "preview" | "refresh"; before?: (emu: TestEmulator, dataViewId: string) => Promise<void> }>;

/** A person renames a metric in the Data View Manager. */
const renameSends = async (emu: TestEmulator, dataViewId: string) => {
  await emu.admin("PATCH", `/orgs/${encodeURIComponent(TEST_ORG)}/dataviews/${dataViewId}/metrics/sends`, { name: "Sends (renamed by hand)" });
};

const SCENARIO: Scenario = [{ kind: "up" }, { kind: "preview" }, { kind: "up" }, { kind: "refresh", before: renameSends }];

/** `cja:Metric sends`: resource names repeat across types (the connection and the data view are both "ajo"). */
const key = (s: { type: string; name: string }) => `${s.type.replace("pulumi-nodejs:dynamic/", "")} ${s.name}`;

interface Observed {
  /** Per operation: resource → op. */
  steps: Array<Record<string, string>>;
  /** Per operation: `METHOD route` → count, IMS left out. */
  requests: Array<Record<string, number>>;
}

async function throughRealCli(): Promise<Observed> {
  const emu = await startTestEmulator();
  let ws: PulumiWorkspace | undefined;
  try {
    const prepared = await prepareStack("ajo-cja", emu.url, TEST_ORG);
    ws = await emulatorWorkspace(emu, prepared.program, prepared.config);
    const observed: Observed = { steps: [], requests: [] };
    let dataViewId = "";
    for (const step of SCENARIO) {
      await step.before?.(emu, dataViewId);
      await emu.clearRequests();
      const result = await ws.operation(step.kind);
      observed.steps.push(Object.fromEntries(result.steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/")).map((s) => [key(s), s.op])));
      observed.requests.push(await adobeRequests(emu));
      if (step.kind === "up") dataViewId = (await ws.outputs()).dataViewId as string;
    }
    return observed;
  } finally {
    ws?.dispose();
    await emu.close();
  }
}

async function throughInProcessEngine(): Promise<Observed> {
  const emu = await startTestEmulator();
  try {
    const prepared = await prepareStack("ajo-cja", emu.url, TEST_ORG);
    const config = { ...emu.config(), "ajo-cja:onDrift": "fail", "ajo-cja:timezone": "US/Mountain", ...prepared.config };
    const observed: Observed = { steps: [], requests: [] };
    let state: EngineState | undefined;
    let dataViewId = "";
    for (const step of SCENARIO) {
      await step.before?.(emu, dataViewId);
      await emu.clearRequests();
      const options: RunOptions = { kind: step.kind, project: "ajo-cja", stack: "test", config, secretKeys: ["adobe:clientSecret"], state };
      const result = await runProgram(() => ajoCjaStack().outputs, options);
      observed.steps.push(Object.fromEntries(result.steps.map((s) => [key(s), s.op])));
      observed.requests.push(await adobeRequests(emu));
      state = result.state;
      if (step.kind === "up") dataViewId = result.outputs.dataViewId as string;
    }
    return observed;
  } finally {
    await emu.close();
  }
}

describe("the in-process engine against the real CLI, on the same scenario", () => {
  let real: Observed;
  let inProcess: Observed;

  beforeAll(async () => {
    real = await throughRealCli();
    inProcess = await throughInProcessEngine();
  });

  it.each(SCENARIO.map((s, i) => [i, s.kind] as const))("operation %i (%s): the same op for every resource", (i) => {
    expect(inProcess.steps[i]).toEqual(real.steps[i]);
    expect(Object.keys(real.steps[i])).toHaveLength(28);
  });

  it.each(SCENARIO.map((s, i) => [i, s.kind] as const))("operation %i (%s): the same requests to CJA", (i) => {
    expect(inProcess.requests[i]).toEqual(real.requests[i]);
  });

  it("the scenario exercises creates, reads, a no-op and a drift", () => {
    const lookup = (k: string) => /^cja:(Connection|Dimension|Metric) /.test(k);
    expect(Object.entries(real.steps[0]).every(([k, op]) => op === (lookup(k) ? "read" : "create"))).toBe(true);
    expect(Object.entries(real.steps[2]).every(([k, op]) => op === (lookup(k) ? "read" : "same"))).toBe(true);
    expect(real.steps[3]["cja:Metric sends"]).toBe("update");
  });
});
