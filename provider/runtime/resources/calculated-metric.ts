import { z } from "zod";
import * as calculatedMetrics from "../../adobe/cja/calculated-metrics";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
import { canonicalMetadata, metadataChanges, readMetadata, sharesInput, tagsInput, writeMetadata } from "../component-metadata";
import {
  compileFormula,
  DefinitionFormatError,
  definitionsEqual,
  definitionToFormula,
  FormulaError,
  metricFormulaProblem,
  parseFormula,
  type CalcMetricDefinition,
  type PrintNames,
} from "../formula";
import { onlyOwn, ownershipKey, ownershipMarkOf, stripOwnershipMark, withOwnershipMark } from "../ownership";
import { defineResource } from "../resource-handler";
import { componentIdProblem, dataViewId, lowerEnum, nonEmpty, objectName } from "../schemas";
import { listedOrBatched, type BatchedRead } from "../batched-reads";
import { calculatedMetricsBefore, ownCalculatedMetricsBefore } from "../component-cache";
import { missingComponents, noDataView } from "../live-checks";
import { containsUnknown, isUnknown } from "../unknowns";
import { warn } from "../drift";

const metricId = nonEmpty.superRefine((id, ctx) => {
  if (id === "" || isUnknown(id)) return;
  const problem = id.startsWith("variables/")
    ? "is a dimension id (variables/...); a formula can only use metrics (metrics/... or a Metric's componentId)"
    : componentIdProblem("metric", "metrics/", "metrics/sends", id);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const calculatedMetricInputs = z
  .strictObject({
    dataViewId: dataViewId,
    name: objectName,
    description: z.string().optional(),
    type: lowerEnum(["decimal", "percent", "currency", "time"]).default("decimal"),
    precision: z.number().int().min(0).max(10).default(0),
    polarity: lowerEnum(["positive", "negative"]).default("positive"),
    formula: z.string(),
    metrics: z.record(z.string(), metricId).refine((names) => Object.keys(names).every((name) => name.trim() !== ""), {
      message: 'has an empty name; each key is a name the formula writes in brackets, e.g. { "Sends": "metrics/sends" } for [Sends]',
    }),
    filters: z
      .record(z.string(), nonEmpty)
      .refine((names) => Object.keys(names).every((name) => name.trim() !== ""), {
        message: 'has an empty name; each key is a name the formula writes in filter(..., "Name"), e.g. { "Email": "s300000938_65f0c1a3e3b2d43b4a5c9a4e" }',
      })
      .optional(),
    shares: sharesInput,
    tags: tagsInput,
    adoptId: nonEmpty.optional(),
    deleteOnDestroy: z.boolean().optional(),
  })
  .superRefine((inputs, ctx) => {
    if (isUnknown(inputs.formula)) return;
    try {
      // Compiling parses the formula and resolves every bracketed name through `metrics`.
      const problem = metricFormulaProblem(parseFormula(inputs.formula));
      if (problem) throw problem;
      // An empty id is reported on metrics; compiling would report its name as unknown too.
      const resolvable = (names: Record<string, string> | undefined) => !isUnknown(names) && !Object.values(names ?? {}).includes("");
      if (resolvable(inputs.metrics) && resolvable(inputs.filters)) compile(inputs);
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      ctx.addIssue({ code: "custom", path: ["formula"], message: error.message.replace(/^formula: /, "") });
    }
  });

type Inputs = z.infer<typeof calculatedMetricInputs>;
interface Outputs extends Inputs {
  calculatedMetricId: string;
  definition: CalcMetricDefinition;
  /** The ownership key written in the description; absent in states made before keys. */
  ownershipKey?: string;
  [key: string]: unknown;
}

/** The definition a formula compiles to, its names resolved through `metrics` and `filters`. */
export function compile(inputs: Pick<Inputs, "formula" | "metrics" | "filters">): CalcMetricDefinition {
  const { metrics, filters = {} } = inputs;
  return compileFormula(parseFormula(inputs.formula), (name) => metrics[name], {
    knownNames: Object.keys(metrics),
    resolveFilter: (name) => filters[name],
    knownFilters: Object.keys(filters),
  });
}

function body(inputs: Inputs, definition: CalcMetricDefinition, key: string | undefined): calculatedMetrics.CalculatedMetricBody {
  return {
    name: inputs.name,
    description: key === undefined ? inputs.description : withOwnershipMark(inputs.description, key),
    dataId: inputs.dataViewId,
    type: inputs.type,
    precision: inputs.precision,
    polarity: inputs.polarity,
    definition: definition as unknown as Record<string, unknown>,
  };
}

async function validate(request: calculatedMetrics.CalculatedMetricBody, name: string): Promise<void> {
  const result = await calculatedMetrics.validateCalculatedMetric(adobeClient(), request);
  if (result.valid === false) throw new Error(`CalculatedMetric ${name}: Adobe rejected the definition: ${result.message ?? "invalid"}`);
}

/** The metric of the data view that carries `key` (an earlier run's create); two fail with their ids. */
function ownMetric(inputs: Inputs, key: string, metrics: calculatedMetrics.CalculatedMetric[]): calculatedMetrics.CalculatedMetric | undefined {
  return onlyOwn(
    metrics.filter((m) => ownershipMarkOf(m.description) === key),
    {
      subject: `CalculatedMetric ${inputs.name}`,
      objects: `calculated metrics of data view ${inputs.dataViewId}`,
      key,
      remedy: "Delete all but one in Analysis Workspace's component manager, then run pulumi up again (it adopts the one left).",
    },
  );
}

/** The formula as a name tree, so spacing and redundant parentheses never show as a change. */
function canonicalFormula(formula: unknown): unknown {
  if (typeof formula !== "string") return formula;
  try {
    return compileFormula(parseFormula(formula), (name) => `metrics/${name}`, { resolveFilter: (name) => name });
  } catch {
    return formula;
  }
}

/** The calculated metric `adoptId` names, on the declared data view; a failure naming `adoptId` otherwise. */
async function adoptable(inputs: Inputs & { adoptId: string }): Promise<{ live: calculatedMetrics.CalculatedMetric } | { failure: { property: "adoptId"; reason: string } }> {
  let live: calculatedMetrics.CalculatedMetric;
  try {
    live = await calculatedMetrics.getCalculatedMetric(adobeClient(), inputs.adoptId);
  } catch (error) {
    if (isNotFound(error)) return { failure: { property: "adoptId", reason: `calculated metric ${inputs.adoptId} does not exist (or this credential cannot see it)` } };
    throw error;
  }
  if (live.dataId !== undefined && !isUnknown(inputs.dataViewId) && live.dataId !== inputs.dataViewId) {
    return { failure: { property: "adoptId", reason: `calculated metric ${inputs.adoptId} ("${live.name ?? ""}") belongs to data view ${live.dataId}, not to the declared dataViewId ${inputs.dataViewId}` } };
  }
  return { live };
}

/** `name: "Old" → "New"` for each declared setting the live metric holds otherwise; the formula compared as Adobe's definition. */
function metricChanges(inputs: Inputs, live: calculatedMetrics.CalculatedMetric): string[] {
  const current: Record<string, unknown> = { name: live.name, description: live.description ?? "", type: live.type?.toLowerCase(), precision: live.precision, polarity: live.polarity };
  const declared: Record<string, unknown> = { name: inputs.name, description: inputs.description ?? "", type: inputs.type, precision: inputs.precision, polarity: inputs.polarity };
  const changes = Object.keys(declared)
    .filter((key) => current[key] !== undefined && current[key] !== declared[key])
    .map((key) => `${key}: ${JSON.stringify(current[key])} → ${JSON.stringify(declared[key])}`);
  if (!definitionsEqual(live.definition, compile(inputs))) {
    const names = Object.fromEntries(Object.entries(inputs.metrics).map(([name, id]) => [id, name]));
    const filters = Object.fromEntries(Object.entries(inputs.filters ?? {}).map(([name, id]) => [id, name]));
    const was = printable((live.definition ?? {}) as unknown as CalcMetricDefinition, { metric: (id) => names[id] ?? names[id.replace(/^metrics\//, "")], filter: (id) => filters[id] });
    changes.push(`formula: ${JSON.stringify(was)} → ${JSON.stringify(inputs.formula)}`);
  }
  return changes;
}

/** Takes over `adoptId` in place: its id is kept, the declared settings and formula written (validated first). */
async function adoptExisting(inputs: Inputs & { adoptId: string }): Promise<{ id: string; outs: Outputs }> {
  const found = await adoptable(inputs);
  if ("failure" in found) throw new Error(`CalculatedMetric ${inputs.name}: adoptId ${found.failure.reason}`);
  const definition = compile(inputs);
  if (metricChanges(inputs, found.live).length > 0) {
    const request = body(inputs, definition, undefined);
    await validate(request, inputs.name);
    const { dataId: _dataId, ...changes } = request;
    await calculatedMetrics.updateCalculatedMetric(adobeClient(), found.live.id, changes);
  }
  await writeMetadata("calculatedMetric", found.live.id, inputs);
  return { id: found.live.id, outs: { ...inputs, calculatedMetricId: found.live.id, definition } };
}

/** A refresh's calculated metrics, read together by one list (`batched-reads.ts`). */
const CALCULATED_METRIC_READS: BatchedRead<calculatedMetrics.CalculatedMetric> = {
  list: (client, ids) => calculatedMetrics.listCalculatedMetrics(client, { filterByIds: ids }),
  get: (client, id) => calculatedMetrics.getCalculatedMetric(client, id),
  idOf: (m) => m.id,
};

export const calculatedMetricHandler = defineResource<Inputs, Outputs>({
  type: "cja:CalculatedMetric",
  inputs: calculatedMetricInputs,
  replaceOnChanges: ["dataViewId", "adoptId"],
  canonical: (key, value) => (key === "formula" ? canonicalFormula(value) : canonicalMetadata(key, value)),

  liveInputs: ["dataViewId", "metrics", "adoptId"],
  /**
   * Every metric the formula maps to is in the data view, before the calculated metric (or
   * anything after it) is written; a metric to adopt exists on that data view, and what adopting
   * it changes is listed.
   */
  async checkLive(inputs) {
    // An adopted metric is read even before its data view's id is known (the DataView is new in the state).
    if (inputs.adoptId !== undefined && !isUnknown(inputs.adoptId) && !containsUnknown(inputs.metrics) && !containsUnknown(inputs.filters)) {
      const found = await adoptable({ ...inputs, adoptId: inputs.adoptId });
      if ("failure" in found) return [found.failure];
      const changes = [...metricChanges(inputs, found.live), ...(containsUnknown(inputs.shares) || containsUnknown(inputs.tags) ? [] : await metadataChanges("calculatedMetric", found.live, inputs))];
      if (changes.length > 0) warn(`CalculatedMetric ${inputs.name}: adopting ${found.live.id} ("${found.live.name ?? ""}") changes ${changes.join("; ")}.`);
    }
    if (isUnknown(inputs.dataViewId) || isUnknown(inputs.metrics)) return [];
    // Formula ids without `metrics/` are compiled with it, so they are looked for with it.
    const mapped = Object.entries(inputs.metrics)
      .filter(([, id]) => !isUnknown(id))
      .map(([name, id]) => [name, id.startsWith("metrics/") ? id : `metrics/${id}`] as const);
    const missing = await missingComponents(
      inputs.dataViewId,
      mapped.map(([, id]) => id),
    );
    if (missing === undefined) return [{ property: "dataViewId", reason: noDataView(inputs.dataViewId) }];
    if (missing.length === 0) return [];
    const names = mapped.filter(([, id]) => missing.includes(id)).map(([name, id]) => `[${name}] → ${id}`);
    return [
      {
        property: "metrics",
        reason: `data view ${inputs.dataViewId} has no ${names.join(", ")}; map each formula name to a metric of that data view (its component id, metrics/...)`,
      },
    ];
  },

  keyed: true,
  async create(inputs, { owner }) {
    if (inputs.adoptId !== undefined) return adoptExisting({ ...inputs, adoptId: inputs.adoptId });
    const client = adobeClient();
    const key = ownershipKey(owner);
    const definition = compile(inputs);
    const request = body(inputs, definition, key);
    const findOwn = async () => ownMetric(inputs, key, await calculatedMetrics.listCalculatedMetrics(client, { dataIds: [inputs.dataViewId] }));
    const own = owner === undefined ? undefined : ownMetric(inputs, key, await calculatedMetricsBefore(inputs.dataViewId));
    await validate(request, inputs.name);
    const { dataId: _dataId, ...changes } = request;
    // The list is this run's first: a metric it holds may have been deleted since (a replace).
    const adopted = own ? await calculatedMetrics.updateCalculatedMetric(client, own.id, changes).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error))) : undefined;
    const created = adopted ?? (await calculatedMetrics.createCalculatedMetric(client, request, { recover: findOwn }));
    // A run killed before this leaves the metric without its shares and tags: the next run adopts it by its key and writes them.
    await writeMetadata("calculatedMetric", created.id, inputs);
    return { id: created.id, outs: { ...inputs, calculatedMetricId: created.id, definition, ownershipKey: key } };
  },

  async read(id, outs) {
    let live: calculatedMetrics.CalculatedMetric;
    try {
      // A metric the provider made is in the list of the credential's own, one per run however the
      // engine hands the reads over (4 per CPU at a time); an adopted one is read by id.
      const own = outs.ownershipKey === undefined ? undefined : ownCalculatedMetricsBefore();
      live = await listedOrBatched(own, "calculatedMetrics", id, CALCULATED_METRIC_READS);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const nameOf = new Map(Object.entries(outs.metrics ?? {}).map(([name, componentId]) => [componentId, name]));
    const filterNameOf = new Map(Object.entries(outs.filters ?? {}).map(([name, filterId]) => [filterId, name]));
    const definition = (live.definition ?? outs.definition) as CalcMetricDefinition;
    return {
      ...outs,
      ...(await readMetadata("calculatedMetric", live, outs)),
      name: live.name ?? outs.name,
      description: outs.description === undefined ? undefined : stripOwnershipMark(live.description),
      dataViewId: live.dataId ?? outs.dataViewId,
      type: (live.type?.toLowerCase() ?? outs.type) as Inputs["type"],
      precision: live.precision ?? outs.precision,
      polarity: (live.polarity ?? outs.polarity) as Inputs["polarity"],
      // Unchanged in Adobe: keep the formula as written (printing it back would lose names that share a metric).
      formula: definitionsEqual(definition, outs.definition)
        ? outs.formula
        : printable(definition, {
            metric: (componentId) => nameOf.get(componentId) ?? nameOf.get(componentId.replace(/^metrics\//, "")),
            filter: (filterId) => filterNameOf.get(filterId),
          }),
      definition,
      calculatedMetricId: live.id,
    };
  },

  async update(id, olds, news, changed) {
    const definition = compile(news);
    if (!changed.every((key) => key === "shares" || key === "tags")) {
      const request = body(news, definition, olds.ownershipKey);
      await validate(request, news.name);
      const { dataId: _dataId, ...changes } = request;
      await calculatedMetrics.updateCalculatedMetric(adobeClient(), id, changes);
    }
    await writeMetadata("calculatedMetric", id, news, changed);
    return { ...news, calculatedMetricId: id, definition, ownershipKey: olds.ownershipKey };
  },

  async delete(id, outs) {
    if (!(outs.deleteOnDestroy ?? outs.adoptId === undefined)) {
      warn(`CalculatedMetric ${outs.name}: ${id} was adopted, so it is released from the stack and kept in Adobe (deleteOnDestroy: true deletes it).`);
      return;
    }
    try {
      await calculatedMetrics.deleteCalculatedMetric(adobeClient(), id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
});

/**
 * The live definition as formula text; when it uses what a formula cannot write, a note that says
 * what and where. The note is the same on every read of the same definition and differs from any
 * formula, so it shows as drift once and then stays still.
 */
function printable(definition: CalcMetricDefinition, names: PrintNames): string {
  try {
    return definitionToFormula(definition, names);
  } catch (error) {
    if (!(error instanceof DefinitionFormatError)) throw error;
    return `(Adobe's definition has no formula form: ${error.message})`;
  }
}
