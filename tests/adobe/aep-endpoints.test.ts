/** The typed AEP endpoint functions against the emulator (Adobe's specs validated on every call). */
import { AdobeClient } from "../../provider/adobe/http";
import { isNotFound } from "../../provider/adobe/errors";
import { resolveSettings } from "../../provider/adobe/settings";
import { getAudience, listAudiences } from "../../provider/adobe/aep/audiences";
import { getSegmentDefinition } from "../../provider/adobe/aep/segment-definitions";
import { createDataset, datasetIdFromRef, deleteDataset, findDatasetByName, getDataset, listDatasets } from "../../provider/adobe/aep/datasets";
import { cancelExportJob, createExportJob, exportJobDatasetId, getExportJob, listExportJobs } from "../../provider/adobe/aep/export-jobs";
import { createQuery, getQuery } from "../../provider/adobe/aep/queries";
import { startTestEmulator, TEST_ORG, type TestEmulator } from "../helpers/emulator";

let emu: TestEmulator;
let client: AdobeClient;
const sandboxAdmin = (sandbox = "prod") => `/orgs/${encodeURIComponent(TEST_ORG)}/sandboxes/${sandbox}`;

beforeAll(async () => {
  emu = await startTestEmulator({ exportJobTimings: { newMs: 100, processingMs: 100 }, queryDurationMs: 100 });
  const values: Record<string, string> = { ...emu.config(), "adobe:retryBaseDelayMs": "5" };
  client = new AdobeClient(resolveSettings({ get: (k) => values[k] }, {}));
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.reset();
});

const unionDataset = (name: string) => ({
  name,
  schemaRef: { id: "_xdm.context.profile__union", contentType: "application/vnd.adobe.xed+json;version=1" },
  fileDescription: { persisted: true, containerFormat: "parquet", format: "parquet" },
});

describe("audiences and segment definitions", () => {
  beforeEach(async () => {
    await emu.admin("POST", `${sandboxAdmin()}/audiences`, {
      audiences: [
        { id: "11111111-1111-4111-8111-111111111111", name: "Luma - Blue+ Members", expression: 'loyalty.tier = "blue"' },
        { id: "22222222-2222-4222-8222-222222222222", name: "Luma - Gold Members", expression: 'loyalty.tier = "gold"' },
        { id: "33333333-3333-4333-8333-333333333333", name: "Newsletter" },
      ],
    });
  });

  it("lists by name (contains, any case) and by property, and gets one", async () => {
    const luma = await listAudiences(client, { name: "luma" });
    expect(luma.map((a) => a.name).sort()).toEqual(["Luma - Blue+ Members", "Luma - Gold Members"]);
    const exact = await listAudiences(client, { property: "audienceId==22222222-2222-4222-8222-222222222222" });
    expect(exact.map((a) => a.id)).toEqual(["22222222-2222-4222-8222-222222222222"]);
    const one = await getAudience(client, "33333333-3333-4333-8333-333333333333");
    expect(one).toMatchObject({ name: "Newsletter", lifecycleState: "published" });
  });

  it("reads every page", async () => {
    const all = await listAudiences(client, { limit: 1 });
    expect(all).toHaveLength(3);
    const { log } = await emu.requests();
    expect(log.filter((e) => e.route === "/data/core/ups/audiences").length).toBeGreaterThanOrEqual(3);
  });

  it("gets a segment definition", async () => {
    const definition = await getSegmentDefinition(client, "11111111-1111-4111-8111-111111111111");
    expect(definition).toMatchObject({ name: "Luma - Blue+ Members", expression: { type: "PQL", value: 'loyalty.tier = "blue"' } });
  });

  it("sends the sandbox header: another sandbox does not see them", async () => {
    expect(await listAudiences(client, { name: "luma", sandbox: "dev" })).toEqual([]);
  });
});

describe("catalog datasets", () => {
  it("creates, gets, lists by name, and deletes a dataset", async () => {
    const id = await createDataset(client, unionDataset("Audience export for CJA"));
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    const dataset = await getDataset(client, id);
    expect(dataset).toMatchObject({ id, name: "Audience export for CJA", schemaRef: { id: "_xdm.context.profile__union" } });

    await createDataset(client, unionDataset("Something else"));
    const byName = await listDatasets(client, { name: "Audience export for CJA" });
    expect(byName.map((d) => d.id)).toEqual([id]);
    await expect(findDatasetByName(client, "Audience export for CJA")()).resolves.toBe(id);
    expect((await listDatasets(client, { limit: 1 })).length).toBeGreaterThanOrEqual(2);

    await deleteDataset(client, id);
    expect(isNotFound(await getDataset(client, id).catch((e) => e))).toBe(true);
  });

  it("parses the created id from either casing of the reference", () => {
    expect(datasetIdFromRef("@/dataSets/5c8c3c555033b814b69f947f")).toBe("5c8c3c555033b814b69f947f");
    expect(datasetIdFromRef("@/datasets/5b020a27e7040801dedbf46e")).toBe("5b020a27e7040801dedbf46e");
    expect(datasetIdFromRef("@/batches/5b020a27e7040801dedbf46e")).toBeUndefined();
  });
});

describe("export jobs", () => {
  it("creates a job, follows it to SUCCEEDED, lists it, and cancels another", async () => {
    await emu.admin("POST", `${sandboxAdmin()}/audiences`, { audiences: [{ id: "11111111-1111-4111-8111-111111111111", name: "Blue", expression: "true" }] });
    const datasetId = await createDataset(client, unionDataset("Export target"));
    const body = {
      fields: "identities.id,personalEmail.address",
      filter: { segments: [{ segmentId: "11111111-1111-4111-8111-111111111111", segmentNs: "ups", status: ["realized", "existing"] }] },
      destination: { datasetId, segmentPerBatch: false },
      schema: { name: "_xdm.context.profile" },
    };
    const job = await createExportJob(client, body);
    expect(job.status).toBe("NEW");
    expect(exportJobDatasetId(job)).toBe(datasetId);

    let current = await getExportJob(client, job.id);
    for (let i = 0; i < 50 && current.status !== "SUCCEEDED" && current.status !== "FAILED"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      current = await getExportJob(client, job.id);
    }
    expect(current.status).toBe("SUCCEEDED");

    const other = await createExportJob(client, body);
    await emu.clearRequests();
    const listed = await listExportJobs(client, { limit: 1 });
    expect(listed.map((j) => String(j.id)).sort()).toEqual([String(job.id), String(other.id)].sort());
    expect((await emu.requests()).log.filter((e) => e.route === "/data/core/ups/export/jobs").length).toBeGreaterThanOrEqual(2);
    await expect(cancelExportJob(client, other.id)).resolves.toMatchObject({ status: true });
    expect(isNotFound(await getExportJob(client, 987654321).catch((e) => e))).toBe(true);
  });
});

describe("query service", () => {
  it("submits a query and reads its state and errors", async () => {
    const submitted = await createQuery(client, { dbName: "prod:all", sql: "SELECT * FROM no_such_table", name: "smoke" });
    expect(submitted.state).toBe("SUBMITTED");
    let current = await getQuery(client, submitted.id);
    for (let i = 0; i < 50 && current.state !== "SUCCESS" && current.state !== "FAILED"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      current = await getQuery(client, submitted.id);
    }
    expect(current).toMatchObject({ id: submitted.id, state: "FAILED", request: { sql: "SELECT * FROM no_such_table" } });
    expect(current.errors?.[0]).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });
});
