/** cja:Connection, adopt and verify: found by id or name, its datasets checked, never written. */
import { randomUUID } from "crypto";
import { DriftError } from "../../provider/runtime/drift";
import type { TestEmulator } from "../helpers/emulator";
import {
  expectFailure,
  AJO_CONNECTION_ID,
  ajoConnection,
  captureStderr,
  declaredAjoDatasets,
  Engine,
  ENTITY_MATCHING_KEY,
  ORG_ADMIN,
  rejectionOf,
  requestLines,
  seedAjo,
  startProvider,
  startResourceEmulator,
  STEP_EVENTS_PERSON_ID,
  UNKNOWN,
  writes,
  type Props,
} from "./support";

let emu: TestEmulator;
const connections = new Engine("cja:Connection");

beforeAll(async () => {
  emu = await startResourceEmulator();
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.reset();
  await seedAjo(emu);
  startProvider(emu);
  await emu.clearRequests();
});

const byId = (overrides: Props = {}): Props => ({ connectionId: AJO_CONNECTION_ID, datasets: declaredAjoDatasets(), ...overrides });
const byName = (overrides: Props = {}): Props => ({ name: "AJO connection", datasets: declaredAjoDatasets(), ...overrides });

/** The person at the Adobe UI edits the connection: `edit` changes its datasets. */
async function editConnectionInUi(edit: (dataSets: Props[]) => Props[]): Promise<void> {
  const connection = ajoConnection();
  await emu.admin("PUT", `${ORG_ADMIN}/connections/${AJO_CONNECTION_ID}`, { ...connection, id: undefined, dataSets: edit(connection.dataSets as Props[]) });
}

function withDataSet(dataSets: Props[], name: string, change: Props): Props[] {
  return dataSets.map((ds) => (ds.name === name ? { ...ds, ...change } : ds));
}

async function adminConnection(): Promise<Props> {
  return emu.admin<Props>("GET", `${ORG_ADMIN}/connections/${AJO_CONNECTION_ID}`);
}

describe("Connection create (adopt)", () => {
  it("by connectionId: one read of the connection, every declared dataset verified and resolved", async () => {
    const conn = await connections.create(byId());

    expect(conn.id).toBe(AJO_CONNECTION_ID);
    expect(conn.outs).toMatchObject({ connectionId: AJO_CONNECTION_ID, name: "AJO connection" });
    expect(conn.outs.resolvedDatasets).toEqual([
      { datasetId: "ds_feedback", name: "AJO Message Feedback Event Dataset", type: "event", personIdField: "IdentityMap", timestampField: "timestamp" },
      { datasetId: "ds_email", name: "AJO Email Tracking Experience Event Dataset", type: "event", personIdField: "IdentityMap", timestampField: "timestamp" },
      { datasetId: "ds_push", name: "AJO Push Tracking Experience Event Dataset", type: "event", personIdField: "IdentityMap", timestampField: "timestamp" },
      { datasetId: "ds_steps", name: "Journey Step Events", type: "event", personIdField: STEP_EVENTS_PERSON_ID, timestampField: "timestamp" },
      { datasetId: "ds_entity", name: "AJO Entity Dataset", type: "lookup", key: "_id", matchingKey: ENTITY_MATCHING_KEY },
    ]);
    expect((conn.outs.datasetIds as Record<string, string>)["AJO Entity Dataset"]).toBe("ds_entity");
    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/"))).toEqual(["GET /data/connections/:connectionId 200"]);
  });

  it("by name: found in the org's connection list", async () => {
    const conn = await connections.create(byName());

    expect(conn.id).toBe(AJO_CONNECTION_ID);
    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/"))).toEqual(["GET /data/connections 200"]);
  });

  it("by a name no connection has, or one that two connections share, fails saying what to do", async () => {
    const missing = await rejectionOf(() => connections.create(byName({ name: "No such connection" })));
    expect(missing.message).toContain('no connection named "No such connection"');

    const twin = `dg_${randomUUID()}`;
    await emu.admin("PUT", `${ORG_ADMIN}/connections/${twin}`, { name: "AJO connection", dataSets: [] });
    const ambiguous = await rejectionOf(() => connections.create(byName()));
    expect(ambiguous.message).toContain("2 connections are named");
    expect(ambiguous.message).toContain(twin);
    expect(ambiguous.message).toContain("give connectionId");
  });

  it("a refresh right after create shows no diff, by id and by name", async () => {
    for (const inputs of [byId(), byName()]) {
      const conn = await connections.create(inputs);
      const refreshed = await connections.refresh(conn);
      expect(refreshed).toBeDefined();
      expect(await connections.preview(refreshed!, inputs)).toMatchObject({ changes: false, replaces: [] });
    }
    expect(await writes(emu)).toEqual([]);
  });
});

