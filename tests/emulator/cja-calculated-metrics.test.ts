/** Calculated metrics over HTTP: validate, create (guide-only route), read, update, delete, list. */
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { createDataView, orgAdmin, putMetric, seedConnection, type CjaErrorBody, type DataViewDoc } from "./cja-support";

let emulator: TestEmulator;
let dataView: DataViewDoc;

const metric = (id: string) => ({ func: "metric", name: `metrics/${id}` });
const node = (func: string, col1: unknown, col2: unknown) => ({ func, col1, col2 });
const definitionOf = (formula: unknown) => ({ func: "calc-metric", formula, version: [1, 0, 0] });

/** `[Sends] + [Bounces] - [Bounces After Delivery]` from Adobe's AJO guide. */
const messagesSent = definitionOf(node("subtract", node("add", metric("sends"), metric("bounces")), metric("bounces_after_delivery")));
/** `[Sends] - [Bounces After Delivery]`. */
const messagesDelivered = definitionOf(node("subtract", metric("sends"), metric("bounces_after_delivery")));

function calcMetricBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "Messages Sent", description: "Sent or failed", dataId: dataView.id, type: "decimal", precision: 0, polarity: "positive", definition: messagesSent, ...overrides };
}

interface CalcMetric {
  id: string;
  name: string;
  [key: string]: unknown;
}

async function listIds(query: Record<string, string> = {}): Promise<string[]> {
  const res = await emulator.call<{ content: CalcMetric[] }>("GET", "/calculatedmetrics", { query });
  expect(res.status).toBe(200);
  return res.body.content.map((m) => m.id);
}

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await emulator.reset();
  const connection = await seedConnection(emulator);
  dataView = await createDataView(emulator, connection.id);
  for (const [id, name] of [["sends", "Sends"], ["bounces", "Bounces"], ["bounces_after_delivery", "Bounces After Delivery"]]) {
    await putMetric(emulator, dataView.id, id, { name });
  }
});

describe("POST /calculatedmetrics/validate", () => {
  it("answers the identities and functions a valid formula uses", async () => {
    const res = await emulator.call<Record<string, unknown>>("POST", "/calculatedmetrics/validate", { body: calcMetricBody() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      valid: true,
      identityMetrics: [{ identity: "metrics/sends" }, { identity: "metrics/bounces" }, { identity: "metrics/bounces_after_delivery" }],
      // Operands before the function that uses them, as Adobe lists divide(col-sum(x), y): col-sum, divide.
      functions: ["add", "subtract"],
      validator_version: "1.0.0",
      supported_products: ["oberon", "frag"],
      supported_schema: ["schema_oberon", "schema_frag"],
    });
  });

  it("is invalid when a referenced metric is not in the data view", async () => {
    const res = await emulator.call<Record<string, unknown>>("POST", "/calculatedmetrics/validate", {
      body: calcMetricBody({ definition: definitionOf(node("divide", metric("sends"), metric("opens"))) }),
    });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.message).toContain("metrics/opens");
  });

  it("answers 404 for an unknown data view", async () => {
    const res = await emulator.call<CjaErrorBody>("POST", "/calculatedmetrics/validate", { body: calcMetricBody({ dataId: "dv_000000000000000000000000" }) });
    expect(res.status).toBe(404);
    expect(res.body.errorCode).toBe("resource_not_found");
  });
});

