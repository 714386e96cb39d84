/** Shares and tags of components over HTTP, against cja.json and the shares and tags guides. */
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import type { CjaErrorBody } from "./cja-support";

let emulator: TestEmulator;
let rangeId: string;

interface ComponentShares {
  componentType: string;
  componentId: string;
  shares: Array<{ shareId: number; shareToType: string; shareToImsId?: string; shareToId?: number }>;
}

async function sharesOf(componentId: string): Promise<ComponentShares["shares"]> {
  const res = await emulator.call<{ content: ComponentShares[] }>("POST", "/componentmetadata/shares/component/search", { body: { componentType: "dateRange", componentIds: [componentId] } });
  expect(res.status).toBe(200);
  return res.body.content[0].shares;
}

async function tagsOf(componentId: string): Promise<Array<{ id: number; name: string }>> {
  const res = await emulator.call<Array<{ id: number; name: string }>>("GET", "/componentmetadata/tags/search", { query: { componentId, componentType: "dateRange" } });
  expect(res.status).toBe(200);
  return res.body;
}

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await emulator.reset();
  rangeId = (await emulator.call<{ id: string }>("POST", "/dateranges", { body: { name: "This month", definition: "tm/tm+1m" } })).body.id;
});

describe("PUT /componentmetadata/shares", () => {
  it("gives each listed component exactly the shares sent (the guide's authoritative call), answering the guide's array", async () => {
    const first = await emulator.call<ComponentShares[]>("PUT", "/componentmetadata/shares", {
      body: [{ componentType: "dateRange", componentId: rangeId, shares: [{ shareToType: "group", shareToImsId: "123456" }, { shareToType: "user", shareToId: 622291 }] }],
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual([
      {
        componentType: "dateRange",
        componentId: rangeId,
        shares: [
          { shareToType: "group", shareToImsId: "123456" },
          { shareToType: "user", shareToId: 622291 },
        ],
        status: { success: true },
      },
    ]);
    expect((await sharesOf(rangeId)).map((s) => s.shareToType).sort()).toEqual(["group", "user"]);

    await emulator.call("PUT", "/componentmetadata/shares", { body: [{ componentType: "dateRange", componentId: rangeId, shares: [{ shareToType: "all" }] }] });
    const after = await sharesOf(rangeId);
    expect(after.map((s) => s.shareToType)).toEqual(["all"]);
    const one = await emulator.call<{ shareId: number; componentId: string }>("GET", `/componentmetadata/shares/${after[0].shareId}`);
    expect(one.body).toMatchObject({ shareId: after[0].shareId, componentId: rangeId, shareToType: "all" });

    await emulator.call("PUT", "/componentmetadata/shares", { body: [{ componentType: "dateRange", componentId: rangeId, shares: [] }] });
    expect(await sharesOf(rangeId)).toEqual([]);
  });

  it("refuses a component it does not hold (404), a share type outside the guide's, and a user share without an id (400), changing nothing", async () => {
    const unknown = await emulator.call<CjaErrorBody>("PUT", "/componentmetadata/shares", { body: [{ componentType: "segment", componentId: "s300000000_missing", shares: [{ shareToType: "all" }] }] });
    expect(unknown.status).toBe(404);
    const badType = await emulator.call<CjaErrorBody>("PUT", "/componentmetadata/shares", { body: [{ componentType: "dateRange", componentId: rangeId, shares: [{ shareToType: "team", shareToImsId: "1" }] }] });
    expect(badType.status).toBe(400);
    const noId = await emulator.call<CjaErrorBody>("PUT", "/componentmetadata/shares", { body: [{ componentType: "dateRange", componentId: rangeId, shares: [{ shareToType: "user" }] }] });
    expect(noId.status).toBe(400);
    expect(noId.body.errorDescription).toContain("needs shareToId or shareToImsId");
    expect(await sharesOf(rangeId)).toEqual([]);
  });

  it("lists the shares the requester made in the guide's page envelope", async () => {
    await emulator.call("PUT", "/componentmetadata/shares", { body: [{ componentType: "dateRange", componentId: rangeId, shares: [{ shareToType: "all" }] }] });
    const listed = await emulator.call<{ content: unknown[]; totalElements: number }>("GET", "/componentmetadata/shares");
    expect(listed.body).toMatchObject({ totalElements: 1, content: [{ componentId: rangeId, shareToType: "all" }] });
  });
});

describe("PUT /componentmetadata/tags/tagitems", () => {
  it("gives the component exactly the tags named, making a tag the org lacks and reusing one it has", async () => {
    const res = await emulator.call<Array<{ tags: Array<{ id: number; name: string }> }>>("PUT", "/componentmetadata/tags/tagitems", {
      body: [{ componentType: "dateRange", componentId: rangeId, tags: [{ name: "marketing-1" }, { name: "marketing-2" }] }],
    });
    expect(res.status).toBe(200);
    expect(res.body[0].tags.map((t) => t.name)).toEqual(["marketing-1", "marketing-2"]);
    const other = (await emulator.call<{ id: string }>("POST", "/dateranges", { body: { name: "Last month", definition: "tm-1m/tm" } })).body.id;
    await emulator.call("PUT", "/componentmetadata/tags/tagitems", { body: [{ componentType: "dateRange", componentId: other, tags: [{ name: "marketing-2" }] }] });

    const listed = await emulator.call<{ content: Array<{ name: string }> }>("GET", "/componentmetadata/tags");
    expect(listed.body.content.map((t) => t.name).sort()).toEqual(["marketing-1", "marketing-2"]);
    await emulator.call("PUT", "/componentmetadata/tags/tagitems", { body: [{ componentType: "dateRange", componentId: rangeId, tags: [{ name: "marketing-2" }] }] });
    expect((await tagsOf(rangeId)).map((t) => t.name)).toEqual(["marketing-2"]);
    const tag = (await tagsOf(other))[0];
    const one = await emulator.call<{ components: unknown[] }>("GET", `/componentmetadata/tags/${tag.id}`);
    expect(one.body.components).toEqual([
      { componentType: "dateRange", componentId: other },
      { componentType: "dateRange", componentId: rangeId },
    ]);
  });

  it("refuses a component it does not hold and a tag with neither id nor name", async () => {
    expect((await emulator.call("PUT", "/componentmetadata/tags/tagitems", { body: [{ componentType: "calculatedMetric", componentId: "cm1", tags: [{ name: "x" }] }] })).status).toBe(404);
    expect((await emulator.call("PUT", "/componentmetadata/tags/tagitems", { body: [{ componentType: "dateRange", componentId: rangeId, tags: [{}] }] })).status).toBe(400);
    expect(await tagsOf(rangeId)).toEqual([]);
  });
});

describe("a component's own reads", () => {
  it("carry its tags and shares with expansion=tags,shares", async () => {
    await emulator.call("PUT", "/componentmetadata/tags/tagitems", { body: [{ componentType: "dateRange", componentId: rangeId, tags: [{ name: "reporting" }] }] });
    await emulator.call("PUT", "/componentmetadata/shares", { body: [{ componentType: "dateRange", componentId: rangeId, shares: [{ shareToType: "all" }] }] });
    const read = await emulator.call<{ tags: Array<{ name: string }>; shares: Array<{ shareToType: string }> }>("GET", `/dateranges/${rangeId}`, { query: { expansion: "tags,shares" } });
    expect(read.body.tags.map((t) => t.name)).toEqual(["reporting"]);
    expect(read.body.shares.map((s) => s.shareToType)).toEqual(["all"]);
    const plain = await emulator.call<Record<string, unknown>>("GET", `/dateranges/${rangeId}`);
    expect(plain.body.tags).toBeUndefined();
  });
});

describe("a deleted component", () => {
  it("loses its shares and its place in its tags; the tag stays", async () => {
    await emulator.call("PUT", "/componentmetadata/tags/tagitems", { body: [{ componentType: "dateRange", componentId: rangeId, tags: [{ name: "reporting" }] }] });
    await emulator.call("PUT", "/componentmetadata/shares", { body: [{ componentType: "dateRange", componentId: rangeId, shares: [{ shareToType: "all" }] }] });
    expect((await emulator.call("DELETE", `/dateranges/${rangeId}`)).status).toBe(200);

    expect(await sharesOf(rangeId)).toEqual([]);
    const listed = await emulator.call<{ content: unknown[] }>("GET", "/componentmetadata/shares");
    expect(listed.body.content).toEqual([]);
    const tags = await emulator.call<{ content: Array<{ id: number; name: string }> }>("GET", "/componentmetadata/tags");
    expect(tags.body.content.map((t) => t.name)).toEqual(["reporting"]);
    const tag = await emulator.call<{ components: unknown[] }>("GET", `/componentmetadata/tags/${tags.body.content[0].id}`);
    expect(tag.body.components).toEqual([]);
  });
});
