/** cja:DataView, managed: created, updated in place, deleted; idempotent creates; drift by refresh. */
import { randomUUID } from "crypto";
import { TEST_ORG, type TestEmulator } from "../helpers/emulator";
import {
  expectFailure,
  AJO_CONNECTION_ID,
  AJO_DIMENSIONS,
  AJO_METRICS,
  captureStderr,
  CheckFailed,
  countOf,
  Engine,
  ORG_ADMIN,
  rejectionOf,
  newRun,
  requestLines,
  seedAjo,
  startProvider,
  startResourceEmulator,
  TEMPLATE_DATA_VIEW_ID,
  UNKNOWN,
  writes,
  type AjoSeed,
  untilAnswered,
  type Props,
} from "./support";

let emu: TestEmulator;
let seed: AjoSeed;
const dataViews = new Engine("cja:DataView");

beforeAll(async () => {
  emu = await startResourceEmulator();
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.reset();
  seed = await seedAjo(emu);
  startProvider(emu);
  await emu.clearRequests();
});

function declared(overrides: Props = {}): Props {
  return {
    name: "AJO reporting",
    description: "Journey Optimizer reporting",
    connectionId: AJO_CONNECTION_ID,
    timezone: "US/Mountain",
    sessionDefinition: [{ numPeriods: 30, granularity: "MINUTE", func: "INACTIVITY" }],
    containerNames: { event: "Event", session: "Session", people: "Person" },
    ...overrides,
  };
}

const EXPANSION = "name,description,parentDataGroupId,timezoneDesignator,sessionDefinition,containerNames,externalData";

/** The data view as Adobe's public API returns it. */
async function liveDataView(id: string) {
  return emu.call<Props>("GET", `/data/dataviews/${id}`, { query: { expansion: EXPANSION } });
}

/** Every data view of the org with its name and external id. */
async function allDataViews(): Promise<Array<{ id: string; name: string; externalData?: { externalId?: string } }>> {
  const res = await emu.call<{ content: Array<{ id: string; name: string; externalData?: { externalId?: string } }> }>("GET", "/data/dataviews", {
    query: { expansion: "name,externalData", limit: "100" },
  });
  expect(res.status).toBe(200);
  return res.body.content;
}

describe("DataView create", () => {
  it("validates, then creates one data view with every declared setting, stamped with the stack's external id", async () => {
    const dv = await dataViews.create(declared());
    const lines = await requestLines(emu);

    expect(dv.id).toMatch(/^dv_/);
    expect(dv.outs).toMatchObject({ ...declared(), dataViewId: dv.id });
    expect(dv.outs.externalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(JSON.stringify(dv.outs))).toEqual(dv.outs);

    const live = await liveDataView(dv.id);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({
      name: "AJO reporting",
      description: "Journey Optimizer reporting",
      parentDataGroupId: seed.connectionId,
      timezoneDesignator: "US/Mountain",
      sessionDefinition: [{ numPeriods: 30, granularity: "minute", func: "inactivity" }],
      containerNames: { event: "Event", session: "Session", people: "Person" },
      externalData: { externalId: dv.outs.externalId },
    });
    expect(lines.filter((l) => !l.includes("/ims/"))).toEqual(["POST /data/dataviews/validate 200", "POST /data/dataviews 200"]);
  });

  it("a refresh right after create reads the data view once and shows no diff", async () => {
    const dv = await dataViews.create(declared());
    await emu.clearRequests();

    const refreshed = await dataViews.refresh(dv);

    expect(refreshed).toBeDefined();
    expect(refreshed!.outs).toMatchObject({ name: "AJO reporting", timezone: "US/Mountain", dataViewId: dv.id, externalId: dv.outs.externalId });
    expect(await dataViews.preview(refreshed!, declared())).toMatchObject({ changes: false, replaces: [] });
    expect(await dataViews.preview(dv, declared())).toMatchObject({ changes: false });
    expect(await requestLines(emu)).toEqual([`GET /data/dataviews 200`]); // the connection's data views, one list
  });

  it("copyFrom clones a data view configured in the UI with all its components, then applies the declared settings", async () => {
    const dv = await dataViews.create(declared({ name: "AJO copy", copyFrom: seed.dataViewId }));

    const doc = await emu.admin<{ dataView: Props; dimensions: Props[]; metrics: Props[] }>("GET", `${ORG_ADMIN}/dataviews/${dv.id}`);
    expect(doc.dataView).toMatchObject({ name: "AJO copy", parentDataGroupId: seed.connectionId, externalData: { externalId: dv.outs.externalId } });
    expect(doc.dimensions.map((d) => d.id).sort()).toEqual(AJO_DIMENSIONS.map((d) => d.componentId).sort());
    expect(doc.metrics.map((m) => m.id).sort()).toEqual(AJO_METRICS.map((m) => m.componentId).sort());
    expect(await countOf(emu, "PUT", "/data/dataviews/copy/:dataViewId")).toBe(1);
    expect(await countOf(emu, "POST", "/data/dataviews")).toBe(0);

    const refreshed = await dataViews.refresh(dv);
    expect(await dataViews.preview(refreshed!, declared({ name: "AJO copy", copyFrom: seed.dataViewId }))).toMatchObject({ changes: false });
  });
});

