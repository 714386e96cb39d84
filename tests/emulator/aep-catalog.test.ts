import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { aepClient, profileUnionDataset, sandboxAdmin, type AepClient } from "./aep-support";

const DATASETS = "/data/foundation/catalog/dataSets";

describe("AEP emulator: Catalog datasets", () => {
  let emulator: TestEmulator;
  let prod: AepClient;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    prod = await aepClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  async function create(client: AepClient, body: unknown): Promise<string> {
    const res = await client.call("POST", DATASETS, body);
    expect(res.status).toBe(201);
    return (res.body as string[])[0].replace("@/dataSets/", "");
  }

  it("creates a dataset with a Query Service table tag and reads it back keyed by id", async () => {
    const res = await prod.call("POST", DATASETS, profileUnionDataset("Segment Export Job Dataset for CJA"));
    expect(res.status).toBe(201);
    expect(res.body).toEqual([expect.stringMatching(/^@\/dataSets\/[0-9a-f]{24}$/)]);
    const id = (res.body as string[])[0].slice("@/dataSets/".length);
    expect(res.headers.get("location")).toBe(`${DATASETS}/${id}`);

    const got = await prod.call("GET", `${DATASETS}/${id}`);
    expect(got.status).toBe(200);
    expect(Object.keys(got.body)).toEqual([id]);
    const dataset = got.body[id];
    expect(dataset).toMatchObject({
      name: "Segment Export Job Dataset for CJA",
      schemaRef: { id: "_xdm.context.profile__union", contentType: "application/vnd.adobe.xed+json;version=1" },
      tags: { "adobe/pqs/table": ["segment_export_job_dataset_for_cja"] },
      files: `@/dataSetFiles?dataSetId=${id}`,
    });
    expect(dataset.created).toEqual(expect.any(Number));
    expect(dataset.updated).toBe(dataset.created);
    expect(dataset).not.toHaveProperty("rows");

    const tagsOnly = await prod.call("GET", `${DATASETS}/${id}?properties=tags`);
    expect(tagsOnly.body).toEqual({ [id]: { tags: { "adobe/pqs/table": ["segment_export_job_dataset_for_cja"] } } });
  });

  it("gives a second dataset with the same name its own table", async () => {
    const first = await create(prod, { name: "Audience Membership" });
    const second = await create(prod, { name: "Audience Membership" });
    const both = await prod.call("GET", `${DATASETS}?properties=tags`);
    const firstTable = both.body[first].tags["adobe/pqs/table"][0];
    const secondTable = both.body[second].tags["adobe/pqs/table"][0];
    expect(firstTable).toBe("audience_membership");
    expect(secondTable).toMatch(/^audience_membership_\d{8}_\d{6}_\d{3}/);
  });

  it("lists datasets as an object keyed by id, with name filter, limit and start", async () => {
    const ids: string[] = [];
    for (const name of ["alpha", "beta", "gamma", "delta"]) ids.push(await create(prod, { name }));

    const all = await prod.call("GET", DATASETS);
    expect(all.status).toBe(200);
    expect(Object.keys(all.body)).toEqual(ids);

    const byName = await prod.call("GET", `${DATASETS}?name=gamma`);
    expect(Object.keys(byName.body)).toEqual([ids[2]]);
    const eitherName = await prod.call("GET", `${DATASETS}?name=alpha,delta&properties=name`);
    expect(eitherName.body).toEqual({ [ids[0]]: { name: "alpha" }, [ids[3]]: { name: "delta" } });

    const page1 = await prod.call("GET", `${DATASETS}?limit=3&start=0`);
    const page2 = await prod.call("GET", `${DATASETS}?limit=3&start=3`);
    expect(Object.keys(page1.body)).toEqual(ids.slice(0, 3));
    expect(Object.keys(page2.body)).toEqual(ids.slice(3));

    const byProperty = await prod.call("GET", `${DATASETS}?property=name==be*`);
    expect(Object.keys(byProperty.body)).toEqual([ids[1]]);
    const byTag = await prod.call("GET", `${DATASETS}?tags=adobe/pqs/table:delta`);
    expect(Object.keys(byTag.body)).toEqual([ids[3]]);
  });

  it("defaults the page size to 20 and rejects a limit below 1", async () => {
    for (let i = 0; i < 22; i++) await create(prod, { name: `dataset ${i}` });
    const page = await prod.call("GET", DATASETS);
    expect(Object.keys(page.body)).toHaveLength(20);
    const bad = await prod.call("GET", `${DATASETS}?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 400, title: "BadRequestError" });
  });

  it("deletes a dataset, after which it is not found", async () => {
    const id = await create(prod, { name: "to delete" });
    const del = await prod.call("DELETE", `${DATASETS}/${id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual([`@/dataSets/${id}`]);
    const got = await prod.call("GET", `${DATASETS}/${id}`);
    expect(got.status).toBe(404);
    expect(got.body).toEqual({ type: "/placeholder/type/uri", status: 404, title: "NotFoundError", detail: "DataSet not found." });
    const again = await prod.call("DELETE", `${DATASETS}/${id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual([]);
  });

  it("updates a dataset's description with PATCH (patchDataset), answering its ref, and 404 for an unknown id", async () => {
    const id = await create(prod, { name: "described", description: "before" });
    const patched = await prod.call("PATCH", `${DATASETS}/${id}`, { description: "after" });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual([`@/dataSets/${id}`]);
    const got = await prod.call("GET", `${DATASETS}/${id}`);
    expect((got.body as Record<string, { name: string; description: string }>)[id]).toMatchObject({ name: "described", description: "after" });
    const missing = await prod.call("PATCH", `${DATASETS}/0123456789abcdef01234567`, { description: "x" });
    expect(missing.status).toBe(404);
  });

  it("keeps sandboxes apart", async () => {
    const dev = prod.inSandbox("dev");
    const prodId = await create(prod, { name: "shared name" });
    const devId = await create(dev, { name: "shared name" });

    expect((await dev.call("GET", `${DATASETS}/${prodId}`)).status).toBe(404);
    expect((await prod.call("GET", `${DATASETS}/${devId}`)).status).toBe(404);
    expect(Object.keys((await prod.call("GET", DATASETS)).body)).toEqual([prodId]);
    expect(Object.keys((await dev.call("GET", DATASETS)).body)).toEqual([devId]);
    // Each sandbox has its own Query Service namespace, so both get the plain table name.
    expect((await dev.call("GET", `${DATASETS}/${devId}`)).body[devId].tags["adobe/pqs/table"]).toEqual(["shared_name"]);
  });

  it("rejects a body that breaks Adobe's spec with Catalog's 400 naming the field", async () => {
    const res = await prod.call("POST", DATASETS, { name: 42, schemaRef: { id: "_xdm.context.profile__union" } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: "/placeholder/type/uri", status: 400, title: "BadRequestError" });
    expect(res.body.detail).toContain("body.name");
    expect(Object.keys((await prod.call("GET", DATASETS)).body)).toEqual([]);
  });

  it("serves datasets seeded through the admin API, such as the AJO system datasets", async () => {
    const seeded = await emulator.admin<{ datasets: { id: string; name: string; table: string }[] }>("POST", `${sandboxAdmin()}/datasets`, {
      datasets: [
        { id: "5f1e2d3c4b5a69788796a5b4", name: "AJO Message Feedback Event Dataset", schemaRef: { id: "https://ns.adobe.com/xdm/context/ajo-message-feedback" } },
        { name: "Journey Step Events" },
      ],
    });
    expect(seeded.datasets).toEqual([
      { id: "5f1e2d3c4b5a69788796a5b4", name: "AJO Message Feedback Event Dataset", table: "ajo_message_feedback_event_dataset" },
      { id: expect.stringMatching(/^[0-9a-f]{24}$/), name: "Journey Step Events", table: "journey_step_events" },
    ]);
    const got = await prod.call("GET", `${DATASETS}?name=AJO Message Feedback Event Dataset&properties=name,schemaRef`);
    expect(got.body).toEqual({
      "5f1e2d3c4b5a69788796a5b4": { name: "AJO Message Feedback Event Dataset", schemaRef: { id: "https://ns.adobe.com/xdm/context/ajo-message-feedback" } },
    });
  });
});
