/** cja:CalculatedMetric, managed: formula compiled and validated before every write; drift by refresh. */
import type { TestEmulator } from "../helpers/emulator";
import {
  captureStderr,
  expectFailure,
  copyOf,
  countOf,
  Engine,
  rejectionOf,
  newRun,
  requestLines,
  seedAjo,
  startProvider,
  startResourceEmulator,
  TEMPLATE_DATA_VIEW_ID,
  UNKNOWN,
  untilAnswered,
  writes,
  type Props,
} from "./support";

let emu: TestEmulator;
const calculatedMetrics = new Engine("cja:CalculatedMetric");
const DV = TEMPLATE_DATA_VIEW_ID;

const AJO_METRIC_IDS = { Sends: "metrics/sends", Bounces: "metrics/bounces", "Bounces After Delivery": "metrics/bounces_after_delivery" };

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

/** The guide's "Messages Sent". */
function messagesSent(overrides: Props = {}): Props {
  return {
    dataViewId: DV,
    name: "Messages Sent",
    description: "The total number of messages sent. Includes successful or failed messages.",
    formula: "[Sends] + [Bounces] - [Bounces After Delivery]",
    metrics: AJO_METRIC_IDS,
    ...overrides,
  };
}

const metric = (id: string) => ({ func: "metric", name: id });

interface LiveCalculatedMetric {
  id: string;
  name: string;
  description?: string;
  dataId: string;
  type: string;
  precision: number;
  polarity: string;
  definition: Props;
}

async function liveMetric(id: string) {
  return emu.call<LiveCalculatedMetric>("GET", `/calculatedmetrics/${id}`, { query: { expansion: "definition" } });
}

async function metricsOfDataView(): Promise<LiveCalculatedMetric[]> {
  const res = await emu.call<{ content: LiveCalculatedMetric[] }>("GET", "/calculatedmetrics", { query: { dataIds: DV, expansion: "definition" } });
  expect(res.status).toBe(200);
  return res.body.content;
}

describe("CalculatedMetric create", () => {
  it("compiles the formula, validates it with Adobe, then creates one metric with the definition tree", async () => {
    const cm = await calculatedMetrics.create(messagesSent());
    const lines = (await requestLines(emu)).filter((l) => !l.includes("/ims/"));

    const definition = {
      func: "calc-metric",
      formula: { func: "subtract", col1: { func: "add", col1: metric("metrics/sends"), col2: metric("metrics/bounces") }, col2: metric("metrics/bounces_after_delivery") },
      version: [1, 0, 0],
    };
    // check reads the data view's metrics once (in a stack, the list its Metric resources share).
    expect(lines).toEqual(["GET /data/dataviews/:dataviewId/metrics 200", "POST /calculatedmetrics/validate 200", "POST /calculatedmetrics 200"]);
    expect(cm.outs).toMatchObject({ ...messagesSent(), calculatedMetricId: cm.id, definition, type: "decimal", precision: 0, polarity: "positive" });
    const live = await liveMetric(cm.id);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ name: "Messages Sent", dataId: DV, type: "decimal", precision: 0, polarity: "positive", definition });
    // Adobe's description carries the ownership key on its last line; the resource's does not.
    expect(live.body.description).toBe(`${messagesSent().description}\n\n[pulumi:${cm.outs.ownershipKey}]`);
  });

  it("a refresh right after create shows no diff, however the formula is spaced or parenthesised", async () => {
    const cm = await calculatedMetrics.create(messagesSent());
    await emu.clearRequests();

    const refreshed = await calculatedMetrics.refresh(cm);

    expect(refreshed!.outs.formula).toBe("[Sends] + [Bounces] - [Bounces After Delivery]");
    expect(await calculatedMetrics.preview(refreshed!, messagesSent())).toMatchObject({ changes: false, replaces: [] });
    expect(await calculatedMetrics.preview(refreshed!, messagesSent({ formula: "([Sends]+[Bounces])   -[Bounces After Delivery]" }))).toMatchObject({ changes: false });
    expect(await calculatedMetrics.preview(refreshed!, messagesSent({ formula: "[Sends] + ([Bounces] - [Bounces After Delivery])" }))).toMatchObject({ changes: true });
    expect(await requestLines(emu)).toEqual(["GET /calculatedmetrics 200"]);
  });

  it("a formula naming a metric the data view lacks is refused in check, before any write, naming the formula name and the id", async () => {
    const error = await rejectionOf(() => calculatedMetrics.create(messagesSent({ metrics: { ...AJO_METRIC_IDS, Sends: "metrics/sent_messages" } })));

    expect(error.message).toContain(`metrics: data view ${DV} has no [Sends] → metrics/sent_messages; map each formula name to a metric of that data view`);
    expect(await requestLines(emu)).toEqual(["GET /data/dataviews/:dataviewId/metrics 200"]);
  });
});

