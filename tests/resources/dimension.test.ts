/** cja:Dimension, a lookup: read in every preview and up, found in its data view, every declared setting compared, never written. */
import { DriftError } from "../../provider/runtime/drift";
import { InputError } from "../../provider/runtime/resource-handler";
import type { TestEmulator } from "../helpers/emulator";
import {
  expectFailure,
  adminComponent,
  AJO_DIMENSIONS,
  AJO_METRICS,
  ajoDimension,
  captureStderr,
  copyOf,
  countOf,
  declaredEquals,
  Engine,
  newRun,
  ORG_ADMIN,
  patchComponent,
  rejectionOf,
  requestLines,
  seedAjo,
  startProvider,
  startResourceEmulator,
  TEMPLATE_DATA_VIEW_ID,
  UNKNOWN,
  writes,
  type Deployed,
  type Props,
} from "./support";

let emu: TestEmulator;
const dimensions = new Engine("cja:Dimension");
const metrics = new Engine("cja:Metric");
const DV = TEMPLATE_DATA_VIEW_ID;
const channel = ajoDimension("Channel");
const AUDIENCE_NAMES = "variables/audienceMembershipIdName";

beforeAll(async () => {
  emu = await startResourceEmulator();
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.reset();
  await seedAjo(emu);
  // The audience guide's multi-audience dimension: an array, split on commas.
  await emu.admin("PUT", `${ORG_ADMIN}/dataviews/${DV}/dimensions/${encodeURIComponent(AUDIENCE_NAMES)}`, {
    name: "Audience Membership Name",
    sourceFieldId: "audienceMembershipIdName",
    schemaPath: "audienceMembershipIdName",
    type: "string",
    dataSetType: "profile",
    fieldDefinition: [{ func: "raw-field", id: "audienceMembershipIdName" }, { func: "split", delimiter: "," }],
  });
  startProvider(emu);
  await emu.clearRequests();
});

const channelInputs = (overrides: Props = {}): Props => ({
  dataViewId: DV,
  componentId: channel.componentId,
  name: "Channel",
  description: "",
  hidden: false,
  persistence: { allocation: "most-recent", expiration: "session" },
  ...overrides,
});

