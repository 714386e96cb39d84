/**
 * Filters, date ranges and the shares and tags of components through the real CLI
 * (e2e/programs/components): a `pulumi up` killed (SIGKILL to the CLI's whole process tree) once
 * Adobe made the filter and the date range, run again, adopts both by their ownership keys and
 * makes the calculated metric the filter filters; a refresh finds no drift; an edit of every
 * setting is an update in place; destroy leaves nothing. Checked on what the emulator holds.
 */
import type { ProgramSource, PulumiWorkspace } from "../cli/workspace";
import { setUpAjoInEmulator, type AjoUiSetup } from "../examples/ajo-cja/ui-setup";
import { adobeRequests, adobeWrites, editProgram, emulatorWorkspace, opCounts, opsByName, startTestEmulator, TEST_ORG, type TestEmulator } from "./support";

type Props = Record<string, unknown>;

const PROGRAM: ProgramSource = {
  project: "components",
  files: ["Pulumi.yaml", "package.json", "index.ts", "tsconfig.json"].map((f): [string, string] => [`e2e/programs/components/${f}`, f]),
};
const CJM = "_experience.customerJourneyManagement";
const CHANNEL = `variables/${CJM}.entities.channelDetails.channel._id`;
const SUBJECT = `variables/${CJM}.entities.channelDetails.email.subject`;
const OWNER = "B3F1A2C45E6D7F8A9B0C1D2E@AdobeID";
const SENDS = { func: "metric", name: "metrics/sends" };

let emu: TestEmulator;
let ui: AjoUiSetup;
let ws: PulumiWorkspace;
/** The ids the killed run's creates got in Adobe. */
let made: { filter: string; dateRange: string };

interface Held {
  segments: Props[];
  dateRanges: Props[];
  calculatedMetrics: Props[];
  /** `componentType/componentId`: its share targets, sorted. */
  shares: Record<string, string[]>;
  /** `componentType/componentId`: its tag names, sorted. */
  tags: Record<string, string[]>;
  /** Every tag of the org by name: how many components carry it. */
  tagUse: Record<string, number>;
}

/** What the emulator holds for the org, read from its state (`GET /_emulator/state`), every owner's. */
async function held(): Promise<Held> {
  const state = await emu.admin<{ orgs: { cja: Record<string, Props> } }>("GET", "/state");
  const org = state.orgs.cja[TEST_ORG] as {
    segments?: Record<string, Props>;
    dateRanges?: Record<string, Props>;
    calculatedMetrics: Record<string, Props>;
    componentMetadata?: { shares: Record<string, Props>; tags: Record<string, { name: string; components: Array<{ componentType: string; componentId: string }> }> };
  };
  const shares: Record<string, string[]> = {};
  for (const s of Object.values(org.componentMetadata?.shares ?? {})) {
    const target = s.shareToType === "all" ? "all" : `${String(s.shareToType)}:${String(s.shareToImsId ?? s.shareToId)}`;
    (shares[`${String(s.componentType)}/${String(s.componentId)}`] ??= []).push(target);
  }
  const tags: Record<string, string[]> = {};
  const tagUse: Record<string, number> = {};
  for (const t of Object.values(org.componentMetadata?.tags ?? {})) {
    tagUse[t.name] = t.components.length;
    for (const c of t.components) (tags[`${c.componentType}/${c.componentId}`] ??= []).push(t.name);
  }
  for (const list of [...Object.values(shares), ...Object.values(tags)]) list.sort();
  return { segments: Object.values(org.segments ?? {}), dateRanges: Object.values(org.dateRanges ?? {}), calculatedMetrics: Object.values(org.calculatedMetrics), shares, tags, tagUse };
}

beforeAll(async () => {
  emu = await startTestEmulator({ rateLimit: null });
  ui = await setUpAjoInEmulator(emu, TEST_ORG);
  ws = await emulatorWorkspace(emu, PROGRAM, { "components:dataViewId": ui.templateDataViewId, "adobe:cjaRateLimit": "off" });
});

afterAll(async () => {
  ws?.dispose();
  await emu?.close();
});

