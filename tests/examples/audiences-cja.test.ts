/**
 * The audiences-cja example, end to end against the emulator through the in-process engine (the real
 * program, the real serialized providers): after the UI set-up, one `up` carries out the guide,
 * and what Adobe's side then holds is checked against the guide's tables: the export dataset on
 * the Profile union schema with the exported members, the profile dataset with one row per person,
 * the transform query, the connection, and the data view's audience dimensions.
 */
import { EngineRunError, runProgram, type RunResult } from "../../bench/in-process-engine";
import {
  AUDIENCE_DIMENSIONS,
  EXPORT_SCHEMA,
  GUIDE_STEPS,
  MEMBERSHIP_STATUSES,
  PROFILE_DATASET_IN_CONNECTION,
  PROFILE_FIELDS,
  RESOURCE_NAMES,
  resourceName,
  type StackResource,
} from "../../examples/audiences-cja/guide";
import { EMULATOR_AUDIENCES, emulatorStackConfig } from "../../examples/audiences-cja/emulator-setup";
import { audiencesCjaStack } from "../../examples/audiences-cja/stack";
import { SAMPLE_AUDIENCES, SAMPLE_PROFILES, setUpAudiencesInEmulator, type AudiencesUiSetup } from "../../examples/audiences-cja/ui-setup";
import { startTestEmulator, TEST_ORG, TEST_SANDBOX, type TestEmulator } from "../helpers/emulator";

type Props = Record<string, unknown>;

const PROJECT = "audiences-cja";
const CHOSEN = EMULATOR_AUDIENCES;
const PERSON_ID_FIELD = "_aresprodvalidation.identification.core.email";

let emu: TestEmulator;
let ui: AudiencesUiSetup;
let first: RunResult;
let config: Record<string, string>;

/** What the engine does with a resource of a new stack: reads a lookup, creates the rest. */
const opOf = (type: string) => (/cja:(Connection|Dimension|Metric)$/.test(type) ? "read" : "create");

function stackConfig(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...emu.config(),
    "adobe:cjaRateLimit": "off",
    "adobe:retryBaseDelayMs": "5",
    "adobe:retryMaxDelayMs": "20",
    ...emulatorStackConfig(ui),
    [`${PROJECT}:exportDatasetName`]: "Segment Export Job Dataset for CJA (test)",
    [`${PROJECT}:dataViewName`]: "Audiences (test)",
    [`${PROJECT}:timeoutSeconds`]: "30",
    [`${PROJECT}:pollIntervalSeconds`]: "0.1",
    ...overrides,
  };
}

function up(state?: RunResult["state"], program: () => unknown = () => audiencesCjaStack().outputs): Promise<RunResult> {
  return runProgram(program, { kind: "up", project: PROJECT, stack: "test", config, secretKeys: ["adobe:clientSecret"], state });
}

async function aep<T = Props>(path: string, query?: Record<string, string>): Promise<T> {
  const res = await emu.call<T>("GET", path, { query, sandbox: TEST_SANDBOX });
  expect(res.status).toBe(200);
  return res.body;
}

async function adminRows(datasetId: string): Promise<Props[]> {
  return (await emu.admin<{ rows: Props[] }>("GET", `/orgs/${encodeURIComponent(TEST_ORG)}/sandboxes/${TEST_SANDBOX}/datasets/${datasetId}/rows`)).rows;
}

async function writes(): Promise<string[]> {
  const { log } = await emu.requests();
  return log.filter((e) => e.method !== "GET" && !e.route.includes("/ims/")).map((e) => `${e.method} ${e.route}`);
}

const chosenAudiences = () => CHOSEN.map((name) => SAMPLE_AUDIENCES.find((a) => a.name === name)!);
const audienceIdOf = (name: string) => SAMPLE_AUDIENCES.find((a) => a.name === name)!.id;

