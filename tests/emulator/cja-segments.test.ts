/** Filters (Adobe: segments) over HTTP: validate, create, read, list, update, delete, against cja.json and the guides. */
import { readFileSync } from "fs";
import * as path from "path";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createDataView, putDimension, putMetric, seedConnection, type CjaErrorBody, type DataViewDoc } from "./cja-support";

let emulator: TestEmulator;
let dataView: DataViewDoc;

const attr = (name: string) => ({ func: "attr", name });
const segmentDef = (pred: unknown, context = "hits") => ({ func: "segment", version: [1, 0, 0], container: { func: "container", context, pred } });
const emailChannel = segmentDef({ func: "streq", val: attr("variables/channel"), str: "email" });

function segmentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "Email channel", description: "Events of the email channel", dataId: dataView.id, definition: emailChannel, ...overrides };
}

interface SegmentDoc {
  id: string;
  name?: string;
  description?: string;
  dataId?: string;
  definition?: Record<string, unknown>;
  owner?: { imsUserId: string };
  [key: string]: unknown;
}

async function listed(query: Record<string, string> = {}): Promise<SegmentDoc[]> {
  const res = await emulator.call<{ content: SegmentDoc[]; totalElements: number }>("GET", "/segments", { query });
  expect(res.status).toBe(200);
  return res.body.content;
}

const corpus = (file: string) => JSON.parse(readFileSync(path.join(__dirname, "..", "corpus", "segments", file), "utf8")).payload;

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
  await putDimension(emulator, dataView.id, "variables/channel", { name: "Channel" });
  await putDimension(emulator, dataView.id, "variables/mobileaction", { name: "Action Name" });
  await putMetric(emulator, dataView.id, "metrics/visits", { name: "Visits" });
  await putMetric(emulator, dataView.id, "metrics/occurrences", { name: "Events" });
});

describe("POST /segments/validate", () => {
  it("answers the validate guide's shape for the guide's own request body", async () => {
    const body = { ...corpus("cja-docs-validate-request.json"), dataId: dataView.id };
    const res = await emulator.call<Record<string, unknown>>("POST", "/segments/validate", { body });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      valid: true,
      validator_version: "1.1.11",
      supported_products: ["data_warehouse", "oberon", "discover"],
      supported_schema: ["schema_data_warehouse", "schema_oberon"],
      supported_features: ["function_container", "function_event", "function_event-exists", "function_segment"],
    });
  });

  it("validates each published CJA definition (the template example, cjapy's ad-hoc filter) on a data view holding its components", async () => {
    for (const definition of [corpus("aa-docs-segment-template-example.json").definition, corpus("cja-cjapy-adhoc-filter-exclude-single-event-people.json")]) {
      const res = await emulator.call<{ valid: boolean; message?: string }>("POST", "/segments/validate", { body: segmentBody({ definition }) });
      expect(res.body).toMatchObject({ valid: true });
    }
  });

  it("is invalid, naming the place, for a dimension the data view lacks, an unknown function, a bad context, a missing value", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [segmentDef({ func: "streq", val: attr("variables/page"), str: "x" }), /definition\.container\.pred\.val\.name variables\/page is not a component of data view dv_/],
      [segmentDef({ func: "strequals", val: attr("variables/channel"), str: "x" }), /definition\.container\.pred\.func unsupported function "strequals"/],
      [segmentDef({ func: "exists", val: attr("variables/channel") }, "events"), /definition\.container\.context must be hits, visits or visitors, not "events"/],
      [segmentDef({ func: "streq", val: attr("variables/channel") }), /definition\.container\.pred\.str must be a string/],
      [segmentDef({ func: "event-exists", evt: { func: "event", name: "metrics/sends" } }), /definition\.container\.pred\.evt\.name "metrics\/sends" is not a metric of data view/],
      [{ func: "segment-def", version: [1, 0, 0], container: {} }, /definition\.func must be segment, not "segment-def"/],
    ];
    for (const [definition, message] of cases) {
      const res = await emulator.call<{ valid: boolean; message: string; errors: string[] }>("POST", "/segments/validate", { body: segmentBody({ definition }) });
      expect(res.status).toBe(200);
      expect(res.body.valid).toBe(false);
      expect(res.body.message).toMatch(message);
      expect(res.body.errors).toEqual([res.body.message]);
    }
  });

  it("answers 404 for a data view that does not exist, 400 without a data view", async () => {
    const missing = await emulator.call<CjaErrorBody>("POST", "/segments/validate", { body: segmentBody({ dataId: "dv_000000000000000000000000" }) });
    expect(missing.status).toBe(404);
    expect(missing.body.errorCode).toBe("resource_not_found");
    const none = await emulator.call<CjaErrorBody>("POST", "/segments/validate", { body: { definition: emailChannel } });
    expect(none.status).toBe(400);
  });
});

