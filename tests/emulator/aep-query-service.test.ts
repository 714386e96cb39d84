import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { aepClient, membershipSchema, membershipTransformSql, pollUntil, profileUnionDataset, sandboxAdmin, type AepClient } from "./aep-support";

const JOBS = "/data/core/ups/export/jobs";
const DATASETS = "/data/foundation/catalog/dataSets";
const QUERIES = "/data/foundation/query/queries";
const BLUE_PLUS = "52c26d0d-45f2-47a2-ab30-ed06abc981ff";
const GOLD = "6f3a1c2e-0b4d-4e5f-8a9b-0c1d2e3f4a5b";
const OTHER = "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a";
const AUDIENCES = [
  { id: BLUE_PLUS, name: "Luma - Blue+ Members" },
  { id: GOLD, name: "Luma - Gold Members" },
];

const PROFILES = [
  { _luma: { identification: { core: { email: "ann@example.com" } } }, segmentMembership: { ups: { [BLUE_PLUS]: { status: "realized" }, [GOLD]: { status: "existing" }, [OTHER]: { status: "realized" } } } },
  { _luma: { identification: { core: { email: "bob@example.com" } } }, segmentMembership: { ups: { [GOLD]: { status: "realized" }, [BLUE_PLUS]: { status: "exited" } } } },
  { _luma: { identification: { core: { email: "cy@example.com" } } }, segmentMembership: { ups: { [BLUE_PLUS]: { status: "existing" } } } },
  { _luma: { identification: { core: { email: "dee@example.com" } } }, segmentMembership: { ups: { [OTHER]: { status: "realized" } } } },
];