/** The guide's transform, computed from the sample profiles: one row per person in a chosen audience (not exited). */
function expectedProfileRows(): Props[] {
  return SAMPLE_PROFILES.flatMap((p) => {
    const kept = chosenAudiences().filter((a) => {
      const status = p.memberships[a.name];
      return status !== undefined && (MEMBERSHIP_STATUSES as readonly string[]).includes(status);
    });
    if (kept.length === 0) return [];
    return [
      {
        [PROFILE_FIELDS.personId]: p.email,
        [ui.tenantNamespace]: {
          [PROFILE_FIELDS.audienceId]: kept.map((a) => a.id).sort().join(","),
          [PROFILE_FIELDS.audienceName]: kept.map((a) => a.name).sort().join(","),
        },
      },
    ];
  });
}

beforeAll(async () => {
  emu = await startTestEmulator({ exportJobTimings: { newMs: 20, processingMs: 40 }, queryDurationMs: 30 });
  ui = await setUpAudiencesInEmulator(emu, TEST_ORG, { sandbox: TEST_SANDBOX, personIdField: PERSON_ID_FIELD });
  config = stackConfig();
  await emu.clearRequests();
  first = await up(undefined, () => require("../../examples/audiences-cja/index"));
  const { counters } = await emu.requests();
  firstRequests = {};
  for (const c of counters) firstRequests[`${c.method} ${c.route} ${c.status}`] = (firstRequests[`${c.method} ${c.route} ${c.status}`] ?? 0) + c.count;
});

afterAll(async () => {
  await emu?.close();
});

let firstRequests: Record<string, number>;

