/**
 * The ajo-cja example, run as `pulumi up` / `pulumi preview` would run it (the in-process engine sends
 * every resource through its real serialized provider) against the emulator set up as the Adobe
 * UI leaves it. What Adobe ends up with is read back from the emulator and compared, row by row,
 * with the guide's tables; the requests the stack sends are counted exactly.
 */
import { EngineRunError, runProgram, type EngineState, type RunOptions, type RunResult } from "../../bench/in-process-engine";
import { EMAIL_CHANNEL_ID, EMAIL_FILTER, EMAIL_SENDS } from "../../examples/ajo-cja/beyond-guide";
import { AJO_CALCULATED_METRICS, AJO_DATASETS, AJO_DIMENSIONS, AJO_METRICS, IDENTITY_MAP } from "../../examples/ajo-cja/guide";
import { ajoCjaStack } from "../../examples/ajo-cja/stack";
import { setUpAjoInEmulator, type AjoUiSetup } from "../../examples/ajo-cja/ui-setup";
import { startTestEmulator, TEST_ORG, type Counter, type TestEmulator } from "../helpers/emulator";

type Props = Record<string, unknown>;

let emu: TestEmulator;
let ui: AjoUiSetup;

function stackConfig(orgId: string, setup: AjoUiSetup, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...emu.config(),
    "adobe:orgId": orgId,
    "ajo-cja:connectionName": setup.connectionName,
    "ajo-cja:templateDataViewId": setup.templateDataViewId,
    "ajo-cja:dataViewName": "AJO reporting (test)",
    "ajo-cja:shareWithGroupId": setup.analystGroupId,
    ...overrides,
  };
}

function run(kind: RunOptions["kind"], program: () => unknown, state?: EngineState, config = stackConfig(TEST_ORG, ui)): Promise<RunResult> {
  return runProgram(program, { kind, project: "ajo-cja", stack: "test", config, secretKeys: ["adobe:clientSecret"], state });
}

const stackProgram = () => ajoCjaStack().outputs;

/** Requests the emulator counted since the last clear, as `"METHOD route status": count`. */
async function counted(): Promise<Record<string, number>> {
  const { counters } = await emu.requests();
  return Object.fromEntries(counters.map((c: Counter) => [`${c.method} ${c.route} ${c.status}`, c.count]));
}

const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"];

/**
 * Requests other than the IMS token: the ones that reach CJA. (Runs in one test process share the
 * provider runtime and so its token; a real `pulumi up` starts a new provider host and fetches one.)
 */
async function cjaRequests(): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries(await counted()).filter(([key]) => !key.includes("/ims/")));
}

