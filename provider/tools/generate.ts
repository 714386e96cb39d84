#!/usr/bin/env node
/**
 * `npx pulumi-adobe-cja-generate --data-view dv_... --out DIR [--project NAME] [--cwd DIR --stack NAME]`
 * (in this repository `npm run generate -- ...`): reads a live data view (its settings, every
 * dimension and metric with its settings, its calculated metrics with their formulas written with
 * the components' names) and writes a TypeScript Pulumi program that takes all of it over: the
 * data view and the calculated metrics by `adoptId`, the dimensions and metrics as lookups. Its
 * first preview against the same data view finds no difference to adopt, and its first `up`
 * writes nothing.
 *
 * The credentials come from a stack's config (`--stack`, read with `pulumi config --show-secrets`
 * in `--cwd`), else from the `ADOBE_*` environment variables. A calculated metric whose definition
 * the formula language cannot write is named on stderr and in the program, and left out of it: it
 * stays in Adobe as it is.
 */
import { execFileSync } from "child_process";
import { mkdirSync, writeFileSync } from "fs";
import * as path from "path";
import { parseArgs } from "util";
import type { z } from "zod";
import { listCalculatedMetrics, type CalculatedMetric as LiveCalculatedMetric } from "../adobe/cja/calculated-metrics";
import { getDataView, type DataView as LiveDataView } from "../adobe/cja/dataviews";
import { listDimensions, type Dimension as LiveDimension } from "../adobe/cja/dimensions";
import { listMetrics, type Metric as LiveMetric } from "../adobe/cja/metrics";
import { adobeClient, configure } from "../runtime";
import { definitionsEqual, definitionToFormula, type CalcMetricDefinition } from "../runtime/formula";
import { calculatedMetricInputs, compile } from "../runtime/resources/calculated-metric";
import { schemaPathOf } from "../runtime/component-cache";
import { liveIncludeExclude } from "../runtime/resources/component";
import { dataViewInputs, liveSettings } from "../runtime/resources/data-view";
import { dimensionInputs, livePersistence, liveSubstring } from "../runtime/resources/dimension";
import { liveAttribution, liveFormat, metricInputs } from "../runtime/resources/metric";

type Props = Record<string, unknown>;

/** What the generator reads of a data view. */
export interface LiveDataViewContents {
  dataView: LiveDataView;
  dimensions: LiveDimension[];
  metrics: LiveMetric[];
  calculatedMetrics: LiveCalculatedMetric[];
}

/** One resource of the program: its class, resource name and inputs (`dataViewId` written as the data view's id constant). */
export interface GeneratedResource {
  kind: "DataView" | "Dimension" | "Metric" | "CalculatedMetric";
  name: string;
  inputs: Props;
}

export interface GeneratedProgram {
  resources: GeneratedResource[];
  /** What could not be written, one line each (also a comment in `index.ts`). */
  notes: string[];
  /** The program's files, by path in its folder. */
  files: Record<string, string>;
}

/** Every component and calculated metric of a data view, read once each (one list per kind). */
export async function readLiveDataView(dataViewId: string): Promise<LiveDataViewContents> {
  const client = adobeClient();
  const [dataView, dimensions, metrics, calculatedMetrics] = await Promise.all([
    getDataView(client, dataViewId),
    listDimensions(client, dataViewId, { includeHidden: true }),
    listMetrics(client, dataViewId, { includeHidden: true }),
    listCalculatedMetrics(client, { dataIds: [dataViewId], includeType: ["all"] }),
  ]);
  return { dataView, dimensions, metrics, calculatedMetrics };
}

/**
 * The program that adopts `live`. Each resource's inputs are what its verification compares, read
 * off Adobe with the same functions the resources use, and each passes the resource's input schema;
 * a setting that does not (a value outside the package's enums) is left out and noted.
 */
