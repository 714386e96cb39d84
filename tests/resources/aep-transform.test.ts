/**
 * aep:AudienceMembershipTransform: the guide's Step 4 as a Query Service query over this run's
 * export batch. The profile dataset gets one row per person, the memberships under the tenant
 * namespace (ids and names joined with commas, or an array of objects), a row with none for who
 * left, and only the latest batch; a query that fails surfaces Query Service's own error.
 */
import type { TestEmulator } from "../helpers/emulator";
import { startTestEmulator } from "../helpers/emulator";
import {
  AUDIENCES,
  CART,
  GOLD,
  LAPSED,
  PERSON_ID_FIELD,
  PROFILE_UNION,
  SANDBOX_ADMIN,
  batchesOf,
  rowsOf,
  seedAudiences,
  seedDataset,
  seedMembershipSchema,
  type SeededDataset,
  type SeededSchema,
} from "./aep-fixtures";
import { captureStderr, Engine, rejectionOf, requestLines, startProvider, writes, type Deployed, type Props } from "./support";

const jobs = new Engine("aep:AudienceExportJob");
const transforms = new Engine("aep:AudienceMembershipTransform");
const QUERIES = "/data/foundation/query/queries";

let emu: TestEmulator;
let schema: SeededSchema;
let exportTarget: SeededDataset;
let profileDataset: SeededDataset;
let exported: Deployed;

beforeAll(async () => {
  emu = await startTestEmulator({ exportJobTimings: { newMs: 20, processingMs: 40 }, queryDurationMs: 30 });
});
afterAll(async () => {
  await emu?.close();
});
beforeEach(async () => {
  await emu.reset();
  await seedAudiences(emu);
  schema = await seedMembershipSchema(emu);
  exportTarget = await seedDataset(emu, "Segment Export Job Dataset for CJA", PROFILE_UNION);
  profileDataset = await seedDataset(emu, "Audience Membership Profile Dataset", schema.schemaId);
  startProvider(emu);
  exported = await exportAgain();
  await emu.clearRequests();
});

function exportAgain(): Promise<Deployed> {
  return jobs.create({ audienceIds: AUDIENCES.map((a) => a.id), fields: [PERSON_ID_FIELD], destinationDatasetId: exportTarget.id, pollIntervalSeconds: 0.1 });
}

function declared(overrides: Props = {}): Props {
  return {
    sourceDatasetId: exportTarget.id,
    sourceBatchId: exported.outs.batchId,
    targetDatasetId: profileDataset.id,
    tenantNamespace: schema.tenantNamespace,
    audienceIds: [GOLD.id, CART.id, LAPSED.id],
    personIdField: PERSON_ID_FIELD,
    pollIntervalSeconds: 0.1,
    ...overrides,
  };
}

/** The memberships each person holds in the profile dataset's rows, by person. */
function memberships(rows: Props[]): Record<string, Props> {
  return Object.fromEntries(rows.map((r) => [r.personID as string, r[schema.tenantNamespace] as Props]));
}

type Status = "realized" | "existing" | "exited";
/** The Profile store now holds these people with these memberships (people joined, changed, left). */
async function profilesNow(people: Record<string, Array<[{ id: string }, Status]>>): Promise<void> {
  const profiles = Object.entries(people).map(([email, ms]) => ({
    personalEmail: { address: email },
    segmentMembership: { ups: Object.fromEntries(ms.map(([a, status]) => [a.id, { status }])) },
  }));
  await emu.admin("POST", `${SANDBOX_ADMIN}/profiles`, { profiles, replace: true });
}

