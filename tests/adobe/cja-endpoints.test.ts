/** The typed CJA endpoint functions against the emulator (Adobe's spec validated on every call). */
import { AdobeClient } from "../../provider/adobe/http";
import { isNotFound } from "../../provider/adobe/errors";
import { resolveSettings } from "../../provider/adobe/settings";
import { getConnection, listConnections } from "../../provider/adobe/cja/connections";
import {
  copyDataView,
  createDataView,
  deleteDataView,
  getDataView,
  listDataViews,
  updateDataView,
  validateDataView,
} from "../../provider/adobe/cja/dataviews";
import { getDimension, listDimensions } from "../../provider/adobe/cja/dimensions";
import { getMetric, listMetrics } from "../../provider/adobe/cja/metrics";
import {
  createCalculatedMetric,
  deleteCalculatedMetric,
  getCalculatedMetric,
  listCalculatedMetrics,
  updateCalculatedMetric,
  validateCalculatedMetric,
} from "../../provider/adobe/cja/calculated-metrics";
import { startTestEmulator, TEST_ORG, type TestEmulator } from "../helpers/emulator";

let emu: TestEmulator;
let client: AdobeClient;
let connectionId: string;
const orgAdmin = () => `/orgs/${encodeURIComponent(TEST_ORG)}`;

beforeAll(async () => {
  emu = await startTestEmulator();
  const values: Record<string, string> = { ...emu.config(), "adobe:cjaRateLimit": "off", "adobe:retryBaseDelayMs": "5" };
  client = new AdobeClient(resolveSettings({ get: (k) => values[k] }, {}));
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.reset();
  const connection = await emu.admin<{ id: string }>("POST", `${orgAdmin()}/connections`, {
    name: "AJO connection",
    description: "AJO datasets",
    dataSets: [
      { dataSetId: "5f24c4f6ecffd11638000001", name: "AJO Message Feedback Event Dataset", type: "event", timestampId: "timestamp", visitorId: "_id" },
      { dataSetId: "5f24c4f6ecffd11638000002", name: "AJO Entity Dataset", type: "lookup", lookupKeyField: "_id" },
    ],
  });
  connectionId = connection.id;
});

const dataViewBody = (externalId: string) => ({
  name: `Data view ${externalId}`,
  description: "made by a test",
  parentDataGroupId: connectionId,
  timezoneDesignator: "US/Mountain",
  sessionDefinition: [{ numPeriods: 30, granularity: "MINUTE", func: "INACTIVITY", events: [] as string[] }],
  externalData: { externalId },
});

describe("connections", () => {
  it("lists every connection with its datasets and gets one by id", async () => {
    const all = await listConnections(client);
    expect(all.map((c) => c.id)).toEqual([connectionId]);
    expect(all[0].dataSets?.map((d) => [d.dataSetId, d.type])).toEqual([
      ["5f24c4f6ecffd11638000001", "EVENT"],
      ["5f24c4f6ecffd11638000002", "LOOKUP"],
    ]);
    const one = await getConnection(client, connectionId);
    expect(one).toMatchObject({ id: connectionId, name: "AJO connection", description: "AJO datasets" });
  });

  it("reads every page", async () => {
    for (let i = 0; i < 4; i++) await emu.admin("POST", `${orgAdmin()}/connections`, { name: `extra ${i}` });
    const all = await listConnections(client, { limit: 2 });
    expect(all).toHaveLength(5);
    expect(new Set(all.map((c) => c.id)).size).toBe(5);
    const { log } = await emu.requests();
    expect(log.filter((e) => e.route === "/data/connections").length).toBeGreaterThanOrEqual(3);
  });
});

describe("data views", () => {
  it("create, get, list by externalId and connection, update, copy, delete", async () => {
    const created = await createDataView(client, dataViewBody("ext-1"));
    expect(created.id).toMatch(/^dv_/);
    expect(created.sessionDefinition).toEqual([expect.objectContaining({ numPeriods: 30, granularity: "MINUTE", func: "INACTIVITY" })]);
    expect(created.externalData?.externalId).toBe("ext-1");

    await createDataView(client, dataViewBody("ext-2"));
    const byExternal = await listDataViews(client, { externalIds: ["ext-1"] });
    expect(byExternal.map((d) => d.id)).toEqual([created.id]);
    expect((await listDataViews(client, { parentDataGroupId: connectionId, limit: 1 })).length).toBe(2);

    const fetched = await getDataView(client, created.id);
    expect(fetched).toMatchObject({ id: created.id, name: "Data view ext-1", parentDataGroupId: connectionId, timezoneDesignator: "US/Mountain" });

    const updated = await updateDataView(client, created.id, { description: "changed" });
    expect(updated.description).toBe("changed");
    expect((await getDataView(client, created.id)).description).toBe("changed");

    const copy = await copyDataView(client, created.id);
    expect(copy.id).not.toBe(created.id);
    expect(copy.name).toBe("Data view ext-1 (Copy)");

    await expect(deleteDataView(client, created.id)).resolves.toMatchObject({ result: "success" });
    const gone = await getDataView(client, created.id).catch((e) => e);
    expect(isNotFound(gone)).toBe(true);
  });

  it("validate reports what is missing without writing", async () => {
    const { timezoneDesignator: _tz, ...withoutZone } = dataViewBody("ext-v");
    const result = await validateDataView(client, withoutZone);
    expect(result.valid).toBe(false);
    expect(result.message).toMatch(/timezoneDesignator/);
    expect((await validateDataView(client, dataViewBody("ext-v"))).valid).toBe(true);
    expect(await listDataViews(client)).toEqual([]);
  });
});