describe("Connection update", () => {
  it("verifies the newly declared settings against the live connection and writes nothing", async () => {
    const conn = await connections.create({ connectionId: AJO_CONNECTION_ID });
    const stricter = byId();

    expect(await connections.preview(conn, stricter)).toMatchObject({ changes: true, replaces: [] });
    const before = await adminConnection();
    const updated = await connections.update(conn, stricter);

    expect((updated.outs.resolvedDatasets as Props[]).map((d) => d.datasetId)).toEqual(["ds_feedback", "ds_email", "ds_push", "ds_steps", "ds_entity"]);
    expect(await writes(emu)).toEqual([]);
    const after = await adminConnection();
    expect(after).toEqual(before);
    const entity = (after.dataSets as Props[]).find((d) => d.name === "AJO Entity Dataset");
    expect(entity).toMatchObject({ type: "lookup", lookupKeyField: "_id", lookupParentFields: [ENTITY_MATCHING_KEY] });
  });

  it("a different connection replaces the resource", async () => {
    const conn = await connections.create(byId());
    const other = `dg_${randomUUID()}`;

    expect(await connections.preview(conn, byId({ connectionId: other }))).toMatchObject({ changes: true, replaces: ["connectionId"] });
  });
});

describe("Connection drift", () => {
  beforeEach(async () => {
    await editConnectionInUi((dataSets) =>
      withDataSet(withDataSet(dataSets, "AJO Entity Dataset", { lookupKeyField: "entityId" }), "Journey Step Events", { visitorId: "_experience.other.profileID" }),
    );
  });

  it("refresh reports the changed dataset settings as a diff", async () => {
    const conn = await captureStderr(() => connections.create(byId({ onDrift: "warn" })));
    const refreshed = await connections.refresh(conn.result);

    const live = refreshed!.outs.datasets as Props[];
    expect(live.find((d) => d.name === "AJO Entity Dataset")).toMatchObject({ key: "entityId", matchingKey: ENTITY_MATCHING_KEY });
    expect(live.find((d) => d.name === "Journey Step Events")).toMatchObject({ personIdField: "_experience.other.profileID" });
    expect(await connections.preview(refreshed!, byId({ onDrift: "warn" }))).toMatchObject({ changes: true, replaces: [] });
  });

  it('onDrift "fail": up stops with every differing setting, its declared and live values and the fix in CJA', async () => {
    const conn = await captureStderr(() => connections.create(byId({ onDrift: "warn" })));
    const refreshed = await connections.refresh(conn.result);

    const error = await rejectionOf(() => connections.update(refreshed!, byId()));

    expect(error).toBeInstanceOf(DriftError);
    expect((error as DriftError).differences.map((d) => d.setting)).toEqual([
      'datasets["Journey Step Events"].personIdField',
      'datasets["AJO Entity Dataset"].key',
    ]);
    expect(error.message).toContain(`datasets["Journey Step Events"].personIdField: declared "${STEP_EVENTS_PERSON_ID}", live "_experience.other.profileID"`);
    expect(error.message).toContain('datasets["AJO Entity Dataset"].key: declared "_id", live "entityId"');
    expect(error.message).toContain('Data management > Connections > "AJO connection" > Edit connection, select the dataset "AJO Entity Dataset" and set Key to _id');
    expect(error.message).toContain('onDrift: "warn"');
    expect(await writes(emu)).toEqual([]);
  });

  it("create with drift fails the same way, so a new stack never adopts a connection that differs", async () => {
    const error = await rejectionOf(() => connections.create(byId()));

    expect(error).toBeInstanceOf(DriftError);
    expect((error as DriftError).differences).toHaveLength(2);
  });

  it('onDrift "warn": up succeeds and the provider log lists the same differences', async () => {
    const { result, stderr } = await captureStderr(() => connections.create(byId({ onDrift: "warn" })));

    expect(result.id).toBe(AJO_CONNECTION_ID);
    expect(stderr).toContain("warning:");
    expect(stderr).toContain('Connection "AJO connection"');
    expect(stderr).toContain('datasets["AJO Entity Dataset"].key: declared "_id", live "entityId"');
    expect(stderr).toContain('datasets["Journey Step Events"].personIdField');

    const refreshed = await connections.refresh(result);
    const updated = await captureStderr(() => connections.update(refreshed!, byId({ onDrift: "warn" })));
    expect(updated.stderr).toContain('datasets["AJO Entity Dataset"].key');
  });

  it("a declared dataset removed from the connection is drift that says to add it", async () => {
    await editConnectionInUi((dataSets) => dataSets.filter((ds) => ds.name !== "AJO Entity Dataset"));

    const error = await rejectionOf(() => connections.create(byId()));

    expect(error.message).toContain('datasets["AJO Entity Dataset"]: declared "AJO Entity Dataset", live (not set)');
    expect(error.message).toContain("add the dataset");
  });

  it("once the person fixes the connection in the UI, refresh and preview show no change", async () => {
    const conn = await captureStderr(() => connections.create(byId({ onDrift: "warn" })));
    await editConnectionInUi((dataSets) => dataSets);

    const refreshed = await connections.refresh(conn.result);
    expect(await connections.preview(refreshed!, byId({ onDrift: "warn" }))).toMatchObject({ changes: false });
  });
});

