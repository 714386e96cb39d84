/**
 * A filter's definition (Adobe: a segment), as a program writes it and as Adobe stores it.
 *
 * A program writes a container (`event`, `session` or `person`, the names CJA's UI uses for
 * Adobe's `hits`, `visits`, `visitors`) holding rules on dimensions and metrics:
 *
 * ```ts
 * { context: "person", rules: [{ dimension: "variables/channel", equals: "email" }, { metric: "metrics/sends", exists: true }] }
 * ```
 *
 * `compileFilter` turns it into Adobe's segment definition JSON, in the shapes Adobe's guides and
 * published payloads show (docs/ADOBE-API.md, "Filters: the shapes"):
 * `{func: "segment", version: [1, 0, 0], container: {func: "container", context, pred}}`, a rule
 * `{func: "streq", val: {func: "attr", name}, str}`, a metric rule
 * `{func: "gt", val: {func: "total", evt: {func: "event", name}}, num}`, `and`/`or` with `preds`,
 * `without` with `pred`. `decompileFilter` reads one back; what the readable form cannot write
 * (sequences, time restrictions) fails with where it is, and `filterDefinitionsEqual` compares two
 * Adobe definitions without the UI's labels (`description`) or key order.
 */

/** CJA's container names (UI) and Adobe's contexts (JSON). */
export const CONTEXTS = { event: "hits", session: "visits", person: "visitors" } as const;
export type FilterContext = keyof typeof CONTEXTS;
const CONTEXT_OF: Record<string, FilterContext> = { hits: "event", visits: "session", visitors: "person" };

/** String comparisons of a dimension: readable key → Adobe's `func` and the key of its value. */
export const STRING_OPERATORS = {
  equals: { func: "streq", value: "str" },
  notEquals: { func: "not-streq", value: "str" },
  equalsAnyOf: { func: "streq-in", value: "list" },
  notEqualsAnyOf: { func: "not-streq-in", value: "list" },
  contains: { func: "contains", value: "str" },
  notContains: { func: "not-contains", value: "str" },
  containsAnyOf: { func: "contains-any-of", value: "list" },
  containsAllOf: { func: "contains-all-of", value: "list" },
  notContainsAnyOf: { func: "not-contains-any-of", value: "list" },
  notContainsAllOf: { func: "not-contains-all-of", value: "list" },
  startsWith: { func: "starts-with", value: "str" },
  endsWith: { func: "ends-with", value: "str" },
  notStartsWith: { func: "not-starts-with", value: "str" },
  notEndsWith: { func: "not-ends-with", value: "str" },
  matches: { func: "matches", value: "glob" },
  notMatches: { func: "not-matches", value: "glob" },
} as const;

/** Number comparisons, of a dimension's value or of a metric's total in the container. */
export const NUMBER_OPERATORS = {
  eq: { func: "eq", value: "num" },
  notEq: { func: "not-eq", value: "num" },
  gt: { func: "gt", value: "num" },
  lt: { func: "lt", value: "num" },
  ge: { func: "ge", value: "num" },
  le: { func: "le", value: "num" },
  eqAnyOf: { func: "eq-any-of", value: "list" },
  notEqAnyOf: { func: "not-eq-any-of", value: "list" },
} as const;

type StringOperator = keyof typeof STRING_OPERATORS;
type NumberOperator = keyof typeof NUMBER_OPERATORS;

/** A rule on a dimension: exactly one operator. */
export type DimensionRule = { dimension: string } & (
  | { [K in StringOperator]?: (typeof STRING_OPERATORS)[K]["value"] extends "list" ? string[] : string }
  | { [K in NumberOperator]?: (typeof NUMBER_OPERATORS)[K]["value"] extends "list" ? number[] : number }
  | { exists?: boolean }
);
/** A rule on a metric: whether it occurs in the container, or a comparison of its total there. */
export type MetricRule = { metric: string } & ({ exists?: boolean } | { [K in NumberOperator]?: (typeof NUMBER_OPERATORS)[K]["value"] extends "list" ? number[] : number });

export type FilterRule = DimensionRule | MetricRule | { and: FilterRule[] } | { or: FilterRule[] } | { not: FilterRule } | { container: FilterContainer };

export interface FilterContainer {
  context: FilterContext;
  /** All must hold (one rule alone is written as itself). */
  rules: FilterRule[];
  /** Keep what the rules do not match (Adobe's `without` around them). */
  exclude?: boolean;
}

type Json = Record<string, unknown>;

