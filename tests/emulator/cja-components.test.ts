/** Data view dimensions and metrics over HTTP: read-only public routes, admin writes, settings. */
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createDataView, equalsRule, orgAdmin, putDimension, putMetric, seedConnection, type CjaErrorBody, type DataViewDoc, type Page } from "./cja-support";

let emulator: TestEmulator;
let dataView: DataViewDoc;

const AUDIENCES = "variables/ds_profile.audienceMembershipId";

const audienceDimension = {
  name: "Audience IDs",
  description: "Audiences the person belongs to",
  sourceFieldId: "audienceMembershipId",
  schemaPath: "audienceMembershipId",
  dataSetIds: ["ds_profile"],
  dataSetType: "PROFILE",
  type: "STRING",
  fieldDefinition: [
    { func: "RAW_FIELD", field: "audienceMembershipId" },
    { func: "split", delimiter: ",", "case-sensitive": false },
  ],
  persistenceSetting: {
    enabled: true,
    allocationModel: { func: "allocation-lastTouch_dim", expiration: { func: "allocation-inactivity", numPeriods: 30, granularity: "minute", context: "sessions" } },
  },
  noValueOptionsSetting: { includeNoneByDefault: true, noneChangeable: true, noneSettingType: "show-no-value", customNoneValue: "No value" },
  behaviorSetting: { lowercase: true },
  contextLabels: ["Experimentation Experiment"],
};

const bouncesMetric = {
  name: "Bounces",
  sourceFieldId: "_experience.customerJourneyManagement.messageDeliveryfeedback.feedbackStatus",
  dataSetType: "event",
  countType: "INSTANCES",
  precision: 0,
  formatSetting: { polarity: "negative", formatType: "decimal", decimalPlaces: 0 },
  attributionSetting: { enabled: false },
  includeExcludeSetting: equalsRule("bounce", "denylist"),
};

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await emulator.reset();
  const connection = await seedConnection(emulator);
  dataView = await createDataView(emulator, connection.id);
  await putDimension(emulator, dataView.id, AUDIENCES, audienceDimension);
  await putDimension(emulator, dataView.id, "channel", { name: "Channel", sourceFieldId: "_experience.customerJourneyManagement.entities.channelDetails.channel._id" });
  await putDimension(emulator, dataView.id, "internal_flag", { name: "Internal flag", hidden: true });
  await putMetric(emulator, dataView.id, "metrics/bounces", bouncesMetric);
  await putMetric(emulator, dataView.id, "sends", { name: "Sends", includeExcludeSetting: equalsRule("sent") });
});

describe("GET /data/dataviews/{dataviewId}/dimensions", () => {
  it("lists id and name only, without hidden components unless includeType=hidden", async () => {
    const res = await emulator.call<Page<Record<string, unknown>>>("GET", `/data/dataviews/${dataView.id}/dimensions`);
    expect(res.status).toBe(200);
    expect(res.body.content).toEqual([
      { id: "variables/channel", name: "Channel" },
      { id: AUDIENCES, name: "Audience IDs" },
    ]);
    expect(res.body).toMatchObject({ totalElements: 2, first: true, last: true, firstPage: true, lastPage: true });

    const withHidden = await emulator.call<Page<{ id: string }>>("GET", `/data/dataviews/${dataView.id}/dimensions`, { query: { includeType: "hidden" } });
    expect(withHidden.body.content.map((d) => d.id)).toContain("variables/internal_flag");
  });

  it("returns the requested settings in wire shape, lower-case enums, and never context labels", async () => {
    const res = await emulator.call<Page<Record<string, unknown>>>("GET", `/data/dataviews/${dataView.id}/dimensions`, {
      query: { expansion: "fieldDefinition,persistenceSetting,noValueOptionsSetting,dataSetType,type,description,sourceFieldId,hidden" },
    });
    expect(res.status).toBe(200);
    const audiences = res.body.content.find((d) => d.id === AUDIENCES);
    expect(audiences).toEqual({
      id: AUDIENCES,
      name: "Audience IDs",
      description: "Audiences the person belongs to",
      sourceFieldId: "audienceMembershipId",
      dataSetType: "profile",
      type: "string",
      hidden: false,
      fieldDefinition: audienceDimension.fieldDefinition,
      persistenceSetting: audienceDimension.persistenceSetting,
      noValueOptionsSetting: audienceDimension.noValueOptionsSetting,
    });
  });

  it("answers CJA's 404 for an unknown data view", async () => {
    const res = await emulator.call<CjaErrorBody>("GET", "/data/dataviews/dv_000000000000000000000000/dimensions");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ errorCode: "resource_not_found", errorDescription: "Could not find dimensions for dataview with given parameters" });
  });
});

describe("GET /data/dataviews/{dataviewId}/dimensions/{dimensionId}", () => {
  it("finds a dimension by its id without the variables/ prefix, and with it", async () => {
    const bare = await emulator.call<Record<string, unknown>>("GET", `/data/dataviews/${dataView.id}/dimensions/ds_profile.audienceMembershipId`, { query: { expansion: "dataSetType" } });
    expect(bare).toMatchObject({ status: 200, body: { id: AUDIENCES, name: "Audience IDs", dataSetType: "profile" } });
    const prefixed = await emulator.call<Record<string, unknown>>("GET", `/data/dataviews/${dataView.id}/dimensions/${encodeURIComponent(AUDIENCES)}`);
    expect(prefixed).toMatchObject({ status: 200, body: { id: AUDIENCES, name: "Audience IDs" } });
  });

  it("answers 404 for a dimension the data view lacks", async () => {
    const res = await emulator.call<CjaErrorBody>("GET", `/data/dataviews/${dataView.id}/dimensions/nope`);
    expect(res.status).toBe(404);
    expect(res.body.errorCode).toBe("resource_not_found");
  });
});

