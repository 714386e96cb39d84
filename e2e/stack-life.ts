/**
 * A stack's life through the real CLI, from `stack init` to `destroy`, for a program of this
 * repository set up on the emulator as the Adobe UI leaves it: what the engine shows at each
 * step and what Adobe holds after it. Each program's test names what differs (which dimension a
 * person edits, which config key renames the data view, which component the program drops).
 */
import { diagnostics, differingKeys } from "../cli/events";
import { prepareStack, type PreparedStack, type ProgramName } from "../cli/example-stacks";
import type { PulumiWorkspace } from "../cli/workspace";
import { adobeWrites, editProgram, emulatorWorkspace, opCounts, opsByName, startTestEmulator, TEST_CLIENT_SECRET, TEST_ORG, type TestEmulator } from "./support";

type Props = Record<string, unknown>;

export interface StackLifeSpec {
  program: ProgramName;
  /** Stack config on top of what the UI set-up gives (e.g. faster polling). */
  config?: Record<string, string>;
  /** The program's resources, by op, after a first `up`. */
  resources: number;
  /** How many of them are lookups (Connection, Dimension, Metric), which the engine reads instead of creating. */
  lookups: number;
  /** Writes the first `up` sends, `"METHOD route": count`. */
  firstUpWrites: Record<string, number>;
  /** The data view(s) the stack makes, read off the stack outputs, by resource name. */
  dataViews(outputs: Props): Record<string, string>;
  /** A dimension a person edits in the Data View Manager: its resource name and its id without `variables/`, in data view `dataView`. */
  drift: { dataView: string; resource: string; componentId: string };
  /** A config key whose new value renames data view `dataView` in place. */
  rename: { dataView: string; key: string; value: string };
  /** A component the program stops declaring: the edit of the program copy and the resource it drops. */
  drop: { file: string; from: RegExp; to: string; resource: string };
  /** Writes `destroy` sends. */
  destroyWrites: Record<string, number>;
}

