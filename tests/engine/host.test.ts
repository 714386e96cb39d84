/**
 * The engine path: every resource type's serialized provider, loaded by the SDK's own
 * dynamic-provider host in a fresh process and driven over gRPC as the Pulumi engine drives it,
 * against the emulator. Credentials reach the host only through Configure.
 */
import * as path from "path";
import { DynamicHost, REPO_ROOT, UNKNOWN, urn } from "../helpers/dynamic-host";
import { startTestEmulator, TEST_CLIENT_SECRET, TEST_ORG, type TestEmulator } from "../helpers/emulator";

const TYPES = [
  "cja:Connection",
  "cja:DataView",
  "cja:Dimension",
  "cja:Metric",
  "cja:CalculatedMetric",
  "cja:Filter",
  "cja:DateRange",
  "aep:FieldGroup",
  "aep:Schema",
  "aep:Dataset",
  "aep:AudienceExportJob",
  "aep:AudienceMembershipTransform",
] as const;

/** The `__provider` texts as the published package writes them (dist/, compiled by `npm run build`). */
function sourcesFrom(distDir: string): (type: string) => string {
  const { providerSource } = require(path.join(distDir, "provider", "resources", "shim.js")) as { providerSource: (t: string) => string };
  return providerSource;
}

const org = encodeURIComponent(TEST_ORG);
let emu: TestEmulator;
const host = new DynamicHost();
const providers: Record<string, string> = {};
let connectionId: string;
let templateId: string;

beforeAll(async () => {
  emu = await startTestEmulator({ exportJobTimings: { newMs: 20, processingMs: 40 }, queryDurationMs: 30 });
  const connection = await emu.admin<{ id: string }>("POST", `/orgs/${org}/connections`, {
    name: "Engine path connection",
    dataSets: [{ dataSetId: "5f0000000000000000000001", name: "Events", type: "event", visitorId: "identityMap", timestampId: "timestamp" }],
  });
  connectionId = connection.id;
  const template = await emu.admin<{ dataView: { id: string } }>("POST", `/orgs/${org}/dataviews`, {
    name: "Template",
    parentDataGroupId: connectionId,
    timezoneDesignator: "US/Mountain",
    dimensions: [{ id: "variables/web.page", name: "Page", sourceFieldId: "web.page" }],
    metrics: [
      { id: "metrics/sends", name: "Sends", sourceFieldId: "feedbackStatus", includeExcludeSetting: { enabled: true, match: "or", rules: [{ clause: "equals", value: "sent" }] } },
    ],
  });
  templateId = template.dataView.id;
  const aep = `/orgs/${org}/sandboxes/prod`;
  await emu.admin("POST", `${aep}/audiences`, { audiences: [{ id: "11111111-1111-4111-8111-111111111111", name: "Gold members" }] });
  await emu.admin("POST", `${aep}/profiles`, {
    profiles: [{ personID: "p1@example.com", segmentMembership: { ups: { "11111111-1111-4111-8111-111111111111": { status: "realized" } } } }],
  });
  await emu.admin("POST", `${aep}/datasets`, { datasets: [{ name: "Audience Membership", schemaRef: { id: "https://ns.adobe.com/tenant/schemas/membership" } }] });

  const source = sourcesFrom(path.join(REPO_ROOT, "dist"));
  for (const type of TYPES) providers[type] = source(type);
  // The client's own limiter (12 per 6 s) is exercised by the client's tests; here it would only slow the suite.
  await host.start({ ...emu.config(), "adobe:cjaRateLimit": "off" });
}, 60_000);

afterAll(async () => {
  await host.stop();
  await emu.close();
});

describe("serialized providers", () => {
  it("hold no credential, endpoint or config: only the type and a require of the runtime", () => {
    const config = emu.config();
    for (const type of TYPES) {
      const text = providers[type];
      expect(text).toContain(JSON.stringify(type));
      expect(text).toContain('require("pulumi-adobe-cja/runtime")');
      for (const value of [TEST_CLIENT_SECRET, config["adobe:clientId"], emu.url, TEST_ORG]) expect(text).not.toContain(value);
    }
  });

  it("take under 120 bytes each", () => {
    for (const type of TYPES) expect(providers[type].length).toBeLessThan(120);
  });
});

/** check → create, failing the test with the check failures if there are any. */
async function checkAndCreate(type: string, name: string, inputs: Record<string, unknown>) {
  const checked = await host.check(urn(type, name), {}, { __provider: providers[type], ...inputs });
  expect(checked.failures).toEqual([]);
  const created = await host.create(urn(type, name), checked.inputs);
  return { checked: checked.inputs, ...created };
}

function expectNoSecret(value: unknown): void {
  expect(JSON.stringify(value)).not.toContain(TEST_CLIENT_SECRET);
}