describe("DataView update", () => {
  it("changes name, description, time zone, session and container names in place; Adobe then has what was declared", async () => {
    const dv = await dataViews.create(declared());
    const changed = declared({
      name: "AJO reporting (EU)",
      description: "Moved to London time",
      timezone: "Europe/London",
      sessionDefinition: [{ numPeriods: 1, granularity: "HOUR", func: "INACTIVITY" }],
      containerNames: { event: "Hit", session: "Visit", people: "Visitor" },
    });

    expect(await dataViews.preview(dv, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await emu.clearRequests();
    const updated = await dataViews.update(dv, changed);

    expect(updated.outs).toMatchObject({ ...changed, dataViewId: dv.id, externalId: dv.outs.externalId });
    expect(await writes(emu)).toEqual(["PUT /data/dataviews/:dataViewId 200"]);
    const live = await liveDataView(dv.id);
    expect(live.body).toMatchObject({
      name: "AJO reporting (EU)",
      description: "Moved to London time",
      timezoneDesignator: "Europe/London",
      sessionDefinition: [{ numPeriods: 1, granularity: "hour", func: "inactivity" }],
      containerNames: { event: "Hit", session: "Visit", people: "Visitor" },
      parentDataGroupId: seed.connectionId,
    });

    const refreshed = await dataViews.refresh(updated);
    expect(await dataViews.preview(refreshed!, changed)).toMatchObject({ changes: false });
  });

  it("a new connectionId (or copyFrom) replaces the data view instead of updating it, the old one deleted first (the new one carries the same key)", async () => {
    const dv = await dataViews.create(declared());
    const other = `dg_${randomUUID()}`;
    await emu.admin("PUT", `${ORG_ADMIN}/connections/${other}`, { name: "Another connection", dataSets: [] });

    expect(await dataViews.preview(dv, declared({ connectionId: other }))).toEqual({ changes: true, replaces: ["connectionId"], deleteBeforeReplace: true });
    expect(await dataViews.preview(dv, declared({ copyFrom: seed.dataViewId }))).toMatchObject({ changes: true, replaces: ["copyFrom"] });
  });

  it("declaring the session in Adobe's lower case or without events is no change", async () => {
    const dv = await dataViews.create(declared());
    const refreshed = await dataViews.refresh(dv);

    const lowerCase = declared({ sessionDefinition: [{ numPeriods: 30, granularity: "minute", func: "inactivity", events: [] }] });
    expect(await dataViews.preview(refreshed!, lowerCase)).toMatchObject({ changes: false });
  });
});

describe("DataView drift", () => {
  it("a rename in the Adobe UI shows as a change of name only, and up puts the declared name back", async () => {
    const dv = await dataViews.create(declared());
    const rename = await emu.call("PUT", `/data/dataviews/${dv.id}`, { body: { name: "Renamed by hand" } });
    expect(rename.status).toBe(200);

    const refreshed = await dataViews.refresh(dv);
    expect(refreshed!.outs.name).toBe("Renamed by hand");
    expect(refreshed!.inputs.name).toBe("Renamed by hand");
    expect(await dataViews.preview(refreshed!, declared())).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    await emu.clearRequests();
    const fixed = await dataViews.update(refreshed!, declared());
    expect(fixed.outs.name).toBe("AJO reporting");
    expect((await liveDataView(dv.id)).body).toMatchObject({ name: "AJO reporting", timezoneDesignator: "US/Mountain" });
    expect(await writes(emu)).toEqual(["PUT /data/dataviews/:dataViewId 200"]);
  });

  it("settings the stack does not declare are Adobe's: changing them by hand is no drift", async () => {
    const dv = await dataViews.create({ name: "Minimal", connectionId: seed.connectionId, timezone: "US/Mountain" });
    await emu.call("PUT", `/data/dataviews/${dv.id}`, { body: { description: "Set in the UI", containerNames: { event: "Hit", session: "Visit", people: "Visitor" } } });

    const refreshed = await dataViews.refresh(dv);
    expect(await dataViews.preview(refreshed!, { name: "Minimal", connectionId: seed.connectionId, timezone: "US/Mountain" })).toMatchObject({ changes: false });
  });
});

describe("DataView refresh of several data views", () => {
  it("reads them all with one list by id; one deleted in Adobe is read by id, answers 404 and is gone", async () => {
    const made = [];
    for (const name of ["One", "Two", "Three"]) made.push(await dataViews.create(declared({ name })));
    newRun();
    await emu.clearRequests();

    const refreshed = await Promise.all(made.map((dv) => dataViews.refresh(dv)));

    expect(refreshed.map((r) => r?.outs.name)).toEqual(["One", "Two", "Three"]);
    expect(await requestLines(emu)).toEqual(["GET /data/dataviews 200"]);

    expect((await emu.call("DELETE", `/data/dataviews/${made[1].id}`)).status).toBe(200);
    newRun();
    await emu.clearRequests();
    const again = await Promise.all(made.map((dv) => dataViews.refresh(dv)));

    expect(again.map((r) => r?.outs.name)).toEqual(["One", undefined, "Three"]);
    expect(await requestLines(emu)).toEqual(["GET /data/dataviews 200", "GET /data/dataviews/:dataViewId 404"]);
  });
});

describe("DataView refresh, one resource at a time", () => {
  it("the data views of one connection read one after the other (an engine that reads one resource at a time) are still one list", async () => {
    const made = [];
    for (const name of ["One", "Two", "Three"]) made.push(await dataViews.create(declared({ name })));
    newRun();
    await emu.clearRequests();

    for (const dv of made) expect((await dataViews.refresh(dv))?.outs.name).toBe(dv.outs.name);

    expect(await requestLines(emu)).toEqual(["GET /data/dataviews 200"]);
  });
});

describe("DataView delete", () => {
  it("deletes the data view; a refresh then finds it gone and deleting it again succeeds", async () => {
    const dv = await dataViews.create(declared());

    await dataViews.destroy(dv);

    expect((await liveDataView(dv.id)).status).toBe(404);
    expect(await dataViews.refresh(dv)).toBeUndefined();
    await expect(dataViews.destroy(dv)).resolves.toBeUndefined();
    const lines = await requestLines(emu);
    expect(lines.filter((l) => l.startsWith("DELETE"))).toEqual(["DELETE /data/dataviews/:dataViewId 200", "DELETE /data/dataviews/:dataViewId 404"]);
  });

  it("a data view deleted in the UI reads as gone (id \"\")", async () => {
    const dv = await dataViews.create(declared());
    expect((await emu.call("DELETE", `/data/dataviews/${dv.id}`)).status).toBe(200);

    const result = await dataViews.handler.read(dv.id, dv.outs);
    expect(result).toEqual({ id: "" });
  });
});

describe("DataView copy that cannot be set up", () => {
  it("deletes the copy when stamping it fails, so no unstamped copy is left for the next run to duplicate", async () => {
    startProvider(emu, { "adobe:maxRetries": "1" });
    await emu.setFaults({ script: [{ match: { method: "PUT", route: "/data/dataviews/:dataViewId" }, times: 2, action: { status: 503 } }] });

    const error = await rejectionOf(() => dataViews.create(declared({ name: "AJO copy", copyFrom: seed.dataViewId })));
    await emu.setFaults({});

    expect(error.message).toMatch(/PUT \/data\/dataviews\/dv_\w+ failed: 503/);
    expect(await countOf(emu, "PUT", "/data/dataviews/copy/:dataViewId")).toBe(1);
    expect(await countOf(emu, "DELETE", "/data/dataviews/:dataViewId")).toBe(1);
    expect((await allDataViews()).map((d) => d.id)).toEqual([seed.dataViewId]);
  });

  it("names the copy to delete by hand when deleting it fails too", async () => {
    startProvider(emu, { "adobe:maxRetries": "0" });
    await emu.setFaults({
      script: [
        { match: { method: "PUT", route: "/data/dataviews/:dataViewId" }, times: 1, action: { status: 503 } },
        { match: { method: "DELETE", route: "/data/dataviews/:dataViewId" }, times: 1, action: { status: 503 } },
      ],
    });

    const error = await rejectionOf(() => dataViews.create(declared({ name: "AJO copy", copyFrom: seed.dataViewId })));
    await emu.setFaults({});

    const left = (await allDataViews()).filter((d) => d.id !== seed.dataViewId);
    expect(left).toHaveLength(1);
    expect(error.message).toContain(`Delete data view ${left[0].id} in the Data View Manager`);
  });
});

describe("DataView copy whose answer was lost", () => {
  it("a copy Adobe made whose answer was lost is the one new unstamped copy: it is stamped, not copied again", async () => {
    await emu.setFaults({ script: [{ match: { method: "PUT", route: "/data/dataviews/copy/:dataViewId" }, times: 1, action: { dropAfter: true } }] });

    const dv = await dataViews.create(declared({ name: "AJO copy", copyFrom: seed.dataViewId }));

    const all = await allDataViews();
    expect(all.map((d) => d.id).sort()).toEqual([dv.id, seed.dataViewId].sort());
    expect(all.find((d) => d.id === dv.id)).toMatchObject({ name: "AJO copy", externalData: { externalId: dv.outs.externalId } });
    expect(await countOf(emu, "PUT", "/data/dataviews/copy/:dataViewId")).toBe(1);
  });

  it("an unstamped copy that was there before (a person's) is never taken for this stack's", async () => {
    const persons = await emu.call<{ id: string }>("PUT", `/data/dataviews/copy/${seed.dataViewId}`);
    expect(persons.status).toBe(200);
    await emu.setFaults({ script: [{ match: { method: "PUT", route: "/data/dataviews/copy/:dataViewId" }, times: 1, action: { dropAfter: true } }] });

    const dv = await dataViews.create(declared({ name: "AJO copy", copyFrom: seed.dataViewId }));

    expect(dv.id).not.toBe(persons.body.id);
    const untouched = (await allDataViews()).find((d) => d.id === persons.body.id);
    expect(untouched?.externalData?.externalId).toBeFalsy();
  });
});

describe("DataView ownership key: a create run again after a crash adopts instead of duplicating", () => {
  const OWNER = { __owner: "organization/ajo-cja/dev/cja:DataView/ajo" };

  it("derives the external id from the org and the declared resource, the same on every run and different per stack", async () => {
    const first = await dataViews.create(declared(OWNER));
    const other = await dataViews.create(declared({ __owner: "organization/ajo-cja/prod/cja:DataView/ajo" }));

    expect(first.outs.externalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(other.id).not.toBe(first.id);
    expect(other.outs.externalId).not.toBe(first.outs.externalId);
  });

  it("a fresh data view made by a run whose state was lost is found by its key and given the declared settings: no second POST", async () => {
    const first = await dataViews.create(declared(OWNER));
    await emu.clearRequests();

    const again = await dataViews.create(declared({ ...OWNER, description: "declared since" }));

    expect(again.id).toBe(first.id);
    expect(again.outs.externalId).toBe(first.outs.externalId);
    expect(await writes(emu)).toEqual(["PUT /data/dataviews/:dataViewId 200"]);
    expect((await liveDataView(first.id)).body).toMatchObject({ description: "declared since" });
    expect((await allDataViews()).filter((d) => d.name === "AJO reporting")).toHaveLength(1);
  });

  it("a stamped copy made by a run whose state was lost is adopted: the template is copied once", async () => {
    const first = await dataViews.create(declared({ ...OWNER, name: "AJO copy", copyFrom: seed.dataViewId }));
    newRun();
    await emu.clearRequests();

    const again = await dataViews.create(declared({ ...OWNER, name: "AJO copy", copyFrom: seed.dataViewId }));

    expect(again.id).toBe(first.id);
    expect(await countOf(emu, "PUT", "/data/dataviews/copy/:dataViewId")).toBe(0);
    expect((await allDataViews()).map((d) => d.id).sort()).toEqual([first.id, seed.dataViewId].sort());
  });

  it("two data views carrying the key (two runs of one stack at once) are not chosen between: the error names both", async () => {
    const first = await dataViews.create(declared(OWNER));
    const twin = await emu.call<{ id: string }>("POST", "/data/dataviews", {
      body: { name: "AJO reporting", parentDataGroupId: AJO_CONNECTION_ID, timezoneDesignator: "US/Mountain", organization: TEST_ORG, externalData: { externalId: first.outs.externalId } },
    });
    expect(twin.status).toBe(200);
    await emu.clearRequests();

    const error = await rejectionOf(() => dataViews.create(declared(OWNER)));

    expect(error.message).toContain(`2 data views carry this resource's ownership key ${first.outs.externalId} (`);
    expect(error.message).toContain(first.id);
    expect(error.message).toContain(twin.body.id);
    expect(await writes(emu)).toEqual([]);
  });

  it("a data view carrying the key on another connection is not adopted: the error names it", async () => {
    const first = await dataViews.create(declared(OWNER));
    const otherConnection = `dg_${randomUUID()}`;
    const error = await rejectionOf(() => dataViews.handler.create({ ...declared({ ...OWNER, connectionId: otherConnection }), __provider: "p" }));
    expect(error.message).toContain(`data view ${first.id} ("AJO reporting") carries this resource's external id ${first.outs.externalId} but reports on connection ${AJO_CONNECTION_ID}, not on the declared connectionId ${otherConnection}`);
  });
});

describe("DataView idempotent create", () => {
  it("a POST dropped before Adobe acted is repeated after the lookup by external id finds nothing: one data view", async () => {
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/data/dataviews" }, times: 1, action: { drop: true } }] });

    const dv = await dataViews.create(declared());
    const lines = await requestLines(emu);

    const matching = (await allDataViews()).filter((d) => d.name === "AJO reporting");
    expect(matching.map((d) => d.id)).toEqual([dv.id]);
    expect(matching[0].externalData?.externalId).toBe(dv.outs.externalId);
    const posts = lines.filter((l) => l.startsWith("POST /data/dataviews ") || l.startsWith("GET /data/dataviews "));
    expect(posts).toEqual(["POST /data/dataviews 0", "GET /data/dataviews 200", "POST /data/dataviews 200"]);
  });

  it("a POST Adobe carried out but whose answer was lost is not repeated: the lookup by external id finds the data view", async () => {
    // The POST is answered only after the client gave up waiting (but Adobe still creates the data
    // view); the lookup's first attempt also times out, so its retry lands after the create.
    startProvider(emu, { "adobe:requestTimeoutMs": "400" });
    await emu.setFaults({
      script: [
        { match: { method: "POST", route: "/data/dataviews" }, times: 1, action: { delayMs: 600 } },
        { match: { method: "GET", route: "/data/dataviews" }, times: 1, action: { delayMs: 700 } },
      ],
    });

    const dv = await dataViews.create(declared());
    await untilAnswered(emu, "GET", "/data/dataviews", 2);
    const lines = await requestLines(emu);

    expect(lines.filter((l) => l.startsWith("POST /data/dataviews ") || l.startsWith("GET /data/dataviews "))).toEqual([
      "POST /data/dataviews 200",
      "GET /data/dataviews 200",
      "GET /data/dataviews 200",
    ]);
    const matching = (await allDataViews()).filter((d) => d.name === "AJO reporting");
    expect(matching.map((d) => d.id)).toEqual([dv.id]);
    expect(matching[0].externalData?.externalId).toBe(dv.outs.externalId);
  });

});

describe("DataView errors from Adobe", () => {
  it("a time zone that is not an IANA zone is refused in check, before any request", async () => {
    const error = await rejectionOf(() => dataViews.create(declared({ timezone: "Mars/Olympus_Mons" })));

    expect(error.message).toContain("timezone: is not an IANA time zone (e.g. US/Mountain, Europe/London, UTC)");
    expect(await requestLines(emu)).toEqual([]);
  });

  it("an update Adobe refuses fails with Adobe's error code and message, and leaves the data view as it was", async () => {
    const dv = await dataViews.create(declared());

    await emu.setFaults({
      script: [{ match: { method: "PUT", route: "/data/dataviews/:dataViewId" }, times: 1, action: { status: 400, body: { errorCode: "invalid_parameters", errorDescription: "Invalid timezoneDesignator: Mars/Olympus_Mons", errorId: "e1" } } }],
    });
    const error = await rejectionOf(() => dataViews.update(dv, declared({ name: "Renamed" })));

    expect(error.message).toContain("400 invalid_parameters: Invalid timezoneDesignator: Mars/Olympus_Mons");
    expect((await liveDataView(dv.id)).body).toMatchObject({ name: "AJO reporting", timezoneDesignator: "US/Mountain" });
  });

  it("a create that Adobe rejects in validation writes nothing", async () => {
    const missing = `dg_${randomUUID()}`;
    const error = await rejectionOf(() => dataViews.create(declared({ connectionId: missing })));

    expect(error.message).toContain("Unable to find parentDataGroup");
    expect(await countOf(emu, "POST", "/data/dataviews")).toBe(0);
    expect(await allDataViews()).toHaveLength(1);
  });
});

describe("DataView check", () => {
  const cases: Array<[string, Props, string, RegExp]> = [
    ["an empty name", declared({ name: "" }), "name", /name: must not be empty/],
    ["a blank name", declared({ name: "   " }), "name", /name: must not be empty/],
    ["an empty time zone", declared({ timezone: "" }), "timezone", /timezone: must not be empty/],
    ["an unknown time zone", declared({ timezone: "US/Atlantis" }), "timezone", /^timezone: is not an IANA time zone/],
    ["a name of 256 characters", declared({ name: "n".repeat(256) }), "name", /^name: must be at most 255 characters$/],
    ["a name with a line break", declared({ name: "AJO\nreporting" }), "name", /^name: must not contain control characters/],
    ["no connectionId", { name: "AJO", timezone: "US/Mountain" }, "connectionId", /connectionId/],
    ["an unknown session unit", declared({ sessionDefinition: [{ numPeriods: 30, granularity: "FORTNIGHT", func: "INACTIVITY" }] }), "sessionDefinition", /sessionDefinition\[0\]\.granularity/],
    ["a session of zero minutes", declared({ sessionDefinition: [{ numPeriods: 0, granularity: "MINUTE", func: "INACTIVITY" }] }), "sessionDefinition", /sessionDefinition\[0\]\.numPeriods/],
    ["requiredComponents without copyFrom", declared({ requiredComponents: ["metrics/sends"] }), "requiredComponents", /^requiredComponents: needs copyFrom/],
    ["a required component that is no component id", declared({ copyFrom: "dv_template", requiredComponents: ["sends"] }), "requiredComponents", /^requiredComponents\[0\]: "sends" is not a component id/],
  ];

  it.each(cases)("rejects %s, naming the field, and sends nothing to Adobe", async (_what, inputs, property, reason) => {
    const result = await dataViews.check(inputs);

    expectFailure(result.failures, property, reason);
    expect(await requestLines(emu)).toEqual([]);
  });

  it("rejects a misspelt input by name", async () => {
    const { connectionId, ...rest } = declared();
    const result = await dataViews.check({ ...rest, connection: connectionId });

    expect(result.failures).toEqual(expect.arrayContaining([{ property: "connection", reason: expect.stringMatching(/^is not an input of cja:DataView; its inputs are name, description, connectionId, /) }]));
    expect(await requestLines(emu)).toEqual([]);
  });

  it("create refuses inputs that did not pass check", async () => {
    await expect(dataViews.create(declared({ name: "" }))).rejects.toBeInstanceOf(CheckFailed);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("DataView preview with unknown values", () => {
  it("check accepts an unknown connectionId and keeps it", async () => {
    const result = await dataViews.check(declared({ connectionId: UNKNOWN }));

    expect(result.failures ?? []).toEqual([]);
    expect(result.inputs.connectionId).toBe(UNKNOWN);
  });

  it("diff with an unknown input reports a change (and a replacement for connectionId)", async () => {
    const dv = await dataViews.create(declared());

    expect(await dataViews.preview(dv, declared({ name: UNKNOWN }))).toMatchObject({ changes: true, replaces: [] });
    expect(await dataViews.preview(dv, declared({ connectionId: UNKNOWN }))).toMatchObject({ changes: true, replaces: ["connectionId"] });
  });
});

describe("DataView adoption in place (adoptId)", () => {
  const UI_VIEW = TEMPLATE_DATA_VIEW_ID;
  const adopting = (overrides: Props = {}) => declared({ adoptId: UI_VIEW, sessionDefinition: undefined, containerNames: undefined, ...overrides });

  it("the preview lists what adopting changes and writes nothing; up keeps the id and the UI's external id, writing the declared settings once", async () => {
    const { result: checked, stderr } = await captureStderr(() => dataViews.check(adopting()));
    expect(checked.failures ?? []).toEqual([]);
    expect(stderr).toContain(`DataView AJO reporting: adopting ${UI_VIEW} ("AJO template") changes name: "AJO template" → "AJO reporting"; description: "Configured in the Data View Manager" → "Journey Optimizer reporting".`);
    expect(await writes(emu)).toEqual([]);

    const adopted = await dataViews.create(adopting());
    expect(adopted.id).toBe(UI_VIEW);
    expect(adopted.outs).toMatchObject({ dataViewId: UI_VIEW, adoptId: UI_VIEW, externalId: "" });
    expect(await writes(emu)).toEqual(["PUT /data/dataviews/:dataViewId 200"]);
    expect((await liveDataView(UI_VIEW)).body).toMatchObject({ id: UI_VIEW, name: "AJO reporting", description: "Journey Optimizer reporting" });

    const refreshed = await dataViews.refresh(adopted);
    expect(await dataViews.preview(refreshed!, adopting())).toMatchObject({ changes: false });
  });

  it("a rerun after a crash adopts the same data view again, writing nothing when it already matches", async () => {
    await dataViews.create(adopting());
    await emu.clearRequests();
    const again = await dataViews.create(adopting());
    expect(again.id).toBe(UI_VIEW);
    expect(await writes(emu)).toEqual([]);
  });

  it("destroy releases an adopted data view and keeps it in Adobe; deleteOnDestroy: true deletes it", async () => {
    const adopted = await dataViews.create(adopting());
    const { stderr } = await captureStderr(() => dataViews.destroy(adopted));
    expect(stderr).toContain(`${UI_VIEW} was adopted, so it is released from the stack and kept in Adobe`);
    expect((await liveDataView(UI_VIEW)).status).toBe(200);

    const deleting = await dataViews.create(adopting({ deleteOnDestroy: true }));
    await dataViews.destroy(deleting);
    expect((await liveDataView(UI_VIEW)).status).toBe(404);
  });

  it.each<[string, Props, RegExp]>([
    ["a data view that does not exist", { adoptId: "dv_000000000000000000000000" }, /^adoptId: no data view dv_000000000000000000000000 in IMS org .* that this credential can see/],
    ["one on another connection", { connectionId: "dg_00000000-0000-4000-8000-000000000000" }, /^adoptId: .*reports on connection dg_6f1c2a3b-.*, not on the declared connectionId dg_00000000-/],
    ["adoptId with copyFrom", { copyFrom: UI_VIEW }, /^adoptId: takes over an existing data view, and copyFrom makes a new one: give one of them$/],
  ])("check refuses %s, naming adoptId, and writes nothing", async (_case, overrides, reason) => {
    const result = await dataViews.check(adopting(overrides));
    expectFailure(result.failures, "adoptId", reason);
    expect(await writes(emu)).toEqual([]);
  });
});
