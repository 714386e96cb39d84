/** Date ranges over HTTP: create, read, list, update, delete, against cja.json and the date ranges guide. */
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import type { CjaErrorBody } from "./cja-support";

let emulator: TestEmulator;

interface DateRangeDoc {
  id: string;
  name?: string;
  description?: string;
  definition?: string;
  owner?: { imsUserId: string };
  modified?: string;
}

const body = (overrides: Record<string, unknown> = {}) => ({ name: "This month", description: "From the first of this month", definition: "tm/tm+1m", ...overrides });

async function listed(query: Record<string, string> = {}): Promise<DateRangeDoc[]> {
  const res = await emulator.call<{ content: DateRangeDoc[] }>("GET", "/dateranges", { query });
  expect(res.status).toBe(200);
  return res.body.content;
}

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await emulator.reset();
});

describe("POST /dateranges", () => {
  it("creates a date range owned by the credential's technical account; the definition only with expansion", async () => {
    const res = await emulator.call<DateRangeDoc>("POST", "/dateranges", { body: body() });
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(/^[0-9a-f]{24}$/);
    expect(res.body).toMatchObject({ name: "This month", description: "From the first of this month" });
    expect(res.body.definition).toBeUndefined();
    expect(res.body.owner?.imsUserId).toMatch(/@techacct\.adobe\.com$/);
    const read = await emulator.call<DateRangeDoc>("GET", `/dateranges/${res.body.id}`, { query: { expansion: "definition,modified" } });
    expect(read.body).toMatchObject({ id: res.body.id, definition: "tm/tm+1m" });
    expect(read.body.modified).toMatch(/Z$/);
  });

  it("takes fixed dates and times", async () => {
    const res = await emulator.call<DateRangeDoc>("POST", "/dateranges", { body: body({ definition: "2024-01-01T00:00:00/2024-01-31T23:59:59" }), query: { expansion: "definition" } });
    expect(res.status).toBe(200);
    expect(res.body.definition).toBe("2024-01-01T00:00:00/2024-01-31T23:59:59");
  });

  it.each([
    ["no end", "tm", /must be <start>\/<end>/],
    ["a date that does not exist", "2024-02-30T00:00:00/2024-03-01T00:00:00", /2024-02-30T00:00:00 is no date/],
    ["an end before the start", "2024-03-01T00:00:00/2024-02-01T00:00:00", /ends before it starts/],
    ["free text", "last week/now", /"last week" is neither a date-time/],
  ])("refuses %s with 400 naming the definition, and stores nothing", async (_what, definition, message) => {
    const res = await emulator.call<CjaErrorBody>("POST", "/dateranges", { body: body({ definition }) });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe("invalid_parameters");
    expect(res.body.errorDescription).toMatch(/^definition: /);
    expect(res.body.errorDescription).toMatch(message);
    expect(await listed()).toEqual([]);
  });

  it("refuses a body without a name", async () => {
    const res = await emulator.call<CjaErrorBody>("POST", "/dateranges", { body: body({ name: undefined }) });
    expect(res.status).toBe(400);
    expect(res.body.errorDescription).toContain("name");
  });
});

describe("GET /dateranges", () => {
  it("answers the guide's page envelope (default size 100), filtered by ids", async () => {
    const ids: string[] = [];
    for (const name of ["A", "B", "C"]) ids.push((await emulator.call<DateRangeDoc>("POST", "/dateranges", { body: body({ name }) })).body.id);
    const page = await emulator.call<Record<string, unknown>>("GET", "/dateranges");
    expect(page.body).toMatchObject({ totalElements: 3, size: 100, firstPage: true, lastPage: true });
    expect((await listed({ filterByIds: `${ids[0]},${ids[2]}` })).map((r) => r.id).sort()).toEqual([ids[0], ids[2]].sort());
    expect((await listed({ limit: "2", page: "1" })).length).toBe(1);
  });
});

describe("GET /dateranges: whose", () => {
  it("lists what the credential owns; includeType=shared adds one shared with everyone", async () => {
    const own = (await emulator.call<DateRangeDoc>("POST", "/dateranges", { body: body({ name: "Own" }) })).body.id;
    const asTheUi = await emulator.asTheUi();
    const theirs = (await emulator.call<DateRangeDoc>("POST", "/dateranges", { ...asTheUi, body: body({ name: "Theirs" }) })).body.id;
    expect((await listed()).map((r) => r.id)).toEqual([own]);
    const sharing = await emulator.call("PUT", "/componentmetadata/shares", { ...asTheUi, body: [{ componentType: "dateRange", componentId: theirs, shares: [{ shareToType: "all" }] }] });
    expect(sharing.status).toBe(200);
    expect((await listed({ includeType: "shared" })).map((r) => r.id).sort()).toEqual([own, theirs].sort());
  });
});

describe("PUT and DELETE /dateranges/{id}", () => {
  it("updates the fields sent (the guide's partial update) and validates a new definition", async () => {
    const made = (await emulator.call<DateRangeDoc>("POST", "/dateranges", { body: body() })).body;
    const renamed = await emulator.call<DateRangeDoc>("PUT", `/dateranges/${made.id}`, { body: { name: "Current month" }, query: { expansion: "definition" } });
    expect(renamed.body).toMatchObject({ name: "Current month", description: "From the first of this month", definition: "tm/tm+1m" });
    const bad = await emulator.call<CjaErrorBody>("PUT", `/dateranges/${made.id}`, { body: { definition: "tm+1m" } });
    expect(bad.status).toBe(400);
    const after = await emulator.call<DateRangeDoc>("GET", `/dateranges/${made.id}`, { query: { expansion: "definition" } });
    expect(after.body.definition).toBe("tm/tm+1m");
  });

  it("deletes with {result: success}; then 404", async () => {
    const made = (await emulator.call<DateRangeDoc>("POST", "/dateranges", { body: body() })).body;
    const deleted = await emulator.call("DELETE", `/dateranges/${made.id}`);
    expect(deleted.body).toEqual({ result: "success" });
    expect((await emulator.call("GET", `/dateranges/${made.id}`)).status).toBe(404);
    expect((await emulator.call("DELETE", `/dateranges/${made.id}`)).status).toBe(404);
    expect(await listed()).toEqual([]);
  });
});

describe("the routes are bound to cja.json", () => {
  it("refuses an expansion the spec does not list for date ranges (dataId is a segment's, not a date range's)", async () => {
    const res = await emulator.call<CjaErrorBody>("GET", "/dateranges", { query: { expansion: "dataId" } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("expansion");
  });
});
