/** cja:Connection, a lookup: read in every preview and up, found by id or name, its datasets checked, never written. */
import { randomUUID } from "crypto";
import { DriftError } from "../../provider/runtime/drift";
import { InputError } from "../../provider/runtime/resource-handler";
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

describe("Connection read (preview and up)", () => {
  it("by connectionId: one read of the connection, every declared dataset verified and resolved", async () => {
    const conn = await connections.read(byId());

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
    const conn = await connections.read(byName());

    expect(conn.id).toBe(AJO_CONNECTION_ID);
    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/"))).toEqual(["GET /data/connections 200"]);
  });

  it("by a name no connection has, or one that two connections share, fails saying what to do", async () => {
    const missing = await rejectionOf(() => connections.read(byName({ name: "No such connection" })));
    expect(missing.message).toContain('no connection named "No such connection"');

    const twin = `dg_${randomUUID()}`;
    await emu.admin("PUT", `${ORG_ADMIN}/connections/${twin}`, { name: "AJO connection", dataSets: [] });
    const ambiguous = await rejectionOf(() => connections.read(byName()));
    expect(ambiguous.message).toContain("2 connections are named");
    expect(ambiguous.message).toContain(twin);
    expect(ambiguous.message).toContain("give connectionId");
  });

  it("a refresh right after the read records the same outputs, by id and by name", async () => {
    for (const inputs of [byId(), byName()]) {
      const conn = await connections.read(inputs);
      const refreshed = await connections.refresh(conn);
      expect(refreshed).toEqual({ ...conn, inputs: expect.anything() });
    }
    expect(await writes(emu)).toEqual([]);
  });
});

describe("Connection with changed inputs", () => {
  it("verifies the newly declared settings against the live connection and writes nothing", async () => {
    await connections.read({ connectionId: AJO_CONNECTION_ID });
    const before = await adminConnection();
    const stricter = await connections.read(byId());

    expect((stricter.outs.resolvedDatasets as Props[]).map((d) => d.datasetId)).toEqual(["ds_feedback", "ds_email", "ds_push", "ds_steps", "ds_entity"]);
    expect(await writes(emu)).toEqual([]);
    const after = await adminConnection();
    expect(after).toEqual(before);
    const entity = (after.dataSets as Props[]).find((d) => d.name === "AJO Entity Dataset");
    expect(entity).toMatchObject({ type: "lookup", lookupKeyField: "_id", lookupParentFields: [ENTITY_MATCHING_KEY] });
  });

  it("a connection id no connection has stops the read (so the preview) with Adobe's 404", async () => {
    const error = await rejectionOf(() => connections.read(byId({ connectionId: `dg_${randomUUID()}` })));
    expect(error.message).toMatch(/404/);
    expect(await writes(emu)).toEqual([]);
  });
});

describe("Connection drift", () => {
  beforeEach(async () => {
    await editConnectionInUi((dataSets) =>
      withDataSet(withDataSet(dataSets, "AJO Entity Dataset", { lookupKeyField: "entityId" }), "Journey Step Events", { visitorId: "_experience.other.profileID" }),
    );
  });

  it("refresh records the changed dataset settings, and the next preview's read stops on them", async () => {
    const conn = await captureStderr(() => connections.read(byId({ onDrift: "warn" })));
    const refreshed = await connections.refresh(conn.result);

    const live = refreshed!.outs.datasets as Props[];
    expect(live.find((d) => d.name === "AJO Entity Dataset")).toMatchObject({ key: "entityId", matchingKey: ENTITY_MATCHING_KEY });
    expect(live.find((d) => d.name === "Journey Step Events")).toMatchObject({ personIdField: "_experience.other.profileID" });
    expect(await rejectionOf(() => connections.read(byId()))).toBeInstanceOf(DriftError);
  });

  it('onDrift "fail": the read (preview and up alike) stops with every differing setting, its declared and live values and the fix in CJA', async () => {
    const error = await rejectionOf(() => connections.read(byId()));

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

  it("a new stack's first read fails the same way, so it never adopts a connection that differs", async () => {
    const error = await rejectionOf(() => connections.read(byId()));

    expect(error).toBeInstanceOf(DriftError);
    expect((error as DriftError).differences).toHaveLength(2);
  });

  it('onDrift "warn": up succeeds and the provider log lists the same differences', async () => {
    const { result, stderr } = await captureStderr(() => connections.read(byId({ onDrift: "warn" })));

    expect(result.id).toBe(AJO_CONNECTION_ID);
    expect(stderr).toContain("warning:");
    expect(stderr).toContain('Connection "AJO connection"');
    expect(stderr).toContain('datasets["AJO Entity Dataset"].key: declared "_id", live "entityId"');
    expect(stderr).toContain('datasets["Journey Step Events"].personIdField');

    const again = await captureStderr(() => connections.read(byId({ onDrift: "warn" })));
    expect(again.stderr).toContain('datasets["AJO Entity Dataset"].key');
  });

  it("a declared dataset removed from the connection is drift that says to add it", async () => {
    await editConnectionInUi((dataSets) => dataSets.filter((ds) => ds.name !== "AJO Entity Dataset"));

    const error = await rejectionOf(() => connections.read(byId()));

    expect(error.message).toContain('datasets["AJO Entity Dataset"]: declared "AJO Entity Dataset", live (not set)');
    expect(error.message).toContain("add the dataset");
  });

  it("once the person fixes the connection in the UI, the read passes without a warning", async () => {
    await captureStderr(() => connections.read(byId({ onDrift: "warn" })));
    await editConnectionInUi(() => ajoConnection().dataSets as Props[]);

    const { result, stderr } = await captureStderr(() => connections.read(byId()));
    expect(result.id).toBe(AJO_CONNECTION_ID);
    expect(stderr).toBe("");
  });
});

describe("Connection delete", () => {
  it("releases the connection from the stack without any request: Adobe's connection is untouched", async () => {
    const conn = await connections.read(byId());
    const before = await adminConnection();
    await emu.clearRequests();

    await connections.destroy(conn);

    expect(await requestLines(emu)).toEqual([]);
    expect(await adminConnection()).toEqual(before);
  });

  it("a connection deleted in the UI reads as gone (id \"\")", async () => {
    const conn = await connections.read(byId());
    await emu.admin("DELETE", `${ORG_ADMIN}/connections/${AJO_CONNECTION_ID}`);

    expect(await connections.handler.read(conn.id, conn.outs)).toEqual({ id: "" });
  });
});

describe("Connection inputs", () => {
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

  it.each(cases)("the read rejects %s, naming the field, and sends nothing to Adobe", async (_what, inputs, property, reason) => {
    const error = await rejectionOf(() => connections.read(inputs));

    expect(error).toBeInstanceOf(InputError);
    expectFailure((error as InputError).failures, property, reason);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("Connection preview with unknown values", () => {
  it("an input not known yet is verified by up, not by the preview: no request", async () => {
    for (const inputs of [byId({ connectionId: UNKNOWN }), byId({ datasets: [{ name: UNKNOWN, type: "event" }] })]) {
      const result = await connections.read(inputs);
      expect(result.outs).toMatchObject(inputs);
    }
    expect(await requestLines(emu)).toEqual([]);
  });
});