describe("a filter, a date range and a calculated metric filtered by it, shared and tagged, through the real CLI", () => {
  it("an up killed once Adobe made the filter and the date range, run again: both adopted by their keys, no duplicate, and every share and tag written", async () => {
    const routes = [
      ["POST", "/segments"],
      ["POST", "/dateranges"],
    ];
    // Adobe carries out each create; its answer is held long after the kill.
    await emu.setFaults({ script: routes.map(([method, route]) => ({ match: { method, route }, times: 1, action: { answerAfterMs: 4_000 } })) });
    await emu.clearRequests();
    const bothHeld = async () => {
      const { held: answers } = await emu.requests();
      return routes.every(([method, route]) => answers.some((h) => h.method === method && h.route === route));
    };
    const killed = await ws.up([], { allowFailure: true, signalWhen: { signal: "SIGKILL", to: "tree", until: bothHeld } });
    await emu.setFaults({});
    expect(killed.code).not.toBe(0);
    expect(await bothHeld()).toBe(true);

    const afterKill = await held();
    expect(afterKill.segments).toHaveLength(1);
    expect(afterKill.dateRanges).toHaveLength(1);
    expect(afterKill.calculatedMetrics).toEqual([]);
    // Killed before the provider learnt the ids: no share or tag written yet.
    expect(afterKill.shares).toEqual({});
    expect(afterKill.tags).toEqual({});
    made = { filter: afterKill.segments[0].id as string, dateRange: afterKill.dateRanges[0].id as string };

    // A SIGKILL that fell on the checkpoint's write leaves it torn: put back from its backup, as a user would.
    const torn = await ws.restoreTornCheckpoint();
    const state = (await ws.exportState()).deployment;
    expect((state.resources ?? []).filter((r) => /cja:(Filter|DateRange)/.test(r.urn))).toEqual([]);
    // An untorn checkpoint holds exactly these two pending creates (the CLI was frozen before its provider died).
    const pending = (state.pending_operations ?? []).filter((op) => op.type === "creating").map((op) => op.resource.urn.replace(/.*::/, "")).sort();
    if (!torn) expect(pending).toEqual(["campaign-window", "email-channel"]);
    // The killed CLI's lock stays until `pulumi cancel`, the CLI's own remedy.
    expect(ws.isLocked()).toBe(true);
    await ws.cli(["cancel", "--yes", "--non-interactive"]);

    // The emulator counts a request once answered: the held answers go out (to no one) before the count restarts.
    const answered = async () => {
      const { log } = await emu.requests();
      return routes.every(([method, route]) => log.some((e) => e.method === method && e.route === route));
    };
    while (!(await answered())) await new Promise((r) => setTimeout(r, 50));
    await emu.clearRequests();
    let rerun = await ws.up([], { allowFailure: true });
    if (/failed to load checkpoint/.test(rerun.stderr)) {
      // A torn checkpoint can show only on the next update: put it back then, and run again.
      await ws.restoreTornCheckpoint({ seen: true });
      await emu.clearRequests();
      rerun = await ws.up();
    }
    expect(rerun.code).toBe(0);
    expect(opsByName(rerun.steps)).toEqual({ "email-channel": "create", "campaign-window": "create", "email-sends": "create" });
    // The filter and the date range are updated in place (found by their keys), never posted again.
    expect(await adobeWrites(emu)).toEqual({
      "POST /segments/validate": 1,
      "PUT /segments/:id": 1,
      "PUT /dateranges/:id": 1,
      "POST /calculatedmetrics/validate": 1,
      "POST /calculatedmetrics": 1,
      "PUT /componentmetadata/shares": 3,
      "PUT /componentmetadata/tags/tagitems": 3,
    });

    const outputs = await ws.outputs();
    expect(outputs).toMatchObject({ filterId: made.filter, dateRangeId: made.dateRange });
    const now = await held();
    expect(now.segments.map((s) => s.id)).toEqual([made.filter]);
    expect(now.dateRanges.map((r) => r.id)).toEqual([made.dateRange]);
    expect(now.calculatedMetrics.map((m) => m.id)).toEqual([outputs.calculatedMetricId]);
    const [filter] = now.segments;
    const [range] = now.dateRanges;
    const [metric] = now.calculatedMetrics;
    expect(filter).toMatchObject({ name: "Email channel", dataId: ui.templateDataViewId });
    expect(filter.description).toMatch(/^Events of the email channel\n\n\[pulumi:[^\]]+\]$/);
    expect(filter.definition).toEqual({ func: "segment", version: [1, 0, 0], container: { func: "container", context: "hits", pred: { func: "streq", val: { func: "attr", name: CHANNEL }, str: "email" } } });
    expect(range).toMatchObject({ name: "Campaign window", definition: "2024-01-01T00:00:00/2024-01-31T23:59:59" });
    expect(range.description).toMatch(/^The January campaign\n\n\[pulumi:[^\]]+\]$/);
    expect(metric).toMatchObject({ name: "Email sends", dataId: ui.templateDataViewId });
    expect(metric.definition).toEqual({ func: "calc-metric", version: [1, 0, 0], formula: { func: "calc-metric", formula: SENDS, version: [1, 0, 0], filters: [{ func: "segment-ref", id: made.filter }] } });
    expect(now.shares).toEqual({
      [`segment/${made.filter}`]: ["group:123456789", `user:${OWNER}`],
      [`dateRange/${made.dateRange}`]: ["all"],
      [`calculatedMetric/${metric.id}`]: ["group:123456789"],
    });
    expect(now.tags).toEqual({
      [`segment/${made.filter}`]: ["email", "journey-optimizer"],
      [`dateRange/${made.dateRange}`]: ["campaigns"],
      [`calculatedMetric/${metric.id}`]: ["journey-optimizer", "sends"],
    });

    // The metric Adobe holds, filtered by the filter, passes Adobe's validator.
    const validated = await emu.call<Props>("POST", "/calculatedmetrics/validate", { body: { name: metric.name, dataId: ui.templateDataViewId, definition: metric.definition } });
    expect(validated.status).toBe(200);
    expect(validated.body.valid).toBe(true);
  });

  it("a refresh finds no drift in any of them (shares and tags read back), writes nothing, and clears the killed run's pending creates", async () => {
    await emu.clearRequests();
    const refresh = await ws.refresh(["--clear-pending-creates"]);
    expect(opsByName(refresh.steps)).toEqual({ "email-channel": "same", "campaign-window": "same", "email-sends": "same" });
    expect(refresh.steps.filter((s) => s.changedOutputs.length > 0).map((s) => [s.name, s.changedOutputs])).toEqual([]);
    expect(refresh.changes).toEqual({ same: 4 });
    // Each one is read once, its shares and tags in the same answer (`expansion=shares,tags`), and nothing is written.
    expect(await adobeRequests(emu)).toEqual({ "GET /segments": 1, "GET /dateranges/:id": 1, "GET /calculatedmetrics": 1 });
    expect(await adobeWrites(emu)).toEqual({});
    expect((await ws.exportState()).deployment.pending_operations ?? []).toEqual([]);
  });

  it("an edit of the filter, the date range's definition and every share and tag list is an update in place, and Adobe holds the new values", async () => {
    editProgram(ws, "index.ts", 'name: "Email channel",', 'name: "Email or push, no test sends",');
    editProgram(ws, "index.ts", 'description: "Events of the email channel",', 'description: "Email and push events",');
    editProgram(
      ws,
      "index.ts",
      'definition: { context: "event", rules: [{ dimension: channel, equals: "email" }] },',
      `definition: { context: "person", rules: [{ dimension: channel, equalsAnyOf: ["email", "push"] }, { not: { dimension: "${SUBJECT}", startsWith: "[TEST]" } }] },`,
    );
    editProgram(ws, "index.ts", 'shares: [{ type: "group", id: analysts }, { type: "user", id: owner }],', 'shares: [{ type: "user", id: owner }, { type: "group", id: 555000111 }],');
    editProgram(ws, "index.ts", 'tags: ["journey-optimizer", "email"],', 'tags: ["journey-optimizer", "reviewed"],');
    editProgram(ws, "index.ts", '"2024-01-01T00:00:00/2024-01-31T23:59:59"', '"tm/tm+1m"');
    editProgram(ws, "index.ts", 'shares: [{ type: "all" }],', "shares: [],");
    editProgram(ws, "index.ts", 'tags: ["campaigns"],', 'tags: ["campaigns", "monthly"],');
    editProgram(ws, "index.ts", 'shares: [{ type: "group", id: analysts }],', 'shares: [{ type: "group", id: analysts }, { type: "group", id: 555000111 }],');
    editProgram(ws, "index.ts", 'tags: ["journey-optimizer", "sends"],', 'tags: ["sends"],');

    const before = await ws.outputs();
    await emu.clearRequests();
    const up = await ws.up();
    expect(opsByName(up.steps)).toEqual({ "email-channel": "update", "campaign-window": "update", "email-sends": "update" });
    // In place: no create, no delete; the metric's definition is untouched (only its shares and tags changed).
    expect(await adobeWrites(emu)).toEqual({
      "POST /segments/validate": 1,
      "PUT /segments/:id": 1,
      "PUT /dateranges/:id": 1,
      "PUT /componentmetadata/shares": 3,
      "PUT /componentmetadata/tags/tagitems": 3,
    });
    expect(await ws.outputs()).toEqual(before);

    const now = await held();
    const metricId = before.calculatedMetricId as string;
    expect(now.segments).toHaveLength(1);
    expect(now.segments[0]).toMatchObject({ id: made.filter, name: "Email or push, no test sends" });
    expect(now.segments[0].description).toMatch(/^Email and push events\n\n\[pulumi:[^\]]+\]$/);
    expect(now.segments[0].definition).toEqual({
      func: "segment",
      version: [1, 0, 0],
      container: {
        func: "container",
        context: "visitors",
        pred: {
          func: "and",
          preds: [
            { func: "streq-in", val: { func: "attr", name: CHANNEL }, list: ["email", "push"] },
            { func: "without", pred: { func: "starts-with", val: { func: "attr", name: SUBJECT }, str: "[TEST]" } },
          ],
        },
      },
    });
    expect(now.dateRanges).toHaveLength(1);
    expect(now.dateRanges[0]).toMatchObject({ id: made.dateRange, name: "Campaign window", definition: "tm/tm+1m" });
    expect(now.calculatedMetrics.map((m) => m.id)).toEqual([metricId]);
    expect(now.shares).toEqual({
      [`segment/${made.filter}`]: ["group:555000111", `user:${OWNER}`],
      [`calculatedMetric/${metricId}`]: ["group:123456789", "group:555000111"],
    });
    expect(now.tags).toEqual({
      [`segment/${made.filter}`]: ["journey-optimizer", "reviewed"],
      [`dateRange/${made.dateRange}`]: ["campaigns", "monthly"],
      [`calculatedMetric/${metricId}`]: ["sends"],
    });
  });

  it("destroy deletes all three: Adobe holds no filter, date range or calculated metric, and no share or tag of theirs", async () => {
    await emu.clearRequests();
    const destroy = await ws.destroy();
    expect(opCounts(destroy.steps)).toEqual({ delete: 3 });
    expect(await adobeWrites(emu)).toEqual({ "DELETE /segments/:id": 1, "DELETE /dateranges/:id": 1, "DELETE /calculatedmetrics/:id": 1 });
    const now = await held();
    expect(now.segments).toEqual([]);
    expect(now.dateRanges).toEqual([]);
    expect(now.calculatedMetrics).toEqual([]);
    // Each lost its shares and its place in its tags with it (docs/ADOBE-API.md).
    expect(now.shares).toEqual({});
    expect(now.tags).toEqual({});
    // The tags themselves belong to the org and stay, carried by nothing any more.
    expect(Object.keys(now.tagUse).sort()).toEqual(["campaigns", "email", "journey-optimizer", "monthly", "reviewed", "sends"]);
    expect(Object.values(now.tagUse).filter((use) => use > 0)).toEqual([]);
  });
});
