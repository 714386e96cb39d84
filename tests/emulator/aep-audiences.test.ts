import { startTestEmulator, TEST_ORG, type TestEmulator } from "../helpers/emulator";
import { aepClient, sandboxAdmin, type AepClient } from "./aep-support";

const AUDIENCES = "/data/core/ups/audiences";

const BLUE_PLUS = "52c26d0d-45f2-47a2-ab30-ed06abc981ff";
const GOLD = "6f3a1c2e-0b4d-4e5f-8a9b-0c1d2e3f4a5b";
const CHURN = "e657a8b1-9c0d-4e2f-a3b4-c5d6e7f8a9b0";

describe("AEP emulator: Segmentation audiences", () => {
  let emulator: TestEmulator;
  let prod: AepClient;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    prod = await aepClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await emulator.reset();
    await emulator.admin("POST", `${sandboxAdmin()}/audiences`, {
      audiences: [
        { id: BLUE_PLUS, name: "Luma - Blue+ Members", description: "Loyalty tier blue+", expression: 'loyalty.tier = "blue+"' },
        { id: GOLD, name: "Luma - Gold Members" },
        { id: CHURN, name: "Likely to churn", description: "Scored by the churn model" },
      ],
    });
  });

  it("finds an audience by a case-insensitive part of its name", async () => {
    const res = await prod.call("GET", `${AUDIENCES}?name=${encodeURIComponent("luma - blue")}`);
    expect(res.status).toBe(200);
    expect(res.body.children).toHaveLength(1);
    expect(res.body.children[0]).toMatchObject({
      id: BLUE_PLUS,
      audienceId: BLUE_PLUS,
      name: "Luma - Blue+ Members",
      namespace: "AEPSegments",
      imsOrgId: TEST_ORG,
      sandbox: { sandboxName: "prod", type: "production", default: true },
    });
    expect(res.body._page).toMatchObject({ totalCount: 1, pageSize: 1 });

    const both = await prod.call("GET", `${AUDIENCES}?name=LUMA`);
    expect(both.body.children.map((a: { name: string }) => a.name).sort()).toEqual(["Luma - Blue+ Members", "Luma - Gold Members"]);
  });

  it("finds an audience by exact audienceId with property=", async () => {
    const res = await prod.call("GET", `${AUDIENCES}?property=audienceId==${GOLD}`);
    expect(res.body.children.map((a: { id: string }) => a.id)).toEqual([GOLD]);
    const none = await prod.call("GET", `${AUDIENCES}?property=audienceId==${GOLD.slice(0, 8)}`);
    expect(none.body.children).toEqual([]);
  });

  it("pages with start and limit, pointing to the next page in _page.next and _links", async () => {
    const first = await prod.call("GET", `${AUDIENCES}?limit=2&sort=name:asc`);
    expect(first.body.children.map((a: { name: string }) => a.name)).toEqual(["Likely to churn", "Luma - Blue+ Members"]);
    expect(first.body._page).toMatchObject({ totalCount: 3, totalPages: 2, pageSize: 2, next: "2" });
    expect(first.body._links.next.href).toBe("@/audiences?start=2&limit=2&totalCount=3");
    const second = await prod.call("GET", `${AUDIENCES}?limit=2&sort=name:asc&start=${first.body._page.next}`);
    expect(second.body.children.map((a: { name: string }) => a.name)).toEqual(["Luma - Gold Members"]);
    expect(second.body._page).not.toHaveProperty("next");
    expect(second.body._links).toEqual({});
  });

  it("returns an audience by id, and Adobe's UPAPI-113430-404 for an unknown one", async () => {
    const found = await prod.call("GET", `${AUDIENCES}/${CHURN}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: CHURN, name: "Likely to churn", description: "Scored by the churn model" });

    const missing = "00000000-0000-0000-0000-000000000000";
    const res = await prod.call("GET", `${AUDIENCES}/${missing}`);
    expect(res.status).toBe(404);
    const message = `The audience entity ${missing} is not found. Use a valid entity and try again.`;
    expect(res.body).toEqual({
      requestId: expect.any(String),
      errors: { "404": [{ code: 404, message }] },
      type: "https://ns.adobe.com/aep/errors/UPAPI-113430-404",
      title: message,
      status: 404,
    });
  });

  it("serves the segment definition of an audience seeded with an expression", async () => {
    const res = await prod.call("GET", `/data/core/ups/segment/definitions/${BLUE_PLUS}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: BLUE_PLUS,
      name: "Luma - Blue+ Members",
      expression: { type: "PQL", format: "pql/text", value: 'loyalty.tier = "blue+"' },
      schema: { name: "_xdm.context.profile" },
    });
    expect((await prod.call("GET", `/data/core/ups/segment/definitions/${GOLD}`)).status).toBe(404);
  });

  it("keeps audiences per sandbox", async () => {
    const dev = prod.inSandbox("dev");
    expect((await dev.call("GET", AUDIENCES)).body.children).toEqual([]);
    expect((await dev.call("GET", `${AUDIENCES}/${GOLD}`)).status).toBe(404);
  });
});
