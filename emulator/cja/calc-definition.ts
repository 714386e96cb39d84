/**
 * Calculated metric definitions as Adobe writes them (docs/ADOBE-API.md, "Calculated metrics:
 * the shapes"), checked against the metrics of the data view the calculated metric belongs to.
 *
 * Root `{func: "calc-metric", formula, version: [1,0,0], filters?}`; a node is a bare number (a
 * constant), `{func: "metric", name: "metrics/<id>"}`, a function of Adobe's catalog
 * (`{func: "divide", col1, col2}`, `{func: "if", cond, then, else}`, `{func: "mean", col,
 * "include-zeros": false}`, ...), a nested `calc-metric` (a filtered part, `filters:
 * [{func: "segment-ref", id}]`) or `visualization-group` (`col`, Adobe's templates). A `func`
 * outside the catalog, `number` included (no Adobe definition writes one), is refused.
 */
import { CALCULATED_METRIC_FUNCTIONS, type FunctionParameter } from "../../provider/adobe/cja/calculated-metric-functions";
import { COMPONENT_PREFIX } from "./component-ids";

export type DefinitionCheck =
  | { valid: true; identityMetrics: { identity: string }[]; functions: string[]; segments: string[] }
  | { valid: false; message: string };

interface Walk {
  metrics: string[];
  functions: string[];
  segments: string[];
  missing: string[];
  problems: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const addOnce = (list: string[], value: string) => {
  if (!list.includes(value)) list.push(value);
};

const COLUMN: FunctionParameter = { key: "col", type: "column" };

function walkParameter(node: Record<string, unknown>, parameter: FunctionParameter, path: string, available: ReadonlySet<string>, walk: Walk): void {
  const value = node[parameter.key];
  const where = `${path}.${parameter.key}`;
  if (value === undefined) {
    if (!parameter.optional) walk.problems.push(`${where} is required by ${JSON.stringify(node.func)}`);
  } else if (parameter.type === "boolean") {
    if (typeof value !== "boolean") walk.problems.push(`${where} must be true or false`);
  } else if (parameter.type === "number") {
    if (typeof value !== "number" || !Number.isFinite(value)) walk.problems.push(`${where} must be a number`);
  } else {
    walkNode(value, where, available, walk);
  }
}

function walkFilters(filters: unknown, path: string, walk: Walk): void {
  if (filters === undefined) return;
  if (!Array.isArray(filters)) {
    walk.problems.push(`${path} must be an array`);
    return;
  }
  filters.forEach((filter, i) => {
    if (isObject(filter) && filter.func === "segment-ref" && typeof filter.id === "string" && filter.id !== "") addOnce(walk.segments, filter.id);
    else walk.problems.push(`${path}[${i}] must be {"func": "segment-ref", "id": <filter id>}`);
  });
}

function walkNode(node: unknown, path: string, available: ReadonlySet<string>, walk: Walk): void {
  if (typeof node === "number") {
    if (!Number.isFinite(node)) walk.problems.push(`${path} must be a finite number`);
    return;
  }
  if (!isObject(node)) {
    walk.problems.push(`${path} must be a number or an object`);
    return;
  }
  const func = node.func;
  if (func === "metric") {
    if (typeof node.name !== "string" || node.name === "") {
      walk.problems.push(`${path}.name must name a metric`);
      return;
    }
    const id = node.name.startsWith(COMPONENT_PREFIX.metrics) ? node.name : `${COMPONENT_PREFIX.metrics}${node.name}`;
    addOnce(walk.metrics, id);
    if (!available.has(id)) addOnce(walk.missing, id);
    return;
  }
  if (func === "calc-metric") {
    walkNode(node.formula, `${path}.formula`, available, walk);
    walkFilters(node.filters, `${path}.filters`, walk);
    return;
  }
  if (func === "visualization-group") {
    walkParameter(node, COLUMN, path, available, walk);
    return;
  }
  const fn = typeof func === "string" ? CALCULATED_METRIC_FUNCTIONS.get(func) : undefined;
  if (!fn) {
    walk.problems.push(`${path}: unsupported function ${JSON.stringify(func)}`);
    return;
  }
  for (const parameter of fn.parameters) walkParameter(node, parameter, path, available, walk);
  // After its operands: Adobe lists the functions of `divide(col-sum(x), y)` as ["col-sum", "divide"].
  addOnce(walk.functions, fn.id);
}

/**
 * Check `definition` against the ids of the metrics (`metrics/<id>`) of the data view
 * `dataViewId`. A reference to a metric the data view lacks makes it invalid, and the message
 * names every such metric.
 */
export function checkDefinition(definition: unknown, available: ReadonlySet<string>, dataViewId: string): DefinitionCheck {
  if (!isObject(definition)) return { valid: false, message: "Definition must be formatted as a JSON object" };
  if (definition.func !== "calc-metric") return { valid: false, message: 'definition.func must be "calc-metric"' };
  const version = definition.version;
  if (version !== undefined && !(Array.isArray(version) && version.every((part) => Number.isInteger(part)))) {
    return { valid: false, message: "definition.version must be an array of integers, e.g. [1, 0, 0]" };
  }
  const walk: Walk = { metrics: [], functions: [], segments: [], missing: [], problems: [] };
  walkNode(definition.formula, "definition.formula", available, walk);
  walkFilters(definition.filters, "definition.filters", walk);
  if (walk.problems.length > 0) return { valid: false, message: `Invalid definition: ${walk.problems.join("; ")}` };
  if (walk.missing.length > 0) {
    return { valid: false, message: `Metric(s) not found in data view ${dataViewId}: ${walk.missing.join(", ")}` };
  }
  return { valid: true, identityMetrics: walk.metrics.map((identity) => ({ identity })), functions: walk.functions, segments: walk.segments };
}