describe("CalculatedMetric with constants, Adobe's functions and a filter", () => {
  const EMAIL = "s300000938_65f0c1a3e3b2d43b4a5c9a4e";
  const rate = () =>
    messagesSent({
      name: "Email bounce rate",
      formula: 'if(filter([Sends], "Email") > 0, abs(filter([Bounces], "Email") / filter([Sends], "Email")) * 100, 0)',
      filters: { Email: EMAIL },
    });

  it("compiles to Adobe's form (bare numbers, catalog keys, segment-ref), is valid for Adobe, and reads back with no drift", async () => {
    const cm = await calculatedMetrics.create(rate());
    const sendsByEmail = { func: "calc-metric", formula: metric("metrics/sends"), version: [1, 0, 0], filters: [{ func: "segment-ref", id: EMAIL }] };
    const definition = {
      func: "calc-metric",
      formula: {
        func: "if",
        cond: { func: "gt", col1: sendsByEmail, col2: 0 },
        then: { func: "multiply", col1: { func: "abs", col: { func: "divide", col1: { ...sendsByEmail, formula: metric("metrics/bounces") }, col2: sendsByEmail } }, col2: 100 },
        else: 0,
      },
      version: [1, 0, 0],
    };
    expect((await liveMetric(cm.id)).body.definition).toEqual(definition);
    const validated = await emu.call<Props>("POST", "/calculatedmetrics/validate", { body: { name: "x", dataId: DV, definition } });
    expect(validated.body).toMatchObject({ valid: true, functions: ["gt", "divide", "abs", "multiply", "if"] });

    const refreshed = await calculatedMetrics.refresh(cm);
    expect(refreshed!.outs.formula).toBe(rate().formula);
    expect(await calculatedMetrics.preview(refreshed!, rate())).toMatchObject({ changes: false });
  });

  it("a UI edit reads back as a formula with the filter's name and Adobe's constants", async () => {
    const cm = await calculatedMetrics.create(rate());
    const edited = { func: "calc-metric", formula: { func: "multiply", description: "Multiply", col1: { func: "calc-metric", formula: metric("metrics/bounces"), version: [1, 0, 0], filters: [{ func: "segment-ref", id: EMAIL, description: "Email" }] }, col2: 1000 }, version: [1, 0, 0] };
    expect((await emu.call("PUT", `/calculatedmetrics/${cm.id}`, { body: { definition: edited } })).status).toBe(200);

    const refreshed = await calculatedMetrics.refresh(cm);
    expect(refreshed!.outs.formula).toBe('filter([Bounces], "Email") * 1000');
    expect(await calculatedMetrics.preview(refreshed!, { ...rate(), formula: 'filter([Bounces], "Email") * 1000' })).toMatchObject({ changes: false });
  });

  it("a UI edit with what a formula cannot write reads as the same note on every refresh", async () => {
    const cm = await calculatedMetrics.create(rate());
    const edited = { func: "calc-metric", formula: { func: "divide", col1: metric("metrics/sends"), col2: { func: "if", cond: metric("metrics/sends"), else: 1 } }, version: [1, 0, 0] };
    expect((await emu.call("PUT", `/calculatedmetrics/${cm.id}`, { body: { definition: edited } })).status).toBe(200);

    const once = await calculatedMetrics.refresh(cm);
    const twice = await calculatedMetrics.refresh(once!);
    expect(once!.outs.formula).toBe("(Adobe's definition has no formula form: calculated metric definition: if leaves out then but gives a later argument, which a call cannot write at definition.formula.col2.then)");
    expect(twice!.outs.formula).toBe(once!.outs.formula);
    expect(await calculatedMetrics.preview(twice!, rate())).toMatchObject({ changes: true });
  });

  it.each<[string, Props, string, RegExp]>([
    ["a filter the formula names but filters lacks", { filters: {} }, "formula", /^formula: unknown filter "Email" at position 19; no filters are known/],
    ["an empty filter id", { filters: { Email: "" } }, "filters", /^filters\.Email: must not be empty/],
    ["an empty filter name", { filters: { Email: EMAIL, " ": EMAIL } }, "filters", /^filters: has an empty name/],
    ["an unknown function", { formula: "ab([Sends])" }, "formula", /^formula: unknown function "ab" at position 0; did you mean abs\?/],
    ["a flag where a metric goes", { formula: "abs(true)" }, "formula", /^formula: true at position 4 is a flag/],
  ])("check rejects %s, naming the field, and sends nothing", async (_what, overrides, property, reason) => {
    const result = await calculatedMetrics.check({ ...rate(), ...overrides });
    expectFailure(result.failures, property, reason);
    expect(await requestLines(emu)).toEqual([]);
  });
});

