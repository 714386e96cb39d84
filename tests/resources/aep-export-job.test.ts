/**
 * aep:AudienceExportJob, driven as the engine drives it against the emulator: a job runs to its
 * final status (rows land in the Profile union dataset), a failure surfaces Adobe's error, a
 * timeout cancels the job, delete cancels a running job, triggers and inputs replace it.
 */
import type { TestEmulator } from "../helpers/emulator";
import {
  AUDIENCES,
  CART,
  catalogDataset,
  emailsOfRows,
  expectedMembers,
  exportJob,
  exportJobs,
  GOLD,
  LAPSED,
  PERSON_ID_FIELD,
  PROFILE_UNION,
  rowsOf,
  SANDBOX_ADMIN,
  seedAudiences,
  seedDataset,
  type SeededDataset,
} from "./aep-fixtures";
import { captureStderr, Engine, rejectionOf, requestLines, startProvider, writes, type Deployed, type Props } from "./support";
import { startTestEmulator } from "../helpers/emulator";

const jobs = new Engine("aep:AudienceExportJob");
const EXPORT_JOBS = "/data/core/ups/export/jobs";

function declared(destinationDatasetId: string, overrides: Props = {}): Props {
  return {
    audienceNames: [GOLD.name, CART.name],
    statuses: ["realized", "existing"],
    fields: [PERSON_ID_FIELD, "person.name.firstName"],
    destinationDatasetId,
    timeoutSeconds: 30,
    pollIntervalSeconds: 0.1,
    ...overrides,
  };
}