/** A definition that cannot be compiled, or an Adobe definition that the readable form cannot write; `path` says where. */
export class FilterDefinitionError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = "FilterDefinitionError";
  }
}

/** `definition.rules[0].equals` as a path of keys: `["definition", "rules", 0, "equals"]`. */
export function pathKeys(path: string): Array<string | number> {
  return path
    .split(/\.|(?=\[)/)
    .filter((part) => part !== "")
    .map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

/** At most this many rules, and this deep, in one definition (our bound, as formulas have one). */
export const MAX_RULES = 1000;
export const MAX_DEPTH = 50;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const OPERATOR_KEYS = [...Object.keys(STRING_OPERATORS), ...Object.keys(NUMBER_OPERATORS), "exists"];

/** `variables/x` for a dimension written with or without its prefix. */
export function dimensionId(id: string): string {
  return id.startsWith("variables/") ? id : `variables/${id}`;
}
/** `metrics/x` for a metric written with or without its prefix. */
export function metricId(id: string): string {
  return id.startsWith("metrics/") ? id : `metrics/${id}`;
}

const idProblem = (id: unknown): string | undefined => {
  if (typeof id !== "string" || id.trim() === "") return "must be a component id, e.g. variables/page or metrics/visits";
  if (id.length > 255) return "must be at most 255 characters";
  if (/[\s\u0000-\u001f\u007f]/.test(id)) return "must not contain spaces or control characters";
  return undefined;
};

interface CompileState {
  rules: number;
}

/** Adobe's segment definition for `container`. @throws FilterDefinitionError naming the part (`definition.rules[1].equals`) */
export function compileFilter(container: unknown, path = "definition"): Json {
  const state: CompileState = { rules: 0 };
  return { func: "segment", version: [1, 0, 0], container: compileContainer(container, path, state, 0) };
}

function compileContainer(container: unknown, path: string, state: CompileState, depth: number): Json {
  if (!isObject(container)) throw new FilterDefinitionError(path, 'must be a container: { context: "event" | "session" | "person", rules: [...] }');
  const unknown = Object.keys(container).filter((key) => !["context", "rules", "exclude"].includes(key));
  if (unknown.length > 0) throw new FilterDefinitionError(path, `has ${unknown.map((k) => JSON.stringify(k)).join(", ")}; a container has context, rules and exclude`);
  const { context, rules, exclude } = container;
  if (typeof context !== "string" || !Object.hasOwn(CONTEXTS, context)) {
    throw new FilterDefinitionError(`${path}.context`, `must be "event", "session" or "person" (Adobe's hits, visits, visitors), not ${JSON.stringify(context)}`);
  }
  if (exclude !== undefined && typeof exclude !== "boolean") throw new FilterDefinitionError(`${path}.exclude`, "must be true or false");
  const pred = compileAll(rules, `${path}.rules`, state, depth);
  return { func: "container", context: CONTEXTS[context as FilterContext], pred: exclude ? { func: "without", pred } : pred };
}

/** Rules that must all hold: one alone, several in an `and`. */
function compileAll(rules: unknown, path: string, state: CompileState, depth: number): Json {
  if (!Array.isArray(rules) || rules.length === 0) throw new FilterDefinitionError(path, "must be a list of at least one rule");
  const preds = rules.map((rule, i) => compileRule(rule, `${path}[${i}]`, state, depth + 1));
  return preds.length === 1 ? preds[0] : { func: "and", preds };
}

function compileRule(rule: unknown, path: string, state: CompileState, depth: number): Json {
  if (depth > MAX_DEPTH) throw new FilterDefinitionError(path, `nests rules more than ${MAX_DEPTH} deep`);
  if (++state.rules > MAX_RULES) throw new FilterDefinitionError(path, `is rule ${state.rules}; a definition may have at most ${MAX_RULES}`);
  if (!isObject(rule)) throw new FilterDefinitionError(path, "must be a rule: { dimension, equals | contains | exists | ... }, { metric, exists | gt | ... }, { and }, { or }, { not } or { container }");
  const keys = Object.keys(rule);
  for (const logical of ["and", "or"] as const) {
    if (logical in rule) {
      if (keys.length !== 1) throw new FilterDefinitionError(path, `a { ${logical} } rule has no other key (found ${keys.join(", ")})`);
      const list = rule[logical];
      if (!Array.isArray(list) || list.length === 0) throw new FilterDefinitionError(`${path}.${logical}`, "must be a list of at least one rule");
      return { func: logical, preds: list.map((r, i) => compileRule(r, `${path}.${logical}[${i}]`, state, depth + 1)) };
    }
  }
  if ("not" in rule) {
    if (keys.length !== 1) throw new FilterDefinitionError(path, `a { not } rule has no other key (found ${keys.join(", ")})`);
    return { func: "without", pred: compileRule(rule.not, `${path}.not`, state, depth + 1) };
  }
  if ("container" in rule) {
    if (keys.length !== 1) throw new FilterDefinitionError(path, `a { container } rule has no other key (found ${keys.join(", ")})`);
    return compileContainer(rule.container, `${path}.container`, state, depth + 1);
  }
  const subject = "dimension" in rule ? "dimension" : "metric" in rule ? "metric" : undefined;
  if (subject === undefined) throw new FilterDefinitionError(path, `names no dimension or metric (keys: ${keys.join(", ") || "none"}); e.g. { dimension: "variables/page", equals: "Home" }`);
  if ("dimension" in rule && "metric" in rule) throw new FilterDefinitionError(path, "names both a dimension and a metric; a rule is on one");
  const problem = idProblem(rule[subject]);
  if (problem) throw new FilterDefinitionError(`${path}.${subject}`, problem);
  const operators = keys.filter((key) => key !== subject);
  const stray = operators.filter((key) => !OPERATOR_KEYS.includes(key));
  if (stray.length > 0) throw new FilterDefinitionError(`${path}.${stray[0]}`, `is no operator; use one of ${subject === "metric" ? ["exists", ...Object.keys(NUMBER_OPERATORS)].join(", ") : OPERATOR_KEYS.join(", ")}`);
  if (operators.length !== 1) throw new FilterDefinitionError(path, `must have exactly one operator (found ${operators.length === 0 ? "none" : operators.join(", ")})`);
  const operator = operators[0];
  const value = rule[operator];
  const at = `${path}.${operator}`;
  if (subject === "metric") {
    const name = metricId(rule.metric as string);
    const evt = { func: "event", name };
    if (operator === "exists") {
      if (typeof value !== "boolean") throw new FilterDefinitionError(at, "must be true or false");
      return { func: value ? "event-exists" : "not-event-exists", evt };
    }
    if (!Object.hasOwn(NUMBER_OPERATORS, operator)) throw new FilterDefinitionError(at, `compares text; a metric rule takes exists or a number comparison (${Object.keys(NUMBER_OPERATORS).join(", ")})`);
    const spec = NUMBER_OPERATORS[operator as NumberOperator];
    return { func: spec.func, val: { func: "total", evt }, [spec.value]: numberValue(value, spec.value, at) };
  }
  const val = { func: "attr", name: dimensionId(rule.dimension as string) };
  if (operator === "exists") {
    if (typeof value !== "boolean") throw new FilterDefinitionError(at, "must be true or false");
    return { func: value ? "exists" : "not-exists", val };
  }
  if (Object.hasOwn(NUMBER_OPERATORS, operator)) {
    const spec = NUMBER_OPERATORS[operator as NumberOperator];
    return { func: spec.func, val, [spec.value]: numberValue(value, spec.value, at) };
  }
  const spec = STRING_OPERATORS[operator as StringOperator];
  return { func: spec.func, val, [spec.value]: stringValue(value, spec.value, at) };
}

function numberValue(value: unknown, kind: "num" | "list", at: string): number | number[] {
  const one = (v: unknown, where: string) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new FilterDefinitionError(where, `must be a finite number, not ${JSON.stringify(v)}`);
    return v;
  };
  if (kind === "num") return one(value, at);
  if (!Array.isArray(value) || value.length === 0) throw new FilterDefinitionError(at, "must be a list of at least one number");
  return value.map((v, i) => one(v, `${at}[${i}]`));
}

function stringValue(value: unknown, kind: "str" | "glob" | "list", at: string): string | string[] {
  const one = (v: unknown, where: string) => {
    if (typeof v !== "string") throw new FilterDefinitionError(where, `must be a string, not ${JSON.stringify(v)}`);
    if (v.length > 2000) throw new FilterDefinitionError(where, "must be at most 2,000 characters");
    return v;
  };
  if (kind !== "list") return one(value, at);
  if (!Array.isArray(value) || value.length === 0) throw new FilterDefinitionError(at, "must be a list of at least one string");
  return value.map((v, i) => one(v, `${at}[${i}]`));
}

/** Every component id a definition (readable form) names, with prefixes: what must be in the data view. */
export function componentsOf(definition: Json): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    if (node.func === "attr" && typeof node.name === "string") found.add(node.name);
    if (node.func === "event" && typeof node.name === "string") found.add(node.name);
    Object.values(node).forEach(visit);
  };
  visit(definition);
  return [...found];
}