async function get<T = Props>(path: string, query: Record<string, string> = {}, org = TEST_ORG): Promise<T> {
  const res = await emu.call<T>("GET", path, { query, org });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const metricNode = (id: string) => ({ func: "metric", name: id });

const byUrn = (state: EngineState) => Object.fromEntries(state.resources.map((r) => [r.urn, r]));

beforeAll(async () => {
  emu = await startTestEmulator();
  ui = await setUpAjoInEmulator(emu, TEST_ORG);
});

afterAll(async () => {
  await emu?.close();
});

describe("ajo-cja on a new stack", () => {
  let first: RunResult;
  let requests: Record<string, number>;
  let log: { method: string; route: string }[];
  let dataViewId: string;

  beforeAll(async () => {
    await emu.clearRequests();
    // The first run loads the program's entry point, as `pulumi up` does.
    first = await run("up", () => require("../../examples/ajo-cja/index"));
    requests = await counted();
    log = (await emu.requests()).log;
    dataViewId = first.outputs.dataViewId as string;
  });

  it("reads the connection, 13 dimensions and 9 metrics, creates the data view, the guide's 2 calculated metrics and, beyond the guide, a filter and a filtered metric, and exports their ids", () => {
    const did = (op: string, type: string) => first.steps.filter((s) => s.op === op && s.type === `pulumi-nodejs:dynamic/cja:${type}`).length;
    expect(first.steps).toHaveLength(28);
    expect([did("read", "Connection"), did("create", "DataView"), did("read", "Dimension"), did("read", "Metric"), did("create", "CalculatedMetric"), did("create", "Filter")]).toEqual([1, 1, 13, 9, 3, 1]);
    expect(first.outputs.connectionId).toBe(ui.connectionId);
    expect(dataViewId).toMatch(/^dv_/);
    expect(dataViewId).not.toBe(ui.templateDataViewId);
    expect(Object.keys(first.outputs.dimensionIds as Props)).toEqual(AJO_DIMENSIONS.map((d) => d.name));
    expect(Object.keys(first.outputs.metricIds as Props)).toEqual(AJO_METRICS.map((m) => m.name));
    expect(Object.keys(first.outputs.calculatedMetricIds as Props)).toEqual([...AJO_CALCULATED_METRICS.map((c) => c.name), EMAIL_SENDS.name]);
    expect(Object.keys(first.outputs.filterIds as Props)).toEqual([EMAIL_FILTER.name]);
  });

  it("sends exactly 21 requests: the connection, the connection's data views (the template among them), one list per component kind of the template and of the copy, and the writes", () => {
    expect(requests).toEqual({
      "POST /ims/token/v3 200": 1, // one token for the whole run (one provider process)
      "GET /data/connections 200": 1, // Connection: found by name in one list (with its datasets)
      // DataView: the connection's data views: the template is among them (so it is on the declared connection),
      // and so is any copy an earlier run made (its ownership key) or left unstamped (a lost copy answer is the one that appears).
      "GET /data/dataviews 200": 1,
      // DataView's check: the template holds the 15 requiredComponents (one list per kind), before it is copied;
      // then all 13 Dimensions share one list of the copy, all 9 Metrics (and the CalculatedMetrics' check) another.
      "PUT /data/dataviews/copy/:dataViewId 200": 1, // DataView: the copy of the template, components included
      "PUT /data/dataviews/:dataViewId 200": 1, // DataView: the copy renamed, described, stamped with its external id
      "GET /data/dataviews/:dataviewId/dimensions 200": 2,
      "GET /data/dataviews/:dataviewId/metrics 200": 2,
      // No list of the copy's calculated metrics: the copy is this run's own, so no earlier run made one in it.
      "POST /calculatedmetrics/validate 200": 3, // each CalculatedMetric: the formula checked before the write
      "POST /calculatedmetrics 200": 3, // each CalculatedMetric: created
      "POST /segments/validate 200": 1, // the Filter: its definition checked before the write
      "POST /segments 200": 1, // the Filter: created (no list of the copy's filters either)
      "PUT /componentmetadata/shares 200": 4, // each calculated metric and the filter: shared with the group of ajo-cja:shareWithGroupId
    });
  });

  it("sends them in dependency order: the connection's data views and the template's components, copy, update, the copy's component lists, then validate before each create", () => {
    const at = (method: string, route: string) => log.findIndex((e) => e.method === method && e.route === route);
    const copiedAt = (method: string, route: string) => log.findIndex((e, i) => i > at("PUT", "/data/dataviews/copy/:dataViewId") && e.method === method && e.route === route);
    const lastAt = (method: string, route: string) => log.map((e) => `${e.method} ${e.route}`).lastIndexOf(`${method} ${route}`);
    expect(at("GET", "/data/connections")).toBeLessThan(at("GET", "/data/dataviews"));
    expect(at("GET", "/data/dataviews")).toBeLessThan(at("PUT", "/data/dataviews/copy/:dataViewId"));
    expect(at("PUT", "/data/dataviews/copy/:dataViewId")).toBeLessThan(at("PUT", "/data/dataviews/:dataViewId"));
    expect(at("GET", "/data/dataviews/:dataviewId/dimensions")).toBeLessThan(at("PUT", "/data/dataviews/copy/:dataViewId"));
    expect(at("GET", "/data/dataviews/:dataviewId/metrics")).toBeLessThan(at("PUT", "/data/dataviews/copy/:dataViewId"));
    expect(at("PUT", "/data/dataviews/:dataViewId")).toBeLessThan(copiedAt("GET", "/data/dataviews/:dataviewId/dimensions"));
    expect(at("PUT", "/data/dataviews/:dataViewId")).toBeLessThan(copiedAt("GET", "/data/dataviews/:dataviewId/metrics"));
    expect(lastAt("GET", "/data/dataviews/:dataviewId/metrics")).toBeLessThan(at("POST", "/calculatedmetrics/validate"));
    expect(at("POST", "/calculatedmetrics/validate")).toBeLessThan(at("POST", "/calculatedmetrics"));
  });

  it("adopts the connection with every dataset of the guide's table, with its type and settings", async () => {
    const connection = await get<{ name: string; dataSets: Props[] }>(`/data/connections/${ui.connectionId}`, { expansion: "name,dataSets" });
    expect(connection.name).toBe(ui.connectionName);
    expect(connection.dataSets).toHaveLength(AJO_DATASETS.length);
    for (const row of AJO_DATASETS) {
      const live = connection.dataSets.find((ds) => ds.name === row.name);
      expect(live).toBeDefined();
      expect(String(live!.type).toLowerCase()).toBe(row.type);
      if (row.type === "lookup") {
        expect(live).toMatchObject({ lookupKeyField: row.key, lookupParentFields: [row.matchingKey] });
      } else if (row.personIdField === IDENTITY_MAP) {
        expect(live).toMatchObject({ identityMap: true });
      } else {
        expect(live).toMatchObject({ visitorId: row.personIdField });
      }
      expect((first.outputs.datasetIds as Props)[row.name]).toBe(live!.dataSetId);
    }
  });

  it("makes a data view on that connection, copied from the template, with the declared name", async () => {
    const dv = await get(`/data/dataviews/${dataViewId}`, { expansion: "name,description,parentDataGroupId,timezoneDesignator,externalData" });
    expect(dv).toMatchObject({ name: "AJO reporting (test)", parentDataGroupId: ui.connectionId, timezoneDesignator: "US/Mountain" });
    expect(dv.description).toMatch(/AJO to CJA guide/);
    const template = await get(`/data/dataviews/${ui.templateDataViewId}`, { expansion: "name" });
    expect(template.name).toBe(ui.templateDataViewName);
  });

  it("the data view has every dimension of the guide's table, with its schema element and context labels", async () => {
    const { content } = await get<{ content: Props[] }>(`/data/dataviews/${dataViewId}/dimensions`, { expansion: "sourceFieldId,schemaPath" });
    const admin = await emu.admin<{ dimensions: Props[] }>("GET", `/orgs/${encodeURIComponent(TEST_ORG)}/dataviews/${dataViewId}`);
    const dimensionIds = first.outputs.dimensionIds as Record<string, string>;
    expect(content).toHaveLength(AJO_DIMENSIONS.length);
    for (const row of AJO_DIMENSIONS) {
      const live = content.find((d) => d.id === dimensionIds[row.name]);
      expect(live).toMatchObject({ name: row.name, sourceFieldId: row.schemaPath });
      expect(live!.id).toBe(`variables/${row.schemaPath}`);
      const labels = admin.dimensions.find((d) => d.id === live!.id)?.contextLabels;
      expect(labels).toEqual(row.contextLabels);
    }
    // Not the guide's row: the node name has its own field in AJO's schema.
    expect(content.find((d) => d.id === dimensionIds["Journey Node Name"])).toMatchObject({ sourceFieldId: "_experience.customerJourneyManagement.entities.journey.journeyNodeName" });
  });

  it("the data view has every metric of the guide's table, with its include/exclude values", async () => {
    const { content } = await get<{ content: Props[] }>(`/data/dataviews/${dataViewId}/metrics`, { expansion: "sourceFieldId,description,includeExcludeSetting" });
    const metricIds = first.outputs.metricIds as Record<string, string>;
    expect(content).toHaveLength(AJO_METRICS.length);
    for (const row of AJO_METRICS) {
      const live = content.find((m) => m.id === metricIds[row.name]);
      expect(live).toMatchObject({ id: row.componentId, name: row.name, description: row.description, sourceFieldId: row.schemaPath });
      expect(live!.includeExcludeSetting).toMatchObject({ enabled: true, rules: row.includeExclude.rules });
      if (row.includeExclude.match === "any") expect(live!.includeExcludeSetting).toMatchObject({ match: "or" });
    }
    const bounces = content.find((m) => m.name === "Bounces")!;
    expect(bounces.includeExcludeSetting).toMatchObject({ match: "or", rules: [{ clause: "equals", value: "bounce" }, { clause: "equals", value: "denylist" }] });
  });

  it("creates both calculated metrics of the guide, their formulas compiled to trees of the metrics' ids", async () => {
    const metricIds = first.outputs.metricIds as Record<string, string>;
    const [sends, bounces, bouncesAfterDelivery] = [metricIds.Sends, metricIds.Bounces, metricIds["Bounces After Delivery"]];
    const expected: Record<string, Props> = {
      // [Sends] + [Bounces] - [Bounces After Delivery]
      "Messages Sent": { func: "subtract", col1: { func: "add", col1: metricNode(sends), col2: metricNode(bounces) }, col2: metricNode(bouncesAfterDelivery) },
      // [Sends] - [Bounces After Delivery]
      "Messages Delivered": { func: "subtract", col1: metricNode(sends), col2: metricNode(bouncesAfterDelivery) },
    };
    const all = (await get<{ content: Props[] }>("/calculatedmetrics", { dataIds: dataViewId, expansion: "definition" })).content;
    expect(all).toHaveLength(AJO_CALCULATED_METRICS.length + 1);
    for (const row of AJO_CALCULATED_METRICS) {
      const id = (first.outputs.calculatedMetricIds as Record<string, string>)[row.name];
      const live = await get(`/calculatedmetrics/${id}`, { expansion: "definition" });
      expect(live).toMatchObject({ id, name: row.name, description: `${row.description}\n\n[pulumi:${first.state.resources.find((r) => r.id === id)?.outputs.ownershipKey}]`, dataId: dataViewId });
      expect(live.definition).toEqual({ func: "calc-metric", formula: expected[row.name], version: [1, 0, 0] });
    }
  });

  it("beyond the guide: a filter of the email channel's events, and Email Sends, the sends filtered by it", async () => {
    const filterId = (first.outputs.filterIds as Record<string, string>)[EMAIL_FILTER.name];
    const channel = (first.outputs.dimensionIds as Record<string, string>)[EMAIL_FILTER.dimension];
    const filter = await get(`/segments/${filterId}`, { expansion: "definition,dataId" });
    expect(filter).toMatchObject({ name: EMAIL_FILTER.name, dataId: dataViewId });
    expect(filter.definition).toEqual({
      func: "segment",
      version: [1, 0, 0],
      container: { func: "container", context: "hits", pred: { func: "streq", str: EMAIL_CHANNEL_ID, val: { func: "attr", name: channel } } },
    });
    const id = (first.outputs.calculatedMetricIds as Record<string, string>)[EMAIL_SENDS.name];
    const live = await get(`/calculatedmetrics/${id}`, { expansion: "definition" });
    expect(live).toMatchObject({ name: EMAIL_SENDS.name, dataId: dataViewId });
    expect(live.definition).toEqual({
      func: "calc-metric",
      version: [1, 0, 0],
      formula: { func: "calc-metric", version: [1, 0, 0], formula: metricNode("metrics/sends"), filters: [{ func: "segment-ref", id: filterId }] },
    });
  });

  it("beyond the guide: the calculated metrics and the filter are shared with the group of ajo-cja:shareWithGroupId, and nothing else is", async () => {
    const search = (componentType: string, componentIds: string[]) =>
      emu.call<{ content: Array<{ componentId: string; shares: Props[] }> }>("POST", "/componentmetadata/shares/component/search", { body: { componentType, componentIds }, org: TEST_ORG });
    const group = { shareToType: "group", shareToId: Number(ui.analystGroupId) };
    const metrics = Object.values(first.outputs.calculatedMetricIds as Record<string, string>);
    const shared = (await search("calculatedMetric", metrics)).body.content;
    expect(shared.map((c) => c.shares.map(({ shareToType, shareToId }) => ({ shareToType, shareToId })))).toEqual(metrics.map(() => [group]));
    const filters = Object.values(first.outputs.filterIds as Record<string, string>);
    const filterShares = (await search("segment", filters)).body.content;
    expect(filterShares.map((c) => c.shares.map(({ shareToType, shareToId }) => ({ shareToType, shareToId })))).toEqual([[group]]);
  });

  describe("then, with the state of that run", () => {
    // What an unchanged stack reads in Adobe: the connection (by name, in the org's list) and one
    // list per component kind, to compare what only Adobe's UI can change with the code; no write.
    const LOOKUP_READS = {
      "GET /data/connections 200": 1,
      "GET /data/dataviews/:dataviewId/dimensions 200": 1,
      "GET /data/dataviews/:dataviewId/metrics 200": 1,
    };
    const READS = Array(23).fill("read");
    const SAME = Array(5).fill("same"); // the data view, 3 calculated metrics, the filter
    const ops = (result: RunResult) => result.steps.map((s) => s.op).sort();

    it("a second identical `pulumi up` changes nothing and only reads the connection and the components", async () => {
      await emu.clearRequests();
      const second = await run("up", stackProgram, first.state);
      expect(ops(second)).toEqual([...READS, ...SAME]);
      expect(await cjaRequests()).toEqual(LOOKUP_READS);
      expect(second.outputs).toEqual(first.outputs);
      // The same resources with the same inputs and outputs (listed in the order their steps ended).
      expect(byUrn(second.state)).toEqual(byUrn(first.state));
    });

    it("`pulumi preview` shows no change and only reads the connection and the components", async () => {
      await emu.clearRequests();
      const preview = await run("preview", stackProgram, first.state);
      expect(ops(preview)).toEqual([...READS, ...SAME]);
      expect(preview.steps.every((s) => s.preview)).toBe(true);
      expect(await cjaRequests()).toEqual(LOOKUP_READS);
      expect(preview.outputs).toEqual(first.outputs);
    });

    it("renaming the data view updates only the data view: one PUT, nothing else written", async () => {
      await emu.clearRequests();
      const renamed = stackConfig(TEST_ORG, ui, { "ajo-cja:dataViewName": "AJO reporting (renamed)" });
      const changes = (result: RunResult) => result.steps.filter((s) => s.op !== "same" && s.op !== "read").map((s) => `${s.op} ${s.type.split("/").pop()} ${s.name}`);
      const preview = await run("preview", stackProgram, first.state, renamed);
      expect(changes(preview)).toEqual(["update cja:DataView ajo"]);
      expect(await cjaRequests()).toEqual(LOOKUP_READS);

      const update = await run("up", stackProgram, first.state, renamed);
      expect(changes(update)).toEqual(["update cja:DataView ajo"]);
      // The preview and the up each read what only the UI changes (two runs of the provider, in a real CLI two processes).
      expect(await cjaRequests()).toEqual({ ...Object.fromEntries(Object.keys(LOOKUP_READS).map((k) => [k, 2])), "PUT /data/dataviews/:dataViewId 200": 1 });
      expect(await get(`/data/dataviews/${dataViewId}`, { expansion: "name" })).toMatchObject({ name: "AJO reporting (renamed)" });
    });
  });
});

describe("ajo-cja preview of a new stack", () => {
  it("reads the connection, plans 5 creates and 22 component reads for when the data view exists, finds the template in the connection's data views and writes nothing", async () => {
    await emu.clearRequests();
    const preview = await run("preview", stackProgram);
    expect(preview.steps).toHaveLength(28);
    expect(preview.steps.filter((s) => s.op === "create").map((s) => s.name).sort()).toEqual(["ajo", "email-channel", "email-sends", "messages-delivered", "messages-sent"]);
    // The connection is read now; the components wait for the data view's id (a skipped read has no id).
    const reads = preview.steps.filter((s) => s.op === "read");
    expect(reads.filter((s) => s.id !== undefined).map((s) => s.type.split("/").pop())).toEqual(["cja:Connection"]);
    expect(reads.filter((s) => s.id === undefined)).toHaveLength(22);
    expect(preview.state).toEqual({ resources: [] });
    expect(await cjaRequests()).toEqual({
      "GET /data/connections 200": 1,
      "GET /data/dataviews 200": 1,
      "GET /data/dataviews/:dataviewId/dimensions 200": 1,
      "GET /data/dataviews/:dataviewId/metrics 200": 1,
    });
  });
});

describe("ajo-cja when the Adobe UI differs from the guide", () => {
  /** A fresh org set up as the UI leaves it, then changed by `change`. */
  async function orgWith(org: string, change: (admin: string) => Promise<unknown>): Promise<Record<string, string>> {
    const setup = await setUpAjoInEmulator(emu, org);
    await change(`/orgs/${encodeURIComponent(org)}`);
    await emu.clearRequests();
    return stackConfig(org, setup);
  }

  async function failure(config: Record<string, string>): Promise<EngineRunError> {
    const error = await run("up", stackProgram, undefined, config).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EngineRunError);
    return error as EngineRunError;
  }

  it("a metric with other include/exclude values stops `up` with the setting and the fix; only what does not depend on it is made", async () => {
    const org = "DRIFTORG0000000000000000@AdobeOrg";
    const config = await orgWith(org, (admin) =>
      emu.admin("PATCH", `${admin}/dataviews/${ui.templateDataViewId}/metrics/bounces`, {
        includeExcludeSetting: { enabled: true, match: "or", type: "string", rules: [{ clause: "equals", value: "bounce" }] },
      }),
    );
    const error = await failure(config);
    expect(error.failures.map((f) => f.urn.split("::").pop())).toEqual(["bounces"]);
    expect(error.failures[0].error.message).toMatch(/includeExclude\.rules: declared .*"denylist".*, live \[\{"clause":"equals","value":"bounce"\}\]\. In the Data View Manager, .*set the criteria to equals "bounce", equals "denylist"/s);
    // Messages Sent uses [Bounces]: never validated nor created. Messages Delivered and Email Sends do not: made.
    expect(error.steps.map((step) => step.name)).toContain("messages-delivered");
    expect(error.steps.map((step) => step.name)).not.toContain("messages-sent");
    expect(error.programErrors.map((e) => e.message)).toContainEqual(expect.stringMatching(/error serializing property "metrics": failed to read resource #lookup:dv_\w+\/metrics\/bounces 'bounces'/));
    expect(await cjaRequests()).toMatchObject({ "POST /calculatedmetrics/validate 200": 2, "POST /calculatedmetrics 200": 2, "POST /segments 200": 1 });
    const dataViewId = error.state.resources.find((r) => r.type.endsWith("cja:DataView"))!.id;
    const made = (await get<{ content: Props[] }>("/calculatedmetrics", { dataIds: dataViewId }, org)).content;
    expect(made.map((m) => m.name).sort()).toEqual(["Email Sends", "Messages Delivered"]);
  });

  it("a template built from the guide's Journey Node Name row as written (Journey Name's field) stops `up` at that dimension, naming the node name field", async () => {
    const nodeName = "variables/_experience.customerJourneyManagement.entities.journey.journeyNodeName";
    const config = await orgWith("SCHEMAORG000000000000000@AdobeOrg", (admin) =>
      emu.admin("PATCH", `${admin}/dataviews/${ui.templateDataViewId}/dimensions/${encodeURIComponent(nodeName)}`, {
        sourceFieldId: "_experience.customerJourneyManagement.entities.journey.journeyName",
        schemaPath: "_experience.customerJourneyManagement.entities.journey.journeyName",
      }),
    );
    const error = await failure(config);
    expect(error.failures.map((f) => f.urn.split("::").pop())).toEqual(["journey-node-name"]);
    expect(error.failures[0].error.message).toMatch(/has no dimension with schema field _experience\.customerJourneyManagement\.entities\.journey\.journeyNodeName/);
  });

  it("a template without one of the guide's metrics stops the preview and `up` before anything is copied, naming it", async () => {
    const org = "NOSENDSORG00000000000000@AdobeOrg";
    const config = await orgWith(org, (admin) => emu.admin("DELETE", `${admin}/dataviews/${ui.templateDataViewId}/metrics/sends`));
    const preview = await run("preview", stackProgram, undefined, config).then(() => undefined, (e: unknown) => e as EngineRunError);
    expect(preview).toBeInstanceOf(EngineRunError);
    const expected = new RegExp(`requiredComponents: the template ${ui.templateDataViewId} \\("AJO template"\\) has no metrics/sends\\. In the Data View Manager, add them`);
    expect(preview!.failures.map((f) => f.error.message)).toContainEqual(expect.stringMatching(expected));
    const error = await failure(config);
    expect(error.failures.map((f) => f.error.message)).toContainEqual(expect.stringMatching(expected));
    const writes = Object.keys(await cjaRequests()).filter((key) => WRITE_METHODS.includes(key.split(" ")[0]));
    expect(writes).toEqual([]);
  });

  it("a template id that does not exist is named with its input in the preview, and nothing is written", async () => {
    const org = "NOTEMPLATEORG00000000000@AdobeOrg";
    const config = await orgWith(org, async () => undefined);
    const error = await run("preview", stackProgram, undefined, { ...config, "ajo-cja:templateDataViewId": "dv_00000000000000000000dead" }).then(() => undefined, (e: unknown) => e as EngineRunError);
    expect(error).toBeInstanceOf(EngineRunError);
    expect(error!.failures.map((f) => f.error.message)).toContainEqual(expect.stringContaining(`copyFrom: no data view dv_00000000000000000000dead in IMS org ${org} that this credential can see`));
    const writes = Object.keys(await cjaRequests()).filter((key) => WRITE_METHODS.includes(key.split(" ")[0]));
    expect(writes).toEqual([]);
  });

  it("a template on another connection stops `up` before anything is copied", async () => {
    const org = "TEMPLATEORG0000000000000@AdobeOrg";
    const config = await orgWith(org, async (admin) => {
      await emu.admin("PUT", `${admin}/connections/dg_0f0e0d0c-0b0a-4909-8807-060504030201`, { name: "Another connection", dataSets: [] });
      await emu.admin("POST", `${admin}/dataviews`, {
        id: "dv_0f0e0d0c0b0a090807060504",
        name: "Template of another connection",
        parentDataGroupId: "dg_0f0e0d0c-0b0a-4909-8807-060504030201",
        timezoneDesignator: "UTC",
      });
    });
    const error = await failure({ ...config, "ajo-cja:templateDataViewId": "dv_0f0e0d0c0b0a090807060504" });
    expect(error.failures[0].error.message).toMatch(/copyFrom: dv_0f0e0d0c0b0a090807060504 .* reports on connection dg_0f0e0d0c-0b0a-4909-8807-060504030201, not on the declared connectionId dg_/);
    const writes = Object.keys(await cjaRequests()).filter((key) => WRITE_METHODS.includes(key.split(" ")[0]));
    expect(writes).toEqual([]);
  });
});
