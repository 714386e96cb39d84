/** Data views over HTTP: create, read, partial update, delete, copy, validate, list filters. */
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import {
  createDataView,
  dataViewBody,
  equalsRule,
  orgAdmin,
  putDimension,
  putMetric,
  seedConnection,
  type CjaErrorBody,
  type ConnectionDoc,
  type DataViewDoc,
  type Page,
} from "./cja-support";

let emulator: TestEmulator;
let connection: ConnectionDoc;

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await emulator.reset();
  connection = await seedConnection(emulator);
});

const ALL_FIELDS = "name,description,owner,parentDataGroupId,currentTimezoneOffset,timezoneDesignator,modified,createdDate,organization,sessionDefinition,externalData,containerNames";

describe("POST /data/dataviews", () => {
  it("creates a data view, echoing what was sent with enums in lower case", async () => {
    const res = await emulator.call<Record<string, unknown>>("POST", "/data/dataviews", {
      body: dataViewBody(connection.id, { externalData: { externalId: "stack-dev-ajo" } }),
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(/^dv_[0-9a-f]{24}$/);
    expect(res.body).toMatchObject({
      name: "AJO data view",
      parentDataGroupId: connection.id,
      timezoneDesignator: "US/Mountain",
      sessionDefinition: [{ numPeriods: 30, granularity: "minute", func: "inactivity", events: [] }],
      externalData: { externalId: "stack-dev-ajo" },
    });
    expect(res.body.owner).toBeUndefined();
  });

  it("sets owner, organization, dates and the current offset itself", async () => {
    const created = await createDataView(emulator, connection.id, { owner: { imsUserId: "someone-else@AdobeID" }, timezoneDesignator: "UTC" });
    const res = await emulator.call<Record<string, unknown>>("GET", `/data/dataviews/${created.id}`, { query: { expansion: ALL_FIELDS } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      owner: { imsUserId: `${emulator.options.clientId}@techacct.adobe.com` },
      organization: "TESTORG0000000000000000@AdobeOrg",
      currentTimezoneOffset: 0,
      containerNames: { event: "Event", session: "Session", people: "Person" },
    });
    expect(res.body.createdDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(res.body.modifiedDate).toBe(res.body.createdDate);
  });

  it("answers 404 when parentDataGroupId is not a connection of the org", async () => {
    const res = await emulator.call<CjaErrorBody>("POST", "/data/dataviews", { body: dataViewBody("dg_00000000-0000-0000-0000-000000000000") });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ errorCode: "resource_not_found", errorDescription: "Unable to find parentDataGroup" });
    const otherOrg = await emulator.call<CjaErrorBody>("POST", "/data/dataviews", { body: dataViewBody(connection.id), org: "OTHERORG000000000000000@AdobeOrg" });
    expect(otherOrg.status).toBe(404);
  });

  it("answers 400 without timezoneDesignator, and for an unknown zone", async () => {
    const missing = await emulator.call<CjaErrorBody>("POST", "/data/dataviews", { body: dataViewBody(connection.id, { timezoneDesignator: undefined }) });
    expect(missing.status).toBe(400);
    expect(missing.body.errorDescription).toBe("The following fields are required: [timezoneDesignator] ");
    const unknown = await emulator.call<CjaErrorBody>("POST", "/data/dataviews", { body: dataViewBody(connection.id, { timezoneDesignator: "Mars/Olympus" }) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errorDescription).toContain("Mars/Olympus");
  });

  it("rejects a body that breaks Adobe's spec with CJA's 400, storing nothing", async () => {
    const res = await emulator.call<CjaErrorBody>("POST", "/data/dataviews", { body: dataViewBody(connection.id, { name: 42 }) });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe("invalid_parameters");
    expect(res.body.errorDescription).toContain("body.name");
    const list = await emulator.call<Page<unknown>>("GET", "/data/dataviews");
    expect(list.body.totalElements).toBe(0);
  });
});

describe("GET /data/dataviews", () => {
  it("filters by externalIds, dataViewIds and parentDataGroupId, and pages", async () => {
    const other = await seedConnection(emulator, { name: "Other", dataSets: [{ dataSetId: "ds_x", name: "X", type: "event" }] });
    const a = await createDataView(emulator, connection.id, { name: "A", externalData: { externalId: "ext-a" } });
    const b = await createDataView(emulator, connection.id, { name: "B", externalData: { externalId: "ext-b" } });
    const c = await createDataView(emulator, other.id, { name: "C" });
    const ids = async (query: Record<string, string>) =>
      (await emulator.call<Page<{ id: string }>>("GET", "/data/dataviews", { query })).body.content.map((dv) => dv.id).sort();
    expect(await ids({ externalIds: "ext-b" })).toEqual([b.id]);
    expect(await ids({ externalIds: "ext-a,ext-b" })).toEqual([a.id, b.id].sort());
    expect(await ids({ dataViewIds: `${a.id},${c.id}` })).toEqual([a.id, c.id].sort());
    expect(await ids({ parentDataGroupId: other.id })).toEqual([c.id]);

    const page1 = await emulator.call<Page<{ id: string }>>("GET", "/data/dataviews", { query: { limit: "2", page: "1", expansion: "name" } });
    expect(page1.body).toMatchObject({ number: 1, totalElements: 3, totalPages: 2, numberOfElements: 1, last: true, lastPage: true, first: false });
    expect(Object.keys(page1.body.content[0]).sort()).toEqual(["id", "name"]);
  });
});

describe("PUT /data/dataviews/{dataViewId}", () => {
  it("updates only the fields sent and returns them", async () => {
    const created = await createDataView(emulator, connection.id, { externalData: { externalId: "ext-1" } });
    const res = await emulator.call<Record<string, unknown>>("PUT", `/data/dataviews/${created.id}`, {
      query: { expansion: "name,modified" },
      body: { sessionDefinition: [{ numPeriods: 15, granularity: "HOUR", func: "INACTIVITY", events: [] }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      name: "AJO data view",
      sessionDefinition: [{ numPeriods: 15, granularity: "hour", func: "inactivity", events: [] }],
      modifiedBy: `${emulator.options.clientId}@techacct.adobe.com`,
    });
    const read = await emulator.call<Record<string, unknown>>("GET", `/data/dataviews/${created.id}`, { query: { expansion: "description,externalData,timezoneDesignator" } });
    expect(read.body).toMatchObject({ description: "Journey Optimizer reporting", externalData: { externalId: "ext-1" }, timezoneDesignator: "US/Mountain" });
  });

  it("answers 404 for an unknown data view and for an unknown new parent", async () => {
    expect((await emulator.call("PUT", "/data/dataviews/dv_000000000000000000000000", { body: { name: "x" } })).status).toBe(404);
    const created = await createDataView(emulator, connection.id);
    const res = await emulator.call<CjaErrorBody>("PUT", `/data/dataviews/${created.id}`, { body: { parentDataGroupId: "dg_00000000-0000-0000-0000-000000000000" } });
    expect(res.status).toBe(404);
    expect(res.body.errorDescription).toBe("Unable to find parentDataGroup");
  });
});

describe("DELETE /data/dataviews/{dataViewId}", () => {
  it("deletes, after which the id is unknown", async () => {
    const created = await createDataView(emulator, connection.id);
    const res = await emulator.call("DELETE", `/data/dataviews/${created.id}`);
    expect(res).toMatchObject({ status: 200, body: { result: "success" } });
    expect((await emulator.call("GET", `/data/dataviews/${created.id}`)).status).toBe(404);
    expect((await emulator.call("DELETE", `/data/dataviews/${created.id}`)).status).toBe(404);
    expect((await emulator.call("GET", `/data/dataviews/${created.id}/metrics`)).status).toBe(404);
  });
});

describe("PUT /data/dataviews/copy/{dataViewId}", () => {
  it("copies the data view and its components under a new id", async () => {
    const source = await createDataView(emulator, connection.id, { externalData: { externalId: "ext-src" } });
    await putMetric(emulator, source.id, "sends", { name: "Sends", includeExcludeSetting: equalsRule("sent") });
    await putDimension(emulator, source.id, "channel", { name: "Channel" });

    const res = await emulator.call<DataViewDoc>("PUT", `/data/dataviews/copy/${source.id}`, { query: { expansion: "name,parentDataGroupId,sessionDefinition,externalData" } });
    expect(res.status).toBe(200);
    expect(res.body.id).not.toBe(source.id);
    expect(res.body).toMatchObject({ name: "AJO data view (Copy)", parentDataGroupId: connection.id, sessionDefinition: [{ granularity: "minute" }] });
    expect((res.body.externalData as Record<string, unknown>).externalId).toBeUndefined();

    const metric = await emulator.call<Record<string, unknown>>("GET", `/data/dataviews/${res.body.id}/metrics/sends`, { query: { expansion: "includeExcludeSetting" } });
    expect(metric.body).toEqual({ id: "metrics/sends", name: "Sends", includeExcludeSetting: equalsRule("sent") });
    const dims = await emulator.call<Page<{ id: string }>>("GET", `/data/dataviews/${res.body.id}/dimensions`);
    expect(dims.body.content.map((d) => d.id)).toEqual(["variables/channel"]);

    // The copy is independent of its source.
    await emulator.admin("DELETE", `${orgAdmin()}/dataviews/${source.id}/metrics/sends`);
    expect((await emulator.call("GET", `/data/dataviews/${res.body.id}/metrics/sends`)).status).toBe(200);
  });

  it("answers 404 for an unknown source", async () => {
    expect((await emulator.call("PUT", "/data/dataviews/copy/dv_000000000000000000000000")).status).toBe(404);
  });
});

describe("POST /data/dataviews/validate", () => {
  it("reports missing required fields in Adobe's words", async () => {
    const res = await emulator.call("POST", "/data/dataviews/validate", { body: dataViewBody(connection.id, { timezoneDesignator: undefined }) });
    expect(res).toMatchObject({ status: 200, body: { valid: false, message: "The following fields are required: [timezoneDesignator] " } });
  });

  it("accepts a complete body and rejects an unknown connection, storing nothing", async () => {
    const good = await emulator.call("POST", "/data/dataviews/validate", { body: dataViewBody(connection.id) });
    expect(good).toMatchObject({ status: 200, body: { valid: true, validator_version: expect.any(String) } });
    const bad = await emulator.call("POST", "/data/dataviews/validate", { body: dataViewBody("dg_00000000-0000-0000-0000-000000000000") });
    expect(bad.body).toMatchObject({ valid: false, message: "Unable to find parentDataGroup" });
    expect((await emulator.call<Page<unknown>>("GET", "/data/dataviews")).body.totalElements).toBe(0);
  });
});

describe("per-org isolation", () => {
  it("hides one org's data views from another", async () => {
    const created = await createDataView(emulator, connection.id);
    const otherOrg = "OTHERORG000000000000000@AdobeOrg";
    expect((await emulator.call<Page<unknown>>("GET", "/data/dataviews", { org: otherOrg })).body.totalElements).toBe(0);
    expect((await emulator.call("GET", `/data/dataviews/${created.id}`, { org: otherOrg })).status).toBe(404);
    expect((await emulator.call("DELETE", `/data/dataviews/${created.id}`, { org: otherOrg })).status).toBe(404);
    expect((await emulator.call("GET", `/data/dataviews/${created.id}`)).status).toBe(200);
  });
});