// ---- reading Adobe's definition back ----

const FUNC_TO_STRING = new Map(Object.entries(STRING_OPERATORS).map(([key, spec]) => [spec.func as string, { key, value: spec.value as string }]));
const FUNC_TO_NUMBER = new Map(Object.entries(NUMBER_OPERATORS).map(([key, spec]) => [spec.func as string, { key, value: spec.value as string }]));

/** The readable form of Adobe's segment definition. @throws FilterDefinitionError where it has what the readable form cannot write */
export function decompileFilter(definition: unknown): FilterContainer {
  if (!isObject(definition) || definition.func !== "segment") throw new FilterDefinitionError("definition", `is not a segment definition (func ${JSON.stringify(isObject(definition) ? definition.func : definition)})`);
  return readContainer(definition.container, "definition.container");
}

function readContainer(node: unknown, path: string): FilterContainer {
  if (!isObject(node) || node.func !== "container") throw new FilterDefinitionError(path, "is not a container");
  const context = typeof node.context === "string" ? CONTEXT_OF[node.context] : undefined;
  if (context === undefined) throw new FilterDefinitionError(`${path}.context`, `is ${JSON.stringify(node.context)}, not hits, visits or visitors`);
  let pred = node.pred;
  let exclude = false;
  if (isObject(pred) && pred.func === "without") {
    exclude = true;
    pred = pred.pred;
  }
  const rules = isObject(pred) && pred.func === "and" && Array.isArray(pred.preds) ? pred.preds.map((p, i) => readRule(p, `${path}.pred.preds[${i}]`)) : [readRule(pred, `${path}.pred`)];
  return exclude ? { context, rules, exclude } : { context, rules };
}

