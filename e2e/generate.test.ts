/**
 * The generator through its command and the real CLI: `pulumi-adobe-cja-generate` reads a live
 * data view (the Journey Optimizer template, with a calculated metric made in Workspace, and a
 * data view of 1,000 components), writes a program, and that program's first preview finds nothing
 * to adopt differently: no adoption warning, every lookup verified, and its first `up` writes
 * nothing to Adobe.
 */
import { execFile } from "child_process";
import { promisify } from "util";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { EmulatorAdmin } from "../bench/emulator-admin";
import { seedComponentTemplate } from "../bench/component-stack";
import { diagnostics } from "../cli/events";
import { PulumiWorkspace } from "../cli/workspace";
import { setUpAjoInEmulator, type AjoUiSetup } from "../examples/ajo-cja/ui-setup";
import { AJO_DIMENSIONS, AJO_METRICS } from "../examples/ajo-cja/guide";
import { adobeWrites, asTheUi, opCounts, startTestEmulator, TEST_ORG, type TestEmulator } from "./support";

type Props = Record<string, unknown>;

let emu: TestEmulator;
let ui: AjoUiSetup;
let scratch: string;

beforeAll(async () => {
  emu = await startTestEmulator({ credentialOrgs: [TEST_ORG], rateLimit: null });
  ui = await setUpAjoInEmulator(emu, TEST_ORG);
  scratch = mkdtempSync(path.join(tmpdir(), "generate-"));
});

afterAll(async () => {
  await emu?.close();
  rmSync(scratch, { recursive: true, force: true });
});


/** `pulumi-adobe-cja-generate` as a user runs it, with the credentials in ADOBE_* variables (run asynchronously: the emulator answers from this process). */
async function generate(dataViewId: string, out: string): Promise<{ stdout: string; files: Record<string, string> }> {
  const { "adobe:clientId": clientId, "adobe:clientSecret": clientSecret, "adobe:orgId": orgId, "adobe:cjaEndpoint": cja, "adobe:imsEndpoint": ims, "adobe:platformEndpoint": platform } = emu.config();
  const env = { ...process.env, ADOBE_CLIENT_ID: clientId, ADOBE_CLIENT_SECRET: clientSecret, ADOBE_ORG_ID: orgId, ADOBE_CJA_ENDPOINT: cja, ADOBE_IMS_ENDPOINT: ims, ADOBE_PLATFORM_ENDPOINT: platform, ADOBE_CJA_RATE_LIMIT: "off" };
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, "..", "dist", "provider", "tools", "generate.js"), "--data-view", dataViewId, "--out", out, "--project", "generated"], { env, encoding: "utf8" });
  return { stdout, files: Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(path.join(out, f), "utf8")])) };
}

/** A workspace of the generated program on a new stack, pointed at the emulator. */
async function workspaceOf(files: Record<string, string>): Promise<PulumiWorkspace> {
  const ws = await PulumiWorkspace.create({ program: { project: "generated", files: [], write: files } });
  const { "adobe:clientSecret": secret, ...plain } = emu.config();
  await ws.setConfig(plain, { "adobe:clientSecret": secret });
  return ws;
}

describe("a program generated from the Journey Optimizer template", () => {
  let metricId: string;
  let ws: PulumiWorkspace;

  beforeAll(async () => {
    const made = await asTheUi(emu, "POST", "/calculatedmetrics", {
      name: "Delivered share",
      description: "Built in Workspace",
      dataId: ui.templateDataViewId,
      type: "percent",
      precision: 1,
      definition: {
        func: "calc-metric",
        version: [1, 0, 0],
        formula: { func: "divide", col1: { func: "subtract", col1: { func: "metric", name: "metrics/sends" }, col2: { func: "metric", name: "metrics/bounces" } }, col2: { func: "metric", name: "metrics/sends" } },
      },
    });
    metricId = made.id as string;
  });

  afterAll(() => ws?.dispose());

  it("holds the data view, its 22 components and its calculated metric, the formula written with the metrics' names", async () => {
    const { stdout, files } = await generate(ui.templateDataViewId, path.join(scratch, "ajo"));
    expect(stdout).toContain(`data view ${ui.templateDataViewId} with ${AJO_DIMENSIONS.length} dimensions, ${AJO_METRICS.length} metrics and 1 calculated metrics`);
    expect(Object.keys(files).sort()).toEqual(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    const index = files["index.ts"];
    expect(index).toContain(`"adoptId": "${ui.templateDataViewId}"`);
    expect(index).toContain(`"adoptId": "${metricId}"`);
    expect(index).toContain('"formula": "([Sends] - [Bounces]) / [Sends]"');
    expect(index).toMatch(/"Sends": components\["met-sends"\]\.componentId/);
    expect(index.match(/new Dimension\(/g)).toHaveLength(AJO_DIMENSIONS.length);
    expect(index.match(/new Metric\(/g)).toHaveLength(AJO_METRICS.length);
  });

  it("its first preview adopts with nothing to change and verifies every lookup; its first up writes nothing; the next preview changes nothing", async () => {
    ws = await workspaceOf((await generate(ui.templateDataViewId, path.join(scratch, "ajo"))).files);
    await emu.clearRequests();
    const preview = await ws.preview();
    expect(opCounts(preview.steps)).toEqual({ create: 2, read: AJO_DIMENSIONS.length + AJO_METRICS.length });
    expect(diagnostics(preview.events, ["warning", "info#err"]).filter((d) => /adopting|differs/.test(d))).toEqual([]);
    const up = await ws.up();
    expect(opCounts(up.steps)).toEqual({ create: 2, read: AJO_DIMENSIONS.length + AJO_METRICS.length });
    expect(await adobeWrites(emu)).toEqual({});
    expect(opCounts((await ws.preview()).steps)).toEqual({ same: 2, read: AJO_DIMENSIONS.length + AJO_METRICS.length });
    // Adopted, not made: destroy releases both, and Adobe keeps them.
    await ws.destroy();
    expect((await emu.call("GET", `/data/dataviews/${ui.templateDataViewId}`)).status).toBe(200);
    expect((await emu.call("GET", `/calculatedmetrics/${metricId}`)).status).toBe(200);
  });
});

describe("a program generated from a data view of 1,000 components", () => {
  it("declares them all, and its first preview verifies them with one list per kind and writes nothing", async () => {
    const setup = await seedComponentTemplate(new EmulatorAdmin(emu.url), TEST_ORG, 1000);
    const { files } = await generate(setup.templateDataViewId, path.join(scratch, "dv1000"));
    expect(files["index.ts"].match(/new (Dimension|Metric)\(/g)).toHaveLength(1000);
    const ws = await workspaceOf(files);
    try {
      await emu.clearRequests();
      const preview = await ws.preview();
      expect(opCounts(preview.steps)).toEqual({ create: 1, read: 1000 });
      expect(await adobeWrites(emu)).toEqual({});
      const { counters } = await emu.requests();
      const lists = counters.filter((c) => c.route === "/data/dataviews/:dataviewId/dimensions" || c.route === "/data/dataviews/:dataviewId/metrics").reduce((n, c) => n + c.count, 0);
      expect(lists).toBe(2);
    } finally {
      ws.dispose();
    }
  });
});
