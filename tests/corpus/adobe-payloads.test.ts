/**
 * Adobe's payloads as Adobe and others published them (tests/corpus/README.md), run through the
 * client's parsers, the formula language, the emulator's validation and the CalculatedMetric's
 * read and drift code: no payload is rejected, and a metric whose live definition is a published
 * one shows no drift against the formula it prints as.
 */
import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { z } from "zod";
import { audienceListSchema, audienceSchema } from "../../provider/adobe/aep/audiences";
import { exportJobListSchema, exportJobSchema } from "../../provider/adobe/aep/export-jobs";
import { CALCULATED_METRIC_FUNCTIONS } from "../../provider/adobe/cja/calculated-metric-functions";
import { calculatedMetricSchema, calculatedMetricValidationSchema } from "../../provider/adobe/cja/calculated-metrics";
import { connectionSchema } from "../../provider/adobe/cja/connections";
import { dataViewSchema, validationSchema } from "../../provider/adobe/cja/dataviews";
import { dimensionSchema } from "../../provider/adobe/cja/dimensions";
import { metricSchema } from "../../provider/adobe/cja/metrics";
import { pageOf } from "../../provider/adobe/cja/pages";
import { compileFormula, definitionsEqual, definitionToFormula, parseFormula } from "../../provider/runtime/formula";
import { allocationName, attributionName } from "../../provider/runtime/resources/allocation";
import type { TestEmulator } from "../helpers/emulator";
import { Engine, seedAjo, startProvider, startResourceEmulator, TEMPLATE_DATA_VIEW_ID, ORG_ADMIN, type Props } from "../resources/support";

interface CorpusFile {
  file: string;
  source: { repo: string; path: string; commit: string } | { url: string };
  product: "cja" | "analytics-2.0" | "aep";
  endpoint: string;
  direction: "request" | "response";
  edits: string;
  payload: unknown;
}

const ROOT = __dirname;
const corpus: CorpusFile[] = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) => readdirSync(path.join(ROOT, dir.name)).map((name) => `${dir.name}/${name}`))
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(ROOT, file), "utf8")) as Omit<CorpusFile, "file">) }));
const inFolder = (folder: string) => corpus.filter((c) => c.file.startsWith(`${folder}/`));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

describe("the corpus", () => {
  it("holds payloads of every kind the client reads, each with its source", () => {
    expect(corpus.length).toBeGreaterThan(50);
    for (const c of corpus) {
      const where = "url" in c.source ? /^https:\/\//.test(c.source.url) : /^[\w.-]+\/[\w.-]+$/.test(c.source.repo) && c.source.path.length > 0 && /^[0-9a-f]{40}$/.test(c.source.commit);
      expect({ file: c.file, cited: where, direction: ["request", "response"].includes(c.direction) }).toEqual({ file: c.file, cited: true, direction: true });
    }
  });
});

/** Every calculated-metric definition a payload holds: the payload itself, `definition`, or those of a list's items. */
function definitionsIn(payload: unknown): Record<string, unknown>[] {
  if (Array.isArray(payload)) return payload.flatMap(definitionsIn);
  if (!isObject(payload)) return [];
  if (payload.func === "calc-metric" && payload.formula !== undefined) return [payload];
  if (isObject(payload.definition) && payload.definition.formula !== undefined) return [payload.definition];
  return Array.isArray(payload.content) ? payload.content.flatMap(definitionsIn) : [];
}

const definitions = [...inFolder("calculated-metrics"), ...inFolder("calculated-metrics-validate")].flatMap((c) =>
  definitionsIn(c.payload).map((definition, i) => ({ name: `${c.file}#${i}`, definition })),
);

/** The metric ids and filter ids a definition uses. */
function idsIn(node: unknown, ids = { metrics: new Set<string>(), filters: new Set<string>() }) {
  if (Array.isArray(node)) node.forEach((n) => idsIn(n, ids));
  if (!isObject(node)) return ids;
  if (node.func === "metric" && typeof node.name === "string") ids.metrics.add(node.name);
  if (node.func === "segment-ref" && typeof node.id === "string") ids.filters.add(node.id);
  Object.values(node).forEach((value) => idsIn(value, ids));
  return ids;
}

