/** The generator's program, from live objects as Adobe returns them: inputs the resources accept, formulas that compile back to Adobe's definition, and what cannot be written named. */
import { generateProgram, type LiveDataViewContents } from "../../provider/tools/generate";

const DV = "dv_62ba17d5a5d7845496f5fb4d";
const metric = (id: string, name: string, extra: Record<string, unknown> = {}) => ({ id, name, sourceFieldId: id.replace("metrics/", ""), ...extra });
const OPTS = { project: "reporting", packageVersion: "^0.2.0", pulumiVersion: "^3.139.0" };

function live(calculatedMetrics: unknown[], overrides: Partial<LiveDataViewContents> = {}): LiveDataViewContents {
  return {
    dataView: { id: DV, name: "Reporting", description: "Team reporting", parentDataGroupId: "dg_0f0e0d0c-0b0a-4909-8807-060504030201", timezoneDesignator: "US/Mountain" },
    dimensions: [{ id: "variables/channel", name: "Channel", sourceFieldId: "channel", hideFromReporting: true, persistenceSetting: { enabled: true, allocationModel: { func: "allocation-lastTouch_dim", expiration: { context: "sessions" } } } }],
    metrics: [
      metric("metrics/sends", "Sends", { includeExcludeSetting: { enabled: true, match: "or", rules: [{ clause: "equals", value: "sent" }] }, formatSetting: { formatType: "decimal", decimalPlaces: 0 } }),
      metric("metrics/bounces", "Bounces"),
      metric("metrics/bounces_2", "Bounces"),
    ],
    calculatedMetrics: calculatedMetrics as LiveDataViewContents["calculatedMetrics"],
    ...overrides,
  } as LiveDataViewContents;
}

const cm = (id: string, name: string, formula: unknown) => ({ id, name, dataId: DV, type: "decimal", precision: 2, polarity: "positive", definition: { func: "calc-metric", formula, version: [1, 0, 0] } });
const m = (name: string) => ({ func: "metric", name });

describe("generateProgram", () => {
  it("declares the data view by adoptId with its settings, and every component with what verification compares", () => {
    const program = generateProgram(live([]), OPTS);
    expect(program.resources.map((r) => [r.kind, r.name])).toEqual([
      ["DataView", "data-view-reporting"],
      ["Dimension", "dim-channel"],
      ["Metric", "met-sends"],
      ["Metric", "met-bounces"],
      ["Metric", "met-bounces-2"],
    ]);
    expect(program.resources[0].inputs).toEqual({ adoptId: DV, name: "Reporting", description: "Team reporting", connectionId: "dg_0f0e0d0c-0b0a-4909-8807-060504030201", timezone: "US/Mountain" });
    expect(program.resources[1].inputs).toEqual({ dataViewId: DV, componentId: "variables/channel", name: "Channel", hidden: true, persistence: { allocation: "most-recent", expiration: "session" } });
    expect(program.resources[2].inputs).toMatchObject({ includeExclude: { match: "any", rules: [{ clause: "equals", value: "sent" }] }, format: { type: "decimal", decimalPlaces: 0 } });
    expect(program.notes).toEqual([]);
    expect(program.files["index.ts"]).toContain('const DATA_VIEW_ID = "dv_62ba17d5a5d7845496f5fb4d";');
    expect(program.files["index.ts"]).toContain('"dataViewId": DATA_VIEW_ID');
    expect(JSON.parse(program.files["package.json"])).toEqual({ name: "reporting", private: true, main: "index.ts", dependencies: { "@pulumi/pulumi": "^3.139.0", "pulumi-adobe-cja": "^0.2.0" } });
  });

  it("writes a calculated metric's formula with the metrics' names (with the id where two share one), linked to the Metric resources", () => {
    const program = generateProgram(live([cm("cm300_1", "Bounce rate", { func: "divide", col1: { func: "add", col1: m("metrics/bounces"), col2: m("metrics/bounces_2") }, col2: m("metrics/sends") })]), OPTS);
    const made = program.resources.find((r) => r.kind === "CalculatedMetric")!;
    expect(made.inputs).toMatchObject({
      adoptId: "cm300_1",
      formula: "([Bounces (metrics/bounces)] + [Bounces (metrics/bounces_2)]) / [Sends]",
      metrics: { "Bounces (metrics/bounces)": "metrics/bounces", "Bounces (metrics/bounces_2)": "metrics/bounces_2", Sends: "metrics/sends" },
      type: "decimal",
      precision: 2,
    });
    expect(program.files["index.ts"]).toContain('"Sends": components["met-sends"].componentId');
  });

  it("names a calculated metric the formula language cannot write and leaves it out, in the notes and in the program", () => {
    const program = generateProgram(live([cm("cm300_2", "Odd", { func: "add", col1: m("metrics/sends"), col2: m("metrics/bounces"), weight: 2 })]), OPTS);
    expect(program.resources.filter((r) => r.kind === "CalculatedMetric")).toEqual([]);
    expect(program.notes).toEqual([expect.stringMatching(/^calculated metric cm300_2 \("Odd"\) is left as it is in Adobe: .*weight/)]);
    expect(program.files["index.ts"]).toContain("// Not managed: calculated metric cm300_2");
  });

  it("leaves out a setting the package cannot declare, and says so", () => {
    const odd = live([], { dimensions: [{ id: "variables/x", name: "X", sourceFieldId: "x", persistenceSetting: { enabled: true, allocationModel: { func: "allocation-somethingNew" } } }] } as Partial<LiveDataViewContents>);
    const program = generateProgram(odd, OPTS);
    expect(program.resources[1].inputs).toEqual({ dataViewId: DV, componentId: "variables/x", name: "X" });
    expect(program.notes).toEqual([expect.stringMatching(/^dimension variables\/x: its persistence .* is not one this package can declare; left out/)]);
  });
});