export function generateProgram(live: LiveDataViewContents, opts: { project: string; packageVersion: string; pulumiVersion: string }): GeneratedProgram {
  const notes: string[] = [];
  const names = new ResourceNames();
  const dv = live.dataView;
  const resources: GeneratedResource[] = [];

  const settings = liveSettings(dv, { name: "", description: "", connectionId: "", timezone: "", sessionDefinition: [], containerNames: {} } as never);
  resources.push({ kind: "DataView", name: names.of("data-view", dv.name ?? dv.id), inputs: checked(dataViewInputs, { adoptId: dv.id, ...settings }, `data view ${dv.id}`, notes) });

  const componentName = (c: LiveDimension | LiveMetric) => c.name ?? c.id;
  for (const d of live.dimensions) {
    const inputs = {
      dataViewId: dv.id,
      componentId: d.id,
      name: componentName(d),
      ...(d.description ? { description: d.description } : {}),
      ...(d.hideFromReporting ? { hidden: true } : {}),
      ...optional("includeExclude", liveIncludeExclude(d)),
      ...optional("substring", liveSubstring(d)),
      ...optional("persistence", livePersistence(d)),
    };
    resources.push({ kind: "Dimension", name: names.of("dim", componentName(d)), inputs: checked(dimensionInputs, inputs, `dimension ${d.id}`, notes) });
  }
  const metricNames = uniqueNames(live.metrics);
  for (const m of live.metrics) {
    const format = liveFormat({ type: "decimal", decimalPlaces: 0, currency: "USD", polarity: "positive" }, m);
    const inputs = {
      dataViewId: dv.id,
      componentId: m.id,
      name: componentName(m),
      ...(m.description ? { description: m.description } : {}),
      ...(m.hideFromReporting ? { hidden: true } : {}),
      ...optional("includeExclude", liveIncludeExclude(m)),
      ...optional("attribution", liveAttribution(m)),
      ...optional("format", format && Object.values(format).some((v) => v !== undefined && v !== "") ? Object.fromEntries(Object.entries(format).filter(([, v]) => v !== undefined && v !== "")) : undefined),
    };
    resources.push({ kind: "Metric", name: names.of("met", componentName(m)), inputs: checked(metricInputs, inputs, `metric ${m.id}`, notes) });
  }

  for (const cm of live.calculatedMetrics) {
    const inputs = calculatedMetricOf(cm, dv.id, metricNames);
    if (typeof inputs === "string") {
      notes.push(`calculated metric ${cm.id} ("${cm.name ?? ""}") is left as it is in Adobe: ${inputs}`);
      continue;
    }
    resources.push({ kind: "CalculatedMetric", name: names.of("cm", cm.name ?? cm.id), inputs: checked(calculatedMetricInputs, inputs, `calculated metric ${cm.id}`, notes) });
  }
  return { resources, notes, files: programFiles(resources, notes, dv, opts) };
}

/** The inputs of a calculated metric, or why its definition has no formula this package can write. */
function calculatedMetricOf(cm: LiveCalculatedMetric, dataViewId: string, metricNames: Map<string, string>): Props | string {
  const definition = cm.definition as CalcMetricDefinition | undefined;
  if (!definition) return "Adobe returned no definition";
  const used = new Map<string, string>();
  const filters = new Map<string, string>();
  const nameOf = (id: string) => {
    const full = id.startsWith("metrics/") || id.startsWith("cm") ? id : `metrics/${id}`;
    const name = metricNames.get(full) ?? full;
    used.set(name, id);
    return name;
  };
  let formula: string;
  try {
    formula = definitionToFormula(definition, { metric: nameOf, filter: (id) => (filters.set(id, id), id) });
  } catch (error) {
    return (error as Error).message;
  }
  const inputs: Props = {
    adoptId: cm.id,
    dataViewId,
    name: cm.name ?? cm.id,
    ...(cm.description ? { description: cm.description } : {}),
    ...(cm.type ? { type: String(cm.type).toLowerCase() } : {}),
    ...(typeof cm.precision === "number" ? { precision: cm.precision } : {}),
    ...(cm.polarity ? { polarity: String(cm.polarity).toLowerCase() } : {}),
    formula,
    metrics: Object.fromEntries(used),
    ...(filters.size > 0 ? { filters: Object.fromEntries(filters) } : {}),
  };
  try {
    const compiled = compile(inputs as Parameters<typeof compile>[0]);
    if (!definitionsEqual(definition, compiled)) return `its formula ${JSON.stringify(formula)} compiles to another definition`;
  } catch (error) {
    return (error as Error).message;
  }
  return inputs;
}

