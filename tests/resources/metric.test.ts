/** cja:Metric, a lookup: read in every preview and up; include/exclude rules, attribution and format compared with the live metric. */
import { DriftError } from "../../provider/runtime/drift";
import { InputError } from "../../provider/runtime/resource-handler";
import type { TestEmulator } from "../helpers/emulator";
import {
  expectFailure,
  adminComponent,
  ajoMetric,
  captureStderr,
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
  type Props,
} from "./support";

let emu: TestEmulator;
const metrics = new Engine("cja:Metric");
const DV = TEMPLATE_DATA_VIEW_ID;
const sends = ajoMetric("Sends");
const bounces = ajoMetric("Bounces");

beforeAll(async () => {
  emu = await startResourceEmulator();
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(async () => {
  await emu.reset();
  await seedAjo(emu);
  startProvider(emu);
  await emu.clearRequests();
});

const sendsInputs = (overrides: Props = {}): Props => ({
  dataViewId: DV,
  componentId: sends.componentId,
  name: "Sends",
  description: "",
  includeExclude: { match: "all", caseSensitive: false, rules: [{ clause: "equals", value: "sent" }] },
  format: { type: "decimal", decimalPlaces: 0, polarity: "positive" },
  ...overrides,
});

const bouncesInputs = (overrides: Props = {}): Props => ({ dataViewId: DV, schemaPath: bounces.schemaPath, name: "Bounces", includeExclude: declaredEquals(bounces.values), ...overrides });

describe("Metric read (preview and up)", () => {
  it("verifies the metric's include/exclude rules and format with one list of the data view's metrics", async () => {
    const metric = await metrics.read(sendsInputs());

    expect(metric.id).toBe(`${DV}/${sends.componentId}`);
    expect(metric.outs).toMatchObject({ componentId: sends.componentId, schemaPath: sends.schemaPath, name: "Sends", dataViewId: DV });
    expect((await requestLines(emu)).filter((l) => !l.includes("/ims/"))).toEqual(["GET /data/dataviews/:dataviewId/metrics 200"]);
  });

  it('"If any criteria are met" with two values (Bounces: bounce or denylist), found by name among the metrics reading its field', async () => {
    const metric = await metrics.read(bouncesInputs());

    // Errors, Excludes and Sends read the same field; the name picks Bounces.
    expect(metric.outs.componentId).toBe(bounces.componentId);
  });

  it("a metric hidden from reporting in the UI is still found, and hidden: true verifies it", async () => {
    await patchComponent(emu, DV, "metrics", sends.componentId, { hidden: true, hideFromReporting: true });

    const metric = await metrics.read(sendsInputs({ hidden: true }));

    expect(metric.outs.componentId).toBe(sends.componentId);
  });

  it("a refresh right after the read records the same outputs", async () => {
    await patchComponent(emu, DV, "metrics", sends.componentId, {
      attributionSetting: { enabled: true, attributionModel: { func: "allocation-lastTouch" }, lookback: { context: "sessions" } },
    });
    for (const inputs of [sendsInputs({ attribution: { model: "last-touch", lookback: "session" } }), bouncesInputs()]) {
      const metric = await metrics.read(inputs);
      newRun();
      const refreshed = await metrics.refresh(metric);
      expect(refreshed).toEqual({ ...metric, inputs: expect.anything() });
    }
    expect(await writes(emu)).toEqual([]);
  });
});

describe("Metric with changed inputs", () => {
  it("verifies newly declared settings against Adobe and writes nothing; Adobe has what was declared", async () => {
    await metrics.read({ dataViewId: DV, componentId: sends.componentId, name: "Sends" });
    await patchComponent(emu, DV, "metrics", sends.componentId, {
      attributionSetting: { enabled: true, attributionModel: { func: "allocation-firstTouch" }, lookback: { context: "visitors" } },
    });
    const declared = sendsInputs({ attribution: { model: "first-touch", lookback: "person" } });

    newRun();
    const updated = await metrics.read(declared);

    expect(updated.outs).toMatchObject({ componentId: sends.componentId, attribution: { model: "first-touch", lookback: "person" } });
    expect(await writes(emu)).toEqual([]);
    expect(await adminComponent(emu, DV, "metrics", sends.componentId)).toMatchObject({
      includeExcludeSetting: { enabled: true, match: "and", rules: [{ clause: "equals", value: "sent" }] },
      formatSetting: { formatType: "decimal", decimalPlaces: 0, polarity: "positive" },
      attributionSetting: { enabled: true, attributionModel: { func: "allocation-firstTouch" }, lookback: { context: "visitors" } },
    });
  });
});

describe("Metric drift", () => {
  async function changeSendsRuleInUi(): Promise<void> {
    await patchComponent(emu, DV, "metrics", sends.componentId, {
      includeExcludeSetting: { enabled: true, caseSensitive: false, match: "and", type: "string", rules: [{ clause: "equals", value: "delivered" }] },
    });
  }

  it("a changed include/exclude rule is recorded by refresh, and the next preview's read stops on it", async () => {
    const metric = await metrics.read(sendsInputs());
    await changeSendsRuleInUi();
    newRun();

    const refreshed = await metrics.refresh(metric);

    expect(refreshed!.outs.includeExclude).toEqual({ match: "all", caseSensitive: false, rules: [{ clause: "equals", value: "delivered" }] });
    expect(await rejectionOf(() => metrics.read(sendsInputs()))).toBeInstanceOf(DriftError);
  });

  it('onDrift "fail": the read (preview and up alike) stops listing the rule with declared and live values and the Data View Manager fix', async () => {
    await metrics.read(sendsInputs());
    await changeSendsRuleInUi();
    await patchComponent(emu, DV, "metrics", sends.componentId, { formatSetting: { formatType: "decimal", decimalPlaces: 2, polarity: "positive" } });
    newRun();

    const error = await rejectionOf(() => metrics.read(sendsInputs()));

    expect(error).toBeInstanceOf(DriftError);
    expect((error as DriftError).differences.map((d) => d.setting)).toEqual(["includeExclude.rules", "format"]);
    expect(error.message).toContain(`metric "Sends" (${sends.componentId}) of data view ${DV} differs from the code (2 settings)`);
    expect(error.message).toContain('includeExclude.rules: declared [{"clause":"equals","value":"sent"}], live [{"clause":"equals","value":"delivered"}]');
    expect(error.message).toContain(`In the Data View Manager, open the data view ${DV}, select the metric "Sends" (${sends.componentId}), tick "Set include/exclude values" and set the criteria to equals "sent".`);
    expect(error.message).toContain('format: declared {"type":"decimal","decimalPlaces":0,"polarity":"positive"}, live {"type":"decimal","decimalPlaces":2,"polarity":"positive"}');
    expect(await writes(emu)).toEqual([]);
  });

  it('onDrift "warn": the read succeeds and the provider log lists the same differences', async () => {
    await metrics.read(sendsInputs({ onDrift: "warn" }));
    await changeSendsRuleInUi();
    newRun();

    const { result, stderr } = await captureStderr(() => metrics.read(sendsInputs({ onDrift: "warn" })));

    expect(result.outs.componentId).toBe(sends.componentId);
    expect(stderr).toContain(`warning: metric "Sends" (${sends.componentId}) of data view ${DV} differs from the code (1 setting)`);
    expect(stderr).toContain('includeExclude.rules: declared [{"clause":"equals","value":"sent"}], live [{"clause":"equals","value":"delivered"}]');
  });

  it('"any" changed to "all" criteria, and include/exclude switched off, are each reported', async () => {
    const metric = await metrics.read(bouncesInputs());
    await patchComponent(emu, DV, "metrics", bounces.componentId, { includeExcludeSetting: { enabled: true, match: "and", type: "string", rules: [{ clause: "equals", value: "bounce" }, { clause: "equals", value: "denylist" }] } });
    newRun();
    const matchChanged = await rejectionOf(() => metrics.read(bouncesInputs()));
    expect((matchChanged as DriftError).differences.map((d) => d.setting)).toEqual(["includeExclude.match"]);
    expect(matchChanged.message).toContain('includeExclude.match: declared "any", live "all"');
    expect(matchChanged.message).toContain('set Match to "If any criteria are met"');

    await patchComponent(emu, DV, "metrics", bounces.componentId, { includeExcludeSetting: { enabled: false } });
    newRun();
    const refreshed = await metrics.refresh(metric);
    expect(refreshed!.outs.includeExclude).toBeUndefined();
    newRun();
    const switchedOff = await rejectionOf(() => metrics.read(bouncesInputs()));
    expect(switchedOff.message).toContain('includeExclude.rules: declared [{"clause":"equals","value":"bounce"},{"clause":"equals","value":"denylist"}], live (not set)');
  });

  it("a changed attribution model is drift of attribution", async () => {
    await patchComponent(emu, DV, "metrics", sends.componentId, { attributionSetting: { enabled: true, attributionModel: { func: "allocation-lastTouch" }, lookback: { context: "sessions" } } });
    const declared = sendsInputs({ attribution: { model: "last-touch", lookback: "session" } });
    const metric = await metrics.read(declared);
    await patchComponent(emu, DV, "metrics", sends.componentId, { attributionSetting: { enabled: true, attributionModel: { func: "allocation-linear" }, lookback: { context: "visitors" } } });
    newRun();

    const refreshed = await metrics.refresh(metric);
    expect(refreshed!.outs.attribution).toEqual({ model: "linear", lookback: "person" });
    const error = await rejectionOf(() => metrics.read(declared));
    expect(error.message).toContain('attribution: declared {"model":"last-touch","lookback":"session"}, live {"model":"linear","lookback":"person"}');
  });
});

describe("Metric delete and removal", () => {
  it("releases the metric from the stack without any request: the data view keeps it", async () => {
    const metric = await metrics.read(sendsInputs());
    const before = await adminComponent(emu, DV, "metrics", sends.componentId);
    await emu.clearRequests();

    await metrics.destroy(metric);

    expect(await requestLines(emu)).toEqual([]);
    expect(await adminComponent(emu, DV, "metrics", sends.componentId)).toEqual(before);
  });

  it("a metric removed from the data view reads as gone (id \"\")", async () => {
    const metric = await metrics.read(sendsInputs());
    await emu.admin("DELETE", `${ORG_ADMIN}/dataviews/${DV}/metrics/${encodeURIComponent(sends.componentId)}`);
    newRun();

    expect(await metrics.handler.read(metric.id, metric.outs)).toEqual({ id: "" });
  });
});

describe("Metric inputs", () => {
  const cases: Array<[string, Props, string, RegExp]> = [
    ["a dimension id", { dataViewId: DV, componentId: "variables/x", name: "X" }, "componentId", /componentId: is a dimension id \(variables\/\.\.\.\); a metric id starts with metrics\//],
    ["no dataViewId", { componentId: sends.componentId, name: "Sends" }, "dataViewId", /dataViewId/],
    ["neither componentId nor schemaPath", { dataViewId: DV, name: "Sends" }, "componentId", /componentId: give componentId or schemaPath/],
    ["an empty schemaPath", { dataViewId: DV, schemaPath: "", name: "Sends" }, "schemaPath", /schemaPath: must not be empty/],
    ["an unknown include/exclude clause", sendsInputs({ includeExclude: { rules: [{ clause: "like", value: "sent" }] } }), "includeExclude", /includeExclude\.rules\[0\]\.clause/],
    ["a currency code that is not ISO", sendsInputs({ format: { type: "currency", currency: "US" } }), "format", /format\.currency: must be an ISO currency code/],
    ["an unknown attribution model", sendsInputs({ attribution: { model: "last", lookback: "session" } }), "attribution", /attribution\.model/],
  ];

  it.each(cases)("the read rejects %s, naming the field, and sends nothing to Adobe", async (_what, inputs, property, reason) => {
    const error = await rejectionOf(() => metrics.read(inputs));

    expect(error).toBeInstanceOf(InputError);
    expectFailure((error as InputError).failures, property, reason);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("Metric preview with unknown values", () => {
  it("an input not known yet is verified by up, not by the preview: no request", async () => {
    for (const inputs of [sendsInputs({ dataViewId: UNKNOWN }), sendsInputs({ includeExclude: { rules: [{ clause: "equals", value: UNKNOWN }] } })]) {
      expect((await metrics.read(inputs)).outs).toMatchObject(inputs);
    }
    expect(await requestLines(emu)).toEqual([]);
  });
});