describe("POST /calculatedmetrics (guide only, not in cja.json)", () => {
  it("creates a calculated metric and answers it with lower-case enums", async () => {
    const res = await emulator.call<CalcMetric>("POST", "/calculatedmetrics", { body: calcMetricBody({ type: "PERCENT", polarity: "NEGATIVE", precision: 2 }) });
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(/^cm[0-9a-f]{24}$/);
    expect(res.body).toMatchObject({ name: "Messages Sent", dataId: dataView.id, type: "percent", polarity: "negative", precision: 2, definition: messagesSent });
    const read = await emulator.call<CalcMetric>("GET", `/calculatedmetrics/${res.body.id}`, { query: { expansion: "definition,modified" } });
    expect(read.body).toMatchObject({ id: res.body.id, name: "Messages Sent", type: "percent", definition: messagesSent });
    expect(read.body.modified).toMatch(/Z$/);
    const listed = await emulator.call<{ content: CalcMetric[] }>("GET", "/calculatedmetrics", { query: { expansion: "dataName" } });
    expect(listed.body.content[0].dataName).toBe("AJO data view");
  });

  it("rejects a reference to a missing metric with 400 naming it, and stores nothing", async () => {
    const res = await emulator.call<CjaErrorBody>("POST", "/calculatedmetrics", {
      body: calcMetricBody({ definition: definitionOf(node("add", metric("sends"), metric("email_opens"))) }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errorCode).toBe("invalid_parameters");
    expect(res.body.errorDescription).toContain("metrics/email_opens");
    expect(await listIds()).toEqual([]);
  });

  it("checks the guide's shape with the project's schema", async () => {
    const noDefinition = await emulator.call<CjaErrorBody>("POST", "/calculatedmetrics", { body: calcMetricBody({ definition: undefined }) });
    expect(noDefinition.status).toBe(400);
    expect(noDefinition.body.errorDescription).toContain("definition");
    const badRoot = await emulator.call<CjaErrorBody>("POST", "/calculatedmetrics", { body: calcMetricBody({ definition: { func: "segment-def", formula: {} } }) });
    expect(badRoot.status).toBe(400);
    expect(badRoot.body.errorDescription).toContain("definition.func");
    const unknownFunction = await emulator.call<CjaErrorBody>("POST", "/calculatedmetrics", { body: calcMetricBody({ definition: definitionOf({ func: "col-summ", col: metric("sends") }) }) });
    expect(unknownFunction.status).toBe(400);
    expect(unknownFunction.body.errorDescription).toContain('unsupported function "col-summ"');
    expect(await listIds()).toEqual([]);
  });

  it("takes constants as Adobe writes them, bare numbers, and refuses the number node no Adobe definition has", async () => {
    const bare = await emulator.call<CalcMetric>("POST", "/calculatedmetrics", { body: calcMetricBody({ definition: definitionOf(node("multiply", metric("sends"), 100)) }) });
    expect(bare.status).toBe(200);
    expect(bare.body.definition).toEqual(definitionOf(node("multiply", metric("sends"), 100)));
    const wrapped = await emulator.call<CjaErrorBody>("POST", "/calculatedmetrics", { body: calcMetricBody({ definition: definitionOf(node("multiply", metric("sends"), { func: "number", val: 100 })) }) });
    expect(wrapped.status).toBe(400);
    expect(wrapped.body.errorDescription).toBe('Invalid definition: definition.formula.col2: unsupported function "number"');
    expect(await listIds()).toEqual([bare.body.id]);
  });

  it("takes Adobe's functions by their catalog parameters: if, gt, mean with include-zeros, cumul, filters, templates", async () => {
    const sends = metric("sends");
    const definition = {
      func: "calc-metric",
      version: [1, 0, 0],
      formula: {
        func: "visualization-group",
        col: {
          func: "if",
          description: "If",
          cond: { func: "gt", col1: { func: "mean", col: sends, "include-zeros": false }, col2: 0 },
          then: { func: "calc-metric", formula: { func: "cumul", n: 0, col: sends }, version: [1, 0, 0], filters: [{ func: "segment-ref", id: "s300000938_65f0c1a3" }] },
          else: 0,
        },
      },
    };
    const res = await emulator.call<Record<string, unknown>>("POST", "/calculatedmetrics/validate", { body: calcMetricBody({ definition }) });
    expect(res.body).toMatchObject({ valid: true, identityMetrics: [{ identity: "metrics/sends" }], functions: ["mean", "gt", "cumul", "if"] });
    expect(res.body).not.toHaveProperty("definition");
  });

  it.each<[string, unknown, string]>([
    ["a flag that is not a boolean", { func: "mean", col: metric("sends"), "include-zeros": "no" }, 'definition.formula.include-zeros must be true or false'],
    ["a missing required parameter", { func: "if", then: 1 }, 'definition.formula.cond is required by "if"'],
    ["a count that is not a number", { func: "cumul", n: metric("sends"), col: metric("sends") }, "definition.formula.n must be a number"],
    ["a filter without an id", { func: "calc-metric", formula: metric("sends"), filters: [{ func: "segment-ref" }] }, 'definition.formula.filters[0] must be {"func": "segment-ref", "id": <filter id>}'],
    ["a string constant", node("add", metric("sends"), "1"), "definition.formula.col2 must be a number or an object"],
  ])("refuses %s, naming where", async (_case, formula, problem) => {
    const res = await emulator.call<CjaErrorBody>("POST", "/calculatedmetrics", { body: calcMetricBody({ definition: definitionOf(formula as never) }) });
    expect(res.status).toBe(400);
    expect(res.body.errorDescription).toBe(`Invalid definition: ${problem}`);
    expect(await listIds()).toEqual([]);
  });

  it("answers 404 when dataId is not a data view of the org", async () => {
    const res = await emulator.call<CjaErrorBody>("POST", "/calculatedmetrics", { body: calcMetricBody({ dataId: "dv_000000000000000000000000" }) });
    expect(res.status).toBe(404);
  });

});

describe("GET /calculatedmetrics/functions", () => {
  it("serves Adobe's catalog items: the operators and functions with their parameter keys", async () => {
    const res = await emulator.call<Record<string, unknown>[]>("GET", "/calculatedmetrics/functions");
    expect(res.status).toBe(200);
    expect(res.body.find((f) => f.id === "col-sum")).toEqual({
      id: "col-sum",
      category: "basic",
      persistable: true,
      name: "Column Sum",
      description: expect.any(String),
      definition: { func: "calc-metric", parameters: [{ func: "parameter-def", name: "col", type: "column" }], version: [1, 0, 0] },
    });
    expect(res.body.find((f) => f.id === "add")).toMatchObject({ category: "internal", definition: { parameters: [{ name: "col1" }, { name: "col2" }] } });
    expect(res.body.find((f) => f.id === "if")).toMatchObject({ definition: { parameters: [{ name: "cond" }, { name: "then" }, { name: "else" }] } });
  });

  it("serves one function by id, and Adobe's 404 for an unknown one", async () => {
    expect((await emulator.call("GET", "/calculatedmetrics/functions/cumul")).body).toMatchObject({ id: "cumul", definition: { parameters: [{ name: "n", type: "number" }, { name: "col" }] } });
    const missing = await emulator.call<CjaErrorBody>("GET", "/calculatedmetrics/functions/number");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ errorCode: "resource_not_found", errorDescription: "Calculated metric function not found" });
  });
});