/** `inputs` as the schema accepts them; a top-level setting it refuses is left out and noted. */
function checked(schema: z.ZodType, inputs: Props, what: string, notes: string[]): Props {
  let current = { ...inputs };
  for (let attempt = 0; attempt < 10; attempt++) {
    const parsed = schema.safeParse(current);
    if (parsed.success) return current;
    const key = String(parsed.error.issues[0].path[0] ?? "");
    if (!(key in current) || ["dataViewId", "componentId", "name", "adoptId", "formula", "metrics", "connectionId"].includes(key)) {
      throw new Error(`${what}: cannot be written as inputs (${parsed.error.issues[0].message} at ${key || "the root"})`);
    }
    notes.push(`${what}: its ${key} (${JSON.stringify(current[key])}) is not one this package can declare; left out, so it is not compared`);
    const { [key]: _dropped, ...rest } = current;
    current = rest;
  }
  throw new Error(`${what}: too many settings refused`);
}

function optional(key: string, value: unknown): Props {
  return value === undefined ? {} : { [key]: value };
}

/** A name for each metric id a formula shows in brackets: its component name, with its id when two metrics share it. */
function uniqueNames(metrics: LiveMetric[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const m of metrics) count.set(m.name ?? m.id, (count.get(m.name ?? m.id) ?? 0) + 1);
  return new Map(metrics.map((m) => [m.id, (count.get(m.name ?? m.id) ?? 0) > 1 ? `${m.name} (${m.id})` : (m.name ?? m.id)]));
}

/** Pulumi resource names from Adobe names: lower-case words joined by `-`, made unique with a number. */
class ResourceNames {
  private readonly taken = new Set<string>();
  of(prefix: string, name: string): string {
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "unnamed";
    const base = `${prefix}-${slug}`;
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}-${n}`;
    this.taken.add(candidate);
    return candidate;
  }
}

/** A TypeScript literal of a JSON value. */
function literal(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).split("\n").join(`\n${indent}`);
}

function programFiles(resources: GeneratedResource[], notes: string[], dv: LiveDataView, opts: { project: string; packageVersion: string; pulumiVersion: string }): Record<string, string> {
  const [dataView, ...rest] = resources;
  const componentVar = new Map<string, string>();
  const lines: string[] = [
    `// Generated by pulumi-adobe-cja-generate from data view ${dv.id} ("${dv.name ?? ""}").`,
    "// The data view and its calculated metrics are adopted in place (adoptId); the dimensions and",
    "// metrics are lookups, read and compared with Adobe in every preview.",
    ...notes.map((n) => `// Not managed: ${n}`),
    'import { CalculatedMetric, DataView, Dimension, Metric } from "pulumi-adobe-cja";',
    "",
    `const DATA_VIEW_ID = ${JSON.stringify(dv.id)};`,
    "",
    `export const dataView = new DataView(${JSON.stringify(dataView.name)}, ${literal(dataView.inputs, "")});`,
    "",
  ];
  const constructor = (r: GeneratedResource, inputs: string) => `new ${r.kind}(${JSON.stringify(r.name)}, ${inputs})`;
  // Placeholders in the JSON, replaced by code: the data view's id constant, a metric's componentId.
  const code = (text: string) =>
    text.replace(/"__code:([A-Za-z0-9_.]*)"/g, (_m, expr: string) => expr.replace(/^component_(\d+)/, (_c, i: string) => `components[${JSON.stringify(components[Number(i)].name)}]`));
  const withDataView = (inputs: Props) => ({ ...inputs, dataViewId: "__code:DATA_VIEW_ID" });
  const components = rest.filter((r) => r.kind === "Dimension" || r.kind === "Metric");
  lines.push("export const components = {");
  for (const [i, r] of components.entries()) {
    componentVar.set(String(r.inputs.componentId), `component_${i}`);
    lines.push(`  ${JSON.stringify(r.name)}: ${constructor(r, code(literal(withDataView(r.inputs), "  ")))},`);
  }
  lines.push("};", "");
  for (const r of rest.filter((x) => x.kind === "CalculatedMetric")) {
    const full = (id: string) => (id.startsWith("metrics/") ? id : `metrics/${id}`);
    const metrics = Object.fromEntries(
      Object.entries(r.inputs.metrics as Record<string, string>).map(([name, id]) => [name, componentVar.has(full(id)) ? `__code:${componentVar.get(full(id))}.componentId` : id]),
    );
    lines.push(`${constructor(r, code(literal({ ...withDataView(r.inputs), metrics }, "")))};`, "");
  }
  return {
    "Pulumi.yaml": [`name: ${opts.project}`, `description: Data view ${dv.id} ("${(dv.name ?? "").replace(/"/g, "'")}") under Pulumi, generated by pulumi-adobe-cja-generate.`, "runtime:", "  name: nodejs", "  options:", "    typescript: true", ""].join("\n"),
    "package.json": `${JSON.stringify({ name: opts.project, private: true, main: "index.ts", dependencies: { "@pulumi/pulumi": opts.pulumiVersion, "pulumi-adobe-cja": opts.packageVersion } }, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true }, files: ["index.ts"] }, null, 2)}\n`,
    "index.ts": `${lines.join("\n").replace(/\n+$/, "")}\n`,
  };
}