describe("Dimension read (preview and up)", () => {
  it("by componentId: one list of the data view's dimensions, the dimension verified and its ids output", async () => {
    const dim = await dimensions.read(channelInputs());

    expect(dim.id).toBe(`${DV}/${channel.componentId}`);
    expect(dim.outs).toMatchObject({ componentId: channel.componentId, schemaPath: channel.schemaPath, name: "Channel", dataViewId: DV });
    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/"))).toEqual(["GET /data/dataviews/:dataviewId/dimensions 200"]);
  });

  it("by schemaPath: found by the field it reads; a component id given without variables/ gets it", async () => {
    const bySchema = await dimensions.read({ dataViewId: DV, schemaPath: channel.schemaPath, name: "Channel" });
    expect(bySchema.outs.componentId).toBe(channel.componentId);

    const bare = await dimensions.read({ dataViewId: DV, componentId: channel.componentId.replace(/^variables\//, ""), name: "Channel" });
    expect(bare.outs.componentId).toBe(channel.componentId);
    expect(bare.id).toBe(`${DV}/${channel.componentId}`);
  });

  it("a schema path two dimensions read is narrowed by name, and needs componentId when the name does not decide", async () => {
    const journeyName = ajoDimension("Journey Name");
    const node = await dimensions.read({ dataViewId: DV, schemaPath: journeyName.schemaPath, name: "Journey Node Name" });
    expect(node.outs.componentId).toBe(ajoDimension("Journey Node Name").componentId);

    const error = await rejectionOf(() => dimensions.read({ dataViewId: DV, schemaPath: journeyName.schemaPath, name: "Journey" }));
    expect(error.message).toContain(`2 components of data view ${DV} use ${journeyName.schemaPath}`);
    expect(error.message).toContain("give componentId");
  });

  it("a dimension the data view lacks fails with the change to make in the Data View Manager", async () => {
    const error = await rejectionOf(() => dimensions.read({ dataViewId: DV, componentId: "variables/journeyVersion", name: "Journey Version" }));

    expect(error.message).toContain(`data view ${DV} has no dimension with component id variables/journeyVersion`);
    expect(error.message).toContain("In the Data View Manager, add the schema field as a dimension");
  });

  it("context labels cannot be read through Adobe's API: declaring them logs what to check by hand", async () => {
    const experiment = ajoDimension("Experiment Name");
    const { result, stderr } = await captureStderr(() =>
      dimensions.read({ dataViewId: DV, componentId: experiment.componentId, name: experiment.name, contextLabels: experiment.contextLabels }),
    );

    expect(result.outs.componentId).toBe(experiment.componentId);
    expect(stderr).toContain('does not expose context labels; check in the Data View Manager that it has "Experimentation Experiment"');
  });

  it("a refresh right after the read records the same outputs, by component id, with a substring, and by schema path", async () => {
    const audience = { dataViewId: DV, componentId: AUDIENCE_NAMES, name: "Audience Membership Name", substring: { delimiter: "," } };
    for (const inputs of [channelInputs(), audience, { dataViewId: DV, schemaPath: channel.schemaPath, name: "Channel" }]) {
      const dim = await dimensions.read(inputs);
      newRun();
      const refreshed = await dimensions.refresh(dim);
      expect(refreshed).toEqual({ ...dim, inputs: expect.anything() });
    }
    expect(await writes(emu)).toEqual([]);
  });
});

describe("Dimension with changed inputs", () => {
  it("verifies newly declared settings against Adobe and writes nothing; Adobe has what was declared", async () => {
    await dimensions.read({ dataViewId: DV, componentId: AUDIENCE_NAMES, name: "Audience Membership Name" });
    const declared = { dataViewId: DV, componentId: AUDIENCE_NAMES, name: "Audience Membership Name", hidden: false, substring: { delimiter: "," } };
    newRun();

    const again = await dimensions.read(declared);

    expect(again.outs).toMatchObject({ substring: { delimiter: "," }, hidden: false, componentId: AUDIENCE_NAMES });
    expect(await writes(emu)).toEqual([]);
    const stored = await adminComponent(emu, DV, "dimensions", AUDIENCE_NAMES);
    expect(stored).toMatchObject({ hideFromReporting: false, fieldDefinition: expect.arrayContaining([{ func: "split", delimiter: "," }]) });
  });

  it("another component id or data view reads that component: its id follows", async () => {
    const linkLabel = ajoDimension("Link Label");
    expect((await dimensions.read(channelInputs({ componentId: linkLabel.componentId, name: "Link Label", persistence: undefined }))).id).toBe(`${DV}/${linkLabel.componentId}`);
    const copy = await copyOf(emu, DV);
    expect((await dimensions.read(channelInputs({ dataViewId: copy }))).id).toBe(`${copy}/${channel.componentId}`);
  });

  it("a data view that does not exist stops the read (so the preview), naming dataViewId and the id, with no write", async () => {
    const error = await rejectionOf(() => dimensions.read(channelInputs({ dataViewId: "dv_doesnotexist000000000000" })));
    expect(error.message).toContain('property dataViewId value "dv_doesnotexist000000000000" has a problem: no data view dv_doesnotexist000000000000 in IMS org');
    expect(await writes(emu)).toEqual([]);
  });

  it("a component the data view lacks stops the read (so the preview) with the message up gives", async () => {
    const error = await rejectionOf(() => dimensions.read(channelInputs({ componentId: "variables/not_in_the_data_view" })));
    expect(error.message).toContain(`property componentId value "variables/not_in_the_data_view" has a problem: data view ${DV} has no dimension with component id variables/not_in_the_data_view. In the Data View Manager`);
    expect(await writes(emu)).toEqual([]);
  });
});

describe("Dimension drift", () => {
  async function driftChannel(): Promise<void> {
    await patchComponent(emu, DV, "dimensions", channel.componentId, {
      name: "Channel (renamed)",
      hideFromReporting: true,
      persistenceSetting: { enabled: true, allocationModel: { func: "allocation-firstTouch_dim", expiration: { context: "visitors" } } },
    });
  }

  it("refresh records each changed setting, and the next preview's read stops on them", async () => {
    const dim = await dimensions.read(channelInputs());
    await driftChannel();
    newRun();

    const refreshed = await dimensions.refresh(dim);

    expect(refreshed!.outs).toMatchObject({ name: "Channel (renamed)", hidden: true, persistence: { allocation: "original", expiration: "person" } });
    expect(await rejectionOf(() => dimensions.read(channelInputs()))).toBeInstanceOf(DriftError);
  });

  it('onDrift "fail": the read (preview and up alike) stops listing every differing setting with declared and live values and the Data View Manager fix', async () => {
    const dim = await dimensions.read(channelInputs());
    await driftChannel();
    newRun();
    const error = await rejectionOf(() => dimensions.read(channelInputs()));

    expect(error).toBeInstanceOf(DriftError);
    expect((error as DriftError).differences.map((d) => d.setting)).toEqual(["name", "hidden", "persistence"]);
    expect(error.message).toContain(`dimension "Channel" (${channel.componentId}) of data view ${DV} differs from the code (3 settings)`);
    expect(error.message).toContain('name: declared "Channel", live "Channel (renamed)"');
    expect(error.message).toContain('set Component name to "Channel"');
    expect(error.message).toContain('hidden: declared false, live true');
    expect(error.message).toContain('untick "Hide component in reporting"');
    expect(error.message).toContain('persistence: declared {"allocation":"most-recent","expiration":"session"}, live {"allocation":"original","expiration":"person"}');
    expect(error.message).toContain("open Persistence and set Allocation to most-recent and Expiration to session");
    expect(await writes(emu)).toEqual([]);
  });

  it('onDrift "warn": the read succeeds and the provider log lists the same differences', async () => {
    await dimensions.read(channelInputs({ onDrift: "warn" }));
    await driftChannel();
    newRun();

    const { result, stderr } = await captureStderr(() => dimensions.read(channelInputs({ onDrift: "warn" })));

    expect(result.outs.componentId).toBe(channel.componentId);
    expect(stderr).toContain("warning:");
    expect(stderr).toContain('name: declared "Channel", live "Channel (renamed)"');
    expect(stderr).toContain("persistence: declared");
    expect(await writes(emu)).toEqual([]);
  });

  it('onDrift "warn": the state after the up holds what Adobe holds, so a refresh records no change and the next preview warns the same', async () => {
    await dimensions.read(channelInputs({ onDrift: "warn" }));
    await driftChannel();
    newRun();
    const { result: afterUp, stderr: first } = await captureStderr(() => dimensions.read(channelInputs({ onDrift: "warn" })));

    expect(afterUp.outs).toMatchObject({ name: "Channel (renamed)", hidden: true, persistence: { allocation: "original", expiration: "person" } });
    newRun();
    expect((await dimensions.refresh(afterUp))!.outs).toEqual(afterUp.outs);
    newRun();
    const { stderr: next } = await captureStderr(() => dimensions.read(channelInputs({ onDrift: "warn" })));
    expect(next).toBe(first);
  });

  it("a dimension found by a schema path it shares, then renamed in the UI: refresh records the name, the next read asks for componentId", async () => {
    const journeyName = ajoDimension("Journey Name");
    const nodeName = ajoDimension("Journey Node Name");
    const declared = { dataViewId: DV, schemaPath: journeyName.schemaPath, name: "Journey Node Name" };
    const dim = await dimensions.read(declared);
    await patchComponent(emu, DV, "dimensions", nodeName.componentId, { name: "Node" });
    newRun();

    const refreshed = await dimensions.refresh(dim);
    expect(refreshed!.outs).toMatchObject({ name: "Node", componentId: nodeName.componentId });
    // A read knows only the inputs, not what an earlier run found: the name no longer tells the two apart.
    const error = await rejectionOf(() => dimensions.read(declared));
    expect(error.message).toContain(`2 components of data view ${DV} use ${journeyName.schemaPath} (`);
    expect(error.message).toContain("give componentId");
  });

  it("a changed substring delimiter is drift of substring", async () => {
    const audience = { dataViewId: DV, componentId: AUDIENCE_NAMES, name: "Audience Membership Name", substring: { delimiter: "," } };
    const dim = await dimensions.read(audience);
    await patchComponent(emu, DV, "dimensions", AUDIENCE_NAMES, { fieldDefinition: [{ func: "raw-field", id: "audienceMembershipIdName" }, { func: "split", delimiter: ";" }] });
    newRun();

    const refreshed = await dimensions.refresh(dim);
    expect(refreshed!.outs.substring).toEqual({ delimiter: ";" });
    const error = await rejectionOf(() => dimensions.read(audience));
    expect(error.message).toContain('substring: declared {"delimiter":","}, live {"delimiter":";"}');
  });

  it("a dimension with include/exclude rules changed in the UI is drift of includeExclude.rules", async () => {
    const linkLabel = ajoDimension("Link Label");
    await patchComponent(emu, DV, "dimensions", linkLabel.componentId, { includeExcludeSetting: { enabled: true, match: "and", type: "string", rules: [{ clause: "equals", value: "unsubscribe" }] } });
    const declared = { dataViewId: DV, componentId: linkLabel.componentId, name: "Link Label", includeExclude: declaredEquals(["unsubscribe"]) };
    const dim = await dimensions.read(declared);
    await patchComponent(emu, DV, "dimensions", linkLabel.componentId, { includeExcludeSetting: { enabled: true, match: "and", type: "string", rules: [{ clause: "contains-phrase", value: "unsub" }] } });
    newRun();

    const error = await rejectionOf(() => dimensions.read(declared));
    expect((error as DriftError).differences.map((d) => d.setting)).toEqual(["includeExclude.rules"]);
  });
});

describe("Dimension delete and removal", () => {
  it("releases the dimension from the stack without any request: the data view keeps it", async () => {
    const dim = await dimensions.read(channelInputs());
    const before = await adminComponent(emu, DV, "dimensions", channel.componentId);
    await emu.clearRequests();

    await dimensions.destroy(dim);

    expect(await requestLines(emu)).toEqual([]);
    expect(await adminComponent(emu, DV, "dimensions", channel.componentId)).toEqual(before);
  });

  it("a dimension removed from the data view, or a deleted data view, reads as gone (id \"\")", async () => {
    const dim = await dimensions.read(channelInputs());
    await emu.admin("DELETE", `${ORG_ADMIN}/dataviews/${DV}/dimensions/${encodeURIComponent(channel.componentId)}`);
    newRun();
    expect(await dimensions.handler.read(dim.id, dim.outs)).toEqual({ id: "" });

    const other = await dimensions.read({ dataViewId: DV, componentId: ajoDimension("Link Label").componentId, name: "Link Label" });
    expect((await emu.call("DELETE", `/data/dataviews/${DV}`)).status).toBe(200);
    newRun();
    expect(await dimensions.handler.read(other.id, other.outs)).toEqual({ id: "" });
  });
});

describe("Dimension inputs", () => {
  const cases: Array<[string, Props, string, RegExp]> = [
    ["a metric id", { dataViewId: DV, componentId: "metrics/x", name: "X" }, "componentId", /componentId: is a metric id \(metrics\/\.\.\.\); a dimension id starts with variables\//],
    ["no dataViewId", { componentId: channel.componentId, name: "Channel" }, "dataViewId", /dataViewId/],
    ["neither componentId nor schemaPath", { dataViewId: DV, name: "Channel" }, "componentId", /componentId: give componentId or schemaPath/],
    ["an empty name", { dataViewId: DV, componentId: channel.componentId, name: "" }, "name", /name: must not be empty/],
    ["an empty dataViewId", { dataViewId: " ", componentId: channel.componentId, name: "Channel" }, "dataViewId", /dataViewId: must not be empty/],
    ["an empty substring delimiter", { dataViewId: DV, componentId: AUDIENCE_NAMES, name: "A", substring: { delimiter: "" } }, "substring", /substring\.delimiter: must not be empty/],
    ["an unknown persistence allocation", channelInputs({ persistence: { allocation: "latest", expiration: "session" } }), "persistence", /persistence\.allocation/],
    ["include/exclude without rules", channelInputs({ includeExclude: { match: "any", rules: [] } }), "includeExclude", /includeExclude\.rules: declare at least one rule/],
  ];

  it.each(cases)("the read rejects %s, naming the field, and sends nothing to Adobe", async (_what, inputs, property, reason) => {
    const error = await rejectionOf(() => dimensions.read(inputs));

    expect(error).toBeInstanceOf(InputError);
    expectFailure((error as InputError).failures, property, reason);
    expect(error.message).toContain(`property ${property} value`);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("Dimension preview with unknown values", () => {
  it("an input not known yet (it waits on another resource) is verified by up, not by the preview: no request", async () => {
    const result = await dimensions.read(channelInputs({ name: UNKNOWN }));

    expect(result.outs.name).toBe(UNKNOWN);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("one list request per data view and kind", () => {
  const dimensionInputs = AJO_DIMENSIONS.map((d) => ({ dataViewId: DV, componentId: d.componentId, name: d.name }));
  const metricInputs = AJO_METRICS.map((m) => ({ dataViewId: DV, componentId: m.componentId, name: m.name, includeExclude: declaredEquals(m.values) }));

  it("22 components adopted in one run make exactly one dimensions list and one metrics list", async () => {
    // The engine creates independent resources in parallel; a few more come later in the same run.
    const firstWave = await Promise.all([
      ...dimensionInputs.slice(0, 8).map((inputs) => dimensions.read(inputs)),
      ...metricInputs.slice(0, 5).map((inputs) => metrics.read(inputs)),
    ]);
    const secondWave: Deployed[] = [];
    for (const inputs of dimensionInputs.slice(8)) secondWave.push(await dimensions.read(inputs));
    for (const inputs of metricInputs.slice(5)) secondWave.push(await metrics.read(inputs));

    expect(firstWave.length + secondWave.length).toBe(22);
    expect(new Set([...firstWave, ...secondWave].map((r) => r.id)).size).toBe(22);
    expect(await countOf(emu, "GET", "/data/dataviews/:dataviewId/dimensions")).toBe(1);
    expect(await countOf(emu, "GET", "/data/dataviews/:dataviewId/metrics")).toBe(1);
    expect(await countOf(emu, "GET", "/data/dataviews/:dataviewId/dimensions/:dimensionId")).toBe(0);
    expect(await countOf(emu, "GET", "/data/dataviews/:dataviewId/metrics/:metricId")).toBe(0);

    // The next run (refresh of all 22) reads each list once more, not once per component.
    newRun();
    await emu.clearRequests();
    const refreshed = await Promise.all([
      ...firstWave.slice(0, 8).map((d) => dimensions.refresh(d)),
      ...secondWave.slice(0, 5).map((d) => dimensions.refresh(d)),
      ...firstWave.slice(8).map((m) => metrics.refresh(m)),
      ...secondWave.slice(5).map((m) => metrics.refresh(m)),
    ]);
    expect(refreshed.every((r) => r !== undefined)).toBe(true);
    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/")).sort()).toEqual([
      "GET /data/dataviews/:dataviewId/dimensions 200",
      "GET /data/dataviews/:dataviewId/metrics 200",
    ]);
  });

  it("a refresh after the data view was deleted in Adobe: one failed list per kind, every component read as gone", async () => {
    const adopted = [
      ...(await Promise.all(dimensionInputs.map((inputs) => dimensions.read(inputs)))),
      ...(await Promise.all(metricInputs.map((inputs) => metrics.read(inputs)))),
    ];
    expect((await emu.call("DELETE", `/data/dataviews/${DV}`)).status).toBe(200);
    newRun();
    await emu.clearRequests();

    // One after another, as the engine may send them: a list that failed must not be sent again.
    const refreshed = [];
    for (const [i, r] of adopted.entries()) refreshed.push(await (i < dimensionInputs.length ? dimensions : metrics).handler.read(r.id, r.outs));

    expect(refreshed).toEqual(adopted.map(() => ({ id: "" })));
    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/")).sort()).toEqual([
      "GET /data/dataviews/:dataviewId/dimensions 404",
      "GET /data/dataviews/:dataviewId/metrics 404",
    ]);
  });
});