describe("metrics", () => {
  it("lists metrics with include/exclude rules and metric settings", async () => {
    const res = await emulator.call<Page<Record<string, unknown>>>("GET", `/data/dataviews/${dataView.id}/metrics`, {
      query: { expansion: "includeExcludeSetting,countType,formatSetting,attributionSetting,precision" },
    });
    expect(res.status).toBe(200);
    expect(res.body.content).toEqual([
      {
        id: "metrics/bounces",
        name: "Bounces",
        countType: "instances",
        precision: 0,
        formatSetting: bouncesMetric.formatSetting,
        attributionSetting: { enabled: false },
        includeExcludeSetting: { enabled: true, caseSensitive: true, match: "or", type: "string", rules: [{ clause: "equals", value: "bounce" }, { clause: "equals", value: "denylist" }] },
      },
      { id: "metrics/sends", name: "Sends", includeExcludeSetting: equalsRule("sent") },
    ]);
  });

  it("gets a metric by its id with or without the metrics/ prefix", async () => {
    const bare = await emulator.call<Record<string, unknown>>("GET", `/data/dataviews/${dataView.id}/metrics/sends`);
    const prefixed = await emulator.call<Record<string, unknown>>("GET", `/data/dataviews/${dataView.id}/metrics/${encodeURIComponent("metrics/sends")}`);
    expect(bare.body).toEqual({ id: "metrics/sends", name: "Sends" });
    expect(prefixed.body).toEqual(bare.body);
  });

  it("answers CJA's 404 for metrics of an unknown data view", async () => {
    const res = await emulator.call<CjaErrorBody>("GET", "/data/dataviews/dv_000000000000000000000000/metrics/sends");
    expect(res.status).toBe(404);
    expect(res.body.errorDescription).toBe("Could not find metrics for dataview with given parameters");
  });
});

describe("admin component routes (the person at the Data View Manager)", () => {
  const metricPath = () => `${orgAdmin()}/dataviews/${dataView.id}/metrics/sends`;

  it("keeps context labels and behavior in admin state only", async () => {
    const stored = await emulator.admin<Record<string, unknown>>("GET", `${orgAdmin()}/dataviews/${dataView.id}/dimensions/${encodeURIComponent(AUDIENCES)}`);
    expect(stored).toMatchObject({ contextLabels: ["Experimentation Experiment"], behaviorSetting: { lowercase: true } });
  });

  it("changes some settings with PATCH, keeping the others", async () => {
    await emulator.admin("PATCH", metricPath(), { includeExcludeSetting: equalsRule("sent", "delivered"), description: "Accepted messages" });
    const res = await emulator.call<Record<string, unknown>>("GET", `/data/dataviews/${dataView.id}/metrics/sends`, { query: { expansion: "includeExcludeSetting,description" } });
    expect(res.body).toEqual({ id: "metrics/sends", name: "Sends", description: "Accepted messages", includeExcludeSetting: equalsRule("sent", "delivered") });
  });

  it("removes a component with DELETE", async () => {
    await emulator.admin("DELETE", metricPath());
    expect((await emulator.call("GET", `/data/dataviews/${dataView.id}/metrics/sends`)).status).toBe(404);
    await expect(emulator.admin("DELETE", metricPath())).rejects.toThrow(/404/);
  });

  it("upserts many components at once, optionally replacing all", async () => {
    const metrics = Array.from({ length: 300 }, (_, i) => ({ id: `m${String(i).padStart(3, "0")}`, name: `Metric ${i}` }));
    await emulator.admin("PUT", `${orgAdmin()}/dataviews/${dataView.id}/components`, { replace: true, metrics });
    const res = await emulator.call<Page<{ id: string }>>("GET", `/data/dataviews/${dataView.id}/metrics`);
    expect(res.body.totalElements).toBe(300);
    expect(res.body.content).toHaveLength(300);
    expect(res.body.lastPage).toBe(true);
    const dims = await emulator.call<Page<unknown>>("GET", `/data/dataviews/${dataView.id}/dimensions`, { query: { includeType: "hidden" } });
    expect(dims.body.totalElements).toBe(0);
  });

  it("names the bad field of an invalid component body", async () => {
    await expect(putMetric(emulator, dataView.id, "x", { name: "X", includeExcludeSetting: { enabled: true, match: "sometimes" } })).rejects.toThrow(/includeExcludeSetting\.match/);
    await expect(putMetric(emulator, dataView.id, "x", { name: "X", persistenceSetting: { enabled: true } })).rejects.toThrow(/persistenceSetting/);
    await expect(putDimension(emulator, dataView.id, "x", { description: "no name" })).rejects.toThrow(/name/);
  });

  it("answers 404 for components of an unknown data view", async () => {
    await expect(putMetric(emulator, "dv_000000000000000000000000", "x", { name: "X" })).rejects.toThrow(/404/);
  });
});
