/** cja:DateRange, managed: created with its ownership key, read back with drift, updated in place, deleted. */
import type { TestEmulator } from "../helpers/emulator";
import { captureStderr, Engine, expectFailure, newRun, rejectionOf, requestLines, startProvider, startResourceEmulator, UNKNOWN, untilAnswered, writes, type Props } from "./support";

let emu: TestEmulator;
const dateRanges = new Engine("cja:DateRange");
const OWNER = { __owner: "organization/ajo-cja/dev/cja:DateRange/this-month" };

beforeAll(async () => {
  emu = await startResourceEmulator();
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.reset();
  startProvider(emu);
  await emu.clearRequests();
});

function thisMonth(overrides: Props = {}): Props {
  return { name: "This month", description: "From the first of this month", definition: "tm/tm+1m", ...overrides };
}

interface LiveDateRange {
  id: string;
  name: string;
  description: string;
  definition: string;
}

async function liveDateRange(id: string) {
  return emu.call<LiveDateRange>("GET", `/dateranges/${id}`, { query: { expansion: "definition" } });
}

async function allDateRanges(): Promise<LiveDateRange[]> {
  const res = await emu.call<{ content: LiveDateRange[] }>("GET", "/dateranges", { query: { expansion: "definition" } });
  expect(res.status).toBe(200);
  return res.body.content;
}

describe("DateRange create", () => {
  it("creates one date range carrying its ownership key on the last line of its description", async () => {
    const made = await dateRanges.create(thisMonth());

    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/"))).toEqual(["POST /dateranges 200"]);
    expect(made.outs).toMatchObject({ ...thisMonth(), dateRangeId: made.id });
    const live = (await liveDateRange(made.id)).body;
    expect(live).toMatchObject({ name: "This month", definition: "tm/tm+1m", description: `From the first of this month\n\n[pulumi:${made.outs.ownershipKey}]` });
    expect((await allDateRanges()).map((r) => r.id)).toEqual([made.id]);
  });

  it("takes fixed dates and times; a refresh right after create shows no diff", async () => {
    const january = thisMonth({ name: "January 2024", definition: "2024-01-01T00:00:00/2024-01-31T23:59:59" });
    const made = await dateRanges.create(january);
    const refreshed = await dateRanges.refresh(made);
    expect(refreshed!.outs).toMatchObject(january);
    expect(await dateRanges.preview(refreshed!, january)).toMatchObject({ changes: false, replaces: [] });
  });
});