export function describeStackLife(spec: StackLifeSpec): void {
  let emu: TestEmulator;
  let ws: PulumiWorkspace;
  let prepared: PreparedStack;
  let dataViews: Record<string, string>;

  const get = async <T = Props>(path: string, query: Record<string, string> = {}): Promise<T> => {
    const res = await emu.call<T>("GET", path, { query });
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const admin = `/orgs/${encodeURIComponent(TEST_ORG)}`;
  const programResources = (steps: { type: string }[]) => steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/")).length;
  const made = spec.resources - spec.lookups;

  beforeAll(async () => {
    emu = await startTestEmulator({ credentialOrgs: [TEST_ORG], rateLimit: null, exportJobTimings: { newMs: 200, processingMs: 400 }, queryDurationMs: 300 });
    prepared = await prepareStack(spec.program, emu.url, TEST_ORG);
    ws = await emulatorWorkspace(emu, prepared.program, { ...prepared.config, ...spec.config });
  });

  afterAll(async () => {
    ws?.dispose();
    await emu?.close();
  });

  describe(`${spec.program} with the real CLI`, () => {
    it("config set --secret keeps the client secret encrypted in the stack file", () => {
      expect(ws.stackFile()).not.toContain(TEST_CLIENT_SECRET);
      expect(ws.stackFile()).toMatch(/adobe:clientSecret:\s+secure: v1:/);
    });

    it("a preview of the new stack plans what the stack makes as creates and the lookups as reads, and writes nothing", async () => {
      await emu.clearRequests();
      const preview = await ws.preview();
      expect(opCounts(preview.steps)).toEqual({ create: made, read: spec.lookups });
      expect(await adobeWrites(emu)).toEqual({});
    });

    it("up creates the stack, reads the lookups, and sends exactly the writes the program needs", async () => {
      await emu.clearRequests();
      const up = await ws.up();
      expect(opCounts(up.steps)).toEqual({ create: made, read: spec.lookups });
      expect(await adobeWrites(emu)).toEqual(spec.firstUpWrites);
      dataViews = spec.dataViews(await ws.outputs());
      for (const id of Object.values(dataViews)) expect(id).toMatch(/^dv_/);
    });

    it("a preview and an up after it change nothing and write nothing", async () => {
      await emu.clearRequests();
      expect(opCounts((await ws.preview()).steps)).toEqual({ same: made, read: spec.lookups });
      expect(opCounts((await ws.up()).steps)).toEqual({ same: made, read: spec.lookups });
      expect(await adobeWrites(emu)).toEqual({});
    });

    it("a dimension edited by hand stops a plain preview with the setting and the fix; refresh records it; nothing is written", async () => {
      const path = `${admin}/dataviews/${dataViews[spec.drift.dataView]}/dimensions/${spec.drift.componentId}`;
      const before = await emu.admin<Props>("GET", path);
      await emu.admin("PATCH", path, { name: `${String(before.name)} (renamed by hand)` });
      await emu.clearRequests();
      const preview = await ws.operation("preview", [], { allowFailure: true });
      expect(preview.code).not.toBe(0);
      const errors = diagnostics(preview.events, ["error"]).join("\n");
      expect(errors).toContain(`name: declared "${String(before.name)}", live "${String(before.name)} (renamed by hand)"`);
      expect(errors).toContain(`set Component name to "${String(before.name)}"`);
      const refresh = await ws.refresh();
      expect(refresh.steps.filter((s) => s.changedOutputs.length > 0).map((s) => [s.name, s.changedOutputs])).toEqual([[spec.drift.resource, ["name"]]]);
      expect(await adobeWrites(emu)).toEqual({});
      await emu.admin("PATCH", path, { name: before.name });
      expect(opCounts((await ws.preview()).steps)).toEqual({ same: made, read: spec.lookups });
      await ws.refresh();
    });

    it("a config change renames the data view in place: preview --diff --json shows the one input, up keeps the id", async () => {
      await ws.setConfig({ [spec.rename.key]: spec.rename.value });
      const plan = await ws.previewJson(["--diff"]);
      const changed = plan.steps.filter((s) => s.op !== "same" && s.op !== "read");
      expect(changed.map((s) => [s.urn.split("::").pop(), s.op])).toEqual([[spec.rename.dataView, "update"]]);
      expect(differingKeys(changed[0].oldState?.inputs, changed[0].newState?.inputs)).toEqual(["name"]);
      await emu.clearRequests();
      await ws.up();
      const id = dataViews[spec.rename.dataView];
      expect(spec.dataViews(await ws.outputs())[spec.rename.dataView]).toBe(id);
      expect(await get(`/data/dataviews/${id}`, { expansion: "name" })).toMatchObject({ name: spec.rename.value });
      expect(await adobeWrites(emu)).toEqual({ "PUT /data/dataviews/:dataViewId": 1 });
    });

    it("a component dropped from the program leaves the stack and stays in Adobe (it is only read)", async () => {
      editProgram(ws, spec.drop.file, spec.drop.from, spec.drop.to);
      await emu.clearRequests();
      const up = await ws.up();
      expect(opsByName(up.steps)[spec.drop.resource]).toBe("discard");
      expect(programResources(up.steps)).toBe(spec.resources);
      expect(await adobeWrites(emu)).toEqual({});
    });

    it("stack export holds neither the client secret nor an access token", async () => {
      const text = JSON.stringify(await ws.exportState());
      expect(text).not.toContain(TEST_CLIENT_SECRET);
      expect(text).not.toMatch(/access_token|Bearer |eyJ[A-Za-z0-9_-]{10,}/);
      expect(text).toMatch(/"adobe:clientSecret":\{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":/);
    });

    it("destroy removes the data views the stack made", async () => {
      await emu.clearRequests();
      const destroy = await ws.destroy();
      expect(opCounts(destroy.steps)).toEqual({ delete: made, discard: spec.lookups - 1 });
      for (const id of Object.values(dataViews)) expect((await emu.call("GET", `/data/dataviews/${id}`)).status).toBe(404);
      expect(await adobeWrites(emu)).toEqual(spec.destroyWrites);
      expect((await ws.exportState()).deployment.resources ?? []).toEqual([]);
    });
  });
}