/** A formula name for a metric id: the id without `metrics/`. */
const nameOfMetric = (id: string) => id.replace(/^metrics\//, "");

describe("published calculated-metric definitions", () => {
  it("are found in the corpus: constants, functions, filters and templates among them", () => {
    const funcs = new Set(definitions.flatMap(({ definition }) => JSON.stringify(definition).match(/"func":"[^"]+"/g) ?? []));
    expect(definitions.length).toBeGreaterThanOrEqual(12);
    for (const func of ["if", "gt", "cumul", "col-sum", "mean", "pow", "modulo", "ls-pred-linear", "visualization-group", "segment-ref"]) expect(funcs).toContain(`"func":"${func}"`);
  });

  it.each(definitions.map((d) => [d.name, d.definition] as const))("%s prints as a formula that compiles back to the same definition", (_name, definition) => {
    const formula = definitionToFormula(definition, { metric: nameOfMetric, filter: (id) => id });
    const compiled = compileFormula(parseFormula(formula), (name) => `metrics/${name}`, { resolveFilter: (name) => name });
    expect({ formula, same: definitionsEqual(compiled, definition) }).toEqual({ formula, same: true });
  });
});

describe("published calculated metrics against the emulator and the CalculatedMetric resource", () => {
  let emu: TestEmulator;
  const calculatedMetrics = new Engine("cja:CalculatedMetric");
  const DV = TEMPLATE_DATA_VIEW_ID;

  beforeAll(async () => {
    emu = await startResourceEmulator();
    await seedAjo(emu);
    const metricIds = new Set(definitions.flatMap(({ definition }) => [...idsIn(definition).metrics]));
    for (const id of metricIds) {
      await emu.admin("PUT", `${ORG_ADMIN}/dataviews/${DV}/metrics/${encodeURIComponent(id.replace(/^metrics\//, ""))}`, { name: nameOfMetric(id) });
    }
    startProvider(emu);
  });

  afterAll(async () => {
    await emu?.close();
  });

  it.each(definitions.map((d) => [d.name, d.definition] as const))("%s is valid for the emulator, and a metric holding it reads back with no drift", async (_name, definition) => {
    const validated = await emu.call<Props>("POST", "/calculatedmetrics/validate", { body: { name: "corpus", dataId: DV, definition } });
    expect(validated.body).toMatchObject({ valid: true });

    const ids = idsIn(definition);
    const declared = {
      dataViewId: DV,
      name: `corpus ${_name}`,
      formula: definitionToFormula(definition, { metric: nameOfMetric, filter: (id) => id }),
      metrics: Object.fromEntries([...ids.metrics].map((id) => [nameOfMetric(id), id])),
      filters: Object.fromEntries([...ids.filters].map((id) => [id, id])),
    };
    const made = await calculatedMetrics.create(declared);
    // Adobe holds the published definition as published: labels, key order, root filters and all.
    expect((await emu.call("PUT", `/calculatedmetrics/${made.id}`, { body: { definition } })).status).toBe(200);
    const refreshed = await calculatedMetrics.refresh(made);
    expect(refreshed!.outs.formula).toBe(declared.formula);
    expect(await calculatedMetrics.preview(refreshed!, declared)).toMatchObject({ changes: false });
  });
});

describe("the client's parsers take every published answer", () => {
  const parsers: Array<[string, z.ZodType, (c: CorpusFile) => boolean]> = [
    ["calculated-metrics", pageOf(calculatedMetricSchema), (c) => c.direction === "response" && (Array.isArray(c.payload) || isObject(c.payload) && "content" in c.payload)],
    ["calculated-metrics", calculatedMetricSchema, (c) => c.direction === "response" && isObject(c.payload) && "id" in c.payload],
    ["calculated-metrics-validate", calculatedMetricValidationSchema, (c) => c.direction === "response"],
    ["connections", pageOf(connectionSchema), (c) => isObject(c.payload) && "content" in c.payload && !c.file.includes("backfills")],
    ["connections", connectionSchema, (c) => isObject(c.payload) && "id" in c.payload],
    ["dataviews", pageOf(dataViewSchema), (c) => isObject(c.payload) && "content" in c.payload],
    ["dataviews", dataViewSchema, (c) => c.direction === "response" && isObject(c.payload) && "id" in c.payload],
    ["dataviews", validationSchema, (c) => c.file.endsWith("validate-response.json")],
    ["dimensions", pageOf(dimensionSchema), (c) => c.product === "cja" && isObject(c.payload) && "content" in c.payload],
    ["dimensions", dimensionSchema, (c) => c.product === "cja" && isObject(c.payload) && "id" in c.payload],
    ["metrics", pageOf(metricSchema), (c) => c.product === "cja" && isObject(c.payload) && "content" in c.payload],
    ["metrics", metricSchema, (c) => c.product === "cja" && isObject(c.payload) && "id" in c.payload],
    ["aep-audiences", audienceListSchema, (c) => isObject(c.payload) && "children" in c.payload && c.endpoint.includes("/audiences")],
    ["aep-audiences", audienceSchema, (c) => isObject(c.payload) && "audienceId" in c.payload],
    ["aep-export-jobs", exportJobListSchema, (c) => isObject(c.payload) && "records" in c.payload],
    ["aep-export-jobs", exportJobSchema, (c) => c.direction === "response" && isObject(c.payload) && "id" in c.payload],
  ];
  const cases = parsers.flatMap(([folder, schema, applies]) => inFolder(folder).filter(applies).map((c) => [c.file, schema] as const));

  it("covers every kind of answer", () => {
    expect(new Set(cases.map(([file]) => file.split("/")[0]))).toEqual(new Set(parsers.map(([folder]) => folder)));
  });

  it.each(cases)("%s", (file, schema) => {
    const result = schema.safeParse(corpus.find((c) => c.file === file)!.payload);
    expect({ file, issues: result.success ? [] : result.error.issues }).toEqual({ file, issues: [] });
  });
});

describe("Adobe's published function catalog agrees with the one the formula language and the emulator use", () => {
  const published = inFolder("calculated-metrics-functions").flatMap((c) => (Array.isArray(c.payload) ? c.payload : [c.payload])) as Array<{ id: string; definition?: { parameters?: Array<{ name: string }> } }>;

  it.each(published.filter((f) => CALCULATED_METRIC_FUNCTIONS.has(f.id)).map((f) => [f.id, f] as const))("%s takes the same parameter keys, in order", (id, item) => {
    expect(CALCULATED_METRIC_FUNCTIONS.get(id)!.parameters.map((p) => p.key)).toEqual((item.definition?.parameters ?? []).map((p) => p.name));
  });
});

describe("allocation models in every published spelling", () => {
  const funcs = new Set(
    [...inFolder("dimensions"), ...inFolder("metrics")].flatMap((c) => JSON.stringify(c.payload).match(/"func":"(allocation-[^"]+|ALLOCATION_[A-Z_]+)"/g) ?? []).map((m) => m.slice(8, -1)),
  );

  it.each([...funcs].filter((f) => !/inactivity|afterEvents|container|lookbackPeriod/i.test(f)))("%s reads as a Data View Manager choice", (func) => {
    const named = [allocationName(func), attributionName(func)];
    expect({ func, named: named.some((name) => name !== func) }).toEqual({ func, named: true });
  });
});