describe("one `up` after the UI set-up", () => {
  it("sends exactly these requests: each audience name looked up once for the whole run, no status read before a job had time to run", () => {
    expect(firstRequests).toEqual({
      "POST /ims/token/v3 200": 1,
      // AudienceExportJob: each of the 3 audience names once (its check and its create share them), the recent jobs
      // (to recover a lost submission), the submission, one status read one poll interval later.
      "GET /data/core/ups/audiences 200": 3,
      "GET /data/core/ups/export/jobs 200": 1,
      "POST /data/core/ups/export/jobs 200": 1,
      "GET /data/core/ups/export/jobs/:EXPORT_JOB_ID 200": 1,
      // The datasets: found by name (export dataset made, profile dataset adopted, known whole from the list), the made one
      // read once for the whole run (its create, the export job's check, the transform's table).
      "GET /data/foundation/catalog/dataSets 200": 2,
      "POST /data/foundation/catalog/dataSets 201": 1,
      "GET /data/foundation/catalog/dataSets/:DATASET_ID 200": 1,
      "GET /data/foundation/catalog/batches 200": 2,
      // FieldGroup and Schema, adopted as the UI left them: each found whole by its title (one list, no lookup),
      // the schema's primary identity read once.
      "GET /data/foundation/schemaregistry/stats 200": 1,
      "GET /data/foundation/schemaregistry/:CONTAINER_ID/fieldgroups 200": 1,
      "GET /data/foundation/schemaregistry/:CONTAINER_ID/schemas 200": 1,
      "GET /data/foundation/schemaregistry/:CONTAINER_ID/descriptors 200": 1,
      // AudienceMembershipTransform: the recent queries (its ownership key), the submission, one state read an interval later.
      "GET /data/foundation/query/queries 200": 1,
      "POST /data/foundation/query/queries 202": 1,
      "GET /data/foundation/query/queries/:queryid 200": 1,
      // CJA: the connection by name, the connection's data views (the template among them), the template's dimensions
      // (requiredComponents) and the copy's, the copy and its stamp.
      "GET /data/connections 200": 1,
      "GET /data/dataviews 200": 1,
      "GET /data/dataviews/:dataviewId/dimensions 200": 2,
      "PUT /data/dataviews/copy/:dataViewId 200": 1,
      "PUT /data/dataviews/:dataViewId 200": 1,
    });
  });

  it("creates the resources of every guide step (reads the connection and the dimensions), each step after what it needs", () => {
    const done = first.steps.map((s) => `${s.op} ${s.type.replace("pulumi-nodejs:dynamic/", "")} ${s.name}`);
    const at = (r: StackResource) => done.indexOf(`${opOf(r.type)} ${r.type} ${r.name}`);
    const everyResource = [...new Map(GUIDE_STEPS.flatMap((s) => s.resources).map((r) => [`${r.type} ${r.name}`, r])).values()];

    expect([...done].sort()).toEqual(everyResource.map((r) => `${opOf(r.type)} ${r.type} ${r.name}`).sort());
    expect(GUIDE_STEPS.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    // Steps 2 → 3 → 4 in the guide's order; Step 5 (the connection, only read) after the profile dataset it must hold, Step 6 after it.
    const chain: StackResource[] = [
      { type: "aep:Dataset", name: RESOURCE_NAMES.exportDataset },
      { type: "aep:AudienceExportJob", name: RESOURCE_NAMES.exportJob },
      { type: "aep:AudienceMembershipTransform", name: RESOURCE_NAMES.transform },
    ];
    chain.slice(1).forEach((r, i) => expect(at(r)).toBeGreaterThan(at(chain[i])));
    const profileDataset: StackResource = { type: "aep:Dataset", name: RESOURCE_NAMES.profileDataset };
    expect(at(profileDataset)).toBeLessThan(at({ type: "aep:AudienceMembershipTransform", name: RESOURCE_NAMES.transform }));
    expect(at(profileDataset)).toBeLessThan(at({ type: "cja:Connection", name: RESOURCE_NAMES.connection }));
    expect(at({ type: "cja:Connection", name: RESOURCE_NAMES.connection })).toBeLessThan(at({ type: "cja:DataView", name: RESOURCE_NAMES.dataView }));
    for (const d of AUDIENCE_DIMENSIONS) expect(at({ type: "cja:Dimension", name: resourceName(d.name) })).toBeGreaterThan(at({ type: "cja:DataView", name: RESOURCE_NAMES.dataView }));
  });

  it("Steps 2-3: the export dataset is on the Profile union schema and holds the chosen audiences' members", async () => {
    const id = first.outputs.exportDatasetId as string;
    const dataset = (await aep<Record<string, Props>>(`/data/foundation/catalog/dataSets/${id}`))[id];
    const rows = await adminRows(id);

    expect(dataset).toMatchObject({ name: "Segment Export Job Dataset for CJA (test)", schemaRef: { id: EXPORT_SCHEMA } });
    const exported = rows.map((r) => PERSON_ID_FIELD.split(".").reduce<unknown>((o, k) => (o as Props | undefined)?.[k], r)).sort();
    expect(exported).toEqual(expectedProfileRows().map((r) => r.personID).sort());
    expect(first.outputs.exportedProfiles).toBe(rows.length);
    expect(first.outputs.audienceIds).toEqual(chosenAudiences().map((a) => a.id));

    const job = await aep(`/data/core/ups/export/jobs/${first.outputs.exportJobId as string}`);
    expect(job).toMatchObject({
      status: "SUCCEEDED",
      destination: { datasetId: id },
      fields: PERSON_ID_FIELD,
      filter: { segments: chosenAudiences().map((a) => ({ segmentId: a.id, segmentNs: "ups", status: [...MEMBERSHIP_STATUSES] })) },
    });
  });

  it("Step 4: the field group, schema and profile dataset made in the UI are adopted: nothing of them written", async () => {
    expect(first.outputs.profileDatasetId).toBe(ui.profileDatasetId);
    expect(first.outputs.tenantNamespace).toBe(ui.tenantNamespace);
    const dataset = (await aep<Record<string, Props>>(`/data/foundation/catalog/dataSets/${ui.profileDatasetId!}`))[ui.profileDatasetId!];
    expect(dataset.schemaRef).toMatchObject({ id: first.outputs.profileSchemaId });
    expect((await writes()).filter((w) => w.includes("/schemaregistry/"))).toEqual([]);
  });

  it("Step 4: the profile dataset holds one row per person, audience ids and names comma-joined under the tenant namespace", async () => {
    const rows = await adminRows(ui.profileDatasetId!);

    expect(rows).toHaveLength(new Set(rows.map((r) => r.personID)).size);
    expect([...rows].sort(byPerson)).toEqual(expectedProfileRows().sort(byPerson));
    const fieldsOf = (email: string) => rows.find((r) => r.personID === email)?.[ui.tenantNamespace] as Props | undefined;
    // The person who left "Luma - Gold Members" keeps only the audience she is still in.
    expect(fieldsOf("cy.diaz@example.com")).toMatchObject({ audienceMembershipId: audienceIdOf("Cart Abandoners") });
    expect(fieldsOf("ann.lee@example.com")?.audienceMembershipIdName).toBe("Cart Abandoners,Luma - Blue+ Members,Luma - Gold Members");
  });

  it("Step 4: the query targets the export and profile tables and the chosen audiences, and succeeded", async () => {
    const exportTable = (await aep<Record<string, Props>>(`/data/foundation/catalog/dataSets/${first.outputs.exportDatasetId as string}`))[
      first.outputs.exportDatasetId as string
    ].tags as Record<string, string[]>;
    const profileTable = ((await aep<Record<string, Props>>(`/data/foundation/catalog/dataSets/${ui.profileDatasetId!}`))[ui.profileDatasetId!].tags as Record<string, string[]>)[
      "adobe/pqs/table"
    ][0];
    const query = await aep(`/data/foundation/query/queries/${first.outputs.transformQueryId as string}`);
    const sql = (query.request as Props).sql as string;

    expect(query).toMatchObject({ state: "SUCCESS", rowCount: expectedProfileRows().length, request: { dbName: `${TEST_SANDBOX}:all` } });
    expect(sql).toMatch(new RegExp(`^INSERT INTO ${profileTable}\\b`));
    expect(sql).toContain(`FROM ${exportTable["adobe/pqs/table"][0]}`);
    expect(sql).toContain(`${PERSON_ID_FIELD} AS personID`);
    expect(sql).toContain(`key IN (${chosenAudiences().map((a) => `'${a.id}'`).join(", ")})`);
    for (const a of chosenAudiences()) expect(sql).toContain(`WHEN '${a.id}' THEN '${a.name}'`);
    expect(sql).not.toContain(audienceIdOf("Newsletter Subscribers"));
    expect(sql).toContain("value.status IN ('realized', 'existing')");
  });

  it("Step 5: the connection holds the profile dataset with personID as person ID", async () => {
    const connection = await aep<Props>(`/data/connections/${first.outputs.connectionId as string}`, { expansion: "name,dataSets" });

    expect(first.outputs.connectionId).toBe(ui.connectionId);
    expect(connection.dataSets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ dataSetId: ui.profileDatasetId, type: PROFILE_DATASET_IN_CONNECTION.type, visitorId: PROFILE_DATASET_IN_CONNECTION.personIdField }),
      ]),
    );
  });

  it("Step 6: the data view is a copy of the template on the connection, with the guide's audience dimensions", async () => {
    const dataViewId = first.outputs.dataViewId as string;
    const dataView = await aep<Props>(`/data/dataviews/${dataViewId}`, { expansion: "name,parentDataGroupId" });
    const { content } = await aep<{ content: Props[] }>(`/data/dataviews/${dataViewId}/dimensions`, {
      expansion: "sourceFieldId,schemaPath,dataSetType,fieldDefinition",
    });

    expect(dataViewId).not.toBe(ui.templateDataViewId);
    expect(dataView).toMatchObject({ name: "Audiences (test)", parentDataGroupId: ui.connectionId });
    expect(first.outputs.dimensionIds).toEqual(Object.fromEntries(AUDIENCE_DIMENSIONS.map((d) => [d.name, d.componentId])));
    for (const d of AUDIENCE_DIMENSIONS) {
      const live = content.find((c) => c.id === d.componentId);
      expect(live).toMatchObject({ name: d.name, sourceFieldId: d.schemaPath(ui.tenantNamespace) });
      const split = ((live?.fieldDefinition as Props[] | undefined) ?? []).find((f) => f.func === "split");
      expect(split?.delimiter).toBe(d.substring?.delimiter);
    }
  });
});

