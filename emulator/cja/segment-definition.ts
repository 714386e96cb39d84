/**
 * What the emulator's segment validator accepts: the segment definition data structure of
 * Adobe's guides (Analytics 2.0 "Segment definition data structure", the same JSON CJA's filters
 * guide and validate guide send): a `segment` root with `version` and a `container`; containers
 * with a context (`hits`, `visits`, `visitors`) and a `pred`; the grouping, string, numeric,
 * existence and sequence functions the guide lists, each with its parameters; every `attr` a
 * dimension or metric of the data view and every `event` a metric of it.
 */

type Json = Record<string, unknown>;

export type SegmentCheck = { valid: true; functions: string[] } | { valid: false; message: string };

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const CONTEXTS = new Set(["hits", "visits", "visitors"]);
const STRING_FUNCS: Record<string, "str" | "list" | "glob"> = {
  streq: "str",
  "not-streq": "str",
  strlt: "str",
  strgt: "str",
  strle: "str",
  strge: "str",
  "streq-in": "list",
  "not-streq-in": "list",
  contains: "str",
  "not-contains": "str",
  "contains-any-of": "list",
  "contains-all-of": "list",
  "not-contains-any-of": "list",
  "not-contains-all-of": "list",
  "starts-with": "str",
  "ends-with": "str",
  "not-starts-with": "str",
  "not-ends-with": "str",
  matches: "glob",
  "not-matches": "glob",
};
const NUMBER_FUNCS: Record<string, "num" | "list"> = { eq: "num", "not-eq": "num", gt: "num", lt: "num", ge: "num", le: "num", "eq-any-of": "list", "not-eq-any-of": "list" };
const SEQUENCES = new Set(["sequence", "sequence-prefix", "sequence-suffix"]);
const UNORDERED = new Set(["sequence-and", "sequence-or"]);
const RESTRICTIONS = new Set(["time-restriction", "container-restriction", "dimension-restriction", "exclude-next-checkpoint"]);
const UNITS = new Set(["minute", "hour", "day", "week", "month", "quarter", "year"]);

class Invalid extends Error {}

interface Components {
  dimensions: Set<string>;
  metrics: Set<string>;
}

/** Checks `definition` against the guide's structure and the data view's components. */
export function checkSegmentDefinition(definition: unknown, components: Components, dataViewId: string): SegmentCheck {
  const functions = new Set<string>();
  const fail = (path: string, problem: string): never => {
    throw new Invalid(`Invalid definition: ${path} ${problem}`);
  };

  const attr = (node: unknown, path: string): void => {
    if (!isObject(node)) return fail(path, "must be an attr or a total");
    functions.add(String(node.func));
    if (node.func === "total") return event(node.evt, `${path}.evt`);
    if (node.func !== "attr") return fail(`${path}.func`, `must be attr or total, not ${JSON.stringify(node.func)}`);
    if (typeof node.name !== "string" || node.name === "") return fail(`${path}.name`, "must name a dimension");
    if (!components.dimensions.has(node.name) && !components.metrics.has(node.name)) fail(`${path}.name`, `${node.name} is not a component of data view ${dataViewId}`);
  };

  const event = (node: unknown, path: string): void => {
    if (!isObject(node) || node.func !== "event") return fail(path, "must be an event");
    functions.add("event");
    if (typeof node.name !== "string" || !components.metrics.has(node.name)) fail(`${path}.name`, `${JSON.stringify(node.name)} is not a metric of data view ${dataViewId}`);
  };

  const container = (node: unknown, path: string): void => {
    if (!isObject(node) || node.func !== "container") return fail(path, "must be a container");
    functions.add("container");
    if (typeof node.context !== "string" || !CONTEXTS.has(node.context)) fail(`${path}.context`, `must be hits, visits or visitors, not ${JSON.stringify(node.context)}`);
    pred(node.pred, `${path}.pred`);
  };

  const stream = (items: unknown, path: string, restrictions: boolean): void => {
    if (!Array.isArray(items) || items.length === 0) return fail(path, "must be a list of containers");
    items.forEach((item, i) => {
      const where = `${path}[${i}]`;
      if (restrictions && isObject(item) && typeof item.func === "string" && RESTRICTIONS.has(item.func)) {
        functions.add(item.func);
        if (item.limit !== undefined && item.limit !== "within" && item.limit !== "after") fail(`${where}.limit`, "must be within or after");
        if (item.unit !== undefined && !UNITS.has(String(item.unit))) fail(`${where}.unit`, `must be one of ${[...UNITS].join(", ")}`);
        return;
      }
      container(item, where);
    });
  };

  const pred = (node: unknown, path: string): void => {
    if (!isObject(node) || typeof node.func !== "string") return fail(path, "must be a function object");
    const func = node.func;
    if (func === "container") return container(node, path);
    functions.add(func);
    if (func === "and" || func === "or") {
      if (!Array.isArray(node.preds) || node.preds.length === 0) return fail(`${path}.preds`, "must be a non-empty list");
      return node.preds.forEach((p, i) => pred(p, `${path}.preds[${i}]`));
    }
    if (func === "without") return pred(node.pred, `${path}.pred`);
    if (SEQUENCES.has(func)) return stream(node.stream, `${path}.stream`, true);
    if (UNORDERED.has(func)) return stream(node.checkpoints, `${path}.checkpoints`, false);
    if (func === "exists" || func === "not-exists") return attr(node.val, `${path}.val`);
    if (func === "event-exists" || func === "not-event-exists") return event(node.evt, `${path}.evt`);
    const text = STRING_FUNCS[func];
    if (text) {
      attr(node.val, `${path}.val`);
      const value = node[text];
      const ok = text === "list" ? Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string") : typeof value === "string";
      if (!ok) fail(`${path}.${text}`, text === "list" ? "must be a non-empty list of strings" : "must be a string");
      return;
    }
    const number = NUMBER_FUNCS[func];
    if (number) {
      attr(node.val, `${path}.val`);
      const value = node[number];
      const ok = number === "list" ? Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "number") : typeof value === "number";
      if (!ok) fail(`${path}.${number}`, number === "list" ? "must be a non-empty list of numbers" : "must be a number");
      return;
    }
    fail(`${path}.func`, `unsupported function ${JSON.stringify(func)}`);
  };

  try {
    if (!isObject(definition)) fail("definition", "must be a JSON object");
    const root = definition as Json;
    if (root.func !== "segment") fail("definition.func", `must be segment, not ${JSON.stringify(root.func)}`);
    if (root.version !== undefined && !(Array.isArray(root.version) && root.version.length === 3 && root.version.every((n) => Number.isInteger(n)))) fail("definition.version", "must be three integers");
    functions.add("segment");
    container(root.container, "definition.container");
    return { valid: true, functions: [...functions].sort() };
  } catch (error) {
    if (error instanceof Invalid) return { valid: false, message: error.message };
    throw error;
  }
}