describe("GET /calculatedmetrics", () => {
  it("answers the bare array cja.json declares, filtered and paged", async () => {
    const sent = (await emulator.call<CalcMetric>("POST", "/calculatedmetrics", { body: calcMetricBody() })).body;
    const delivered = (await emulator.call<CalcMetric>("POST", "/calculatedmetrics", { body: calcMetricBody({ name: "Messages Delivered", definition: messagesDelivered }) })).body;
    expect(await listIds({ dataIds: dataView.id, sortProperty: "name" })).toEqual([delivered.id, sent.id]);
    // cja.json has no `name` filter on this list (the Analytics 2.0 API does): Adobe's 400.
    expect((await emulator.call<CjaErrorBody>("GET", "/calculatedmetrics", { query: { name: "deliv" } })).status).toBe(400);
    expect(await listIds({ filterByIds: sent.id })).toEqual([sent.id]);
    expect(await listIds({ dataIds: "dv_000000000000000000000000" })).toEqual([]);
    expect(await listIds({ limit: "1", page: "1", sortProperty: "name" })).toEqual([sent.id]);
    expect(await listIds({ ownerId: `${emulator.options.clientId}@techacct.adobe.com` })).toHaveLength(2);
    expect(await listIds({ ownerId: "someone-else@AdobeID" })).toEqual([]);
    const otherOrg = await emulator.call<{ content: CalcMetric[]; totalElements: number; lastPage: boolean }>("GET", "/calculatedmetrics", { org: "OTHERORG000000000000000@AdobeOrg" });
    expect(otherOrg.body).toMatchObject({ content: [], totalElements: 0, lastPage: true });
  });
});