describe("AEP emulator: Query Service", () => {
  let emulator: TestEmulator;
  let prod: AepClient;

  beforeAll(async () => {
    emulator = await startTestEmulator({ exportJobTimings: { newMs: 20, processingMs: 40 }, queryDurationMs: 100 });
    prod = await aepClient(emulator);
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());

  const rowsOf = (id: string) => emulator.admin<{ rows: any[] }>("GET", `${sandboxAdmin()}/datasets/${id}/rows`).then((r) => r.rows);
  const datasetIdOf = (res: { body: string[] }) => res.body[0].replace("@/dataSets/", "");
  const waitForQuery = (id: string) =>
    pollUntil(() => prod.call("GET", `${QUERIES}/${id}`).then((r) => r.body), (q) => !["SUBMITTED", "IN_PROGRESS"].includes(q.state));

  async function exportAudiences(): Promise<{ exportDatasetId: string; targetDatasetId: string; sourceTable: string; targetTable: string; tenant: string }> {
    await emulator.admin("POST", `${sandboxAdmin()}/audiences`, { audiences: [...AUDIENCES, { id: OTHER, name: "Other" }] });
    await emulator.admin("POST", `${sandboxAdmin()}/profiles`, { profiles: PROFILES });
    const exportDatasetId = datasetIdOf(await prod.call("POST", DATASETS, profileUnionDataset("Segment Export Job Dataset for CJA")));
    const job = await prod.call("POST", JOBS, {
      fields: "_luma.identification.core.email",
      filter: { segments: AUDIENCES.map((a) => ({ segmentId: a.id, segmentNs: "ups", status: ["realized", "existing"] })) },
      destination: { datasetId: exportDatasetId, segmentPerBatch: false },
      schema: { name: "_xdm.context.profile" },
    });
    await pollUntil(() => prod.call("GET", `${JOBS}/${job.body.id}`).then((r) => r.body.status), (s) => s === "SUCCEEDED");
    const { schemaId, tenant } = await membershipSchema(prod);
    const targetDatasetId = datasetIdOf(
      await prod.call("POST", DATASETS, { name: "Audience Membership for CJA", schemaRef: { id: schemaId, contentType: "application/vnd.adobe.xed+json;version=1" } }),
    );
    const tags = (await prod.call("GET", `${DATASETS}/${exportDatasetId},${targetDatasetId}?properties=tags`)).body;
    return {
      exportDatasetId,
      targetDatasetId,
      sourceTable: tags[exportDatasetId].tags["adobe/pqs/table"][0],
      targetTable: tags[targetDatasetId].tags["adobe/pqs/table"][0],
      tenant,
    };
  }

  it("runs the audience membership transform: one row per person, comma-joined ids and names under the tenant namespace", async () => {
    const flow = await exportAudiences();
    expect(flow).toMatchObject({ sourceTable: "segment_export_job_dataset_for_cja", targetTable: "audience_membership_for_cja" });
    const sql = membershipTransformSql({
      targetTable: flow.targetTable,
      sourceTable: flow.sourceTable,
      personIdColumn: "_luma.identification.core.email",
      tenant: flow.tenant,
      audiences: AUDIENCES,
    });
    const created = await prod.call("POST", QUERIES, { dbName: "prod:all", sql, name: "Audience membership transform" });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      state: "SUBMITTED",
      isInsertInto: true,
      isCTAS: false,
      rowCount: 0,
      errors: [],
      request: { dbName: "prod:all", sql, name: "Audience membership transform" },
      client: "API",
    });
    expect(await rowsOf(flow.targetDatasetId)).toEqual([]);

    const seen = await waitForQuery(created.body.id);
    expect([...new Set(["SUBMITTED", ...seen.map((q) => q.state)])]).toEqual(["SUBMITTED", "IN_PROGRESS", "SUCCESS"]);
    const done = seen[seen.length - 1];
    expect(done).toMatchObject({ state: "SUCCESS", errors: [], rowCount: 3 });
    expect(Date.parse(done.updated) - Date.parse(done.created)).toBe(100);
    expect(done._links.referenced_datasets.map((d: { id: string }) => d.id)).toEqual([flow.exportDatasetId, flow.targetDatasetId]);

    const under = (audienceMembershipId: string, audienceMembershipIdName: string) => ({ [flow.tenant]: { audienceMembershipId, audienceMembershipIdName } });
    expect(await rowsOf(flow.targetDatasetId)).toEqual([
      { personID: "ann@example.com", ...under([BLUE_PLUS, GOLD].sort().join(","), "Luma - Blue+ Members,Luma - Gold Members") },
      { personID: "bob@example.com", ...under(GOLD, "Luma - Gold Members") },
      { personID: "cy@example.com", ...under(BLUE_PLUS, "Luma - Blue+ Members") },
    ]);
    // Reading the query again does not run it again.
    await prod.call("GET", `${QUERIES}/${created.body.id}`);
    expect(await rowsOf(flow.targetDatasetId)).toHaveLength(3);
  });

  it("honours the status list of the statement", async () => {
    const flow = await exportAudiences();
    const sql = membershipTransformSql({ ...flow, personIdColumn: "_luma.identification.core.email", audiences: AUDIENCES, statuses: ["realized"] });
    const created = await prod.call("POST", QUERIES, { dbName: "prod:all", sql });
    await waitForQuery(created.body.id);
    expect(await rowsOf(flow.targetDatasetId)).toEqual([
      { personID: "ann@example.com", [flow.tenant]: { audienceMembershipId: BLUE_PLUS, audienceMembershipIdName: "Luma - Blue+ Members" } },
      { personID: "bob@example.com", [flow.tenant]: { audienceMembershipId: GOLD, audienceMembershipIdName: "Luma - Gold Members" } },
    ]);
  });

  it("fails an INSERT whose columns are not in the target's schema (custom fields outside the tenant namespace), writing nothing", async () => {
    const flow = await exportAudiences();
    const sql = membershipTransformSql({ ...flow, personIdColumn: "_luma.identification.core.email", audiences: AUDIENCES }).replace(` ${flow.tenant}\n`, " audiences\n");
    const created = await prod.call("POST", QUERIES, { dbName: "prod:all", sql });
    const seen = await waitForQuery(created.body.id);
    expect(seen[seen.length - 1]).toMatchObject({ state: "FAILED", rowCount: 0, errors: [{ code: "58000", errorType: "USER_ERROR", message: expect.stringMatching(/Error validating schema .*audiences is not a field of the schema/) }] });
    expect(await rowsOf(flow.targetDatasetId)).toEqual([]);
  });

  it("runs a SELECT (rowCount, nothing written) and fails a statement Query Service does not run, or text that is not SQL, in errors[]", async () => {
    await emulator.admin("POST", `${sandboxAdmin()}/datasets`, { datasets: [{ name: "accounts", rows: [{ id: 1 }, { id: 2 }] }] });
    const select = await prod.call("POST", QUERIES, { dbName: "prod:all", sql: "SELECT * FROM accounts WHERE id > 1;" });
    expect(select.status).toBe(202);
    const selected = await waitForQuery(select.body.id);
    expect(selected[selected.length - 1]).toMatchObject({ state: "SUCCESS", rowCount: 1, errors: [] });

    for (const sql of ["UPDATE accounts SET id = 3", "INSERT OVERWRITE INTO accounts SELECT * FROM accounts"]) {
      const unsupported = await prod.call("POST", QUERIES, { dbName: "prod:all", sql });
      const seen = await waitForQuery(unsupported.body.id);
      expect(seen[seen.length - 1]).toMatchObject({ state: "FAILED", rowCount: 0, errors: [{ code: "0A000", errorType: "USER_ERROR", message: expect.stringContaining("feature not supported") }] });
    }

    const garbage = await prod.call("POST", QUERIES, { dbName: "prod:all", sql: "SELEC personID FROM accounts" });
    const failed = await waitForQuery(garbage.body.id);
    expect(failed[failed.length - 1].errors).toEqual([{ code: "42601", errorType: "USER_ERROR", message: expect.stringContaining('"SELEC"') }]);
  });

  it("fails the transform with 42P01 when a table does not exist", async () => {
    const sql = membershipTransformSql({ targetTable: "no_such_target", sourceTable: "no_such_source", personIdColumn: "personalEmail.address", tenant: "_luma", audiences: AUDIENCES });
    const created = await prod.call("POST", QUERIES, { dbName: "prod:all", sql });
    const seen = await waitForQuery(created.body.id);
    expect(seen[seen.length - 1]).toMatchObject({ state: "FAILED", errors: [{ code: "42P01", errorType: "USER_ERROR", message: expect.stringContaining("no_such_target") }] });
  });

  it("cancels a running query (KILLED, nothing written) and refuses to cancel a finished one", async () => {
    const flow = await exportAudiences();
    const sql = membershipTransformSql({ ...flow, personIdColumn: "_luma.identification.core.email", audiences: AUDIENCES });
    const created = await prod.call("POST", QUERIES, { dbName: "prod:all", sql });
    const cancel = await prod.call("PATCH", `${QUERIES}/${created.body.id}`, { op: "cancel" });
    expect(cancel.status).toBe(202);
    expect(cancel.body).toEqual({ message: "Query cancel request received", statusCode: 202 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await prod.call("GET", `${QUERIES}/${created.body.id}`)).body.state).toBe("KILLED");
    expect(await rowsOf(flow.targetDatasetId)).toEqual([]);
    expect((await prod.call("PATCH", `${QUERIES}/${created.body.id}`, { op: "cancel" })).status).toBe(409);
  });

  it("answers 404 for an unknown query and lists queries newest first", async () => {
    expect((await prod.call("GET", `${QUERIES}/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
    const first = await prod.call("POST", QUERIES, { dbName: "prod:all", sql: "SELECT 1" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await prod.call("POST", QUERIES, { dbName: "prod:all", sql: "SELECT 2" });
    const list = await prod.call("GET", QUERIES);
    expect(list.status).toBe(200);
    expect(list.body.queries.map((q: { id: string }) => q.id)).toEqual([second.body.id, first.body.id]);
    expect(list.body._page).toMatchObject({ orderby: "-created", count: 2 });
    const page = await prod.call("GET", `${QUERIES}?limit=1`);
    expect(page.body.queries.map((q: { id: string }) => q.id)).toEqual([second.body.id]);
    expect(page.body._page.next).toBe(first.body.created);
    const next = await prod.call("GET", `${QUERIES}?limit=1&start=${page.body._page.next}`);
    expect(next.body.queries.map((q: { id: string }) => q.id)).toEqual([first.body.id]);
  });

  it("rejects a body that breaks Adobe's spec with Query Service's 400 naming the field", async () => {
    const res = await prod.call("POST", QUERIES, { dbName: "prod:all", sql: 42 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: "/placeholder/type/uri", status: 400, title: "BadRequestError" });
    expect(res.body.detail).toContain("body.sql");
    expect((await prod.call("GET", QUERIES)).body.queries).toEqual([]);
  });
});
