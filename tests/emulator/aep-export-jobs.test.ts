import { startTestEmulator, TEST_ORG, type TestEmulator } from "../helpers/emulator";
import { aepClient, pollUntil, profileUnionDataset, sandboxAdmin, type AepClient } from "./aep-support";

const JOBS = "/data/core/ups/export/jobs";
const DATASETS = "/data/foundation/catalog/dataSets";
const BLUE_PLUS = "52c26d0d-45f2-47a2-ab30-ed06abc981ff";
const GOLD = "6f3a1c2e-0b4d-4e5f-8a9b-0c1d2e3f4a5b";
const NEW_MS = 200;
const PROCESSING_MS = 400;

const PROFILES = [
  { personalEmail: { address: "ann@example.com" }, person: { name: { firstName: "Ann" } }, segmentMembership: { ups: { [BLUE_PLUS]: { status: "realized" }, [GOLD]: { status: "exited" } } } },
  { personalEmail: { address: "bob@example.com" }, person: { name: { firstName: "Bob" } }, segmentMembership: { ups: { [BLUE_PLUS]: { status: "existing" } } } },
  { personalEmail: { address: "cy@example.com" }, person: { name: { firstName: "Cy" } }, segmentMembership: { ups: { [BLUE_PLUS]: { status: "exited" }, [GOLD]: { status: "realized" } } } },
  { personalEmail: { address: "dee@example.com" }, person: { name: { firstName: "Dee" } }, segmentMembership: { ups: {} } },
];

function exportBody(datasetId: string, segments: unknown[]) {
  return {
    fields: "personalEmail.address",
    mergePolicy: { id: "timestampOrdered-none-mp", version: 1 },
    filter: { segments },
    destination: { datasetId, segmentPerBatch: false },
    schema: { name: "_xdm.context.profile" },
  };
}