/** The stack config as `pulumi config --show-secrets --json` gives it, values only. */
function stackConfig(cwd: string, stack: string): Record<string, string> {
  const text = execFileSync("pulumi", ["config", "--show-secrets", "--json", "--stack", stack], { cwd, encoding: "utf8" });
  const entries = JSON.parse(text) as Record<string, { value?: unknown }>;
  return Object.fromEntries(Object.entries(entries).map(([key, entry]) => [key, typeof entry.value === "string" ? entry.value : JSON.stringify(entry.value)]));
}

/** This package's version, and the `@pulumi/pulumi` range it depends on, for the program's package.json. */
function versions(): { packageVersion: string; pulumiVersion: string } {
  const pkg = require("../../../package.json") as { version: string; peerDependencies?: Record<string, string>; dependencies?: Record<string, string> };
  return { packageVersion: `^${pkg.version}`, pulumiVersion: pkg.peerDependencies?.["@pulumi/pulumi"] ?? pkg.dependencies?.["@pulumi/pulumi"] ?? "^3" };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "data-view": { type: "string" }, out: { type: "string" }, project: { type: "string" }, cwd: { type: "string", default: "." }, stack: { type: "string" } },
    strict: true,
  });
  const dataViewId = values["data-view"];
  if (!dataViewId || !values.out) throw new Error("usage: pulumi-adobe-cja-generate --data-view dv_... --out DIR [--project NAME] [--cwd DIR --stack NAME]");
  if (values.stack) {
    const config = stackConfig(values.cwd, values.stack);
    configure({ get: (key) => config[key] });
  }
  const live = await readLiveDataView(dataViewId);
  const project = values.project ?? (path.basename(path.resolve(values.out)).toLowerCase().replace(/[^a-z0-9-]+/g, "-") || "data-view");
  const program = generateProgram(live, { project, ...versions() });
  mkdirSync(values.out, { recursive: true });
  for (const [file, text] of Object.entries(program.files)) writeFileSync(path.join(values.out, file), text);
  const count = (kind: GeneratedResource["kind"]) => program.resources.filter((r) => r.kind === kind).length;
  console.log(`${values.out}: data view ${dataViewId} with ${count("Dimension")} dimensions, ${count("Metric")} metrics and ${count("CalculatedMetric")} calculated metrics`);
  for (const note of program.notes) console.error(`note: ${note}`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