describe("GET /calculatedmetrics: whose", () => {
  it("lists what the credential owns; includeType=shared adds what was shared with it or everyone, all adds every one", async () => {
    const own = (await emulator.call<CalcMetric>("POST", "/calculatedmetrics", { body: calcMetricBody({ name: "Own" }) })).body.id;
    const asTheUi = await emulator.asTheUi();
    const theirs: string[] = [];
    for (const name of ["Shared", "Shared with all", "Private"]) theirs.push((await emulator.call<CalcMetric>("POST", "/calculatedmetrics", { ...asTheUi, body: calcMetricBody({ name }) })).body.id);
    const [shared, sharedWithAll, other] = theirs;
    const me = `${emulator.options.clientId}@techacct.adobe.com`;
    const sharing = await emulator.call("PUT", "/componentmetadata/shares", {
      ...asTheUi,
      body: [
        { componentType: "calculatedMetric", componentId: shared, shares: [{ shareToType: "user", shareToImsId: me }] },
        { componentType: "calculatedMetric", componentId: sharedWithAll, shares: [{ shareToType: "all" }] },
        { componentType: "calculatedMetric", componentId: other, shares: [{ shareToType: "group", shareToId: 587421569 }] },
      ],
    });
    expect(sharing.status).toBe(200);
    const sorted = (list: string[]) => [...list].sort();
    expect(await listIds()).toEqual([own]);
    expect(sorted(await listIds({ includeType: "shared" }))).toEqual(sorted([own, shared, sharedWithAll]));
    expect(sorted(await listIds({ includeType: "all" }))).toEqual(sorted([own, ...theirs]));
    expect((await emulator.call("GET", `/calculatedmetrics/${other}`)).status).toBe(200);
  });
});

describe("PUT and DELETE /calculatedmetrics/{id}", () => {
  it("updates the fields sent and re-checks the definition", async () => {
    const created = (await emulator.call<CalcMetric>("POST", "/calculatedmetrics", { body: calcMetricBody() })).body;
    const updated = await emulator.call<CalcMetric>("PUT", `/calculatedmetrics/${created.id}`, {
      body: { name: "Messages Delivered", type: "PERCENT", definition: messagesDelivered },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: created.id, name: "Messages Delivered", description: "Sent or failed", type: "percent", definition: messagesDelivered });

    const broken = await emulator.call<CjaErrorBody>("PUT", `/calculatedmetrics/${created.id}`, { body: { definition: definitionOf(metric("clicks")) } });
    expect(broken.status).toBe(400);
    expect(broken.body.errorDescription).toContain("metrics/clicks");
    const read = await emulator.call<CalcMetric>("GET", `/calculatedmetrics/${created.id}`);
    expect(read.body.definition).toEqual(messagesDelivered);
  });

  it("reports compatibility against the data view's current metrics", async () => {
    const created = (await emulator.call<CalcMetric>("POST", "/calculatedmetrics", { body: calcMetricBody() })).body;
    await emulator.admin("DELETE", `${orgAdmin()}/dataviews/${dataView.id}/metrics/bounces`);
    const read = await emulator.call<CalcMetric>("GET", `/calculatedmetrics/${created.id}`, { query: { expansion: "compatibility" } });
    expect(read.body.compatibility).toMatchObject({ valid: false });
    expect((read.body.compatibility as { message: string }).message).toContain("metrics/bounces");
  });

  it("deletes, after which the id is unknown", async () => {
    const created = (await emulator.call<CalcMetric>("POST", "/calculatedmetrics", { body: calcMetricBody() })).body;
    const res = await emulator.call("DELETE", `/calculatedmetrics/${created.id}`);
    expect(res).toMatchObject({ status: 200, body: { result: "success" } });
    expect((await emulator.call("GET", `/calculatedmetrics/${created.id}`)).status).toBe(404);
    expect((await emulator.call("PUT", `/calculatedmetrics/${created.id}`, { body: { definition: messagesSent } })).status).toBe(404);
    expect((await emulator.call("DELETE", `/calculatedmetrics/${created.id}`)).status).toBe(404);
    expect(await listIds()).toEqual([]);
  });
});