describe("Connection delete", () => {
  it("releases the connection from the stack without any request: Adobe's connection is untouched", async () => {
    const conn = await connections.create(byId());
    const before = await adminConnection();
    await emu.clearRequests();

    await connections.destroy(conn);

    expect(await requestLines(emu)).toEqual([]);
    expect(await adminConnection()).toEqual(before);
  });

  it("a connection deleted in the UI reads as gone (id \"\")", async () => {
    const conn = await connections.create(byId());
    await emu.admin("DELETE", `${ORG_ADMIN}/connections/${AJO_CONNECTION_ID}`);

    expect(await connections.handler.read(conn.id, conn.outs)).toEqual({ id: "" });
  });
});

describe("Connection check", () => {
  const datasets = declaredAjoDatasets();
  const replaceAt = (index: number, ds: Props) => datasets.map((d, i) => (i === index ? ds : d));
  const cases: Array<[string, Props, string, RegExp]> = [
    ["a wrong dataset type", byId({ datasets: replaceAt(4, { ...datasets[4], type: "record" }) }), "datasets", /^datasets\[4\]\.type: /],
    ["the same dataset twice", byId({ datasets: [...datasets, datasets[1]] }), "datasets", /^datasets\[5\]: declares the same dataset as datasets\[1\]/],
    ["a lookup dataset without its key", byId({ datasets: replaceAt(4, { name: "AJO Entity Dataset", type: "lookup", matchingKey: ENTITY_MATCHING_KEY }) }), "datasets", /^datasets\[4\]\.key: a lookup dataset needs its key field/],
    ["a key on an event dataset", byId({ datasets: replaceAt(0, { ...datasets[0], key: "_id" }) }), "datasets", /^datasets\[0\]\.key: only lookup datasets/],
    ["a dataset with neither id nor name", byId({ datasets: replaceAt(1, { type: "event" }) }), "datasets", /^datasets\[1\]\.datasetId: give exactly one of datasetId or name/],
    ["both connectionId and name", byId({ name: "AJO connection" }), "connectionId", /give exactly one of connectionId or name/],
    ["neither connectionId nor name", { datasets }, "connectionId", /give exactly one of connectionId or name/],
    ["an empty connectionId", byId({ connectionId: "" }), "connectionId", /connectionId: must not be empty/],
    ["an empty dataset name", byId({ datasets: replaceAt(2, { ...datasets[2], name: " " }) }), "datasets", /^datasets\[2\]\.name: must not be empty/],
    ["an unknown onDrift", byId({ onDrift: "ignore" }), "onDrift", /onDrift/],
  ];

  it.each(cases)("rejects %s, naming the field, and sends nothing to Adobe", async (_what, inputs, property, reason) => {
    const result = await connections.check(inputs);

    expectFailure(result.failures, property, reason);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("Connection preview with unknown values", () => {
  it("check accepts an unknown connectionId or dataset name", async () => {
    for (const inputs of [byId({ connectionId: UNKNOWN }), byId({ datasets: [{ name: UNKNOWN, type: "event" }] })]) {
      const result = await connections.check(inputs);
      expect(result.failures ?? []).toEqual([]);
    }
    expect(await requestLines(emu)).toEqual([]);
  });

  it("diff with an unknown input reports a change", async () => {
    const conn = await connections.create(byId());

    expect(await connections.preview(conn, byId({ connectionId: UNKNOWN }))).toMatchObject({ changes: true, replaces: ["connectionId"] });
    expect(await connections.preview(conn, byId({ datasets: [{ name: UNKNOWN, type: "event" }] }))).toMatchObject({ changes: true, replaces: [] });
  });
});