describe("later runs", () => {
  it("a second `up` with the same config changes nothing and writes nothing", async () => {
    await emu.clearRequests();

    const second = await up(first.state);
    // Unchanged inputs cost no live check: only the lookups read Adobe (the connection, and one list for the 4 dimensions).
    expect((await emu.requests()).log.filter((e) => !e.route.startsWith("/ims/")).map((e) => `${e.method} ${e.route}`)).toEqual(["GET /data/connections", "GET /data/dataviews/:dataviewId/dimensions"]);

    expect(second.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(first.steps.map((s) => `${s.op === "read" ? "read" : "same"} ${s.name}`).sort());
    expect(await writes()).toEqual([]);
    expect(second.outputs).toEqual(first.outputs);
  });

  it("a new `refresh` value: preview shows the export and the transform replaced, and `up` runs them again (the guide's regular cadence), nothing else", async () => {
    config = stackConfig({ [`${PROJECT}:refresh`]: "2024-05-02" });
    await emu.clearRequests();

    const preview = await runProgram(() => audiencesCjaStack().outputs, { kind: "preview", project: PROJECT, stack: "test", config, secretKeys: ["adobe:clientSecret"], state: first.state });
    expect(preview.steps.filter((s) => s.op !== "same" && s.op !== "read").map((s) => `${s.op} ${s.type.replace("pulumi-nodejs:dynamic/", "")} ${s.name}`)).toEqual([
      "replace aep:AudienceExportJob audiences",
      "replace aep:AudienceMembershipTransform audience-membership",
    ]);
    expect(await writes()).toEqual([]);

    const refreshed = await up(first.state);

    const changed = refreshed.steps.filter((s) => s.op !== "same" && s.op !== "read").map((s) => `${s.op} ${s.type.replace("pulumi-nodejs:dynamic/", "")} ${s.name}`);
    expect(changed).toEqual(["replace aep:AudienceExportJob audiences", "replace aep:AudienceMembershipTransform audience-membership"]);
    expect(refreshed.steps.find((s) => s.type.endsWith("AudienceExportJob"))?.replaces).toEqual(["triggers"]);
    expect(refreshed.steps.find((s) => s.type.endsWith("AudienceMembershipTransform"))?.replaces).toEqual(["sourceBatchId"]);
    expect(refreshed.outputs.exportJobId).not.toBe(first.outputs.exportJobId);
    expect(refreshed.outputs.transformQueryId).not.toBe(first.outputs.transformQueryId);
    // The older batch of the export dataset and of the profile dataset are deleted: each keeps one row per person.
    expect((await writes()).sort()).toEqual([
      "DELETE /data/foundation/catalog/batches/:BATCH_ID",
      "DELETE /data/foundation/catalog/batches/:BATCH_ID",
      "POST /data/core/ups/export/jobs",
      "POST /data/foundation/query/queries",
    ]);
    const query = await aep(`/data/foundation/query/queries/${refreshed.outputs.transformQueryId as string}`);
    expect(query).toMatchObject({ state: "SUCCESS", rowCount: expectedProfileRows().length });
  });
});

describe("a preview of a new stack", () => {
  it("plans every create, looks up what it can, and writes nothing", async () => {
    await emu.clearRequests();

    const preview = await runProgram(() => audiencesCjaStack().outputs, { kind: "preview", project: PROJECT, stack: "preview", config: stackConfig(), secretKeys: ["adobe:clientSecret"] });

    const byResource = (steps: Array<{ type: string; name: string; op: string }>) => steps.map((s) => `${s.type} ${s.name} ${s.op}`).sort();
    expect(byResource(preview.steps)).toEqual(byResource(first.steps.map((s) => ({ ...s, op: opOf(s.type) }))));
    expect(preview.steps.every((s) => s.preview)).toBe(true);
    expect(await writes()).toEqual([]);
  });

  it("fails in check on an audience name that does not exist, naming it, before anything is written", async () => {
    await emu.clearRequests();
    const typo = stackConfig({ [`${PROJECT}:audienceNames`]: JSON.stringify(["Luma - Blue Members"]) });

    const run = runProgram(() => audiencesCjaStack().outputs, { kind: "preview", project: PROJECT, stack: "typo", config: typo, secretKeys: ["adobe:clientSecret"] });

    const error = (await run.then(() => undefined, (e: unknown) => e)) as EngineRunError;
    expect(error).toBeInstanceOf(EngineRunError);
    expect(error.failures).toHaveLength(1);
    expect(error.failures[0].urn).toContain("aep:AudienceExportJob::audiences");
    expect(error.failures[0].error.message).toContain('audienceNames: no audience is named "Luma - Blue Members" in sandbox prod');
    expect(await writes()).toEqual([]);
  });
});

function byPerson(a: Props, b: Props): number {
  return String(a.personID).localeCompare(String(b.personID));
}