describe("CalculatedMetric update", () => {
  it("changes formula, name and format in place after validating; Adobe then has what was declared", async () => {
    const cm = await calculatedMetrics.create(messagesSent());
    const delivered = messagesSent({
      name: "Messages Delivered",
      description: "Sends minus late bounces",
      formula: "[Sends] - [Bounces After Delivery]",
      precision: 2,
      polarity: "negative",
      type: "percent",
    });

    expect(await calculatedMetrics.preview(cm, delivered)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await emu.clearRequests();
    const updated = await calculatedMetrics.update(cm, delivered);

    const definition = { func: "calc-metric", formula: { func: "subtract", col1: metric("metrics/sends"), col2: metric("metrics/bounces_after_delivery") }, version: [1, 0, 0] };
    expect(updated.outs).toMatchObject({ ...delivered, calculatedMetricId: cm.id, definition });
    expect(await writes(emu)).toEqual(["PUT /calculatedmetrics/:id 200"]);
    expect(await countOf(emu, "POST", "/calculatedmetrics/validate")).toBe(1);
    expect((await liveMetric(cm.id)).body).toMatchObject({
      name: "Messages Delivered",
      description: `Sends minus late bounces\n\n[pulumi:${cm.outs.ownershipKey}]`,
      dataId: DV,
      precision: 2,
      polarity: "negative",
      type: "percent",
      definition,
    });

    const refreshed = await calculatedMetrics.refresh(updated);
    expect(await calculatedMetrics.preview(refreshed!, delivered)).toMatchObject({ changes: false });
  });

  it("another data view replaces the metric", async () => {
    const cm = await calculatedMetrics.create(messagesSent());

    expect(await calculatedMetrics.preview(cm, messagesSent({ dataViewId: await copyOf(emu, DV) }))).toMatchObject({ changes: true, replaces: ["dataViewId"] });
    const missing = await rejectionOf(() => calculatedMetrics.preview(cm, messagesSent({ dataViewId: "dv_doesnotexist000000000000" })));
    expect(missing.message).toContain("dataViewId: no data view dv_doesnotexist000000000000 in IMS org");
  });
});

describe("CalculatedMetric drift", () => {
  it("a metric edited in the UI (PUT) shows as a diff of name and formula, and up puts the declared one back", async () => {
    const cm = await calculatedMetrics.create(messagesSent());
    const edited = await emu.call("PUT", `/calculatedmetrics/${cm.id}`, {
      body: { name: "Messages Sent (edited)", definition: { func: "calc-metric", formula: { func: "add", col1: metric("metrics/sends"), col2: metric("metrics/bounces") }, version: [1, 0, 0] } },
    });
    expect(edited.status).toBe(200);

    const refreshed = await calculatedMetrics.refresh(cm);
    expect(refreshed!.outs).toMatchObject({ name: "Messages Sent (edited)", formula: "[Sends] + [Bounces]" });
    expect(await calculatedMetrics.preview(refreshed!, messagesSent())).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

    await emu.clearRequests();
    await calculatedMetrics.update(refreshed!, messagesSent());
    expect(await writes(emu)).toEqual(["PUT /calculatedmetrics/:id 200"]);
    const live = await liveMetric(cm.id);
    expect(live.body.name).toBe("Messages Sent");
    expect(live.body.definition).toEqual(cm.outs.definition);
  });

  it("a definition changed to a metric the stack does not name still shows as a formula change", async () => {
    const cm = await calculatedMetrics.create(messagesSent());
    await emu.call("PUT", `/calculatedmetrics/${cm.id}`, {
      body: { definition: { func: "calc-metric", formula: { func: "add", col1: metric("metrics/sends"), col2: metric("metrics/errors") }, version: [1, 0, 0] } },
    });

    const refreshed = await calculatedMetrics.refresh(cm);
    expect(refreshed!.outs.formula).toBe("[Sends] + [metrics/errors]");
    expect(await calculatedMetrics.preview(refreshed!, messagesSent())).toMatchObject({ changes: true });
  });

  it("a filter given to the whole definition in the UI shows as a formula change, with the filter's id", async () => {
    const cm = await calculatedMetrics.create(messagesSent());
    const filtered = { ...(cm.outs.definition as Props), filters: [{ func: "segment-ref", id: "s300000000_123" }] };
    expect((await emu.call("PUT", `/calculatedmetrics/${cm.id}`, { body: { definition: filtered } })).status).toBe(200);

    const refreshed = await calculatedMetrics.refresh(cm);
    expect(refreshed!.outs.formula).toBe('filter([Sends] + [Bounces] - [Bounces After Delivery], "s300000000_123")');
    expect(await calculatedMetrics.preview(refreshed!, messagesSent())).toMatchObject({ changes: true });

    await calculatedMetrics.update(refreshed!, messagesSent());
    expect((await liveMetric(cm.id)).body.definition).toEqual(cm.outs.definition);
  });

  it("two formula names for the same metric are kept as written: no diff after a refresh", async () => {
    const inputs = messagesSent({ formula: "[Sends] + [Sent messages]", metrics: { Sends: "metrics/sends", "Sent messages": "metrics/sends" } });
    const cm = await calculatedMetrics.create(inputs);

    const refreshed = await calculatedMetrics.refresh(cm);

    expect(refreshed!.outs.formula).toBe("[Sends] + [Sent messages]");
    expect(await calculatedMetrics.preview(refreshed!, inputs)).toMatchObject({ changes: false });
  });

  it("a changed precision or polarity shows as a diff", async () => {
    const cm = await calculatedMetrics.create(messagesSent());
    await emu.call("PUT", `/calculatedmetrics/${cm.id}`, { body: { precision: 3, polarity: "negative", definition: cm.outs.definition } });

    const refreshed = await calculatedMetrics.refresh(cm);
    expect(refreshed!.outs).toMatchObject({ precision: 3, polarity: "negative" });
    expect(await calculatedMetrics.preview(refreshed!, messagesSent())).toMatchObject({ changes: true });
  });
});

describe("CalculatedMetric refresh of several metrics", () => {
  /** A metric an analyst made in Workspace (the emulator's UI credential): not in the provider's list of its own. */
  async function madeInTheUi(name: string): Promise<string> {
    const made = await emu.call<{ id: string }>("POST", "/calculatedmetrics", {
      ...(await emu.asTheUi()),
      body: { name, dataId: DV, type: "decimal", definition: { func: "calc-metric", formula: metric("metrics/sends"), version: [1, 0, 0] } },
    });
    expect(made.status).toBe(200);
    return made.body.id;
  }

  it("reads every metric it made with one list of the credential's own, whether the engine hands the reads over together or one by one", async () => {
    const made = [];
    for (const name of ["One", "Two", "Three"]) made.push(await calculatedMetrics.create(messagesSent({ name })));
    newRun();
    await emu.clearRequests();

    const together = await Promise.all(made.map((cm) => calculatedMetrics.refresh(cm)));
    expect(together.map((r) => r?.outs.name)).toEqual(["One", "Two", "Three"]);
    expect(together.map((r) => r?.outs.formula)).toEqual(made.map(() => "[Sends] + [Bounces] - [Bounces After Delivery]"));
    expect(await requestLines(emu)).toEqual(["GET /calculatedmetrics 200"]);

    newRun();
    await emu.clearRequests();
    const oneByOne = [];
    for (const cm of made) oneByOne.push(await calculatedMetrics.refresh(cm));
    expect(oneByOne.map((r) => r?.outs.name)).toEqual(["One", "Two", "Three"]);
    expect(await requestLines(emu)).toEqual(["GET /calculatedmetrics 200"]);
  });

  it("the list holds only the credential's own: an analyst's metric adopted by id is read by id", async () => {
    const theirs = await madeInTheUi("Theirs");
    const own = await calculatedMetrics.create(messagesSent({ name: "Ours" }));
    const adopted = await calculatedMetrics.create(messagesSent({ name: "Theirs", formula: "[Sends]", adoptId: theirs }));
    newRun();
    await emu.clearRequests();

    const refreshed = await Promise.all([own, adopted].map((cm) => calculatedMetrics.refresh(cm)));
    expect(refreshed.map((r) => r?.id)).toEqual([own.id, theirs]);
    expect((await requestLines(emu)).sort()).toEqual(["GET /calculatedmetrics 200", "GET /calculatedmetrics/:id 200"]);
    const listed = await emu.call<{ content: Array<{ id: string }> }>("GET", "/calculatedmetrics", { query: { dataIds: DV } });
    expect(listed.body.content.map((m) => m.id)).toEqual([own.id]);
  });

  it("one deleted in Adobe is read by id, answers 404 and is gone; the others stay in the one list", async () => {
    const made = [];
    for (const name of ["One", "Two", "Three"]) made.push(await calculatedMetrics.create(messagesSent({ name })));
    expect((await emu.call("DELETE", `/calculatedmetrics/${made[0].id}`)).status).toBe(200);
    newRun();
    await emu.clearRequests();

    const again = await Promise.all(made.map((cm) => calculatedMetrics.refresh(cm)));
    expect(again.map((r) => r?.outs.name)).toEqual([undefined, "Two", "Three"]);
    expect(await requestLines(emu)).toEqual(["GET /calculatedmetrics 200", "GET /calculatedmetrics/:id 404"]);
  });
});

describe("CalculatedMetric delete", () => {
  it("deletes the metric; a refresh then finds it gone and deleting it again succeeds", async () => {
    const cm = await calculatedMetrics.create(messagesSent());

    await calculatedMetrics.destroy(cm);

    expect((await liveMetric(cm.id)).status).toBe(404);
    expect(await calculatedMetrics.refresh(cm)).toBeUndefined();
    await expect(calculatedMetrics.destroy(cm)).resolves.toBeUndefined();
    const deletes = (await requestLines(emu)).filter((l) => l.startsWith("DELETE"));
    expect(deletes).toEqual(["DELETE /calculatedmetrics/:id 200", "DELETE /calculatedmetrics/:id 404"]);
  });

  it("a metric deleted in the UI reads as gone (id \"\")", async () => {
    const cm = await calculatedMetrics.create(messagesSent());
    expect((await emu.call("DELETE", `/calculatedmetrics/${cm.id}`)).status).toBe(200);

    expect(await calculatedMetrics.handler.read(cm.id, cm.outs)).toEqual({ id: "" });
  });
});

describe("CalculatedMetric idempotent create", () => {
  it("a POST dropped before Adobe acted is repeated after the lookup finds nothing: one metric", async () => {
    await emu.setFaults({ script: [{ match: { method: "POST", route: "/calculatedmetrics" }, times: 1, action: { drop: true } }] });

    const cm = await calculatedMetrics.create(messagesSent());
    const lines = await requestLines(emu);

    expect((await metricsOfDataView()).map((m) => m.id)).toEqual([cm.id]);
    expect(lines.filter((l) => l.includes(" /calculatedmetrics "))).toEqual(["POST /calculatedmetrics 0", "GET /calculatedmetrics 200", "POST /calculatedmetrics 200"]);
  });

  it("a POST Adobe carried out but whose answer was lost is not repeated: the lookup finds the metric", async () => {
    startProvider(emu, { "adobe:requestTimeoutMs": "400" });
    await emu.setFaults({
      script: [
        { match: { method: "POST", route: "/calculatedmetrics" }, times: 1, action: { delayMs: 600 } },
        { match: { method: "GET", route: "/calculatedmetrics" }, times: 1, action: { delayMs: 700 } },
      ],
    });

    const cm = await calculatedMetrics.create(messagesSent());
    await untilAnswered(emu, "GET", "/calculatedmetrics", 2);
    const lines = await requestLines(emu);

    expect(lines.filter((l) => l.includes(" /calculatedmetrics "))).toEqual(["POST /calculatedmetrics 200", "GET /calculatedmetrics 200", "GET /calculatedmetrics 200"]);
    expect((await metricsOfDataView()).map((m) => m.id)).toEqual([cm.id]);
  });
});

describe("CalculatedMetric ownership key: a create run again after a crash adopts instead of duplicating", () => {
  const OWNER = { __owner: "organization/ajo-cja/dev/cja:CalculatedMetric/messages-sent" };

  it("derives the key from the org and the declared resource: the same on every run, another per stack", async () => {
    const first = await calculatedMetrics.create(messagesSent(OWNER));
    const other = await calculatedMetrics.create(messagesSent({ __owner: "organization/ajo-cja/prod/cja:CalculatedMetric/messages-sent" }));

    expect(first.outs.ownershipKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(other.outs.ownershipKey).not.toBe(first.outs.ownershipKey);
    expect(other.id).not.toBe(first.id);
  });

  it("a metric made by a run whose state was lost is found by its key and given the declared definition: no second POST", async () => {
    const first = await calculatedMetrics.create(messagesSent(OWNER));
    startProvider(emu); // the next run: a new provider process
    await emu.clearRequests();

    const again = await calculatedMetrics.create(messagesSent({ ...OWNER, formula: "[Sends] - [Bounces After Delivery]" }));

    expect(again.id).toBe(first.id);
    expect(await writes(emu)).toEqual(["PUT /calculatedmetrics/:id 200"]);
    const live = await metricsOfDataView();
    expect(live.map((m) => m.id)).toEqual([first.id]);
    expect(live[0].definition).toEqual(again.outs.definition);
  });

  it("a refresh shows the declared description, without the key", async () => {
    const cm = await calculatedMetrics.create(messagesSent(OWNER));
    const refreshed = await calculatedMetrics.refresh(cm);
    expect(refreshed!.outs.description).toBe(messagesSent().description);
    expect(await calculatedMetrics.preview(refreshed!, messagesSent(OWNER))).toMatchObject({ changes: false });
  });

  it("another metric of the same name is never adopted: only the key counts", async () => {
    const persons = await calculatedMetrics.create(messagesSent());
    await emu.clearRequests();

    const own = await calculatedMetrics.create(messagesSent(OWNER));

    expect(own.id).not.toBe(persons.id);
    expect(await writes(emu)).toEqual(["POST /calculatedmetrics 200"]);
  });

  it("two metrics carrying the key are not chosen between: the error names both, nothing is written", async () => {
    const first = await calculatedMetrics.create(messagesSent(OWNER));
    const twin = await emu.call<{ id: string }>("POST", "/calculatedmetrics", {
      body: { name: "Messages Sent", dataId: DV, description: `[pulumi:${first.outs.ownershipKey}]`, definition: first.outs.definition },
    });
    expect(twin.status).toBe(200);
    startProvider(emu);
    await emu.clearRequests();

    const error = await rejectionOf(() => calculatedMetrics.create(messagesSent(OWNER)));

    expect(error.message).toContain(`2 calculated metrics of data view ${DV} carry this resource's ownership key ${first.outs.ownershipKey} (`);
    expect(error.message).toContain(first.id);
    expect(error.message).toContain(twin.body.id);
    expect(await writes(emu)).toEqual([]);
  });
});

describe("CalculatedMetric check", () => {
  const cases: Array<[string, Props, string, RegExp]> = [
    ["an unknown metric name", messagesSent({ formula: "[Sends] + [Bounce]" }), "formula", /^formula: unknown metric \[Bounce\] at position 10; known: \[Sends\], \[Bounces\], \[Bounces After Delivery\]/],
    ["an unbalanced parenthesis", messagesSent({ formula: "([Sends] + [Bounces]" }), "formula", /^formula: .*position 20/],
    ["an unclosed bracket", messagesSent({ formula: "[Sends] + [Bounces" }), "formula", /^formula: .*position 10/],
    ["an empty formula", messagesSent({ formula: "" }), "formula", /^formula: empty formula/],
    ["a blank formula", messagesSent({ formula: "   " }), "formula", /^formula: empty formula/],
    ["a dimension id as a metric", messagesSent({ metrics: { ...AJO_METRIC_IDS, Sends: "variables/x" } }), "metrics", /^metrics\.Sends: is a dimension id \(variables\/\.\.\.\)/],
    ["an empty metric id", messagesSent({ metrics: { ...AJO_METRIC_IDS, Sends: "" } }), "metrics", /^metrics\.Sends: must not be empty/],
    ["no dataViewId", { name: "Messages Sent", formula: "[Sends]", metrics: AJO_METRIC_IDS }, "dataViewId", /dataViewId/],
    ["an empty name", messagesSent({ name: "" }), "name", /^name: must not be empty/],
    ["a precision over 10", messagesSent({ precision: 11 }), "precision", /^precision: /],
    ["an unknown number format", messagesSent({ type: "ratio" }), "type", /^type: /],
    ["a formula of numbers only", messagesSent({ formula: "1 + 2" }), "formula", /^formula: uses no metric; a calculated metric computes from at least one/],
    ["a division by zero", messagesSent({ formula: "[Sends] / (1 - 1)" }), "formula", /^formula: divides by zero at position 8$/],
    ["a formula of 1,001 terms", messagesSent({ formula: Array.from({ length: 1001 }, () => "[Sends]").join("+") }), "formula", /^formula: has 1001 metrics and numbers; a formula may have at most 1000$/],
    ["200 nested parentheses", messagesSent({ formula: `${"(".repeat(200)}[Sends]${")".repeat(200)}` }), "formula", /^formula: nests parentheses, calls and minus signs more than 100 deep/],
  ];

  it.each(cases)("rejects %s, naming the field, and sends nothing to Adobe", async (_what, inputs, property, reason) => {
    const result = await calculatedMetrics.check(inputs);

    expectFailure(result.failures, property, reason);
    expect(await requestLines(emu)).toEqual([]);
  });

  it("accepts Adobe's upper-case enums and fills the defaults", async () => {
    const result = await calculatedMetrics.check(messagesSent({ type: "PERCENT", polarity: "NEGATIVE" }));

    expect(result.failures ?? []).toEqual([]);
    expect(result.inputs).toMatchObject({ type: "percent", polarity: "negative", precision: 0 });
  });
});

describe("CalculatedMetric preview with unknown values", () => {
  it("check accepts an unknown dataViewId and unknown metric ids (Metric resources not yet adopted)", async () => {
    const result = await calculatedMetrics.check(messagesSent({ dataViewId: UNKNOWN, metrics: { Sends: UNKNOWN, Bounces: UNKNOWN, "Bounces After Delivery": UNKNOWN } }));

    expect(result.failures ?? []).toEqual([]);
    expect(result.inputs.dataViewId).toBe(UNKNOWN);
    expect(await requestLines(emu)).toEqual([]);
  });

  it("check still names an unknown formula name when the metric ids are unknown", async () => {
    const result = await calculatedMetrics.check(messagesSent({ formula: "[Sends] + [Bounce]", metrics: { Sends: UNKNOWN, Bounces: UNKNOWN } }));

    expect(result.failures).toEqual([expect.objectContaining({ property: "formula", reason: expect.stringContaining("unknown metric [Bounce] at position 10") })]);
  });

  it("check accepts an unknown formula or an unknown metrics map", async () => {
    for (const inputs of [messagesSent({ formula: UNKNOWN }), messagesSent({ metrics: UNKNOWN })]) {
      const result = await calculatedMetrics.check(inputs);
      expect(result.failures ?? []).toEqual([]);
    }
  });

  it("diff with an unknown input reports a change", async () => {
    const cm = await calculatedMetrics.create(messagesSent());

    expect(await calculatedMetrics.preview(cm, messagesSent({ metrics: { ...AJO_METRIC_IDS, Sends: UNKNOWN } }))).toMatchObject({ changes: true, replaces: [] });
    expect(await calculatedMetrics.preview(cm, messagesSent({ formula: UNKNOWN }))).toMatchObject({ changes: true, replaces: [] });
    expect(await calculatedMetrics.preview(cm, messagesSent({ dataViewId: UNKNOWN }))).toMatchObject({ changes: true, replaces: ["dataViewId"] });
  });
});

describe("CalculatedMetric adoption in place (adoptId)", () => {
  let uiId: string;
  const adopting = (overrides: Props = {}) => messagesSent({ name: "Sends x100", description: "Made in Workspace", formula: "[Sends] * 100", adoptId: uiId, ...overrides });

  beforeEach(async () => {
    const made = await emu.call<{ id: string }>("POST", "/calculatedmetrics", {
      body: { name: "Sends x10", description: "Made in Workspace", dataId: DV, type: "decimal", definition: { func: "calc-metric", formula: { func: "multiply", col1: metric("metrics/sends"), col2: 10 }, version: [1, 0, 0] } },
    });
    uiId = made.body.id;
    await emu.clearRequests();
  });

  it("the preview lists what adopting changes; up keeps the id and writes the declared formula; a refresh then shows no change", async () => {
    const { result: checked, stderr } = await captureStderr(() => calculatedMetrics.check(adopting()));
    expect(checked.failures ?? []).toEqual([]);
    expect(stderr).toContain(`CalculatedMetric Sends x100: adopting ${uiId} ("Sends x10") changes name: "Sends x10" → "Sends x100"; formula: "[Sends] * 10" → "[Sends] * 100".`);
    expect(await writes(emu)).toEqual([]);

    const adopted = await calculatedMetrics.create(adopting());
    expect(adopted.id).toBe(uiId);
    expect(await writes(emu)).toEqual(["PUT /calculatedmetrics/:id 200"]);
    const live = (await liveMetric(uiId)).body;
    expect(live).toMatchObject({ name: "Sends x100", description: "Made in Workspace", definition: { formula: { col2: 100 } } });
    const refreshed = await calculatedMetrics.refresh(adopted);
    expect(refreshed!.outs.formula).toBe("[Sends] * 100");
    expect(await calculatedMetrics.preview(refreshed!, adopting())).toMatchObject({ changes: false });
  });

  it("destroy releases it and keeps it in Adobe; deleteOnDestroy: true deletes it", async () => {
    const adopted = await calculatedMetrics.create(adopting());
    await captureStderr(() => calculatedMetrics.destroy(adopted));
    expect((await liveMetric(uiId)).status).toBe(200);
    const deleting = await calculatedMetrics.create(adopting({ deleteOnDestroy: true }));
    await calculatedMetrics.destroy(deleting);
    expect((await liveMetric(uiId)).status).toBe(404);
  });

  it("check refuses a metric that does not exist, and one of another data view, naming adoptId, and writes nothing", async () => {
    expectFailure((await calculatedMetrics.check(adopting({ adoptId: "cm_missing" }))).failures, "adoptId", /^adoptId: calculated metric cm_missing does not exist/);
    const other = await copyOf(emu, DV);
    await emu.clearRequests();
    expectFailure((await calculatedMetrics.check(adopting({ dataViewId: other }))).failures, "adoptId", new RegExp(`^adoptId: calculated metric ${uiId} \\("Sends x10"\\) belongs to data view ${DV}, not to the declared dataViewId ${other}`));
    expect(await writes(emu)).toEqual([]);
  });
});

describe("CalculatedMetric shares and tags", () => {
  const GROUP = { type: "group", id: "587421569" };
  const shared = (overrides: Props = {}) => messagesSent({ shares: [GROUP], tags: ["journey-optimizer"], ...overrides });

  async function sharesOf(id: string) {
    const res = await emu.call<{ content: Array<{ shares: Array<{ shareToType: string; shareToImsId?: string }> }> }>("POST", "/componentmetadata/shares/component/search", {
      body: { componentType: "calculatedMetric", componentIds: [id] },
    });
    return res.body.content[0].shares.map((s) => `${s.shareToType}:${s.shareToImsId ?? ""}`);
  }

  it("are written after the create and read back with no diff; a share changed in the UI shows as a diff and up writes only the shares", async () => {
    const cm = await calculatedMetrics.create(shared());
    expect(await writes(emu)).toEqual(["POST /calculatedmetrics 200", "PUT /componentmetadata/shares 200", "PUT /componentmetadata/tags/tagitems 200"]);
    expect(await sharesOf(cm.id)).toEqual(["group:587421569"]);
    expect(await calculatedMetrics.preview((await calculatedMetrics.refresh(cm))!, shared())).toMatchObject({ changes: false });

    await emu.call("PUT", "/componentmetadata/shares", { body: [{ componentType: "calculatedMetric", componentId: cm.id, shares: [{ shareToType: "all" }] }] });
    newRun();
    const refreshed = await calculatedMetrics.refresh(cm);
    expect(refreshed!.outs.shares).toEqual([{ type: "all" }]);
    expect(await calculatedMetrics.preview(refreshed!, shared())).toMatchObject({ changes: true, replaces: [] });
    await emu.clearRequests();
    await calculatedMetrics.update(refreshed!, shared());
    expect(await writes(emu)).toEqual(["PUT /componentmetadata/shares 200"]);
    expect(await sharesOf(cm.id)).toEqual(["group:587421569"]);
  });

  it("left out, they are neither written nor read", async () => {
    const cm = await calculatedMetrics.create(messagesSent());
    await calculatedMetrics.refresh(cm);
    expect((await requestLines(emu)).filter((l) => l.includes("/componentmetadata/"))).toEqual([]);
  });

  it("check names a bad share and sends nothing", async () => {
    expectFailure((await calculatedMetrics.check(shared({ shares: [{ type: "all", id: "1" }] }))).failures, "shares", /^shares\[0\]\.id: a share with "all" names no id/);
    expect(await requestLines(emu)).toEqual([]);
  });
});