describe("the engine drives every resource type through the host", () => {
  let dataViewId: string;

  it("Connection: adopts by name with credentials from Configure, refresh is stable, delete releases", async () => {
    const { id, outs, checked } = await checkAndCreate("cja:Connection", "conn", {
      name: "Engine path connection",
      datasets: [{ name: "Events", type: "event", personIdField: "identityMap", timestampField: "timestamp" }],
    });
    expect(id).toBe(connectionId);
    expect(outs.datasetIds).toEqual({ Events: "5f0000000000000000000001" });
    expectNoSecret(outs);
    const read = await host.read(urn("cja:Connection", "conn"), id, outs);
    expect((await host.diff(urn("cja:Connection", "conn"), id, read.props, checked)).changes).toBe(1);
    await host.delete(urn("cja:Connection", "conn"), id, outs);
    expect((await emu.call("GET", `/data/connections/${connectionId}`)).status).toBe(200);
  });

  it("DataView: copy of the template, read, diff, update in place, replace on connection change, delete", async () => {
    const u = urn("cja:DataView", "dv");
    const { id, outs, checked } = await checkAndCreate("cja:DataView", "dv", { name: "Engine view", connectionId, timezone: "US/Mountain", copyFrom: templateId });
    dataViewId = id;
    expect(outs.dataViewId).toBe(id);
    expectNoSecret(outs);
    const read = await host.read(u, id, outs);
    expect(read.id).toBe(id);
    expect((await host.diff(u, id, read.props, checked)).changes).toBe(1);
    const renamed = { ...checked, name: "Engine view 2" };
    expect(await host.diff(u, id, read.props, renamed)).toEqual({ changes: 2, replaces: [], deleteBeforeReplace: false });
    expect((await host.diff(u, id, read.props, { ...checked, connectionId: "dg_other" })).replaces).toEqual(["connectionId"]);
    const updated = await host.update(u, id, read.props, renamed);
    expect(updated.name).toBe("Engine view 2");
    expect(updated.__provider).toBe(providers["cja:DataView"]);
    const live = await emu.call<{ name: string }>("GET", `/data/dataviews/${id}`, { query: { expansion: "name" } });
    expect(live.body.name).toBe("Engine view 2");
  });

  it("Dimension and Metric: adopt from the copied data view; CalculatedMetric: create, update, delete", async () => {
    const dim = await checkAndCreate("cja:Dimension", "page", { dataViewId, schemaPath: "web.page", name: "Page" });
    expect(dim.outs.componentId).toBe("variables/web.page");
    const metric = await checkAndCreate("cja:Metric", "sends", {
      dataViewId,
      componentId: "metrics/sends",
      name: "Sends",
      includeExclude: { match: "any", rules: [{ clause: "equals", value: "sent" }] },
    });
    const u = urn("cja:CalculatedMetric", "cm");
    const cm = await checkAndCreate("cja:CalculatedMetric", "cm", {
      dataViewId,
      name: "Twice the sends",
      formula: "[Sends] * 2",
      metrics: { Sends: metric.outs.componentId },
    });
    expect(cm.outs.definition).toEqual({
      func: "calc-metric",
      formula: { func: "multiply", col1: { func: "metric", name: "metrics/sends" }, col2: 2 },
      version: [1, 0, 0],
    });
    const changed = { ...cm.checked, formula: "[Sends] * 3" };
    expect((await host.diff(u, cm.id, cm.outs, changed)).changes).toBe(2);
    const updated = await host.update(u, cm.id, cm.outs, changed);
    expect(JSON.stringify(updated.definition)).toContain('"col2":3');
    await host.delete(u, cm.id, updated);
    expect((await emu.call("GET", `/calculatedmetrics/${cm.id}`)).status).toBe(404);
    await host.delete(urn("cja:DataView", "dv"), dataViewId, { __provider: providers["cja:DataView"], dataViewId });
    expect((await emu.call("GET", `/data/dataviews/${dataViewId}`)).status).toBe(404);
  });

  it("Filter and DateRange: create, read without drift, update in place, delete", async () => {
    const f = urn("cja:Filter", "pages");
    const filter = await checkAndCreate("cja:Filter", "pages", { dataViewId: templateId, name: "Home page", definition: { context: "event", rules: [{ dimension: "variables/web.page", equals: "Home" }] } });
    expect(filter.outs.adobeDefinition).toEqual({ func: "segment", version: [1, 0, 0], container: { func: "container", context: "hits", pred: { func: "streq", val: { func: "attr", name: "variables/web.page" }, str: "Home" } } });
    const read = await host.read(f, filter.id, filter.outs);
    expect((await host.diff(f, filter.id, read.props, filter.checked)).changes).toBe(1);
    const changed = { ...filter.checked, definition: { context: "session", rules: [{ dimension: "variables/web.page", equals: "Home" }] } };
    expect(await host.diff(f, filter.id, read.props, changed)).toEqual({ changes: 2, replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(f, filter.id, read.props, changed);
    expect(JSON.stringify(updated.adobeDefinition)).toContain('"context":"visits"');
    await host.delete(f, filter.id, updated);
    expect((await emu.call("GET", `/segments/${filter.id}`)).status).toBe(404);

    const d = urn("cja:DateRange", "month");
    const range = await checkAndCreate("cja:DateRange", "month", { name: "This month", definition: "tm/tm+1m" });
    const readRange = await host.read(d, range.id, range.outs);
    expect((await host.diff(d, range.id, readRange.props, range.checked)).changes).toBe(1);
    const updatedRange = await host.update(d, range.id, readRange.props, { ...range.checked, definition: "tm-1m/tm" });
    expect(updatedRange.definition).toBe("tm-1m/tm");
    await host.delete(d, range.id, updatedRange);
    expect((await emu.call("GET", `/dateranges/${range.id}`)).status).toBe(404);
  });

  it("AEP: FieldGroup, Schema, Dataset, AudienceExportJob and AudienceMembershipTransform run to completion", async () => {
    const exportTarget = await checkAndCreate("aep:Dataset", "export", { name: "Audience export", schemaId: "_xdm.context.profile__union" });
    const fields = await checkAndCreate("aep:FieldGroup", "fields", { title: "Audience fields", fields: { audienceMembershipId: { type: "string" }, audienceMembershipIdName: { type: "string" } } });
    const schema = await checkAndCreate("aep:Schema", "schema", {
      title: "Audience membership",
      fieldGroupIds: [fields.id],
      primaryIdentity: { path: "personID", namespace: "Email" },
      enableProfile: true,
    });
    const profile = await checkAndCreate("aep:Dataset", "profile", { name: "Audience Membership (stack)", schemaId: schema.id, enableProfile: true });
    const job = await checkAndCreate("aep:AudienceExportJob", "job", {
      audienceNames: ["Gold members"],
      fields: ["personID"],
      destinationDatasetId: exportTarget.id,
      pollIntervalSeconds: 0.1,
    });
    expect(job.outs).toMatchObject({ status: "SUCCEEDED", profileCount: 1, resolvedAudienceIds: ["11111111-1111-4111-8111-111111111111"] });
    expect(host.stderr).toMatch(/export job \S+ (NEW|PROCESSING|SUCCEEDED) \(\d+ s elapsed\)/);
    const transform = await checkAndCreate("aep:AudienceMembershipTransform", "transform", {
      sourceDatasetId: exportTarget.id,
      sourceBatchId: job.outs.batchId,
      targetDatasetId: profile.id,
      tenantNamespace: fields.outs.tenantNamespace,
      audienceIds: job.outs.resolvedAudienceIds,
      personIdField: "personID",
      pollIntervalSeconds: 0.1,
    });
    expect(transform.outs.state).toBe("SUCCESS");
    const rows = await emu.admin<{ rows: unknown[] }>("GET", `/orgs/${org}/sandboxes/prod/datasets/${profile.id}/rows`);
    expect(rows.rows).toEqual([
      { personID: "p1@example.com", [fields.outs.tenantNamespace as string]: { audienceMembershipId: "11111111-1111-4111-8111-111111111111", audienceMembershipIdName: "Gold members" } },
    ]);
    await host.delete(urn("aep:Dataset", "profile"), profile.id, profile.outs);
    await host.delete(urn("aep:Schema", "schema"), schema.id, schema.outs);
    await host.delete(urn("aep:FieldGroup", "fields"), fields.id, fields.outs);
    await host.delete(urn("aep:Dataset", "export"), exportTarget.id, exportTarget.outs);
    expect((await emu.call("GET", `/data/foundation/catalog/dataSets/${profile.id}`, { sandbox: "prod" })).status).toBe(404);
    expect((await emu.call("GET", `/data/foundation/catalog/dataSets/${exportTarget.id}`, { sandbox: "prod" })).status).toBe(404);
  });

  it("check names the bad field, and lets preview's unknown values through", async () => {
    const bad = await host.check(urn("cja:CalculatedMetric", "bad"), {}, {
      __provider: providers["cja:CalculatedMetric"],
      dataViewId: "dv_1",
      name: "Bad",
      formula: "[Sends] + [Sendz]",
      metrics: { Sends: "metrics/sends" },
    });
    expect(bad.failures).toEqual([{ property: "formula", reason: expect.stringMatching(/^unknown metric \[Sendz\].*position 10/) }]);
    const preview = await host.check(urn("cja:CalculatedMetric", "later"), {}, {
      __provider: providers["cja:CalculatedMetric"],
      dataViewId: UNKNOWN,
      name: "Later",
      formula: "[Sends] * 2",
      metrics: { Sends: UNKNOWN },
    });
    expect(preview.failures).toEqual([]);
  });
});