describe("with jobs that finish quickly", () => {
  let emu: TestEmulator;
  let target: SeededDataset;

  beforeAll(async () => {
    emu = await startTestEmulator({ exportJobTimings: { newMs: 20, processingMs: 40 }, queryDurationMs: 30 });
  });
  afterAll(async () => {
    await emu?.close();
  });
  beforeEach(async () => {
    await emu.reset();
    await seedAudiences(emu);
    target = await seedDataset(emu, "Segment Export Job Dataset for CJA", PROFILE_UNION);
    startProvider(emu);
    await emu.clearRequests();
  });

  it("runs the job to SUCCEEDED and outputs its id, status, profile count, batch and destination; the members land in the dataset", async () => {
    const { result: job, stderr } = await captureStderr(() => jobs.create(declared(target.id)));

    const live = await exportJob(emu, job.id);
    const rows = await rowsOf(emu, target.id);
    expect(job.outs).toMatchObject({
      jobId: String(live.id),
      status: "SUCCEEDED",
      profileCount: expectedMembers([GOLD, CART]).length,
      batchId: (live.destination as Props).batchId,
      destinationDatasetId: target.id,
      resolvedAudienceIds: [GOLD.id, CART.id],
    });
    expect(job.outs.batchId).toMatch(/^\w{8,}$/);
    expect(JSON.parse(JSON.stringify(job.outs))).toEqual(job.outs);

    // What Adobe was asked for: both audiences, realized and existing only, the declared fields.
    expect(live).toMatchObject({
      status: "SUCCEEDED",
      fields: `${PERSON_ID_FIELD},person.name.firstName`,
      schema: { name: "_xdm.context.profile" },
      filter: {
        segments: [
          { segmentId: GOLD.id, segmentNs: "ups", status: ["realized", "existing"] },
          { segmentId: CART.id, segmentNs: "ups", status: ["realized", "existing"] },
        ],
      },
    });
    expect(emailsOfRows(rows)).toEqual(expectedMembers([GOLD, CART]));
    expect(rows.every((r) => r.segmentMembership !== undefined)).toBe(true);
    expect(rows.some((r) => "identityMap" in r)).toBe(false);

    // One job posted, then polled until final; progress lines name the job, its status and the time waited.
    const lines = await requestLines(emu);
    expect(lines.filter((l) => l.startsWith(`POST ${EXPORT_JOBS} `))).toEqual([`POST ${EXPORT_JOBS} 200`]);
    expect(await writes(emu)).toEqual([`POST ${EXPORT_JOBS} 200`]);
    const progress = stderr.split("\n").filter((l) => l.includes(`export job ${live.id}`));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const line of progress) expect(line).toMatch(/^AudienceExportJob: export job \d+ (NEW|PROCESSING|SUCCEEDED) \(\d+ s elapsed\)$/);
    expect(progress[progress.length - 1]).toContain("SUCCEEDED");
  });

  it("surfaces Adobe's error code and message when the job FAILS, and keeps nothing in the stack", async () => {
    await emu.admin("PUT", `${SANDBOX_ADMIN}/export-jobs/next-failure`, {
      code: "0090000009",
      msg: "Error writing profiles to output path /acp_export/prod",
    });

    const error = await rejectionOf(() => jobs.create(declared(target.id)));

    const [failed] = await exportJobs(emu);
    expect(failed.status).toBe("FAILED");
    expect(error.message).toContain(`export job ${failed.id} FAILED`);
    expect(error.message).toContain("0090000009: Error writing profiles to output path /acp_export/prod");
    expect(await rowsOf(emu, target.id)).toEqual([]);
  });

  it("keeps waiting when status reads fail past their retries, so the job is not left behind for the next run to submit again", async () => {
    // Each status read gets 2 attempts; the first two reads are throttled throughout.
    startProvider(emu, { "adobe:maxRetries": "1" });
    await emu.setFaults({ script: [{ match: { method: "GET", route: `${EXPORT_JOBS}/:EXPORT_JOB_ID` }, times: 4, action: { status: 429 } }] });

    const job = await jobs.create(declared(target.id));
    await emu.setFaults({});

    expect(job.outs.status).toBe("SUCCEEDED");
    expect((await exportJobs(emu)).map((j) => String(j.id))).toEqual([job.id]);
    expect((await requestLines(emu)).filter((l) => l.startsWith(`GET ${EXPORT_JOBS}/:EXPORT_JOB_ID 429`))).toHaveLength(4);
  });

  it("exports by audience id as well as by name", async () => {
    const job = await jobs.create(declared(target.id, { audienceNames: undefined, audienceIds: [LAPSED.id] }));

    expect(job.outs).toMatchObject({ status: "SUCCEEDED", resolvedAudienceIds: [LAPSED.id], profileCount: expectedMembers([LAPSED]).length });
    expect(emailsOfRows(await rowsOf(emu, target.id))).toEqual(expectedMembers([LAPSED]));
  });

  it("re-runs when triggers change: the diff replaces on triggers, and the replacement is a new job", async () => {
    const first = await jobs.create(declared(target.id, { triggers: ["2024-05-01"] }));

    const same = await jobs.preview(first, declared(target.id, { triggers: ["2024-05-01"] }));
    expect(same).toMatchObject({ changes: false, replaces: [] });

    await emu.clearRequests();
    const bumped = declared(target.id, { triggers: ["2024-05-02"] });
    const diff = await jobs.preview(first, bumped);
    expect(diff).toMatchObject({ changes: true, replaces: ["triggers"] });
    expect(await writes(emu)).toEqual([]);

    // The engine replaces: create the new one, then delete the old one.
    const second = await jobs.create(bumped);
    await jobs.destroy(first);

    expect(second.outs.jobId).not.toBe(first.outs.jobId);
    expect(second.outs.status).toBe("SUCCEEDED");
    expect((await exportJobs(emu)).map((j) => String(j.id)).sort()).toEqual([first.outs.jobId, second.outs.jobId].sort());
    // A finished job is only released: its delete sends no cancel.
    expect(await writes(emu)).toEqual([`POST ${EXPORT_JOBS} 200`]);
    expect(await rowsOf(emu, target.id)).toHaveLength(2 * expectedMembers([GOLD, CART]).length);
  });

  it.each([
    ["audienceNames", { audienceNames: [GOLD.name] }],
    ["statuses", { statuses: ["realized"] }],
    ["fields", { fields: [PERSON_ID_FIELD] }],
    ["qualificationTime", { qualificationTime: { startTime: "2024-01-01T00:00:00Z" } }],
  ])("replaces the job when %s changes", async (key, change) => {
    const job = await jobs.create(declared(target.id));
    await emu.clearRequests();

    const diff = await jobs.preview(job, declared(target.id, change));

    expect(diff.changes).toBe(true);
    expect(diff.replaces).toEqual([key]);
    expect(await writes(emu)).toEqual([]);
  });

  it("replaces the job when the destination changes", async () => {
    const other = await seedDataset(emu, "Another export dataset", PROFILE_UNION);
    const job = await jobs.create(declared(target.id));

    const diff = await jobs.preview(job, declared(other.id));

    expect(diff).toMatchObject({ changes: true, replaces: ["destinationDatasetId"] });
  });

  it("changes the waiting settings in place, without a new job", async () => {
    const job = await jobs.create(declared(target.id));
    await emu.clearRequests();

    const news = declared(target.id, { pollIntervalSeconds: 0.2, timeoutSeconds: 60 });
    const diff = await jobs.preview(job, news);
    const updated = await jobs.update(job, news);

    expect(diff).toMatchObject({ changes: true, replaces: [] });
    expect(updated.outs).toMatchObject({ jobId: job.outs.jobId, status: "SUCCEEDED", pollIntervalSeconds: 0.2, timeoutSeconds: 60 });
    expect(await writes(emu)).toEqual([]);
  });

  it("refresh reads the job's live status, and reports it gone when Adobe no longer has it", async () => {
    const job = await jobs.create(declared(target.id));

    const refreshed = await jobs.refresh(job);
    const gone = await jobs.refresh({ ...job, id: "999999" });

    expect(refreshed?.outs).toMatchObject({ jobId: job.outs.jobId, status: "SUCCEEDED", batchId: job.outs.batchId });
    expect(gone).toBeUndefined();
  });

  it("delete of a job Adobe no longer has is done", async () => {
    const job = await jobs.create(declared(target.id));
    await emu.clearRequests();

    await expect(jobs.destroy({ ...job, id: "999999" })).resolves.toBeUndefined();
    expect(await writes(emu)).toEqual([]);
  });

  it("exports every audience of the sandbox when asked by name, one segment filter each", async () => {
    const job = await jobs.create(declared(target.id, { audienceNames: AUDIENCES.map((a) => a.name) }));

    expect(job.outs.resolvedAudienceIds).toEqual(AUDIENCES.map((a) => a.id));
    expect(emailsOfRows(await rowsOf(emu, target.id))).toEqual(expectedMembers(AUDIENCES));
  });
});

