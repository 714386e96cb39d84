import { z } from "zod";
import * as calculatedMetrics from "../../adobe/cja/calculated-metrics";
import { isNotFound } from "../../adobe/errors";
import { adobeClient } from "../client";
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
import { calculatedMetricsBefore } from "../component-cache";
import { missingComponents, noDataView } from "../live-checks";
import { isUnknown } from "../unknowns";

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

function compile(inputs: Pick<Inputs, "formula" | "metrics" | "filters">): CalcMetricDefinition {
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

export const calculatedMetricHandler = defineResource<Inputs, Outputs>({
  type: "cja:CalculatedMetric",
  inputs: calculatedMetricInputs,
  replaceOnChanges: ["dataViewId"],
  canonical: (key, value) => (key === "formula" ? canonicalFormula(value) : value),

  liveInputs: ["dataViewId", "metrics"],
  /** Every metric the formula maps to is in the data view, before the calculated metric (or anything after it) is written. */
  async checkLive(inputs) {
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
    return { id: created.id, outs: { ...inputs, calculatedMetricId: created.id, definition, ownershipKey: key } };
  },

  async read(id, outs) {
    let live: calculatedMetrics.CalculatedMetric;
    try {
      live = await calculatedMetrics.getCalculatedMetric(adobeClient(), id);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const nameOf = new Map(Object.entries(outs.metrics ?? {}).map(([name, componentId]) => [componentId, name]));
    const filterNameOf = new Map(Object.entries(outs.filters ?? {}).map(([name, filterId]) => [filterId, name]));
    const definition = (live.definition ?? outs.definition) as CalcMetricDefinition;
    return {
      ...outs,
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

  async update(id, olds, news) {
    const definition = compile(news);
    const request = body(news, definition, olds.ownershipKey);
    await validate(request, news.name);
    const { dataId: _dataId, ...changes } = request;
    await calculatedMetrics.updateCalculatedMetric(adobeClient(), id, changes);
    return { ...news, calculatedMetricId: id, definition, ownershipKey: olds.ownershipKey };
  },

  async delete(id) {
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
