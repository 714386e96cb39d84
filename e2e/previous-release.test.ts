/**
 * A stack deployed by the previous release (its state recorded by `npm run record:release` into
 * e2e/fixtures/release-<version>/, Adobe's side in the emulator state beside it), refreshed and
 * destroyed by this one. Refresh and destroy run the serialized provider stored in that state,
 * which loads this release's runtime: the two must still fit.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { EMULATOR_URL_PLACEHOLDER, RELEASE_CREDENTIALS, RELEASE_ORG, type ReleaseFixture } from "../cli/record-release";
import { PROGRAMS, PulumiWorkspace, type Deployment } from "../cli/workspace";
import { adobeWrites, opCounts, startTestEmulator, type TestEmulator } from "./support";

const FIXTURES = path.join(__dirname, "fixtures");
const current = (JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;
/** The newest recorded release older than this one. */
const previous = readdirSync(FIXTURES)
  .filter((d) => d.startsWith("release-") && d !== `release-${current}`)
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  .pop();
if (!previous) throw new Error(`No previous release under e2e/fixtures (this is ${current}).`);
const dir = path.join(FIXTURES, previous);
const fixture = JSON.parse(readFileSync(path.join(dir, "release.json"), "utf8")) as ReleaseFixture;

let emu: TestEmulator;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "release-state-"));
  const stateFile = path.join(scratch, "emulator-state.json");
  copyFileSync(path.join(dir, "emulator-state.json"), stateFile);
  emu = await startTestEmulator({ ...RELEASE_CREDENTIALS, stateFile, rateLimit: null });
});

afterAll(async () => {
  await emu?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe.each(fixture.programs)(`a ${fixture.version} stack of %s`, (name) => {
  let ws: PulumiWorkspace;
  let recorded: Deployment;

  beforeAll(async () => {
    ws = await PulumiWorkspace.create({ program: PROGRAMS[name], stack: "release" });
    recorded = JSON.parse(readFileSync(path.join(dir, `${name}.stack.json`), "utf8").split(EMULATOR_URL_PLACEHOLDER).join(emu.url)) as Deployment;
    const { "adobe:clientSecret": secret, ...plain } = emu.config();
    await ws.setConfig({ ...plain, "adobe:orgId": RELEASE_ORG }, { "adobe:clientSecret": secret });
    await ws.importState(recorded);
  });

  afterAll(() => ws?.dispose());

  const custom = () => (recorded.deployment.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));

  it("imports with every resource the release recorded", async () => {
    const types: Record<string, number> = {};
    for (const r of (await ws.exportState()).deployment.resources ?? []) types[r.type] = (types[r.type] ?? 0) + 1;
    expect(types).toEqual(fixture.resources[name]);
  });

  it("refreshes with this release's runtime: everything read, nothing changed, nothing written", async () => {
    await emu.clearRequests();
    const refresh = await ws.refresh();
    expect(refresh.steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/") && s.changedOutputs.length > 0).map((s) => [s.name, s.changedOutputs])).toEqual([]);
    expect(refresh.changes).toEqual({ same: custom().length + 1 }); // and the stack
    expect(await adobeWrites(emu)).toEqual({});
  });

  it("destroys with this release's runtime: every object the stack made is gone from Adobe", async () => {
    const destroy = await ws.destroy();
    expect(opCounts(destroy.steps)).toEqual({ delete: custom().length });
    expect((await ws.exportState()).deployment.resources ?? []).toEqual([]);
    const dataViews = custom().filter((r) => r.type === "pulumi-nodejs:dynamic/cja:DataView");
    expect(dataViews.length).toBe(1);
    for (const dv of dataViews) expect((await emu.call("GET", `/data/dataviews/${dv.id}`, { org: RELEASE_ORG })).status).toBe(404);
    for (const cm of custom().filter((r) => r.type === "pulumi-nodejs:dynamic/cja:CalculatedMetric")) {
      expect((await emu.call("GET", `/calculatedmetrics/${cm.id}`, { org: RELEASE_ORG })).status).toBe(404);
    }
  });
});
