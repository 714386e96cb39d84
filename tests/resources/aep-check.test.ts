/**
 * Bad inputs of the AEP resources fail in `check`, with the field named, before anything is
 * written to Adobe: `check` may look things up (audiences, the destination dataset) but never
 * sends a POST, PUT, PATCH or DELETE.
 */
import type { TestEmulator } from "../helpers/emulator";
import { startTestEmulator } from "../helpers/emulator";
import { GOLD, PERSON_ID_FIELD, PROFILE_UNION, seedAudiences, seedDataset, type SeededDataset } from "./aep-fixtures";
import { Engine, requestLines, startProvider, UNKNOWN, writes, type Props } from "./support";

const jobs = new Engine("aep:AudienceExportJob");
const transforms = new Engine("aep:AudienceMembershipTransform");
const datasets = new Engine("aep:Dataset");

let emu: TestEmulator;
let exportTarget: SeededDataset;
let profileDataset: SeededDataset;

beforeAll(async () => {
  emu = await startTestEmulator({ exportJobTimings: { newMs: 20, processingMs: 40 }, queryDurationMs: 30 });
  await seedAudiences(emu);
  exportTarget = await seedDataset(emu, "Segment Export Job Dataset for CJA", PROFILE_UNION);
  profileDataset = await seedDataset(emu, "Audience Membership Profile Dataset", "https://ns.adobe.com/acme/schemas/audience-membership");
  startProvider(emu);
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await emu.clearRequests();
});

function job(overrides: Props = {}): Props {
  return { audienceNames: [GOLD.name], fields: [PERSON_ID_FIELD], destinationDatasetId: exportTarget.id, pollIntervalSeconds: 0.1, ...overrides };
}

function transform(overrides: Props = {}): Props {
  return {
    sourceDatasetId: exportTarget.id,
    sourceBatchId: "01H00BKCTCADYRFACAAKJTVQ8P",
    targetDatasetId: profileDataset.id,
    tenantNamespace: "_acme",
    audienceIds: [GOLD.id],
    personIdField: PERSON_ID_FIELD,
    pollIntervalSeconds: 0.1,
    ...overrides,
  };
}

/** The failures of one `check`, and proof that it wrote nothing to Adobe. */
async function failuresOf(engine: Engine, news: Props): Promise<Array<{ property: string; reason: string }>> {
  const result = await engine.check(news);
  expect(await writes(emu)).toEqual([]);
  return result.failures ?? [];
}