function readRule(node: unknown, path: string): FilterRule {
  if (!isObject(node) || typeof node.func !== "string") throw new FilterDefinitionError(path, "is not a rule");
  const func = node.func;
  if (func === "and" || func === "or") {
    if (!Array.isArray(node.preds)) throw new FilterDefinitionError(`${path}.preds`, "is not a list");
    const preds = node.preds.map((p, i) => readRule(p, `${path}.preds[${i}]`));
    return func === "and" ? { and: preds } : { or: preds };
  }
  if (func === "without") return { not: readRule(node.pred, `${path}.pred`) };
  if (func === "container") return { container: readContainer(node, path) };
  if (func === "event-exists" || func === "not-event-exists") return { metric: eventName(node.evt, `${path}.evt`), exists: func === "event-exists" };
  const val = node.val;
  if (func === "exists" || func === "not-exists") return { dimension: attrName(val, `${path}.val`), exists: func === "exists" } as FilterRule;
  const number = FUNC_TO_NUMBER.get(func);
  if (number) {
    const value = node[number.value];
    if (isObject(val) && val.func === "total") return { metric: eventName(val.evt, `${path}.val.evt`), [number.key]: value } as FilterRule;
    return { dimension: attrName(val, `${path}.val`), [number.key]: value } as FilterRule;
  }
  const text = FUNC_TO_STRING.get(func);
  if (text) return { dimension: attrName(val, `${path}.val`), [text.key]: node[text.value] } as FilterRule;
  throw new FilterDefinitionError(path, `uses ${func}, which a filter's readable definition cannot write (edit it in the Filter builder, or write it anew)`);
}

function attrName(node: unknown, path: string): string {
  if (isObject(node) && node.func === "attr" && typeof node.name === "string") return node.name;
  throw new FilterDefinitionError(path, "is not a dimension (attr)");
}

function eventName(node: unknown, path: string): string {
  if (isObject(node) && node.func === "event" && typeof node.name === "string") return node.name;
  throw new FilterDefinitionError(path, "is not a metric (event)");
}

// ---- comparing ----

/** The definition without the UI's labels (`description`), keys sorted: two equal definitions give the same text. */
export function canonicalFilterDefinition(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalFilterDefinition);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value).sort()) {
    if (key === "description" || value[key] === undefined) continue;
    out[key] = canonicalFilterDefinition(value[key]);
  }
  return out;
}

/** Whether two Adobe segment definitions say the same (labels and key order aside). */
export function filterDefinitionsEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonicalFilterDefinition(a)) === JSON.stringify(canonicalFilterDefinition(b));
}