describe("DateRange check", () => {
  const cases: Array<[string, Props, string, RegExp]> = [
    ["no definition", { name: "This month" }, "definition", /definition/],
    ["an empty definition", thisMonth({ definition: "" }), "definition", /^definition: must not be empty/],
    ["a definition without an end", thisMonth({ definition: "tm" }), "definition", /^definition: must be <start>\/<end>/],
    ["a day that does not exist", thisMonth({ definition: "2024-02-30T00:00:00/2024-03-01T00:00:00" }), "definition", /^definition: start 2024-02-30T00:00:00 is no date and time/],
    ["an end before the start", thisMonth({ definition: "2024-03-01T00:00:00/2024-02-01T00:00:00" }), "definition", /^definition: ends \(2024-02-01T00:00:00\) before it starts \(2024-03-01T00:00:00\)/],
    ["words", thisMonth({ definition: "last month/today" }), "definition", /^definition: start "last month" is neither a date and time/],
    ["a date without a time", thisMonth({ definition: "2024-01-01/2024-01-31" }), "definition", /^definition: start "2024-01-01" is neither/],
    ["an empty name", thisMonth({ name: "" }), "name", /^name: must not be empty/],
    ["a name with a control character", thisMonth({ name: "This\nmonth" }), "name", /^name: /],
    ["a description that is not text", thisMonth({ description: 3 }), "description", /^description: /],
    ["an input that does not exist", thisMonth({ dataViewId: "dv_1" }), "dataViewId", /is not an input of cja:DateRange/],
  ];

  it.each(cases)("rejects %s, naming the field, and sends nothing to Adobe", async (_what, inputs, property, reason) => {
    const result = await dateRanges.check(inputs);
    expectFailure(result.failures, property, reason);
    expect(await requestLines(emu)).toEqual([]);
  });

  it("accepts an unknown definition in a preview and sends nothing", async () => {
    const result = await dateRanges.check(thisMonth({ definition: UNKNOWN }));
    expect(result.failures ?? []).toEqual([]);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("DateRange update and drift", () => {
  it("changes name, description and definition in place; Adobe then has what was declared", async () => {
    const made = await dateRanges.create(thisMonth());
    const lastWeek = thisMonth({ name: "Last seven days", description: "Rolling week", definition: "td-7d/td" });

    expect(await dateRanges.preview(made, lastWeek)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await emu.clearRequests();
    await dateRanges.update(made, lastWeek);

    expect(await writes(emu)).toEqual(["PUT /dateranges/:id 200"]);
    expect((await liveDateRange(made.id)).body).toMatchObject({ name: "Last seven days", definition: "td-7d/td", description: `Rolling week\n\n[pulumi:${made.outs.ownershipKey}]` });
    expect((await allDateRanges()).length).toBe(1);
  });

  it("a date range edited in the UI shows as a diff of name and definition, and up puts the declared one back", async () => {
    const made = await dateRanges.create(thisMonth());
    expect((await emu.call("PUT", `/dateranges/${made.id}`, { body: { name: "Month (edited)", definition: "tm-1m/tm" } })).status).toBe(200);

    const refreshed = await dateRanges.refresh(made);
    expect(refreshed!.outs).toMatchObject({ name: "Month (edited)", definition: "tm-1m/tm", description: "From the first of this month" });
    expect(await dateRanges.preview(refreshed!, thisMonth())).toMatchObject({ changes: true, replaces: [] });

    await dateRanges.update(refreshed!, thisMonth());
    expect((await liveDateRange(made.id)).body).toMatchObject({ name: "This month", definition: "tm/tm+1m" });
  });
});

describe("DateRange delete", () => {
  it("deletes it; a refresh then finds it gone and deleting it again succeeds", async () => {
    const made = await dateRanges.create(thisMonth());
    await dateRanges.destroy(made);
    expect((await liveDateRange(made.id)).status).toBe(404);
    expect(await dateRanges.refresh(made)).toBeUndefined();
    await expect(dateRanges.destroy(made)).resolves.toBeUndefined();
    expect((await requestLines(emu)).filter((l) => l.startsWith("DELETE"))).toEqual(["DELETE /dateranges/:id 200", "DELETE /dateranges/:id 404"]);
    expect(await allDateRanges()).toEqual([]);
  });
});

describe("DateRange idempotent create and ownership key", () => {
  it("a POST dropped before Adobe acted is repeated after the lookup finds nothing: one date range", async () => {
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/dateranges" }, times: 1, action: { drop: true } }] });
    const made = await dateRanges.create(thisMonth());
    const lines = await requestLines(emu);
    expect(lines.filter((l) => l.includes(" /dateranges "))).toEqual(["POST /dateranges 0", "GET /dateranges 200", "POST /dateranges 200"]);
    expect((await allDateRanges()).map((r) => r.id)).toEqual([made.id]);
  });

  it("a POST Adobe carried out but whose answer was lost is not repeated", async () => {
    startProvider(emu, { "adobe:requestTimeoutMs": "400" });
    await emu.setFaults({
      script: [
        { match: { method: "POST", route: "/dateranges" }, times: 1, action: { delayMs: 600 } },
        { match: { method: "GET", route: "/dateranges" }, times: 1, action: { delayMs: 700 } },
      ],
    });
    const made = await dateRanges.create(thisMonth());
    await untilAnswered(emu, "GET", "/dateranges", 2);
    expect((await requestLines(emu)).filter((l) => l.includes(" /dateranges "))).toEqual(["POST /dateranges 200", "GET /dateranges 200", "GET /dateranges 200"]);
    expect((await allDateRanges()).map((r) => r.id)).toEqual([made.id]);
  });

  it("a date range made by a run whose state was lost is found by its key: the rerun updates it, no second POST", async () => {
    const first = await dateRanges.create(thisMonth(OWNER));
    startProvider(emu);
    await emu.clearRequests();

    const again = await dateRanges.create(thisMonth({ ...OWNER, definition: "tm-1m/tm" }));

    expect(again.id).toBe(first.id);
    expect(await writes(emu)).toEqual(["PUT /dateranges/:id 200"]);
    const live = await allDateRanges();
    expect(live.map((r) => r.id)).toEqual([first.id]);
    expect(live[0].definition).toBe("tm-1m/tm");
  });

  it("another date range of the same name is never adopted; two carrying the key fail naming both, writing nothing", async () => {
    const someone = await emu.call<{ id: string }>("POST", "/dateranges", { body: thisMonth() });
    const own = await dateRanges.create(thisMonth(OWNER));
    expect(own.id).not.toBe(someone.body.id);

    const twin = await emu.call<{ id: string }>("POST", "/dateranges", { body: thisMonth({ description: `[pulumi:${own.outs.ownershipKey}]` }) });
    startProvider(emu);
    await emu.clearRequests();
    const error = await rejectionOf(() => dateRanges.create(thisMonth(OWNER)));
    expect(error.message).toContain(`2 date ranges of this credential carry this resource's ownership key ${own.outs.ownershipKey} (`);
    expect(error.message).toContain(own.id);
    expect(error.message).toContain(twin.body.id);
    expect(await writes(emu)).toEqual([]);
    expect((await allDateRanges()).length).toBe(3);
  });
});

describe("DateRange adoption in place (adoptId)", () => {
  let uiId: string;
  beforeEach(async () => {
    uiId = (await emu.call<{ id: string }>("POST", "/dateranges", { body: { name: "Month", description: "Made in Workspace", definition: "tm/tm+1m" } })).body.id;
    await emu.clearRequests();
  });
  const adopting = (overrides: Props = {}) => thisMonth({ description: "Made in Workspace", adoptId: uiId, ...overrides });

  it("the preview lists what adopting changes; up keeps the id; destroy releases it unless deleteOnDestroy", async () => {
    const { result, stderr } = await captureStderr(() => dateRanges.check(adopting()));
    expect(result.failures ?? []).toEqual([]);
    expect(stderr).toContain(`DateRange This month: adopting ${uiId} ("Month") changes name: "Month" → "This month".`);
    expect(await writes(emu)).toEqual([]);

    const adopted = await dateRanges.create(adopting());
    expect(adopted.id).toBe(uiId);
    expect(await writes(emu)).toEqual(["PUT /dateranges/:id 200"]);
    expect(await dateRanges.preview((await dateRanges.refresh(adopted))!, adopting())).toMatchObject({ changes: false });
    await captureStderr(() => dateRanges.destroy(adopted));
    expect((await liveDateRange(uiId)).status).toBe(200);
    await dateRanges.destroy(await dateRanges.create(adopting({ deleteOnDestroy: true })));
    expect((await liveDateRange(uiId)).status).toBe(404);
  });

  it("check refuses a date range that does not exist, naming adoptId", async () => {
    expectFailure((await dateRanges.check(adopting({ adoptId: "000000000000000000000000" }))).failures, "adoptId", /^adoptId: date range 000000000000000000000000 does not exist/);
    expect(await writes(emu)).toEqual([]);
  });
});

describe("DateRange shares and tags", () => {
  const everyone = (overrides: Props = {}) => thisMonth({ shares: [{ type: "all" }], tags: ["reporting"], ...overrides });

  async function sharesOf(id: string) {
    const res = await emu.call<{ content: Array<{ shares: Array<{ shareToType: string }> }> }>("POST", "/componentmetadata/shares/component/search", { body: { componentType: "dateRange", componentIds: [id] } });
    return res.body.content[0].shares.map((s) => s.shareToType);
  }

  it("are written after the create and read back; a tag changed in the UI shows as a diff and up writes only the tags", async () => {
    const made = await dateRanges.create(everyone());
    expect(await writes(emu)).toEqual(["POST /dateranges 200", "PUT /componentmetadata/shares 200", "PUT /componentmetadata/tags/tagitems 200"]);
    expect(await sharesOf(made.id)).toEqual(["all"]);
    expect(await dateRanges.preview((await dateRanges.refresh(made))!, everyone())).toMatchObject({ changes: false });

    await emu.call("PUT", "/componentmetadata/tags/tagitems", { body: [{ componentType: "dateRange", componentId: made.id, tags: [{ name: "old" }] }] });
    const refreshed = await dateRanges.refresh(made);
    expect(refreshed!.outs.tags).toEqual(["old"]);
    expect(await dateRanges.preview(refreshed!, everyone())).toMatchObject({ changes: true });
    await emu.clearRequests();
    await dateRanges.update(refreshed!, everyone());
    expect(await writes(emu)).toEqual(["PUT /componentmetadata/tags/tagitems 200"]);
    const tags = await emu.call<Array<{ name: string }>>("GET", "/componentmetadata/tags/search", { query: { componentId: made.id, componentType: "dateRange" } });
    expect(tags.body.map((t) => t.name)).toEqual(["reporting"]);
  });

  it("check names a bad share or tag and sends nothing", async () => {
    expectFailure((await dateRanges.check(everyone({ shares: [{ type: "group" }] }))).failures, "shares", /^shares\[0\]\.id: a group share needs the group's id/);
    expectFailure((await dateRanges.check(everyone({ tags: ["x".repeat(256)] }))).failures, "tags", /^tags\[0\]: must be at most 255 characters/);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("DateRange profile", () => {
  const EMEA = "EMEA0000000000000000000@AdobeOrg";

  it("a date range with a profile of another org is made, read and deleted in that org, and outputs its profile", async () => {
    startProvider(emu, { "adobe:profiles": JSON.stringify({ emea: { orgId: EMEA } }) });
    const emea = await dateRanges.create(thisMonth({ profile: "emea" }));

    const inEmea = await emu.call<{ content: LiveDateRange[] }>("GET", "/dateranges", { org: EMEA });
    expect(inEmea.body.content.map((r) => r.id)).toEqual([emea.id]);
    expect(await allDateRanges()).toEqual([]);
    expect(emea.outs.profile).toBe("emea");
    expect((await dateRanges.refresh(emea))?.outs).toMatchObject({ profile: "emea", name: "This month" });
    expect(await dateRanges.preview(emea, thisMonth())).toMatchObject({ replaces: ["profile"], deleteBeforeReplace: true });

    await dateRanges.destroy(emea);
    expect((await emu.call<{ content: LiveDateRange[] }>("GET", "/dateranges", { org: EMEA })).body.content).toEqual([]);
  });
});

describe("DateRange requests per run", () => {
  it("a refresh of several date ranges reads them, shares and tags included, with one list by id; one deleted in Adobe is read by id, answers 404 and is gone", async () => {
    const made = [];
    for (const name of ["One", "Two", "Three"]) made.push(await dateRanges.create(thisMonth({ name, shares: [{ type: "group", id: 587421569 }], tags: ["monthly"] })));
    newRun();
    await emu.clearRequests();

    const refreshed = await Promise.all(made.map((d) => dateRanges.refresh(d)));

    expect(refreshed.map((r) => r?.outs.name)).toEqual(["One", "Two", "Three"]);
    expect(refreshed.map((r) => [r?.outs.shares, r?.outs.tags])).toEqual(made.map(() => [[{ type: "group", id: 587421569 }], ["monthly"]]));
    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/"))).toEqual(["GET /dateranges 200"]);

    expect((await emu.call("DELETE", `/dateranges/${made[0].id}`)).status).toBe(200);
    newRun();
    await emu.clearRequests();
    const again = await Promise.all(made.map((d) => dateRanges.refresh(d)));

    expect(again.map((r) => r?.outs.name)).toEqual([undefined, "Two", "Three"]);
    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/"))).toEqual(["GET /dateranges 200", "GET /dateranges/:id 404"]);
  });
});