describe("AudienceExportJob check", () => {
  it("accepts good inputs, fills the defaults, and only reads", async () => {
    const result = await jobs.check(job());

    expect(result.failures ?? []).toEqual([]);
    expect(result.inputs).toMatchObject({ statuses: ["realized", "existing"], timeoutSeconds: 3600 });
    expect(await writes(emu)).toEqual([]);
    expect(await requestLines(emu)).toEqual(expect.arrayContaining(["GET /data/core/ups/audiences 200", "GET /data/foundation/catalog/dataSets/:DATASET_ID 200"]));
  });

  it("refuses the exited status, as the guide says", async () => {
    const failures = await failuresOf(jobs, job({ statuses: ["realized", "exited"] }));

    expect(failures).toEqual([{ property: "statuses", reason: expect.stringContaining("exited") }]);
    expect(failures[0].reason).toMatch(/^\[1\]: /);
  });

  it("names an audience id that does not exist in the sandbox", async () => {
    const missing = "00000000-0000-4000-8000-00000000dead";
    const failures = await failuresOf(jobs, job({ audienceNames: undefined, audienceIds: [GOLD.id, missing] }));

    expect(failures).toEqual([{ property: "audienceIds", reason: `no audience ${missing} in sandbox prod` }]);
    expect(await requestLines(emu)).toContain("GET /data/core/ups/audiences/:AUDIENCE_ID 404");
  });

  it("names an audience name that matches no audience", async () => {
    const failures = await failuresOf(jobs, job({ audienceNames: [GOLD.name, "Gold"] }));

    // "Gold" is contained in "Gold Members" (Adobe's name filter is a contains match), but no audience is named exactly "Gold".
    expect(failures).toEqual([{ property: "audienceNames", reason: 'no audience is named "Gold" in sandbox prod' }]);
  });

  it("refuses a destination dataset that is not on the Profile union schema", async () => {
    const failures = await failuresOf(jobs, job({ destinationDatasetId: profileDataset.id }));

    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe("destinationDatasetId");
    expect(failures[0].reason).toContain(`"${profileDataset.name}" uses schema https://ns.adobe.com/acme/schemas/audience-membership`);
    expect(failures[0].reason).toContain("_xdm.context.profile__union");
  });

  it("names a destination dataset that does not exist", async () => {
    const failures = await failuresOf(jobs, job({ destinationDatasetId: "0123456789abcdef01234567" }));

    expect(failures).toEqual([{ property: "destinationDatasetId", reason: "no dataset 0123456789abcdef01234567 in sandbox prod" }]);
  });

  it("refuses an empty fields list", async () => {
    const failures = await failuresOf(jobs, job({ fields: [] }));

    expect(failures).toEqual([{ property: "fields", reason: expect.stringMatching(/profile id field/) }]);
  });

  it.each<[string, Props, string, RegExp]>([
    ["a poll interval of a microsecond", { pollIntervalSeconds: 1e-6 }, "pollIntervalSeconds", /^must be at least 0\.1 seconds$/],
    ["a poll interval over an hour", { pollIntervalSeconds: 1e7 }, "pollIntervalSeconds", /^must be at most 3600 seconds/],
    ["a timeout over Node's timers", { timeoutSeconds: 2 ** 31 }, "timeoutSeconds", /^must be at most 86400 seconds/],
  ])("bounds %s, naming the field, with no request", async (_what, overrides, property, reason) => {
    await emu.clearRequests();
    const failures = await failuresOf(jobs, job(overrides));
    expect(failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
    expect((await emu.requests()).log).toEqual([]);
  });

  it("asks for at least one audience", async () => {
    const failures = await failuresOf(jobs, job({ audienceNames: [] }));

    expect(failures).toEqual([{ property: "audienceIds", reason: expect.stringContaining("at least one audience") }]);
  });

  it("reports every bad input of one resource at once", async () => {
    const failures = await failuresOf(jobs, job({ audienceNames: ["No such audience"], destinationDatasetId: profileDataset.id }));

    expect(failures.map((f) => f.property).sort()).toEqual(["audienceNames", "destinationDatasetId"]);
  });

  it("during a preview, accepts a destination that is not known yet and still checks the audiences", async () => {
    const good = await jobs.check(job({ destinationDatasetId: UNKNOWN }));
    const bad = await failuresOf(jobs, job({ destinationDatasetId: UNKNOWN, audienceNames: ["Gold Member"] }));

    expect(good.failures ?? []).toEqual([]);
    expect(bad).toEqual([{ property: "audienceNames", reason: 'no audience is named "Gold Member" in sandbox prod' }]);
    const lines = await requestLines(emu);
    expect(lines).toContain("GET /data/core/ups/audiences 200");
    expect(lines.filter((l) => l.includes("/dataSets"))).toEqual([]);
  });

  it("during a preview, skips audiences that are not known yet", async () => {
    const result = await jobs.check(job({ audienceNames: undefined, audienceIds: [UNKNOWN, GOLD.id] }));

    expect(result.failures ?? []).toEqual([]);
    expect(await requestLines(emu)).not.toContain(`GET /data/core/ups/audiences/:AUDIENCE_ID 404`);
  });
});

describe("AudienceMembershipTransform check", () => {
  it("accepts good inputs and writes nothing", async () => {
    const result = await transforms.check(transform());

    expect(result.failures ?? []).toEqual([]);
    expect(await writes(emu)).toEqual([]);
  });

  it("refuses more than 10 audiences (CJA's substring split keeps 10 values)", async () => {
    const ids = Array.from({ length: 11 }, (_, i) => `3f1c9a52-7b1e-4c8a-9d2f-${String(i).padStart(12, "0")}`);
    const failures = await failuresOf(transforms, transform({ audienceIds: ids }));

    expect(failures).toEqual([{ property: "audienceIds", reason: expect.stringMatching(/at most 10/) }]);
  });

  it("accepts exactly 10 audiences", async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `3f1c9a52-7b1e-4c8a-9d2f-${String(i).padStart(12, "0")}`);

    expect((await transforms.check(transform({ audienceIds: ids }))).failures ?? []).toEqual([]);
  });

  it("refuses the exited status", async () => {
    const failures = await failuresOf(transforms, transform({ statuses: ["exited"] }));

    expect(failures).toEqual([{ property: "statuses", reason: expect.stringContaining("exited") }]);
  });

  it.each(["personalEmail.", "personalEmail..address", "identityMap['Email'].", "1abc", "email; DROP TABLE x"])("refuses the person id column %p", async (personIdField) => {
    const failures = await failuresOf(transforms, transform({ personIdField }));

    expect(failures).toEqual([{ property: "personIdField", reason: expect.stringContaining("column path") }]);
  });

  it.each(["personalEmail.address", "identityMap['Email'][0].id", "_acme.identification.core.email"])("accepts the person id column %p", async (personIdField) => {
    expect((await transforms.check(transform({ personIdField }))).failures ?? []).toEqual([]);
  });

  it("refuses an audience listed twice", async () => {
    const failures = await failuresOf(transforms, transform({ audienceIds: [GOLD.id, GOLD.id] }));

    expect(failures).toEqual([{ property: "audienceIds", reason: expect.stringContaining("twice") }]);
  });
});

describe("Dataset check", () => {
  it("asks for the schema of a dataset the stack creates", async () => {
    const failures = await failuresOf(datasets, { name: "Export target" });

    expect(failures).toEqual([{ property: "schemaId", reason: expect.stringContaining("_xdm.context.profile__union") }]);
  });

  it("refuses datasetId together with adoptExisting", async () => {
    const failures = await failuresOf(datasets, { name: "Export target", datasetId: exportTarget.id, adoptExisting: true });

    expect(failures).toEqual([{ property: "adoptExisting", reason: expect.stringContaining("not both") }]);
  });
});