describe("dimensions and metrics", () => {
  let dataViewId: string;
  beforeEach(async () => {
    dataViewId = (await createDataView(client, dataViewBody("ext-c"))).id;
    await emu.admin("PUT", `${orgAdmin()}/dataviews/${dataViewId}/components`, {
      dimensions: [
        {
          id: "variables/_experience.customerJourneyManagement.messageExecution.campaignName",
          name: "Campaign Name",
          dataSetType: "event",
          type: "string",
          includeExcludeSetting: { enabled: true, caseSensitive: false, match: "or", type: "string", rules: [{ clause: "contains-any", value: "test" }] },
        },
        { id: "variables/daterangeday", name: "Day" },
      ],
      metrics: [
        { id: "metrics/sends", name: "Sends", dataSetType: "event" },
        { id: "metrics/bounces", name: "Bounces" },
      ],
    });
  });

  it("lists every dimension and metric of a data view with the expansion in one call each", async () => {
    await emu.clearRequests();
    const dimensions = await listDimensions(client, dataViewId);
    const metrics = await listMetrics(client, dataViewId);
    expect(dimensions.map((d) => d.id).sort()).toEqual(["variables/_experience.customerJourneyManagement.messageExecution.campaignName", "variables/daterangeday"]);
    const campaign = dimensions.find((d) => d.name === "Campaign Name")!;
    expect(campaign.dataSetType).toBe("EVENT");
    expect(campaign.type).toBe("STRING");
    expect(campaign.includeExcludeSetting).toMatchObject({ enabled: true, rules: [{ clause: "contains-any", value: "test" }] });
    expect(metrics.map((m) => m.id).sort()).toEqual(["metrics/bounces", "metrics/sends"]);
    const { log } = await emu.requests();
    expect(log.map((e) => e.route)).toEqual(["/data/dataviews/:dataviewId/dimensions", "/data/dataviews/:dataviewId/metrics"]);
  });

  it("gets one component with or without its prefix, the prefix stripped in the path", async () => {
    await emu.clearRequests();
    expect((await getDimension(client, dataViewId, "variables/daterangeday")).name).toBe("Day");
    expect((await getDimension(client, dataViewId, "daterangeday")).id).toBe("variables/daterangeday");
    expect((await getMetric(client, dataViewId, "metrics/sends")).name).toBe("Sends");
    const { log } = await emu.requests();
    expect(log.map((e) => e.path)).toEqual([
      `/data/dataviews/${dataViewId}/dimensions/daterangeday`,
      `/data/dataviews/${dataViewId}/dimensions/daterangeday`,
      `/data/dataviews/${dataViewId}/metrics/sends`,
    ]);
  });
});

describe("calculated metrics", () => {
  it("validate, create, list by data view and name, get, update, delete", async () => {
    const dataViewId = (await createDataView(client, dataViewBody("ext-cm"))).id;
    await emu.admin("PUT", `${orgAdmin()}/dataviews/${dataViewId}/components`, {
      metrics: [
        { id: "metrics/sends", name: "Sends" },
        { id: "metrics/bounces", name: "Bounces" },
      ],
    });
    const definition = {
      func: "calc-metric",
      formula: { func: "subtract", col1: { func: "metric", name: "metrics/sends" }, col2: { func: "metric", name: "metrics/bounces" } },
      version: [1, 0, 0],
    };
    const body = { name: "Delivered", description: "Sends minus bounces", dataId: dataViewId, type: "decimal", definition };

    const validation = await validateCalculatedMetric(client, body);
    expect(validation.valid).toBe(true);
    const broken = await validateCalculatedMetric(client, { ...body, definition: { ...definition, formula: { func: "metric", name: "metrics/nope" } } });
    expect(broken.valid).toBe(false);
    expect(broken.message).toMatch(/metrics\/nope/);

    const created = await createCalculatedMetric(client, body);
    expect(created).toMatchObject({ name: "Delivered", dataId: dataViewId, type: "DECIMAL" });
    await createCalculatedMetric(client, { ...body, name: "Other" });

    const byName = await listCalculatedMetrics(client, { dataIds: [dataViewId], name: "Delivered" });
    expect(byName.map((m) => m.id)).toEqual([created.id]);
    expect(await listCalculatedMetrics(client, { dataIds: [dataViewId], limit: 1 })).toHaveLength(2);

    const fetched = await getCalculatedMetric(client, created.id);
    expect(fetched.definition).toMatchObject({ func: "calc-metric" });

    const updated = await updateCalculatedMetric(client, created.id, { description: "changed", definition });
    expect(updated.description).toBe("changed");

    await deleteCalculatedMetric(client, created.id);
    expect(isNotFound(await getCalculatedMetric(client, created.id).catch((e) => e))).toBe(true);
  });
});
