/**
 * The audiences example over three refreshes through the real CLI, as the scheduled workflow
 * runs it: between runs people join, change and leave audiences in the Profile store, and each
 * `up` with a new `audiences-cja:refresh` exports again and transforms that export. After each,
 * the profile dataset, read back through the emulator's Query Service and Catalog, holds exactly
 * each person's current memberships: one row per person, in one batch (the older ones deleted).
 * Once with the field group, schema and dataset a team made in the UI (comma-joined layout), once
 * with the stack making them (array of objects), where a person adds the new dataset to the
 * connection (Step 5) between the first `up`, which stops there, and the second.
 */
import { EMULATOR_AUDIENCES, emulatorStackConfig } from "../examples/audiences-cja/emulator-setup";
import type { MembershipLayout } from "../examples/audiences-cja/guide";
import {
  addProfileDatasetToConnection,
  replaceProfilesInEmulator,
  SAMPLE_AUDIENCES,
  SAMPLE_PROFILES,
  setUpAudiencesInEmulator,
  type AudiencesUiSetup,
  type SampleProfile,
} from "../examples/audiences-cja/ui-setup";
import { PROGRAMS, type PulumiWorkspace } from "../cli/workspace";
import type { StepSummary } from "../cli/events";
import { emulatorWorkspace, startTestEmulator, TEST_ORG, TEST_SANDBOX, type TestEmulator } from "./support";

type Props = Record<string, unknown>;