it("writes one row per person under the tenant namespace, audience ids and names joined with commas", async () => {
  const { result: transform, stderr } = await captureStderr(() => transforms.create(declared()));

  const rows = await rowsOf(emu, profileDataset.id);
  const byPerson = memberships(rows);
  expect(rows).toHaveLength(5);
  expect(rows.find((r) => r.personID === "ann@example.com")).toEqual({
    personID: "ann@example.com",
    [schema.tenantNamespace]: { audienceMembershipId: [CART.id, GOLD.id].sort().join(","), audienceMembershipIdName: [CART.name, GOLD.name].sort().join(",") },
  });
  expect(byPerson["bob@example.com"]).toEqual({ audienceMembershipId: GOLD.id, audienceMembershipIdName: GOLD.name });
  // cid left Gold Members (exited): only Lapsed Buyers is kept.
  expect(byPerson["cid@example.com"]).toEqual({ audienceMembershipId: LAPSED.id, audienceMembershipIdName: LAPSED.name });
  expect(byPerson["dee@example.com"]).toEqual({ audienceMembershipId: LAPSED.id, audienceMembershipIdName: LAPSED.name });
  expect(byPerson["eve@example.com"]).toEqual({ audienceMembershipId: CART.id, audienceMembershipIdName: CART.name });

  const query = await emu.call<Props>("GET", `${QUERIES}/${transform.id}`);
  expect(query.body).toMatchObject({ state: "SUCCESS", rowCount: 5 });
  expect(transform.outs).toMatchObject({
    queryId: transform.id,
    state: "SUCCESS",
    sourceTable: exportTarget.table,
    targetTable: profileDataset.table,
    audienceNames: [GOLD.name, CART.name, LAPSED.name],
  });
  expect((query.body.request as Props).sql).toBe(transform.outs.sql);
  expect(transform.outs.sql).toContain(`INSERT INTO ${profileDataset.table}`);
  expect(transform.outs.sql).toContain(`FROM ${exportTarget.table}`);
  expect(transform.outs.sql).toContain(`${PERSON_ID_FIELD} AS personID`);
  expect(transform.outs.sql).toContain(`_acp_batchid = '${exported.outs.batchId}'`);
  expect(transform.outs.sql).toContain(`AS ${schema.tenantNamespace}`);
  expect(transform.outs.sql).toContain("value.status IN ('realized', 'existing')");
  expect(transform.outs).toMatchObject({ rowCount: 5, deletedBatchIds: [] });
  expect((query.body.request as Props).dbName).toBe("prod:all");

  expect(await writes(emu)).toEqual([`POST ${QUERIES} 202`]);
  const progress = stderr.split("\n").filter((l) => l.includes(`query ${transform.id}`));
  for (const line of progress) expect(line).toMatch(/^AudienceMembershipTransform: query \S+ (SUBMITTED|IN_PROGRESS|SUCCESS) \(\d+ s elapsed\)$/);
  expect(progress[progress.length - 1]).toContain("SUCCESS");
});

it("keeps only the listed audiences and statuses", async () => {
  const transform = await transforms.create(declared({ audienceIds: [GOLD.id], statuses: ["realized"] }));

  expect(transform.outs.audienceNames).toEqual([GOLD.name]);
  expect(await rowsOf(emu, profileDataset.id)).toEqual([
    { personID: "ann@example.com", [schema.tenantNamespace]: { audienceMembershipId: GOLD.id, audienceMembershipIdName: GOLD.name } },
    { personID: "bob@example.com", [schema.tenantNamespace]: { audienceMembershipId: GOLD.id, audienceMembershipIdName: GOLD.name } },
  ]);
});

it("writes an array of objects with the objectArray layout", async () => {
  await transforms.create(declared({ layout: "objectArray" }));

  const byPerson = memberships(await rowsOf(emu, profileDataset.id));
  const gold = { audienceMembershipId: GOLD.id, audienceMembershipIdName: GOLD.name };
  const cart = { audienceMembershipId: CART.id, audienceMembershipIdName: CART.name };
  expect(byPerson["ann@example.com"]).toEqual({ audienceMemberships: [CART.id < GOLD.id ? cart : gold, CART.id < GOLD.id ? gold : cart] });
  expect(byPerson["bob@example.com"]).toEqual({ audienceMemberships: [gold] });
  expect(Object.keys(byPerson).sort()).toEqual(["ann@example.com", "bob@example.com", "cid@example.com", "dee@example.com", "eve@example.com"]);
});