describe("POST /segments", () => {
  it("creates a segment owned by the credential's technical account and reads it back with the expansions asked for", async () => {
    const res = await emulator.call<SegmentDoc>("POST", "/segments", { body: segmentBody(), query: { expansion: "definition,dataId,owner" } });
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(/^s\d+_[0-9a-f]{24}$/);
    expect(res.body).toMatchObject({ name: "Email channel", description: "Events of the email channel", dataId: dataView.id, definition: emailChannel });
    expect(res.body.owner?.imsUserId).toMatch(/@techacct\.adobe\.com$/);

    const plain = await emulator.call<SegmentDoc>("GET", `/segments/${res.body.id}`);
    expect(Object.keys(plain.body).sort()).toEqual(["description", "id", "name"]);
    const full = await emulator.call<SegmentDoc>("GET", `/segments/${res.body.id}`, { query: { expansion: "definition,compatibility,modified,dataName" } });
    expect(full.body).toMatchObject({ definition: emailChannel, compatibility: { valid: true }, dataName: "AJO data view" });
    expect(full.body.modified).toMatch(/Z$/);
  });

  it("refuses an invalid definition or a missing name with 400, and stores nothing", async () => {
    const invalid = await emulator.call<CjaErrorBody>("POST", "/segments", { body: segmentBody({ definition: segmentDef({ func: "exists", val: attr("variables/nothing") }) }) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errorCode).toBe("invalid_parameters");
    expect(invalid.body.errorDescription).toContain("variables/nothing");
    const nameless = await emulator.call<CjaErrorBody>("POST", "/segments", { body: segmentBody({ name: "" }) });
    expect(nameless.status).toBe(400);
    expect(nameless.body.errorDescription).toContain("name");
    const noDataView = await emulator.call<CjaErrorBody>("POST", "/segments", { body: segmentBody({ dataId: "dv_000000000000000000000000" }) });
    expect(noDataView.status).toBe(404);
    expect(await listed()).toEqual([]);
  });
});

describe("GET /segments: whose", () => {
  it("lists what the credential owns; includeType=shared adds what was shared with it or everyone, never a group's", async () => {
    const own = (await emulator.call<SegmentDoc>("POST", "/segments", { body: segmentBody({ name: "Own" }) })).body.id;
    const asTheUi = await emulator.asTheUi();
    const theirs: string[] = [];
    for (const name of ["Shared", "Shared with all", "Group"]) theirs.push((await emulator.call<SegmentDoc>("POST", "/segments", { ...asTheUi, body: segmentBody({ name }) })).body.id);
    const me = `${emulator.options.clientId}@techacct.adobe.com`;
    const shares = [{ shareToType: "user", shareToImsId: me }, { shareToType: "all" }, { shareToType: "group", shareToId: 587421569 }];
    const sharing = await emulator.call("PUT", "/componentmetadata/shares", { ...asTheUi, body: theirs.map((componentId, i) => ({ componentType: "segment", componentId, shares: [shares[i]] })) });
    expect(sharing.status).toBe(200);
    expect((await listed()).map((s) => s.id)).toEqual([own]);
    expect((await listed({ includeType: "shared" })).map((s) => s.id).sort()).toEqual([own, theirs[0], theirs[1]].sort());
    expect((await emulator.call("GET", `/segments/${theirs[2]}`)).status).toBe(200);
  });
});

describe("GET /segments", () => {
  it("answers the guide's page envelope, filtered by data view, name and ids, paged", async () => {
    const other = await createDataView(emulator, (await seedConnection(emulator)).id, { name: "Other" });
    await putDimension(emulator, other.id, "variables/channel", { name: "Channel" });
    const a = (await emulator.call<SegmentDoc>("POST", "/segments", { body: segmentBody({ name: "A" }) })).body;
    const b = (await emulator.call<SegmentDoc>("POST", "/segments", { body: segmentBody({ name: "B" }) })).body;
    const c = (await emulator.call<SegmentDoc>("POST", "/segments", { body: segmentBody({ name: "C", dataId: other.id }) })).body;

    const page = await emulator.call<Record<string, unknown>>("GET", "/segments", { query: { limit: "2", page: "0" } });
    expect(page.body).toMatchObject({ totalElements: 3, totalPages: 2, numberOfElements: 2, firstPage: true, lastPage: false });
    expect((await listed({ dataIds: dataView.id })).map((s) => s.name).sort()).toEqual(["A", "B"]);
    expect((await listed({ name: "B" })).map((s) => s.id)).toEqual([b.id]);
    expect((await listed({ filterByIds: `${a.id},${c.id}` })).map((s) => s.id).sort()).toEqual([a.id, c.id].sort());
    expect((await listed({ sortProperty: "name", sortDirection: "DESC" })).map((s) => s.name)).toEqual(["C", "B", "A"]);
  });
});

describe("PUT and DELETE /segments/{id}", () => {
  it("updates the fields sent (a partial update), validating a new definition", async () => {
    const made = (await emulator.call<SegmentDoc>("POST", "/segments", { body: segmentBody() })).body;
    const renamed = await emulator.call<SegmentDoc>("PUT", `/segments/${made.id}`, { body: { name: "Email" }, query: { expansion: "definition" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Email", description: "Events of the email channel", definition: emailChannel });

    const bad = await emulator.call<CjaErrorBody>("PUT", `/segments/${made.id}`, { body: { definition: segmentDef({ func: "exists", val: attr("variables/nothing") }) } });
    expect(bad.status).toBe(400);
    const after = await emulator.call<SegmentDoc>("GET", `/segments/${made.id}`, { query: { expansion: "definition" } });
    expect(after.body.definition).toEqual(emailChannel);
  });

  it("deletes with {result: success}; then 404 on read, update and delete", async () => {
    const made = (await emulator.call<SegmentDoc>("POST", "/segments", { body: segmentBody() })).body;
    const deleted = await emulator.call("DELETE", `/segments/${made.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ result: "success" });
    for (const [method, body] of [["GET", undefined], ["PUT", { name: "x" }], ["DELETE", undefined]] as const) {
      const res = await emulator.call<CjaErrorBody>(method, `/segments/${made.id}`, { body });
      expect(res.status).toBe(404);
      expect(res.body.errorCode).toBe("resource_not_found");
    }
    expect(await listed()).toEqual([]);
  });
});

describe("the routes are bound to cja.json", () => {
  it("refuses an expansion the spec does not list for the operation, as for any spec parameter", async () => {
    const made = (await emulator.call<SegmentDoc>("POST", "/segments", { body: segmentBody() })).body;
    const res = await emulator.call<CjaErrorBody>("GET", `/segments/${made.id}`, { query: { expansion: "definitions" } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("expansion");
  });
});
