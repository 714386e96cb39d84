/**
 * What only the real engine does, on a small program (e2e/programs/engine-options): resource
 * options (protect, ignoreChanges, aliases, dependsOn), a program that throws, Ctrl-C during an
 * `up`, `--parallel`, `up --refresh`, and destroy. Each is checked in the engine's events and in
 * what the emulator holds afterwards.
 */
import { diagnostics } from "../cli/events";
import { defaultNodeMajor } from "../cli/toolchain";
import type { ProgramSource, PulumiWorkspace } from "../cli/workspace";
import { setUpAjoInEmulator, type AjoUiSetup } from "../examples/ajo-cja/ui-setup";
import { adobeWrites, emulatorWorkspace, opCounts, opsByName, startTestEmulator, TEST_ORG, type TestEmulator } from "./support";

type Props = Record<string, unknown>;

const PROGRAM: ProgramSource = {
  project: "engine-options",
  files: ["Pulumi.yaml", "package.json", "index.ts", "tsconfig.json"].map((f): [string, string] => [`e2e/programs/engine-options/${f}`, f]),
};

let emu: TestEmulator;
let ui: AjoUiSetup;
let ws: PulumiWorkspace;

async function calculatedMetrics(): Promise<Props[]> {
  const res = await emu.call<{ content: Props[] }>("GET", "/calculatedmetrics", { query: { expansion: "definition" } });
  return res.body.content;
}

/** A calculated metric's description as declared: Adobe's copy ends with the line `[pulumi:<ownership key>]`. */
function declaredDescription(metric: Props | undefined): string | undefined {
  const description = metric?.description as string | undefined;
  expect(description).toMatch(/\[pulumi:[0-9a-f-]{36}\]$/);
  return description?.replace(/(\n\n)?\[pulumi:[0-9a-f-]{36}\]$/, "");
}

async function dataViews(): Promise<Props[]> {
  return (await emu.call<{ content: Props[] }>("GET", "/data/dataviews", { query: { expansion: "name", limit: "100" } })).body.content;
}

const set = (values: Record<string, string>) => ws.setConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [`engine-options:${k}`, v])));

beforeAll(async () => {
  emu = await startTestEmulator();
  ui = await setUpAjoInEmulator(emu, TEST_ORG);
  ws = await emulatorWorkspace(emu, PROGRAM, { "engine-options:connectionId": ui.connectionId, "engine-options:templateDataViewId": ui.templateDataViewId });
  await ws.up();
});

afterAll(async () => {
  ws?.dispose();
  await emu?.close();
});

