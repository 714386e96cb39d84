/**
 * A `pulumi up` of the Journey Optimizer stack killed (SIGKILL to the CLI's whole process tree,
 * providers included, as a machine that dies) right after Adobe carried out a create, with its answer still on the
 * way, then run again: the rerun adopts what the killed run made, by its ownership key; and a create
 * that Adobe carries out after the client's retries ran out, adopted by the next run. Then the
 * orphan finder (`npm run orphans`) on what only it can clean: a second object carrying a key of
 * the stack, and the unstamped copy a kill between Adobe's copy and its stamp leaves. Checked on
 * what the emulator holds: no duplicate, no orphan, nothing lost.
 */
import { execFile } from "child_process";
import { readdirSync, writeFileSync } from "fs";
import { promisify } from "util";
import * as path from "path";
import { prepareStack, type PreparedStack } from "../cli/example-stacks";
import { declaredResources, findOrphans, type Finding } from "../provider/tools/orphans";
import type { PulumiWorkspace } from "../cli/workspace";
import { configure } from "../provider/runtime";
import { adobeWrites, emulatorWorkspace, opCounts, startTestEmulator, TEST_ORG, type TestEmulator } from "./support";

type Props = Record<string, unknown>;

let emu: TestEmulator;
let prepared: PreparedStack;
let ws: PulumiWorkspace;
let template: string;

const REPO = path.resolve(__dirname, "..");

beforeAll(async () => {
  emu = await startTestEmulator({ credentialOrgs: [TEST_ORG], rateLimit: null });
  prepared = await prepareStack("ajo-cja", emu.url, TEST_ORG);
  template = prepared.config["ajo-cja:templateDataViewId"];
  ws = await emulatorWorkspace(emu, prepared.program, prepared.config, { stack: "kill" });
  configure({ get: (key) => ({ ...emu.config(), "adobe:cjaRateLimit": "off" })[key] });
});

afterAll(async () => {
  ws?.dispose();
  await emu?.close();
});

async function dataViews(): Promise<Props[]> {
  const all = (await emu.call<{ content: Props[] }>("GET", "/data/dataviews", { query: { expansion: "name,externalData,parentDataGroupId", limit: "100" } })).body.content;
  return all.filter((dv) => dv.id !== template);
}

async function calculatedMetrics(): Promise<Props[]> {
  return (await emu.call<{ content: Props[] }>("GET", "/calculatedmetrics", {})).body.content;
}

/**
 * `pulumi up`, killed with SIGKILL (the whole process tree) once Adobe carried out `method route`;
 * the lock it leaves removed by `pulumi cancel`. Whether the kill tore the checkpoint (it fell on
 * the CLI's write of it), which is then put back from its backup, as a user would.
 */
async function upKilledAfter(method: string, route: string): Promise<{ torn: boolean }> {
  await emu.clearRequests();
  await emu.setFaults({ script: [{ match: { method, route }, times: 1, action: { answerAfterMs: 3000 } }] });
  const held = async () => (await emu.requests()).held.some((h) => h.method === method && h.route === route);
  const killed = await ws.up([], { allowFailure: true, signalWhen: { signal: "SIGKILL", to: "tree", until: held } });
  await emu.setFaults({});
  expect(killed.code).not.toBe(0);
  expect(await held()).toBe(true);
  let torn = await ws.restoreTornCheckpoint();
  // The killed CLI's lock stays: an update refuses until `pulumi cancel`, the CLI's own remedy.
  expect(ws.isLocked()).toBe(true);
  let refused = await ws.up([], { allowFailure: true });
  if (/failed to load checkpoint/.test(refused.stderr)) {
    // The torn checkpoint can show only on the next command: put it back then, and ask again.
    torn = (await ws.restoreTornCheckpoint({ seen: true })) || torn;
    refused = await ws.up([], { allowFailure: true });
  }
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/the stack is currently locked by 1 lock\(s\)\. Either wait for the other process\(es\) to end or delete the lock file with `pulumi cancel`/);
  await ws.cli(["cancel", "--yes", "--non-interactive"]);
  expect(ws.isLocked()).toBe(false);
  return { torn };
}

async function findings(): Promise<Finding[]> {
  return findOrphans(declaredResources(await ws.exportState(), TEST_ORG));
}

/** The orphan finder as a user runs it, in the stack's folder with its config and backend (not blocking: the emulator answers from this process). */
async function orphansCommand(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(REPO, "dist/provider/tools/orphans.js"), "--cwd", ws.dir, ...args], { env: ws.env, encoding: "utf8" });
  return stdout;
}