it("over three exports holds exactly each person's current memberships, one row per person, and clears who left", async () => {
  const run = async () => transforms.create(declared({ sourceBatchId: (await exportAgain()).outs.batchId }));
  await transforms.create(declared());

  // ann leaves Gold, bob leaves everything, fay joins Cart; cid, dee and eve left the Profile store.
  await profilesNow({ "ann@example.com": [[GOLD, "exited"], [CART, "existing"]], "bob@example.com": [[GOLD, "exited"]], "fay@example.com": [[CART, "realized"]] });
  const second = await run();
  expect(memberships(await rowsOf(emu, profileDataset.id))).toEqual({
    "ann@example.com": { audienceMembershipId: CART.id, audienceMembershipIdName: CART.name },
    "bob@example.com": { audienceMembershipId: "", audienceMembershipIdName: "" },
    "cid@example.com": { audienceMembershipId: "", audienceMembershipIdName: "" },
    "dee@example.com": { audienceMembershipId: "", audienceMembershipIdName: "" },
    "eve@example.com": { audienceMembershipId: "", audienceMembershipIdName: "" },
    "fay@example.com": { audienceMembershipId: CART.id, audienceMembershipIdName: CART.name },
  });
  expect(second.outs.deletedBatchIds).toHaveLength(2);

  // Nobody changes: who was cleared gets no row again; the dataset keeps its latest batch only.
  const third = await run();
  expect(memberships(await rowsOf(emu, profileDataset.id))).toEqual({
    "ann@example.com": { audienceMembershipId: CART.id, audienceMembershipIdName: CART.name },
    "fay@example.com": { audienceMembershipId: CART.id, audienceMembershipIdName: CART.name },
  });
  expect(await batchesOf(emu, profileDataset.id)).toHaveLength(1);
  expect(await batchesOf(emu, exportTarget.id)).toEqual([third.outs.sourceBatchId]);
});

it("fails with Query Service's schema error, and writes nothing, when the profile dataset's schema lacks the fields", async () => {
  const other = await seedMembershipSchema(emu, { somethingElse: { type: "string" } }, "Other schema");
  const target = await seedDataset(emu, "Profile dataset without the audience fields", other.schemaId);

  const error = await rejectionOf(() => transforms.create(declared({ targetDatasetId: target.id })));

  expect(error.message).toMatch(/ended FAILED: 58000: ErrorCode: 58000 Error validating schema .*audienceMembershipId/);
  expect(await rowsOf(emu, target.id)).toEqual([]);
});

it("takes the export job's resolved audiences and destination, as a program wires them", async () => {
  const transform = await transforms.create(
    declared({ sourceDatasetId: exported.outs.destinationDatasetId, audienceIds: exported.outs.resolvedAudienceIds }),
  );

  expect(transform.outs.state).toBe("SUCCESS");
  expect(await rowsOf(emu, profileDataset.id)).toHaveLength(5);
});

it("fails before any query when the target dataset does not exist, with Catalog's 404 for it", async () => {
  const error = await rejectionOf(() => transforms.create(declared({ targetDatasetId: "0123456789abcdef01234567" })));

  expect(error.message).toContain("/dataSets/0123456789abcdef01234567");
  expect(error.message).toMatch(/\b404\b/);
  expect(await writes(emu)).toEqual([]);
});

it("re-runs when triggers or audiences change; waiting settings change in place", async () => {
  const transform = await transforms.create(declared({ triggers: [exported.outs.jobId as string] }));

  expect(await transforms.preview(transform, declared({ triggers: ["another job"] }))).toMatchObject({ changes: true, replaces: ["triggers"] });
  expect(await transforms.preview(transform, declared({ triggers: [exported.outs.jobId as string], audienceIds: [GOLD.id] }))).toMatchObject({
    changes: true,
    replaces: ["audienceIds"],
  });
  expect(await transforms.preview(transform, declared({ triggers: [exported.outs.jobId as string], timeoutSeconds: 60 }))).toMatchObject({
    changes: true,
    replaces: [],
  });
});

it("refresh reads the query's state; delete only releases it (the rows stay)", async () => {
  const transform = await transforms.create(declared());
  await emu.clearRequests();

  expect((await transforms.refresh(transform))?.outs).toMatchObject({ state: "SUCCESS", queryId: transform.id });
  expect(await transforms.refresh({ ...transform, id: "00000000-0000-4000-8000-000000000000" })).toBeUndefined();
  await transforms.destroy(transform);

  expect(await writes(emu)).toEqual([]);
  expect(await rowsOf(emu, profileDataset.id)).toHaveLength(5);
});