describe("with jobs that take long", () => {
  let emu: TestEmulator;
  let target: SeededDataset;

  beforeAll(async () => {
    // A job is PROCESSING from its first read on, and for longer than any test waits.
    emu = await startTestEmulator({ exportJobTimings: { newMs: 0, processingMs: 600_000 }, queryDurationMs: 30 });
  });
  afterAll(async () => {
    await emu?.close();
  });
  beforeEach(async () => {
    await emu.reset();
    await seedAudiences(emu);
    target = await seedDataset(emu, "Segment Export Job Dataset for CJA", PROFILE_UNION);
    startProvider(emu);
    await emu.clearRequests();
  });

  it("gives up after timeoutSeconds with a clear error, and cancels the job in Adobe", async () => {
    const { result: error, stderr } = await captureStderr(() => rejectionOf(() => jobs.create(declared(target.id, { timeoutSeconds: 0.3 }))));

    const [job] = await exportJobs(emu);
    expect(error.message).toContain(`export job ${job.id} did not finish within 0.3 s`);
    expect(error.message).toContain("last status PROCESSING");
    expect(error.message).toContain("it was cancelled");
    expect(job.status).toBe("FAILED");
    expect(job.errors).toEqual([expect.objectContaining({ code: "cancelled" })]);
    expect(await writes(emu)).toEqual([`POST ${EXPORT_JOBS} 200`, `DELETE ${EXPORT_JOBS}/:EXPORT_JOB_ID 200`]);
    // Progress while waiting: each read logged with the status and the time waited.
    const progress = stderr.split("\n").filter((l) => l.includes(`export job ${job.id}`));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const line of progress) expect(line).toMatch(/^AudienceExportJob: export job \d+ PROCESSING \(\d+ s elapsed\)$/);
    expect(await rowsOf(emu, target.id)).toEqual([]);
  });

  it("delete of a job that is still PROCESSING cancels it", async () => {
    const posted = await emu.call<Props>("POST", EXPORT_JOBS, {
      body: {
        fields: PERSON_ID_FIELD,
        filter: { segments: [{ segmentId: GOLD.id, segmentNs: "ups", status: ["realized", "existing"] }] },
        destination: { datasetId: target.id, segmentPerBatch: false },
        schema: { name: "_xdm.context.profile" },
      },
    });
    expect(posted.status).toBe(200);
    const id = String(posted.body.id);
    // Outputs as a stack that lost track mid-run would hold them (e.g. an interrupted `up`).
    const running: Deployed = { id, outs: { ...declared(target.id), jobId: id, status: "PROCESSING" }, inputs: declared(target.id) };
    await emu.clearRequests();

    await jobs.destroy(running);

    const live = await exportJob(emu, id);
    expect(live.status).toBe("FAILED");
    expect(live.errors).toEqual([expect.objectContaining({ code: "cancelled" })]);
    expect(await writes(emu)).toEqual([`DELETE ${EXPORT_JOBS}/:EXPORT_JOB_ID 200`]);
  });
});

describe("when the destination was deleted before the job ran", () => {
  let emu: TestEmulator;

  beforeAll(async () => {
    emu = await startTestEmulator({ exportJobTimings: { newMs: 20, processingMs: 40 } });
    await seedAudiences(emu);
    startProvider(emu);
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("create fails with Segmentation's own error for the missing dataset", async () => {
    const error = await rejectionOf(() => jobs.handler.create({ ...declared("0123456789abcdef01234567"), statuses: ["realized", "existing"] }));

    expect(error.message).toContain("UPLIB-101554-503");
    expect(error.message).toContain("0123456789abcdef01234567");
    expect(await catalogDataset(emu, "0123456789abcdef01234567")).toBeUndefined();
  });
});