describe("a killed pulumi up, run again", () => {
  it("killed once Adobe created a calculated metric: the rerun adopts it, and clearing the pending creates leaves a clean checkpoint", async () => {
    const { torn } = await upKilledAfter("POST", "/calculatedmetrics");
    // A torn checkpoint, put back from its backup, predates the pending create: the rerun adopts by key all the same.
    if (!torn) {
      const state = await ws.exportState();
      expect((state.deployment.pending_operations ?? []).some((op) => op.type === "creating" && op.resource.urn.includes("cja:CalculatedMetric"))).toBe(true);
      // Before the rerun, the finder sees the metric as a pending create's, which the rerun adopts.
      expect((await findings()).filter((f) => f.kind === "pending-create").map((f) => f.type)).toContain("cja:CalculatedMetric");
    }

    const rerun = await ws.up();
    expect(rerun.code).toBe(0);
    expect(await calculatedMetrics()).toHaveLength(3);
    expect(await dataViews()).toHaveLength(1);
    expect(await findings()).toEqual([]);

    // The CLI keeps the interrupted create in the checkpoint; its own remedy drops it.
    await ws.cli(["refresh", "--clear-pending-creates", "--yes", "--skip-preview", "--non-interactive"]);
    expect((await ws.exportState()).deployment.pending_operations ?? []).toEqual([]);
    expect(opCounts((await ws.preview()).steps).create ?? 0).toBe(0);
  });

  it("killed once Adobe stamped the copy of the template: the rerun adopts the stamped copy instead of copying again", async () => {
    await ws.destroy();
    expect(await dataViews()).toEqual([]);
    await upKilledAfter("PUT", "/data/dataviews/:dataViewId");
    expect(await dataViews()).toHaveLength(1);

    await emu.clearRequests();
    await ws.up();
    expect((await emu.requests()).counters.filter((c) => c.route === "/data/dataviews/copy/:dataViewId")).toEqual([]);
    const [only] = await dataViews();
    expect(only).toMatchObject({ name: prepared.config["ajo-cja:dataViewName"] });
    expect((await ws.outputs()).dataViewId).toBe(only.id);
    expect(await calculatedMetrics()).toHaveLength(3);
    expect(await findings()).toEqual([]);
  });

  it("killed between Adobe's copy and its stamp: the rerun makes its own copy, and the finder lists the unstamped one, which --delete-copies removes", async () => {
    await ws.destroy();
    await upKilledAfter("PUT", "/data/dataviews/copy/:dataViewId");
    await ws.up();

    const unstamped = (await dataViews()).filter((dv) => !(dv.externalData as Props | undefined)?.externalId);
    expect(unstamped).toHaveLength(1);
    expect((await findings()).map((f) => [f.kind, f.id])).toEqual([["unstamped-copy", unstamped[0].id]]);

    const listed = await orphansCommand([]);
    expect(listed).toContain(`unstamped-copy\tcja:DataView\t${unstamped[0].id}`);
    expect((await dataViews()).map((dv) => dv.id)).toContain(unstamped[0].id);
    expect(await orphansCommand(["--delete-copies"])).toContain(`deleted cja:DataView ${unstamped[0].id}`);
    expect((await dataViews()).map((dv) => dv.id)).toEqual([(await ws.outputs()).dataViewId]);
  });

  it("a create Adobe carries out after the client's retries ran out fails the run, saying Adobe may still act, and the next run adopts it", async () => {
    await ws.destroy();
    const settings = { "adobe:requestTimeoutMs": "1000", "adobe:maxRetries": "1", "adobe:retryBaseDelayMs": "10", "adobe:retryMaxDelayMs": "50", "adobe:retryBudgetMs": "5000" };
    await ws.setConfig(settings);
    // The first POST lands after 15 s, long after the client gave up (a 1 s timeout, a lookup 1 s
    // later that finds nothing, a retry refused, a last lookup: a few seconds even on a loaded
    // machine); every later POST is refused.
    await emu.setFaults({
      script: [
        { match: { method: "POST", route: "/calculatedmetrics" }, times: 1, action: { delayMs: 15_000 } },
        { match: { method: "POST", route: "/calculatedmetrics" }, times: 20, action: { status: 503 } },
      ],
    });
    const failed = await ws.up([], { allowFailure: true });
    expect(failed.code).not.toBe(0);
    expect(JSON.stringify(failed.events)).toContain("Adobe may still carry out an attempt whose answer never came");
    const deadline = Date.now() + 30_000;
    while ((await calculatedMetrics()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const landed = await calculatedMetrics();
    expect(landed).toHaveLength(1);
    await emu.setFaults({});

    await ws.up();
    const after = await calculatedMetrics();
    expect(after).toHaveLength(3);
    expect(after.map((m) => m.id)).toContain(landed[0].id);
    expect(await findings()).toEqual([]);
    await ws.setConfig({ "adobe:requestTimeoutMs": "65000", "adobe:maxRetries": "5", "adobe:retryBaseDelayMs": "1000", "adobe:retryMaxDelayMs": "30000", "adobe:retryBudgetMs": "120000" });
  });

  it("a second data view carrying the stack's key is listed as an orphan, and --delete removes it, keeping the state's", async () => {
    const own = (await ws.outputs()).dataViewId as string;
    const key = (await dataViews()).find((dv) => dv.id === own)!.externalData as { externalId: string };
    const twin = await emu.call<{ id: string }>("POST", "/data/dataviews", {
      body: { name: "AJO twin", parentDataGroupId: (await dataViews()).find((dv) => dv.id === own)!.parentDataGroupId, timezoneDesignator: "US/Mountain", organization: TEST_ORG, externalData: { externalId: key.externalId } },
    });
    expect(twin.status).toBe(200);

    expect((await findings()).map((f) => [f.kind, f.id])).toEqual([["orphan", twin.body.id]]);
    expect(await orphansCommand(["--delete"])).toContain(`deleted cja:DataView ${twin.body.id}`);
    expect((await dataViews()).map((dv) => dv.id)).toEqual([own]);
    expect(await findings()).toEqual([]);
  });

  it("a checkpoint a kill left empty is put back from the backend's backup, and the next up changes nothing in Adobe", async () => {
    const checkpoints = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? checkpoints(path.join(dir, e.name)) : e.name === "kill.json" ? [path.join(dir, e.name)] : []));
    const [checkpoint] = checkpoints(path.join(ws.root, "backend", ".pulumi", "stacks"));
    writeFileSync(checkpoint, "");
    expect(await ws.restoreTornCheckpoint()).toBe(true);
    expect(await ws.restoreTornCheckpoint()).toBe(false);

    await emu.clearRequests();
    await ws.up();
    expect(await adobeWrites(emu)).toEqual({});
    expect(await calculatedMetrics()).toHaveLength(3);
    expect(await dataViews()).toHaveLength(1);
    expect(await findings()).toEqual([]);
  });
});
