/**
 * examples/ajo-cja through the real `pulumi` CLI against the emulator, the stack's life from
 * `stack init` to `destroy`: what the engine shows at each step, and what Adobe holds after it.
 */
import type { PulumiWorkspace } from "../cli/workspace";
import { PROGRAMS } from "../cli/workspace";
import { diagnostics, differingKeys } from "../cli/events";
import { setUpAjoInEmulator, type AjoUiSetup } from "../examples/ajo-cja/ui-setup";
import { AJO_DIMENSIONS, AJO_METRICS } from "../examples/ajo-cja/guide";
import { adobeRequests, adobeWrites, editProgram, emulatorWorkspace, opCounts, opsByName, startTestEmulator, TEST_CLIENT_SECRET, TEST_ORG, type TestEmulator } from "./support";

type Props = Record<string, unknown>;

let emu: TestEmulator;
let ui: AjoUiSetup;
let ws: PulumiWorkspace;

const DATA_VIEW_NAME = "AJO reporting (e2e)";
const admin = `/orgs/${encodeURIComponent(TEST_ORG)}`;

async function get<T = Props>(path: string, query: Record<string, string> = {}): Promise<T> {
  const res = await emu.call<T>("GET", path, { query });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The calculated metrics Adobe holds on a data view. */
async function calculatedMetricsOf(dataViewId: string): Promise<Props[]> {
  return (await get<{ content: Props[] }>("/calculatedmetrics", { dataIds: dataViewId, expansion: "definition" })).content;
}

/** Data views Adobe holds, by name. */
async function dataViewNames(): Promise<string[]> {
  const page = await get<{ content: Props[] }>("/data/dataviews", { expansion: "name", limit: "100" });
  return page.content.map((d) => d.name as string).sort();
}

beforeAll(async () => {
  emu = await startTestEmulator();
  ui = await setUpAjoInEmulator(emu, TEST_ORG);
  ws = await emulatorWorkspace(emu, PROGRAMS["ajo-cja"], {
    "ajo-cja:connectionName": ui.connectionName,
    "ajo-cja:templateDataViewId": ui.templateDataViewId,
    "ajo-cja:dataViewName": DATA_VIEW_NAME,
    "ajo-cja:shareWithGroupId": ui.analystGroupId,
  });
});

afterAll(async () => {
  ws?.dispose();
  await emu?.close();
});

const COMPONENTS = AJO_DIMENSIONS.length + AJO_METRICS.length;
/** The data view, the guide's 2 calculated metrics and, beyond the guide, the Email channel filter and Email Sends. */
const MANAGED = 1 + 2 + 2;

/** Who Adobe shares each component with, as `shareToType:shareToId`. */
async function sharesOf(componentType: string, componentIds: string[]): Promise<string[][]> {
  const res = await emu.call<{ content: Array<{ shares: Props[] }> }>("POST", "/componentmetadata/shares/component/search", { body: { componentType, componentIds } });
  return res.body.content.map((c) => c.shares.map((s) => `${s.shareToType}:${s.shareToId}`));
}

describe("examples/ajo-cja with the real CLI", () => {
  let dataViewId: string;

  it("config set --secret keeps the client secret encrypted in the stack file", () => {
    const file = ws.stackFile();
    expect(file).not.toContain(TEST_CLIENT_SECRET);
    expect(file).toMatch(/adobe:clientSecret:\s+secure: v1:/);
  });

  it("a preview of the new stack plans the data view, the filter and the calculated metrics as creates, shows the connection and the components as reads, and writes nothing", async () => {
    await emu.clearRequests();
    const preview = await ws.preview();
    expect(opCounts(preview.steps)).toEqual({ create: MANAGED, read: 1 + COMPONENTS });
    expect(opsByName(preview.steps)).toMatchObject({ ajo: "create", sends: "read", "messages-sent": "create", "messages-delivered": "create", "email-channel": "create", "email-sends": "create" });
    expect(preview.steps.find((s) => s.type.endsWith("cja:Connection"))).toMatchObject({ op: "read" });
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("up creates the data view, the filter and the calculated metrics, shares them with the configured group, and reads the connection and the 22 components", async () => {
    await emu.clearRequests();
    const up = await ws.up();
    expect(opCounts(up.steps)).toEqual({ create: MANAGED, read: 1 + COMPONENTS });
    const outputs = await ws.outputs();
    dataViewId = outputs.dataViewId as string;
    expect(outputs.connectionId).toBe(ui.connectionId);
    expect(dataViewId).toMatch(/^dv_/);
    expect(await dataViewNames()).toEqual([DATA_VIEW_NAME, ui.templateDataViewName].sort());
    expect((await calculatedMetricsOf(dataViewId)).map((c) => c.name).sort()).toEqual(["Email Sends", "Messages Delivered", "Messages Sent"]);
    const filterIds = Object.values(outputs.filterIds as Record<string, string>);
    expect((await get<{ content: Props[] }>("/segments", { dataIds: dataViewId })).content.map((f) => [f.id, f.name])).toEqual([[filterIds[0], "Email channel"]]);
    const group = `group:${ui.analystGroupId}`;
    expect(await sharesOf("calculatedMetric", Object.values(outputs.calculatedMetricIds as Record<string, string>))).toEqual([[group], [group], [group]]);
    expect(await sharesOf("segment", filterIds)).toEqual([[group]]);
    expect(await adobeWrites(emu)).toEqual({
      "PUT /data/dataviews/copy/:dataViewId": 1,
      "PUT /data/dataviews/:dataViewId": 1,
      "POST /calculatedmetrics/validate": 3,
      "POST /calculatedmetrics": 3,
      "POST /segments/validate": 1,
      "POST /segments": 1,
      "PUT /componentmetadata/shares": 4,
    });
  });

  it("a preview after it shows no change, reads the connection and one list per component kind, and writes nothing; so does a second up", async () => {
    await emu.clearRequests();
    const preview = await ws.preview();
    expect(opCounts(preview.steps)).toEqual({ same: MANAGED, read: 1 + COMPONENTS });
    expect(await adobeRequests(emu)).toEqual({
      "GET /data/connections": 1,
      "GET /data/dataviews/:dataviewId/dimensions": 1,
      "GET /data/dataviews/:dataviewId/metrics": 1,
    });
    const up = await ws.up();
    expect(opCounts(up.steps)).toEqual({ same: MANAGED, read: 1 + COMPONENTS });
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("another group in ajo-cja:shareWithGroupId updates the shares in place: one share write per component, nothing replaced", async () => {
    await ws.setConfig({ "ajo-cja:shareWithGroupId": "700000002" });
    await emu.clearRequests();
    const up = await ws.up();
    expect(opCounts(up.steps)).toEqual({ same: 1, update: MANAGED - 1, read: 1 + COMPONENTS });
    const outputs = await ws.outputs();
    expect(await sharesOf("calculatedMetric", Object.values(outputs.calculatedMetricIds as Record<string, string>))).toEqual([["group:700000002"], ["group:700000002"], ["group:700000002"]]);
    expect(await sharesOf("segment", Object.values(outputs.filterIds as Record<string, string>))).toEqual([["group:700000002"]]);
    expect(await adobeWrites(emu)).toEqual({ "PUT /componentmetadata/shares": 4 });
  });

  it("a metric changed by hand in the Data View Manager stops a plain preview with the setting and the fix; refresh records it; nothing is written", async () => {
    await emu.admin("PATCH", `${admin}/dataviews/${dataViewId}/metrics/sends`, {
      includeExcludeSetting: { enabled: true, match: "and", rules: [{ clause: "equals", value: "sent-by-hand" }] },
    });
    await emu.clearRequests();
    const preview = await ws.operation("preview", [], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    const errors = diagnostics(preview.events, ["error"]).join("\n");
    expect(errors).toContain(`metric "Sends" (metrics/sends) of data view ${dataViewId} differs from the code (1 setting)`);
    expect(errors).toContain('includeExclude.rules: declared [{"clause":"equals","value":"sent"}], live [{"clause":"equals","value":"sent-by-hand"}]');
    expect(errors).toContain('tick "Set include/exclude values" and set the criteria to equals "sent"');

    // A refresh records what Adobe holds and never fails on a drift.
    const refresh = await ws.refresh();
    expect(refresh.steps.filter((s) => s.changedOutputs.length > 0).map((s) => [s.name, s.changedOutputs])).toEqual([["sends", ["includeExclude"]]]);
    expect(await adobeWrites(emu)).toEqual({});

    // Put the setting back, as the Data View Manager would: the preview passes again.
    const guide = AJO_METRICS.find((m) => m.componentId === "metrics/sends")!;
    await emu.admin("PATCH", `${admin}/dataviews/${dataViewId}/metrics/sends`, {
      includeExcludeSetting: { enabled: true, match: guide.includeExclude.match === "any" ? "or" : "and", rules: guide.includeExclude.rules },
    });
    expect(opCounts((await ws.preview()).steps)).toEqual({ same: MANAGED, read: 1 + COMPONENTS });
    await ws.refresh();
  });

  it("a dimension removed in the Data View Manager stops a plain preview naming schemaPath and the fix; nothing is written", async () => {
    const channel = AJO_DIMENSIONS.find((d) => d.name === "Channel")!;
    const path = `${admin}/dataviews/${dataViewId}/dimensions/${encodeURIComponent(`variables/${channel.schemaPath}`)}`;
    const saved = await emu.admin<Props>("GET", path);
    await emu.admin("DELETE", path);
    await emu.clearRequests();
    const preview = await ws.operation("preview", [], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    const errors = diagnostics(preview.events, ["error"]).join("\n");
    expect(errors).toContain(`property schemaPath value "${channel.schemaPath}" has a problem: data view ${dataViewId} has no dimension with schema field ${channel.schemaPath}. In the Data View Manager, add the schema field as a dimension`);
    expect(await adobeWrites(emu)).toEqual({});
    await emu.admin("PUT", path, saved);
    expect(opCounts((await ws.preview()).steps)).toEqual({ same: MANAGED, read: 1 + COMPONENTS });
  });

  it("a program change updates the calculated metric in place, and preview --diff --json names exactly the changed key", async () => {
    editProgram(ws, "guide.ts", "The number of emails delivered to customers.", "The number of emails delivered to customers (edited).");
    const before = (await calculatedMetricsOf(dataViewId)).find((c) => c.name === "Messages Delivered")!;
    const plan = await ws.previewJson(["--diff"]);
    const changed = plan.steps.filter((s) => s.op !== "same" && s.op !== "read");
    expect(changed.map((s) => [s.urn.split("::").pop(), s.op])).toEqual([["messages-delivered", "update"]]);
    // The dynamic provider host reports no key list (no diffReasons, no detailedDiff): the JSON's
    // old and new inputs are what a pull-request comment shows, and they differ in one key.
    expect(differingKeys(changed[0].oldState?.inputs, changed[0].newState?.inputs)).toEqual(["description"]);
    await emu.clearRequests();
    const up = await ws.up();
    expect(opsByName(up.steps)["messages-delivered"]).toBe("update");
    const after = (await calculatedMetricsOf(dataViewId)).find((c) => c.name === "Messages Delivered")!;
    expect(after.id).toBe(before.id);
    // Adobe's copy ends with the metric's ownership key, which the resource's description leaves out.
    expect(after.description).toMatch(/^The number of emails delivered to customers \(edited\)\.\n\n\[pulumi:[0-9a-f-]{36}\]$/);
    expect(await adobeWrites(emu)).toEqual({ "POST /calculatedmetrics/validate": 1, "PUT /calculatedmetrics/:id": 1 });
  });

  it("a resource removed from the program is deleted from Adobe", async () => {
    editProgram(ws, "guide.ts", /\{\s*name: "Messages Delivered",[^}]*\},?/, "");
    await emu.clearRequests();
    const up = await ws.up();
    expect(opsByName(up.steps)["messages-delivered"]).toBe("delete");
    expect((await calculatedMetricsOf(dataViewId)).map((c) => c.name).sort()).toEqual(["Email Sends", "Messages Sent"]);
    expect(await adobeWrites(emu)).toEqual({ "DELETE /calculatedmetrics/:id": 1 });
  });

  it("stack export holds neither the client secret nor an access token", async () => {
    const text = JSON.stringify(await ws.exportState());
    expect(text).not.toContain(TEST_CLIENT_SECRET);
    expect(text).not.toMatch(/access_token|Bearer |eyJ[A-Za-z0-9_-]{10,}/);
    expect(text).toContain(dataViewId);
  });

  it("destroy removes what the stack made and leaves what the Adobe UI made", async () => {
    await emu.clearRequests();
    const destroy = await ws.destroy();
    // The lookups are only forgotten: no request for them.
    expect(opCounts(destroy.steps)).toEqual({ delete: MANAGED - 1, "discard": 1 + COMPONENTS });
    expect(await dataViewNames()).toEqual([ui.templateDataViewName]);
    expect(await calculatedMetricsOf(dataViewId)).toEqual([]);
    expect((await get<{ content: Props[] }>("/segments", { dataIds: dataViewId })).content).toEqual([]);
    expect(await get(`/data/connections/${ui.connectionId}`)).toMatchObject({ id: ui.connectionId });
    expect(await adobeWrites(emu)).toEqual({ "DELETE /calculatedmetrics/:id": 2, "DELETE /segments/:id": 1, "DELETE /data/dataviews/:dataViewId": 1 });
  });
});
