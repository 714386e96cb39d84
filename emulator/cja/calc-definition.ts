/**
 * Calculated metric definitions: the tree Adobe's guide documents, checked against the metrics
 * of the data view the calculated metric belongs to.
 *
 * Root `{func: "calc-metric", formula, version: [1,0,0]}`; nodes
 * `{func: "add"|"subtract"|"multiply"|"divide", col1, col2}`, `{func: "metric", name: "metrics/<id>"}`,
 * `{func: "number", val: <number>}`.
 */
import { COMPONENT_PREFIX } from "./component-ids";

export const BINARY_FUNCTIONS = ["add", "subtract", "multiply", "divide"] as const;

export type DefinitionCheck =
  | { valid: true; identityMetrics: { identity: string }[]; functions: string[] }
  | { valid: false; message: string };

interface Walk {
  metrics: string[];
  functions: string[];
  missing: string[];
  problems: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const addOnce = (list: string[], value: string) => {
  if (!list.includes(value)) list.push(value);
};

function walkNode(node: unknown, path: string, available: ReadonlySet<string>, walk: Walk): void {
  if (!isObject(node)) {
    walk.problems.push(`${path} must be an object`);
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
  if (func === "number") {
    if (typeof node.val !== "number" || !Number.isFinite(node.val)) walk.problems.push(`${path}.val must be a number`);
    return;
  }
  if (typeof func === "string" && (BINARY_FUNCTIONS as readonly string[]).includes(func)) {
    addOnce(walk.functions, func);
    walkNode(node.col1, `${path}.col1`, available, walk);
    walkNode(node.col2, `${path}.col2`, available, walk);
    return;
  }
  walk.problems.push(`${path}: unsupported function ${JSON.stringify(func)}`);
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
  const walk: Walk = { metrics: [], functions: [], missing: [], problems: [] };
  walkNode(definition.formula, "definition.formula", available, walk);
  if (walk.problems.length > 0) return { valid: false, message: `Invalid definition: ${walk.problems.join("; ")}` };
  if (walk.missing.length > 0) {
    return { valid: false, message: `Metric(s) not found in data view ${dataViewId}: ${walk.missing.join(", ")}` };
  }
  return { valid: true, identityMetrics: walk.metrics.map((identity) => ({ identity })), functions: walk.functions };
}
