/** Connections over HTTP: read-only public routes, paging, expansion, filters, per-org state. */
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { ajoConnectionBody, orgAdmin, seedConnection, type CjaErrorBody, type ConnectionDoc, type Page } from "./cja-support";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await emulator.reset();
});

async function seedMany(count: number): Promise<ConnectionDoc[]> {
  const created: ConnectionDoc[] = [];
  for (let i = 0; i < count; i++) created.push(await seedConnection(emulator, ajoConnectionBody(`Connection ${i}`)));
  return created;
}

describe("GET /data/connections", () => {
  it("pages 0-based with both first/last and firstPage/lastPage flags", async () => {
    const created = await seedMany(5);
    const ids = created.map((c) => c.id).sort();
    const pages: Page<{ id: string }>[] = [];
    for (const page of [0, 1, 2]) {
      const res = await emulator.call<Page<{ id: string }>>("GET", "/data/connections", { query: { limit: "2", page: String(page) } });
      expect(res.status).toBe(200);
      pages.push(res.body);
    }
    expect(pages.map((p) => p.content.map((c) => c.id))).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    expect(pages.map((p) => [p.first, p.firstPage, p.last, p.lastPage])).toEqual([
      [true, true, false, false],
      [false, false, false, false],
      [false, false, true, true],
    ]);
    expect(pages[2]).toMatchObject({ number: 2, size: 2, totalElements: 5, totalPages: 3, numberOfElements: 1 });
  });

  it("returns only the id and the requested expansion fields", async () => {
    await seedConnection(emulator);
    const bare = await emulator.call<Page<Record<string, unknown>>>("GET", "/data/connections");
    expect(Object.keys(bare.body.content[0])).toEqual(["id"]);

    const expanded = await emulator.call<Page<Record<string, unknown>>>("GET", "/data/connections", { query: { expansion: "name,dataSets" } });
    const item = expanded.body.content[0];
    expect(Object.keys(item).sort()).toEqual(["dataSets", "id", "name"]);
    expect(item.name).toBe("AJO connection");
    const dataSets = item.dataSets as Record<string, unknown>[];
    expect(dataSets.map((ds) => ds.type)).toEqual(["event", "event", "event", "event", "lookup"]);
    expect(dataSets[3]).toMatchObject({ dataSetId: "ds_steps", visitorId: "_experience.journeyOrchestration.stepEvents.profileID", timestampId: "timestamp" });
    expect(dataSets[4]).toMatchObject({ lookupKeyField: "_id", lookupParentFields: ["_experience.decisioning.propositions.scopeDetails.correlationID"] });
  });

  it("filters by connectionIds, dataSetIds and sandboxName", async () => {
    const [first, second] = await seedMany(2);
    const other = await seedConnection(emulator, {
      name: "Dev",
      sandboxName: "dev",
      dataSets: [{ dataSetId: "ds_dev", name: "Dev events", type: "event", timestampId: "timestamp" }],
    });
    const ids = async (query: Record<string, string>) =>
      (await emulator.call<Page<{ id: string }>>("GET", "/data/connections", { query })).body.content.map((c) => c.id).sort();
    expect(await ids({ connectionIds: `${first.id},${second.id}` })).toEqual([first.id, second.id].sort());
    expect(await ids({ dataSetIds: "ds_dev" })).toEqual([other.id]);
    expect(await ids({ sandboxName: "dev" })).toEqual([other.id]);
    expect(await ids({ sandboxName: "prod" })).toEqual([first.id, second.id].sort());
  });

  it("keeps each org's connections to itself", async () => {
    await seedConnection(emulator);
    const res = await emulator.call<Page<unknown>>("GET", "/data/connections", { org: "OTHERORG000000000000000@AdobeOrg" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ content: [], totalElements: 0, totalPages: 0, first: true, last: true, firstPage: true, lastPage: true });
  });
});

describe("GET /data/connections/{connectionId}", () => {
  it("returns the connection with dataset schemas only when schemaInfo is requested", async () => {
    const created = await seedConnection(emulator);
    const plain = await emulator.call<Record<string, unknown>>("GET", `/data/connections/${created.id}`, { query: { expansion: "name,dataSets,sandboxName" } });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ id: created.id, name: "AJO connection", sandboxName: "prod" });
    expect((plain.body.dataSets as Record<string, unknown>[])[0].schemaInfo).toBeUndefined();

    const withSchema = await emulator.call<Record<string, unknown>>("GET", `/data/connections/${created.id}`, { query: { expansion: "dataSets,schemaInfo" } });
    expect((withSchema.body.dataSets as Record<string, unknown>[])[0].schemaInfo).toEqual({
      schemaId: "https://ns.adobe.com/test/schemas/ds_feedback",
      schemaName: "AJO Message Feedback Event Dataset schema",
    });
  });

  it("answers CJA's 404 for an unknown id, and for another org's connection", async () => {
    const created = await seedConnection(emulator);
    const unknown = await emulator.call<CjaErrorBody>("GET", "/data/connections/dg_00000000-0000-0000-0000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.body.errorCode).toBe("resource_not_found");
    expect(typeof unknown.body.errorId).toBe("string");
    const otherOrg = await emulator.call<CjaErrorBody>("GET", `/data/connections/${created.id}`, { org: "OTHERORG000000000000000@AdobeOrg" });
    expect(otherOrg.status).toBe(404);
  });

  it("rejects an expansion Adobe's spec does not list with CJA's 400", async () => {
    const created = await seedConnection(emulator);
    const res = await emulator.call<CjaErrorBody>("GET", `/data/connections/${created.id}`, { query: { expansion: "notAField" } });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe("invalid_parameters");
  });
});

describe("admin connections", () => {
  it("replaces a connection in place and deletes it", async () => {
    const created = await seedConnection(emulator);
    const replaced = await emulator.admin<ConnectionDoc>("PUT", `${orgAdmin()}/connections/${created.id}`, {
      name: "Renamed",
      dataSets: [{ dataSetId: "ds_profile", name: "Audiences", type: "profile", visitorId: "personID" }],
    });
    expect(replaced).toMatchObject({ id: created.id, name: "Renamed", createdDate: created.createdDate });
    const read = await emulator.call<Record<string, unknown>>("GET", `/data/connections/${created.id}`, { query: { expansion: "name,dataSets" } });
    expect(read.body).toEqual({ id: created.id, name: "Renamed", dataSets: [{ dataSetId: "ds_profile", name: "Audiences", type: "profile", visitorId: "personID", domain: "catalog" }] });

    await emulator.admin("DELETE", `${orgAdmin()}/connections/${created.id}`);
    expect((await emulator.call("GET", `/data/connections/${created.id}`)).status).toBe(404);
  });

  it("names the bad field of an invalid connection body", async () => {
    const body = ajoConnectionBody();
    (body.dataSets as Record<string, unknown>[])[1].type = "clickstream";
    await expect(emulator.admin("POST", `${orgAdmin()}/connections`, body)).rejects.toThrow(/dataSets\[1\]\.type/);
    await expect(emulator.admin("POST", `${orgAdmin()}/connections`, { ...ajoConnectionBody(), timestampField: "ts" })).rejects.toThrow(/timestampField/);
    await expect(emulator.admin("PUT", `${orgAdmin()}/connections/not-a-connection-id`, ajoConnectionBody())).rejects.toThrow(/dg_/);
  });
});