/** The program's resources by `<type> <name>` (several types share a name), with their op. */
function ops(steps: StepSummary[]): Record<string, string> {
  return Object.fromEntries(steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/")).map((s) => [`${s.type.replace("pulumi-nodejs:dynamic/", "")} ${s.name}`, s.op]));
}

/** Who is in which audience at each refresh: people join, change, and leave (some leave every audience, one leaves the Profile store). */
const REFRESHES: ReadonlyArray<readonly SampleProfile[]> = [
  SAMPLE_PROFILES,
  [
    { email: "ann.lee@example.com", memberships: { "Luma - Blue+ Members": "existing", "Luma - Gold Members": "exited", "Cart Abandoners": "existing" } },
    { email: "bo.chen@example.com", memberships: { "Luma - Blue+ Members": "exited" } },
    { email: "cy.diaz@example.com", memberships: { "Luma - Gold Members": "realized", "Cart Abandoners": "exited" } },
    { email: "ed.fox@example.com", memberships: { "Newsletter Subscribers": "existing" } },
    { email: "flo.gray@example.com", memberships: { "Luma - Blue+ Members": "existing", "Newsletter Subscribers": "existing" } },
    { email: "gus.hall@example.com", memberships: { "Luma - Gold Members": "realized" } },
  ],
  [
    { email: "ann.lee@example.com", memberships: { "Luma - Blue+ Members": "exited", "Cart Abandoners": "exited", "Newsletter Subscribers": "realized" } },
    { email: "bo.chen@example.com", memberships: { "Cart Abandoners": "realized" } },
    { email: "cy.diaz@example.com", memberships: { "Luma - Gold Members": "existing" } },
    { email: "flo.gray@example.com", memberships: { "Luma - Blue+ Members": "existing" } },
    { email: "gus.hall@example.com", memberships: { "Luma - Gold Members": "existing", "Luma - Blue+ Members": "realized" } },
  ],
];

const audienceOf = (name: string) => SAMPLE_AUDIENCES.find((a) => a.name === name)!;

/** Each person's current memberships among the stack's audiences (realized or existing), ids sorted; people with none left out. */
function currentMemberships(profiles: readonly SampleProfile[]): Record<string, string[]> {
  const entries = profiles.map((p) => [
    p.email,
    EMULATOR_AUDIENCES.filter((name) => ["realized", "existing"].includes(p.memberships[name] ?? "")).map((name) => audienceOf(name).id).sort(),
  ] as const);
  return Object.fromEntries(entries.filter(([, ids]) => ids.length > 0));
}

interface Scenario {
  title: string;
  profileDataset: "ui" | "stack";
  layout: MembershipLayout;
}

const SCENARIOS: Scenario[] = [
  { title: "with the profile dataset a team made in the UI, ids and names joined with commas", profileDataset: "ui", layout: "commaSeparated" },
  { title: "with the field group, schema and dataset made by the stack, as an array of objects", profileDataset: "stack", layout: "objectArray" },
];

describe.each(SCENARIOS)("audiences-cja over three refreshes, $title", (scenario) => {
  let emu: TestEmulator;
  let ui: AudiencesUiSetup;
  let ws: PulumiWorkspace;
  let ns: string;

  beforeAll(async () => {
    emu = await startTestEmulator({ credentialOrgs: [TEST_ORG], rateLimit: null, exportJobTimings: { newMs: 200, processingMs: 400 }, queryDurationMs: 300 });
    ui = await setUpAudiencesInEmulator(emu, TEST_ORG, { profileDataset: scenario.profileDataset, layout: scenario.layout });
    ns = ui.tenantNamespace;
    ws = await emulatorWorkspace(emu, PROGRAMS["audiences-cja"], {
      ...emulatorStackConfig(ui),
      "audiences-cja:dataViewName": "Audiences (refresh test)",
      "audiences-cja:pollIntervalSeconds": "1",
      "audiences-cja:timeoutSeconds": "60",
    });
  });

  afterAll(async () => {
    ws?.dispose();
    await emu?.close();
  });

  const aep = async <T = Props>(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<T> => {
    const res = await emu.call<T>(method, path, { body, query, sandbox: TEST_SANDBOX });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** The profile dataset's rows as Query Service reads them: the emulator's query engine runs `SELECT *` and the test counts what it finds. */
  async function queryRowCount(table: string, where: string): Promise<number> {
    const query = await aep<{ id: string }>("POST", "/data/foundation/query/queries", { dbName: `${TEST_SANDBOX}:all`, sql: `SELECT personID FROM ${table} WHERE ${where}` });
    for (;;) {
      const q = await aep<{ state: string; rowCount: number; errors: unknown[] }>("GET", `/data/foundation/query/queries/${query.id}`);
      if (q.state === "SUCCESS") return q.rowCount;
      if (q.state !== "SUBMITTED" && q.state !== "IN_PROGRESS") throw new Error(`query ${query.id} ended ${q.state}: ${JSON.stringify(q.errors)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** What the profile dataset holds, person by person, checked: one row each, one batch, and exactly the current memberships. */
  async function expectCurrentMemberships(profiles: readonly SampleProfile[]): Promise<void> {
    const outputs = await ws.outputs();
    const datasetId = outputs.profileDatasetId as string;
    const dataset = (await aep<Record<string, Props>>("GET", `/data/foundation/catalog/dataSets/${datasetId}`))[datasetId];
    const table = (dataset.tags as Record<string, string[]>)["adobe/pqs/table"][0];
    const { rows, batches } = await emu.admin<{ rows: Props[]; batches: unknown[] }>("GET", `/orgs/${encodeURIComponent(TEST_ORG)}/sandboxes/${TEST_SANDBOX}/datasets/${datasetId}/rows`);

    const people = rows.map((r) => r.personID as string);
    expect(new Set(people).size).toBe(people.length);
    expect(batches).toHaveLength(1);
    const held = Object.fromEntries(
      rows
        .map((r) => {
          const fields = r[ns] as Props;
          const ids =
            scenario.layout === "objectArray"
              ? ((fields.audienceMemberships as Props[] | undefined) ?? []).map((m) => m.audienceMembershipId as string)
              : String(fields.audienceMembershipId ?? "").split(",").filter((id) => id !== "");
          return [r.personID as string, [...ids].sort()] as const;
        })
        .filter(([, ids]) => ids.length > 0),
    );
    const expected = currentMemberships(profiles);
    expect(held).toEqual(expected);
    // Names line up with ids: each member's names are those of its audiences.
    for (const r of rows) {
      const fields = r[ns] as Props;
      const names = scenario.layout === "objectArray" ? ((fields.audienceMemberships as Props[]) ?? []).map((m) => m.audienceMembershipIdName) : String(fields.audienceMembershipIdName).split(",").filter((n) => n !== "");
      expect([...names].sort()).toEqual((expected[r.personID as string] ?? []).map((id) => SAMPLE_AUDIENCES.find((a) => a.id === id)!.name).sort());
    }
    // Query Service reads the same: as many members as expected, and the dataset bounded by the people it ever saw.
    const members = scenario.layout === "objectArray" ? `size(${ns}.audienceMemberships) > 0` : `${ns}.audienceMembershipId <> ''`;
    expect(await queryRowCount(table, members)).toBe(Object.keys(expected).length);
    expect(await queryRowCount(table, "personID IS NOT NULL")).toBeLessThanOrEqual(new Set(REFRESHES.flatMap((r) => r.map((p) => p.email))).size);
  }

  it("the first up carries out the guide (stopping at Step 5 when the dataset is new, until a person adds it to the connection)", async () => {
    let up = await ws.up([], { allowFailure: true });
    if (scenario.profileDataset === "stack") {
      expect(up.code).not.toBe(0);
      expect(up.stdout).toMatch(/Edit connection and add the dataset/);
      expect(ops(up.steps)).toMatchObject({ "aep:FieldGroup audience-membership": "create", "aep:Schema audience-membership": "create", "aep:Dataset audience-membership": "create" });
      const found = await aep<Record<string, Props>>("GET", "/data/foundation/catalog/dataSets", undefined, { name: ui.profileDatasetName });
      const [datasetId] = Object.keys(found);
      expect(found[datasetId].tags).toMatchObject({ unifiedProfile: ["enabled:true"] });
      await addProfileDatasetToConnection(emu, ui, datasetId);
      up = await ws.up([], { allowFailure: true });
    }
    expect({ code: up.code, stderr: up.code === 0 ? "" : up.stderr }).toEqual({ code: 0, stderr: "" });
    expect((await ws.outputs()).tenantNamespace).toBe(ns);
    await expectCurrentMemberships(REFRESHES[0]);
  });

  it("the schema keeps the audience fields under the tenant namespace, with personID as primary identity, enabled for Profile", async () => {
    const schemaId = (await ws.outputs()).profileSchemaId as string;
    const schema = await emu.call<Props>("GET", `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(schemaId)}`, {
      sandbox: TEST_SANDBOX,
      headers: { accept: "application/vnd.adobe.xed-full+json; version=1" },
    });
    expect(schema.status).toBe(200);
    expect(schema.body["meta:immutableTags"]).toEqual(["union"]);
    const fields = JSON.stringify(schema.body);
    expect(fields).toContain(`"${ns}"`);
    expect(fields).toContain("audienceMembershipId");
  });

  it.each([1, 2])("refresh %i: people joined, changed and left; the profile dataset holds exactly the current memberships", async (n) => {
    await replaceProfilesInEmulator(emu, ui, REFRESHES[n]);
    const up = await ws.up(["--config", `audiences-cja:refresh=refresh-${n}`]);
    expect(ops(up.steps)).toMatchObject({ "aep:AudienceExportJob audiences": "replace", "aep:AudienceMembershipTransform audience-membership": "replace", "aep:Dataset audience-membership": "same" });
    await expectCurrentMemberships(REFRESHES[n]);
  });

  it("a run without a refresh value changes nothing", async () => {
    await ws.cli(["config", "rm", "audiences-cja:refresh"]);
    const preview = await ws.preview();
    expect(Object.entries(ops(preview.steps)).filter(([, op]) => op !== "same" && op !== "read")).toEqual([]);
  });
});