describe("resource options and engine behaviour through the real CLI", () => {
  it("runs the program under the Node.js release asked for (PULUMI_TEST_NODE, default 22)", async () => {
    expect((await ws.outputs()).nodeVersion).toBe(ws.tools.nodeVersion);
    expect(ws.tools.nodeVersion.startsWith(`v${defaultNodeMajor()}.`)).toBe(true);
  });

  it("dependsOn between two creates that share no output is recorded in the state", async () => {
    const { log } = await emu.requests();
    const creates = log.filter((e) => e.method === "POST" && e.route === "/calculatedmetrics");
    expect(creates).toHaveLength(2);
    const [delivered, sent] = [(await ws.outputs()).calculatedMetricIds as Record<string, string>].map((ids) => [ids.delivered, ids.sent])[0];
    const all = await calculatedMetrics();
    expect(all.map((c) => c.id).sort()).toEqual([delivered, sent].sort());
    // The first create answered is the one the other depends on.
    const state = await ws.exportState();
    const sentState = state.deployment.resources?.find((r) => r.urn.endsWith("::messages-sent")) as { dependencies?: string[] } | undefined;
    expect(sentState?.dependencies?.some((d) => d.endsWith("::messages-delivered"))).toBe(true);
  });

  it("protect refuses to delete the data view, and Adobe keeps it; destroy still deletes what is not protected", async () => {
    await set({ protect: "true" });
    await ws.up();
    await emu.clearRequests();
    const destroy = await ws.destroy([], { allowFailure: true });
    expect(destroy.code).not.toBe(0);
    expect(diagnostics(destroy.events).join("\n")).toMatch(/protected/);
    expect((await dataViews()).map((d) => d.name)).toContain("Engine options (e2e)");
    expect(await adobeWrites(emu)).toEqual({ "DELETE /calculatedmetrics/:id": 2 });
    expect(await calculatedMetrics()).toEqual([]);
    await set({ protect: "false" });
    const up = await ws.up();
    expect(opCounts(up.steps)).toEqual({ same: 1, create: 2 });
  });

  it("ignoreChanges silences a changed description: no step, nothing written", async () => {
    await set({ ignoreDescription: "true", description: "A description the stack ignores." });
    await emu.clearRequests();
    const preview = await ws.preview();
    expect(opsByName(preview.steps)["messages-delivered"]).toBe("same");
    const up = await ws.up();
    expect(opsByName(up.steps)["messages-delivered"]).toBe("same");
    expect(declaredDescription((await calculatedMetrics()).find((c) => c.name === "Messages Delivered"))).toBe("Sends less bounces.");
    expect(await adobeWrites(emu)).toEqual({});
    await set({ ignoreDescription: "false", description: "Sends less bounces." });
  });

  it("an alias keeps a renamed resource: no delete, no create, the same Adobe object", async () => {
    const before = (await calculatedMetrics()).find((c) => c.name === "Messages Delivered")!.id;
    await set({ renamed: "true" });
    await emu.clearRequests();
    const up = await ws.up();
    expect(opsByName(up.steps)).toMatchObject({ "messages-delivered-renamed": "same" });
    expect(opCounts(up.steps)).toEqual({ same: 3 });
    expect((await calculatedMetrics()).find((c) => c.name === "Messages Delivered")!.id).toBe(before);
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("a program that throws fails the up with its message, and nothing is deleted", async () => {
    await set({ throw: "true" });
    await emu.clearRequests();
    const up = await ws.up([], { allowFailure: true });
    expect(up.code).not.toBe(0);
    expect(diagnostics(up.events).join("\n")).toMatch(/stopped on purpose/);
    expect(opCounts(up.steps).delete ?? 0).toBe(0);
    expect(await calculatedMetrics()).toHaveLength(2);
    expect(await adobeWrites(emu)).toEqual({});
    await set({ throw: "false" });
  });

  it("up --refresh puts back a description changed by hand in Adobe", async () => {
    const delivered = (await calculatedMetrics()).find((c) => c.name === "Messages Delivered")!;
    const put = await emu.call("PUT", `/calculatedmetrics/${delivered.id}`, { body: { ...delivered, description: "Changed in the UI." } });
    expect(put.status).toBe(200);
    await emu.clearRequests();
    const up = await ws.up(["--refresh"]);
    expect(opsByName(up.steps)["messages-delivered-renamed"]).toBe("update");
    expect(declaredDescription((await calculatedMetrics()).find((c) => c.name === "Messages Delivered"))).toBe("Sends less bounces.");
    expect(await adobeWrites(emu)).toMatchObject({ "PUT /calculatedmetrics/:id": 1 });
  });

  it("Ctrl-C while an update is under way lets it finish and records it: the next up has nothing left to do", async () => {
    await set({ description: "After the interrupt." });
    await emu.setFaults({ latencyMs: 1500 });
    await emu.clearRequests();
    let cli: number | undefined;
    const interrupted = ws.up([], { allowFailure: true, onSpawn: (pid) => (cli = pid) });
    // Ctrl-C once Adobe has received the update's first request.
    const deadline = Date.now() + 60_000;
    while (!(await emu.requests()).log.some((e) => e.route === "/calculatedmetrics/validate") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    process.kill(cli!, "SIGINT");
    const result = await interrupted;
    await emu.setFaults({});
    expect(result.code).not.toBe(0);
    expect(diagnostics(result.events).join("")).toMatch(/canceled/);
    // The engine waited for the update it had started, and its checkpoint holds it.
    expect(result.steps.filter((s) => s.name.startsWith("messages-delivered")).map((s) => s.op)).toEqual(["update"]);
    expect((await calculatedMetrics()).filter((c) => c.name === "Messages Delivered").map(declaredDescription)).toEqual(["After the interrupt."]);
    const state = await ws.exportState();
    expect(state.deployment.pending_operations ?? []).toEqual([]);
    expect(opCounts((await ws.preview()).steps)).toEqual({ same: 3 });
  });

  it("--parallel 1 takes the same steps and sends the same requests as the default parallelism", async () => {
    const runs: Array<{ ops: Record<string, number>; writes: Record<string, number> }> = [];
    for (const args of [[], ["--parallel", "1"]]) {
      await ws.destroy();
      await emu.clearRequests();
      const up = await ws.up(args);
      runs.push({ ops: opCounts(up.steps), writes: await adobeWrites(emu) });
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0].ops).toEqual({ create: 3 });
  });

  it("destroy deletes the data view and both calculated metrics, and leaves the template", async () => {
    await emu.clearRequests();
    const destroy = await ws.destroy();
    expect(opCounts(destroy.steps)).toEqual({ delete: 3 });
    expect(await calculatedMetrics()).toEqual([]);
    expect((await dataViews()).map((d) => d.id)).toEqual([ui.templateDataViewId]);
    expect(await adobeWrites(emu)).toEqual({ "DELETE /calculatedmetrics/:id": 2, "DELETE /data/dataviews/:dataViewId": 1 });
  });
});