describe("AEP emulator: Segmentation export jobs", () => {
  let emulator: TestEmulator;
  let prod: AepClient;
  let datasetId: string;

  beforeAll(async () => {
    emulator = await startTestEmulator({ exportJobTimings: { newMs: NEW_MS, processingMs: PROCESSING_MS } });
    prod = await aepClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await emulator.reset();
    await emulator.admin("POST", `${sandboxAdmin()}/audiences`, {
      audiences: [
        { id: BLUE_PLUS, name: "Luma - Blue+ Members", expression: 'loyalty.tier = "blue+"' },
        { id: GOLD, name: "Luma - Gold Members" },
      ],
    });
    await emulator.admin("POST", `${sandboxAdmin()}/profiles`, { profiles: PROFILES });
    const created = await prod.call("POST", DATASETS, profileUnionDataset("Segment Export Job Dataset for CJA"));
    datasetId = (created.body as string[])[0].replace("@/dataSets/", "");
  });

  const rowsOf = (id: string) => emulator.admin<{ rows: any[] }>("GET", `${sandboxAdmin()}/datasets/${id}/rows`).then((r) => r.rows);

  it("runs NEW → PROCESSING → SUCCEEDED and writes the qualifying profiles into the dataset once", async () => {
    const created = await prod.call("POST", JOBS, exportBody(datasetId, [{ segmentId: BLUE_PLUS, segmentNs: "ups", status: ["realized", "existing"] }]));
    expect(created.status).toBe(200);
    const job = created.body;
    expect(job).toMatchObject({
      id: expect.any(Number),
      jobType: "BATCH",
      status: "NEW",
      imsOrgId: TEST_ORG,
      destination: { datasetId, segmentPerBatch: false },
      schema: { name: "_xdm.context.profile" },
      filter: { segments: [{ segmentId: BLUE_PLUS, segmentNs: "ups", status: ["realized", "existing"] }] },
    });
    expect(job.updateTime).toBe(job.creationTime);
    expect(created.headers.get("x-location")).toBe(`${emulator.url}${JOBS}/${job.id}`);
    expect(await rowsOf(datasetId)).toEqual([]);

    const seen = await pollUntil(
      () => prod.call("GET", `${JOBS}/${job.id}`).then((r) => r.body),
      (j) => j.status === "SUCCEEDED" || j.status === "FAILED",
    );
    const sequence = [...new Set(["NEW", ...seen.map((j) => j.status)])];
    expect(sequence).toEqual(["NEW", "PROCESSING", "SUCCEEDED"]);
    const done = seen[seen.length - 1];
    expect(done.updateTime - done.creationTime).toBe(NEW_MS + PROCESSING_MS);
    expect(done.destination.batchId).toMatch(/^[0-9a-f]{32}$/);
    expect(done.metrics.totalExportedProfileCounter).toBe(2);
    expect(done.metrics.totalTime).toEqual({ startTimeInMs: done.creationTime, endTimeInMs: done.updateTime, totalTimeInMs: NEW_MS + PROCESSING_MS });
    expect(done).not.toHaveProperty("errors");

    // Only the fields asked for, plus every membership of each exported profile (Adobe's row-level filter).
    const rows = await rowsOf(datasetId);
    expect(rows).toEqual([
      { personalEmail: { address: "ann@example.com" }, segmentMembership: PROFILES[0].segmentMembership },
      { personalEmail: { address: "bob@example.com" }, segmentMembership: PROFILES[1].segmentMembership },
    ]);

    const again = await prod.call("GET", `${JOBS}/${job.id}`);
    expect(again.body).toEqual(done);
    expect(await rowsOf(datasetId)).toHaveLength(2);
    const dataset = (await prod.call("GET", `${DATASETS}/${datasetId}`)).body[datasetId];
    expect(dataset).toMatchObject({ lastBatchId: done.destination.batchId, lastBatchStatus: "success" });
  });

  it("defaults the statuses to realized and existing and never exports exited members", async () => {
    const created = await prod.call("POST", JOBS, exportBody(datasetId, [{ segmentId: GOLD }]));
    expect(created.body.filter.segments).toEqual([{ segmentId: GOLD, segmentNs: "ups", status: ["realized", "existing"] }]);
    await pollUntil(() => prod.call("GET", `${JOBS}/${created.body.id}`).then((r) => r.body.status), (s) => s === "SUCCEEDED");
    expect((await rowsOf(datasetId)).map((r) => r.personalEmail.address)).toEqual(["cy@example.com"]);
  });

  it("fails the job the admin scripted to fail, with Adobe's job error entry and no rows", async () => {
    await emulator.admin("PUT", `${sandboxAdmin()}/export-jobs/next-failure`, { code: "0090000009", msg: "Error writing profiles to output path" });
    const failing = await prod.call("POST", JOBS, exportBody(datasetId, [{ segmentId: BLUE_PLUS }]));
    expect(failing.body.status).toBe("NEW");
    const seen = await pollUntil(() => prod.call("GET", `${JOBS}/${failing.body.id}`).then((r) => r.body), (j) => j.status !== "NEW" && j.status !== "PROCESSING");
    expect(seen[seen.length - 1]).toMatchObject({
      status: "FAILED",
      errors: [{ code: "0090000009", msg: "Error writing profiles to output path", callStack: expect.any(String) }],
    });
    expect(await rowsOf(datasetId)).toEqual([]);

    // Only the next job fails.
    const next = await prod.call("POST", JOBS, exportBody(datasetId, [{ segmentId: BLUE_PLUS }]));
    const after = await pollUntil(() => prod.call("GET", `${JOBS}/${next.body.id}`).then((r) => r.body.status), (s) => s === "SUCCEEDED" || s === "FAILED");
    expect(after[after.length - 1]).toBe("SUCCEEDED");
  });

  it("cancels a running job: Adobe's cancel answer, then FAILED with a cancellation error and no rows", async () => {
    const created = await prod.call("POST", JOBS, exportBody(datasetId, [{ segmentId: BLUE_PLUS }]));
    const del = await prod.call("DELETE", `${JOBS}/${created.body.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ status: true, message: "Export job has been marked for cancelling" });
    const got = await prod.call("GET", `${JOBS}/${created.body.id}`);
    expect(got.body.status).toBe("FAILED");
    expect(got.body.errors).toEqual([{ code: "cancelled", msg: expect.stringContaining("cancelled"), callStack: "" }]);
    await new Promise((resolve) => setTimeout(resolve, NEW_MS + PROCESSING_MS + 50));
    expect((await prod.call("GET", `${JOBS}/${created.body.id}`)).body.status).toBe("FAILED");
    expect(await rowsOf(datasetId)).toEqual([]);
  });

  it("fails a job whose destination dataset was deleted before it finished", async () => {
    const created = await prod.call("POST", JOBS, exportBody(datasetId, [{ segmentId: BLUE_PLUS }]));
    await prod.call("DELETE", `${DATASETS}/${datasetId}`);
    const seen = await pollUntil(() => prod.call("GET", `${JOBS}/${created.body.id}`).then((r) => r.body), (j) => j.status === "SUCCEEDED" || j.status === "FAILED");
    expect(seen[seen.length - 1]).toMatchObject({ status: "FAILED", errors: [{ code: "0090000009", msg: expect.stringContaining(datasetId) }] });
  });

  it("answers 404 for an unknown job", async () => {
    expect((await prod.call("GET", `${JOBS}/987654`)).status).toBe(404);
    expect((await prod.call("DELETE", `${JOBS}/987654`)).status).toBe(404);
  });

  it("rejects an unknown audience and an unknown destination dataset in Segmentation's error shape", async () => {
    const unknownAudience = await prod.call("POST", JOBS, exportBody(datasetId, [{ segmentId: "11111111-2222-3333-4444-555555555555" }]));
    expect(unknownAudience.status).toBe(400);
    expect(unknownAudience.body).toMatchObject({ status: 400, type: "https://ns.adobe.com/aep/errors/UPAPI-113434-400" });
    expect(unknownAudience.body.title).toContain("11111111-2222-3333-4444-555555555555");

    const missing = "5b7c86968f7b6501e21ba9df";
    const unknownDataset = await prod.call("POST", JOBS, exportBody(missing, [{ segmentId: BLUE_PLUS }]));
    expect(unknownDataset.status).toBe(400);
    expect(unknownDataset.body).toMatchObject({
      status: 400,
      type: "https://ns.adobe.com/aep/errors/UPLIB-101554-503",
      title: `Dataset ${missing} cannot be retrieved from Catalog https://platform.adobe.io/data/foundation/catalog/dataSets/${missing}.`,
    });
    expect(unknownDataset.body.errors["400"][1].message).toContain('"detail":"DataSet not found."');

    // A dataset of another sandbox is unknown too.
    const dev = prod.inSandbox("dev");
    expect((await dev.call("POST", JOBS, exportBody(datasetId, [{ segmentId: BLUE_PLUS }]))).status).toBe(400);
    expect((await prod.call("GET", JOBS)).body.records).toEqual([]);
  });

  it("rejects bodies without schema.name or breaking Adobe's spec, naming the field", async () => {
    const noSchema = await prod.call("POST", JOBS, { destination: { datasetId } });
    expect(noSchema.status).toBe(400);
    expect(noSchema.body.type).toBe("https://ns.adobe.com/aep/errors/UPAPI-113434-400");
    expect(noSchema.body.title).toContain("schema");

    const badStatus = await prod.call("POST", JOBS, exportBody(datasetId, [{ segmentId: BLUE_PLUS, status: ["entered"] }]));
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.title).toContain("status");

    const badFields = await prod.call("POST", JOBS, { ...exportBody(datasetId, [{ segmentId: BLUE_PLUS }]), fields: ["personalEmail.address"] });
    expect(badFields.status).toBe(400);
    expect(badFields.body.title).toContain("body.fields");
  });

  it("lists jobs newest first with records/page/link, status filter and offset paging", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await prod.call("POST", JOBS, exportBody(datasetId, [{ segmentId: BLUE_PLUS }]))).body.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const first = await prod.call("GET", `${JOBS}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.records.map((j: { id: number }) => j.id)).toEqual([ids[2], ids[1]]);
    const offset = `${first.body.records[1].creationTime}_${ids[1]}`;
    expect(first.body.page).toEqual({ sortField: "createdTime", sort: "desc", pageOffset: offset, pageSize: 2 });
    expect(first.body.link.next).toBe(`/export/jobs/?limit=2&offset=${offset}`);
    const second = await prod.call("GET", `${JOBS}?limit=2&offset=${offset}`);
    expect(second.body.records.map((j: { id: number }) => j.id)).toEqual([ids[0]]);
    expect(second.body.link.next).toBe("");

    await prod.call("DELETE", `${JOBS}/${ids[1]}`);
    const failed = await prod.call("GET", `${JOBS}?status=FAILED`);
    expect(failed.body.records.map((j: { id: number }) => j.id)).toEqual([ids[1]]);
  });
});
