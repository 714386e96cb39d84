/**
 * Adoption in place through the real CLI (e2e/programs/adopt): a data view and a calculated
 * metric made in the UI (the emulator's admin routes, and Adobe's public API with the UI's own
 * token) are taken over by `adoptId` with their ids unchanged; the first preview lists what
 * adopting changes and writes nothing; destroy releases both and Adobe keeps them.
 */
import { diagnostics } from "../cli/events";
import type { ProgramSource, PulumiWorkspace } from "../cli/workspace";
import { setUpAjoInEmulator, templateDimensions, templateMetrics, type AjoUiSetup } from "../examples/ajo-cja/ui-setup";
import { adobeWrites, asTheUi, emulatorWorkspace, opCounts, startTestEmulator, TEST_ORG, type TestEmulator } from "./support";

type Props = Record<string, unknown>;

const PROGRAM: ProgramSource = {
  project: "adopt",
  files: ["Pulumi.yaml", "package.json", "index.ts", "tsconfig.json"].map((f): [string, string] => [`e2e/programs/adopt/${f}`, f]),
};
const TEAM_VIEW = "dv_teamreporting00000000001";

let emu: TestEmulator;
let ui: AjoUiSetup;
let ws: PulumiWorkspace;
let metricId: string;


const dataView = async () => (await emu.call<Props>("GET", `/data/dataviews/${TEAM_VIEW}`, { query: { expansion: "name,description,externalData" } })).body;
const metric = async () => (await emu.call<Props>("GET", `/calculatedmetrics/${metricId}`, { query: { expansion: "definition" } })).body;

beforeAll(async () => {
  emu = await startTestEmulator();
  ui = await setUpAjoInEmulator(emu, TEST_ORG);
  await emu.admin("POST", `/orgs/${encodeURIComponent(TEST_ORG)}/dataviews`, {
    id: TEAM_VIEW,
    name: "Team reporting",
    description: "Built in the Data View Manager",
    parentDataGroupId: ui.connectionId,
    timezoneDesignator: "US/Mountain",
    externalData: { externalId: "team_reporting" },
    dimensions: templateDimensions(),
    metrics: templateMetrics(),
  });
  const made = await asTheUi(emu, "POST", "/calculatedmetrics", {
    name: "Sends x10",
    dataId: TEAM_VIEW,
    type: "decimal",
    definition: { func: "calc-metric", formula: { func: "multiply", col1: { func: "metric", name: "metrics/sends" }, col2: 10 }, version: [1, 0, 0] },
  });
  metricId = made.id as string;
  ws = await emulatorWorkspace(emu, PROGRAM, { "adopt:connectionId": ui.connectionId, "adopt:dataViewId": TEAM_VIEW, "adopt:calculatedMetricId": metricId });
});

afterAll(async () => {
  ws?.dispose();
  await emu?.close();
});

describe("a data view and a calculated metric made in the UI, adopted through the real CLI", () => {
  it("the first preview lists what adopting changes, and writes nothing", async () => {
    await emu.clearRequests();
    const preview = await ws.preview();
    expect(opCounts(preview.steps)).toEqual({ create: 2 });
    const warnings = diagnostics(preview.events, ["warning", "info#err"]).join("\n");
    expect(warnings).toContain(`adopting ${TEAM_VIEW} ("Team reporting") changes name: "Team reporting" → "Team reporting (managed)"`);
    expect(warnings).toContain(`adopting ${metricId} ("Sends x10") changes name: "Sends x10" → "Sends x100"; formula: "[Sends] * 10" → "[Sends] * 100"`);
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("up keeps both ids and writes the declared settings, one update each; the next preview shows no change", async () => {
    await emu.clearRequests();
    await ws.up();
    expect(await ws.outputs()).toMatchObject({ dataViewId: TEAM_VIEW, calculatedMetricId: metricId });
    expect(await adobeWrites(emu)).toEqual({ "PUT /data/dataviews/:dataViewId": 1, "POST /calculatedmetrics/validate": 1, "PUT /calculatedmetrics/:id": 1 });
    expect(await dataView()).toMatchObject({ name: "Team reporting (managed)", externalData: { externalId: "team_reporting" } });
    expect(await metric()).toMatchObject({ name: "Sends x100", definition: { formula: { col2: 100 } } });
    await emu.clearRequests();
    expect(opCounts((await ws.preview()).steps)).toEqual({ same: 2 });
    expect((await ws.refresh()).steps.filter((s) => s.changedOutputs.length > 0).map((s) => s.name)).toEqual([]);
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("destroy releases both: the stack is empty, and Adobe keeps the data view and the metric", async () => {
    await emu.clearRequests();
    const destroy = await ws.destroy();
    expect(diagnostics(destroy.events, ["warning", "info#err"]).join("\n")).toContain(`${TEAM_VIEW} was adopted, so it is released from the stack and kept in Adobe`);
    expect(await adobeWrites(emu)).toEqual({});
    expect(await dataView()).toMatchObject({ id: TEAM_VIEW, name: "Team reporting (managed)" });
    expect(await metric()).toMatchObject({ id: metricId, name: "Sends x100" });
  });
});