it("adopts the query when its submit timed out while Query Service ran it, so the rows are written once", async () => {
  // The client gives up on the POST after 200 ms; Query Service takes the query 300 ms after it arrived.
  startProvider(emu, { "adobe:requestTimeoutMs": "200" });
  await emu.setFaults({ script: [{ match: { method: "POST", route: QUERIES }, times: 1, action: { delayMs: 300 } }] });

  const transform = await transforms.create(declared());
  await emu.setFaults({});

  const posts = (await requestLines(emu)).filter((l) => l.startsWith(`POST ${QUERIES}`));
  const listed = (await emu.call<{ queries: Props[] }>("GET", QUERIES)).body.queries;
  expect(posts).toEqual([`POST ${QUERIES} 202`]);
  expect(listed.map((q) => q.id)).toEqual([transform.id]);
  expect(await rowsOf(emu, profileDataset.id)).toHaveLength(5);
});

it("carries an ownership key per run in its description: a create run again after a crash waits for that query, a new triggers value runs a new one", async () => {
  const owner = { __owner: "organization/audiences-cja/dev/aep:AudienceMembershipTransform/membership" };
  const first = await transforms.create(declared({ ...owner, triggers: ["2026-12-01"] }));
  const listed = (await emu.call<{ queries: Array<{ id: string; request: { description: string } }> }>("GET", QUERIES)).body.queries;
  expect(listed.find((q) => q.id === first.id)?.request.description).toMatch(/\n\n\[pulumi:[0-9a-f-]{36}\]$/);
  startProvider(emu);
  await emu.clearRequests();

  const again = await transforms.create(declared({ ...owner, triggers: ["2026-12-01"] }));

  expect(again.id).toBe(first.id);
  expect((await requestLines(emu)).filter((l) => l.startsWith(`POST ${QUERIES}`))).toEqual([]);
  expect(await rowsOf(emu, profileDataset.id)).toHaveLength(5);

  const next = await transforms.create(declared({ ...owner, triggers: ["2026-12-02"] }));
  expect(next.id).not.toBe(first.id);
  const otherStack = await transforms.create(declared({ __owner: "organization/audiences-cja/prod/aep:AudienceMembershipTransform/membership", triggers: ["2026-12-01"] }));
  expect(otherStack.id).not.toBe(first.id);
});

describe("when the query fails", () => {
  let slow: TestEmulator;

  beforeAll(async () => {
    // Queries run 2 s here, so the test can act while one runs.
    slow = await startTestEmulator({ queryDurationMs: 2000 });
  });
  afterAll(async () => {
    await slow?.close();
  });

  it("surfaces Query Service's error code and message", async () => {
    await seedAudiences(slow);
    const source = await seedDataset(slow, "Segment Export Job Dataset for CJA", PROFILE_UNION, [
      { personalEmail: { address: "ann@example.com" }, segmentMembership: { ups: { [GOLD.id]: { status: "realized" } } } },
    ]);
    const slowSchema = await seedMembershipSchema(slow);
    const target = await seedDataset(slow, "Audience Membership Profile Dataset", slowSchema.schemaId);
    const { batches } = await slow.admin<{ batches: Array<{ id: string }> }>("GET", `${SANDBOX_ADMIN}/datasets/${source.id}/rows`);
    startProvider(slow);

    // Someone deletes the profile dataset while the query runs: Query Service fails it (42P01).
    const pending = rejectionOf(() =>
      transforms.create(declared({ sourceDatasetId: source.id, sourceBatchId: batches[0].id, targetDatasetId: target.id, tenantNamespace: slowSchema.tenantNamespace, audienceIds: [GOLD.id] })),
    );
    await until(async () => (await requestLines(slow)).includes(`POST ${QUERIES} 202`));
    expect(await slow.call("DELETE", `/data/foundation/catalog/dataSets/${target.id}`)).toMatchObject({ status: 200 });

    const error = await pending;

    const [query] = (await slow.call<{ queries: Props[] }>("GET", QUERIES)).body.queries;
    expect(query.state).toBe("FAILED");
    expect(error.message).toContain(`query ${query.id} ended FAILED`);
    expect(error.message).toContain(`42P01: ErrorCode: 42P01 relation "${target.table}" does not exist`);
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("condition not reached");
}
