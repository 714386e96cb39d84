/**
 * The formula language through the real CLI (e2e/programs/formulas): calculated metrics with
 * constants, comparisons, functions and a filter are written in Adobe's form, preview and refresh
 * show no change afterwards, a UI edit in Adobe's own spelling is no drift, and a real change is.
 */
import type { ProgramSource, PulumiWorkspace } from "../cli/workspace";
import { setUpAjoInEmulator, type AjoUiSetup } from "../examples/ajo-cja/ui-setup";
import { adobeWrites, emulatorWorkspace, opCounts, opsByName, startTestEmulator, TEST_ORG, type TestEmulator } from "./support";

type Props = Record<string, unknown>;

const PROGRAM: ProgramSource = {
  project: "formulas",
  files: ["Pulumi.yaml", "package.json", "index.ts", "tsconfig.json"].map((f): [string, string] => [`e2e/programs/formulas/${f}`, f]),
};
const EMAIL = "s300000938_65f0c1a3e3b2d43b4a5c9a4e";
const METRICS = 4;
const metric = (id: string) => ({ func: "metric", name: `metrics/${id}` });

let emu: TestEmulator;
let ui: AjoUiSetup;
let ws: PulumiWorkspace;
let ids: Record<string, string>;

async function definitionOf(name: string): Promise<Props> {
  const res = await emu.call<Props>("GET", `/calculatedmetrics/${ids[name]}`, { query: { expansion: "definition" } });
  return res.body.definition as Props;
}

beforeAll(async () => {
  emu = await startTestEmulator();
  ui = await setUpAjoInEmulator(emu, TEST_ORG);
  ws = await emulatorWorkspace(emu, PROGRAM, { "formulas:connectionId": ui.connectionId, "formulas:templateDataViewId": ui.templateDataViewId, "formulas:emailFilterId": EMAIL });
});

afterAll(async () => {
  ws?.dispose();
  await emu?.close();
});

describe("calculated metrics with constants, functions and a filter, through the real CLI", () => {
  it("up writes each in Adobe's form: bare numbers, catalog keys, a segment-ref filter", async () => {
    const up = await ws.up();
    expect(opCounts(up.steps)).toEqual({ create: 1 + METRICS });
    ids = (await ws.outputs()).calculatedMetricIds as Record<string, string>;
    expect(await definitionOf("bounce-rate")).toEqual({ func: "calc-metric", formula: { func: "multiply", col1: { func: "divide", col1: metric("bounces"), col2: metric("sends") }, col2: 100 }, version: [1, 0, 0] });
    expect((await definitionOf("open-rate-or-zero")).formula).toEqual({ func: "if", cond: { func: "gt", col1: metric("sends"), col2: 0 }, then: { func: "divide", col1: metric("email_opens"), col2: metric("sends") }, else: 0 });
    expect((await definitionOf("running-sends")).formula).toEqual({ func: "subtract", col1: { func: "cumul", n: 0, col: metric("sends") }, col2: { func: "mean", col: metric("sends"), "include-zeros": false } });
    expect((await definitionOf("email-bounces")).formula).toEqual({
      func: "divide",
      col1: { func: "calc-metric", formula: metric("bounces"), version: [1, 0, 0], filters: [{ func: "segment-ref", id: EMAIL }] },
      col2: { func: "abs", col: { func: "multiply", col1: -1, col2: metric("sends") } },
    });
  });

  it("the outputs give back each formula as declared, and a preview and a refresh show no change and write nothing", async () => {
    const outputs = await ws.outputs();
    expect(outputs.formulas).toEqual(outputs.FORMULAS);
    await emu.clearRequests();
    expect(opCounts((await ws.preview()).steps)).toEqual({ same: 1 + METRICS });
    const refresh = await ws.refresh();
    expect(refresh.steps.filter((s) => s.changedOutputs.length > 0).map((s) => s.name)).toEqual([]);
    expect(opCounts((await ws.preview()).steps)).toEqual({ same: 1 + METRICS });
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("a UI save that adds Adobe's labels and reorders keys is no drift; a changed constant is, and up puts the declared one back", async () => {
    const labelled = { version: [1, 0, 0], formula: { col2: 100, description: "Multiply", col1: { func: "divide", description: "Divide", col2: { ...metric("sends"), description: "Sends" }, col1: { ...metric("bounces"), description: "Bounces" } }, func: "multiply" }, func: "calc-metric" };
    expect((await emu.call("PUT", `/calculatedmetrics/${ids["bounce-rate"]}`, { body: { definition: labelled } })).status).toBe(200);
    const quiet = await ws.refresh();
    expect(quiet.steps.filter((s) => s.changedOutputs.includes("formula")).map((s) => s.name)).toEqual([]);

    const permille = { ...labelled, formula: { ...labelled.formula, col2: 1000 } };
    expect((await emu.call("PUT", `/calculatedmetrics/${ids["bounce-rate"]}`, { body: { definition: permille } })).status).toBe(200);
    const refresh = await ws.refresh();
    const changed = refresh.steps.filter((s) => s.changedOutputs.includes("formula"));
    expect(changed.map((s) => [s.name, s.outputs?.formula])).toEqual([["bounce-rate", "[Bounces] / [Sends] * 1000"]]);
    const preview = await ws.preview();
    expect(opsByName(preview.steps)["bounce-rate"]).toBe("update");

    await emu.clearRequests();
    await ws.up();
    expect(await adobeWrites(emu)).toEqual({ "POST /calculatedmetrics/validate": 1, "PUT /calculatedmetrics/:id": 1 });
    expect(((await definitionOf("bounce-rate")).formula as Props).col2).toBe(100);
  });

  it("destroy deletes every calculated metric and the data view", async () => {
    await ws.destroy();
    const left = await emu.call<{ content: Props[] }>("GET", "/calculatedmetrics", { query: { limit: "100" } });
    expect(left.body.content).toEqual([]);
  });
});
