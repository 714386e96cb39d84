import { DefinitionFormatError } from "./errors";
import { CALLABLE, FILTER_CALL, FUNC_OPERATORS, PRECEDENCE } from "./functions";
import { isJsonObject, numberNodeValue, type JsonObject } from "./json";
import { bracketName } from "./names";
import type { CalcMetricDefinition } from "./types";

const COMPARISON = 1;
const UNARY = 4;
const ATOM = 5;
/** Keys Adobe adds to any node that carry no meaning (a label). */
const LABEL = "description";

interface Printed {
  text: string;
  precedence: number;
}

/** How ids are shown: a metric's component id and a filter's id to a name; `undefined` or `""` shows the id. */
export interface PrintNames {
  metric: (componentId: string) => string | undefined;
  filter?: (filterId: string) => string | undefined;
}

/**
 * Writes a calculated-metric definition back as formula text, e.g. to show drift:
 * `{ func: "calc-metric", formula: { func: "subtract", ... } }` → `[Sends] - [Bounces After Delivery]`.
 *
 * `names.metric` maps a metric node's `name` exactly as it appears in the definition (e.g.
 * `metrics/sends`) to the name to show, `names.filter` a `segment-ref` id to a filter name; when
 * either returns `undefined` or `""` the id itself is shown (`[metrics/xyz]`, `"s300_abc"`).
 * Parentheses are written only where the tree needs them, so parsing and compiling the result
 * (with resolvers that are the inverse of `names`) gives the same tree, labels aside (names are
 * written with `\`, `[` and `]` escaped; a name with leading or trailing whitespace comes back
 * trimmed). Constants are read as bare numbers and as `{ func: "number", val }` (what release
 * 0.1.0 wrote); `{ func: "multiply", col1: -1, col2: x }` is written `-x` when `x` is not a
 * number; filters on the root or on a nested `calc-metric` are written `filter(x, "Name")`.
 *
 * @throws {DefinitionFormatError} when the definition uses what a formula cannot write (a
 * function the language does not know, a key a function does not take, an optional argument
 * left out before one given, a nested `calc-metric` without filters), or is malformed; `path`
 * names the node.
 */
export function definitionToFormula(definition: CalcMetricDefinition | JsonObject, names: PrintNames | ((componentId: string) => string | undefined)): string {
  const resolved: PrintNames = typeof names === "function" ? { metric: names } : names;
  const root: unknown = definition;
  const path = "definition";
  if (!isJsonObject(root)) throw new DefinitionFormatError(`expected an object, found ${describe(root)}`, path);
  if (root.func !== "calc-metric") throw new DefinitionFormatError(`expected func "calc-metric", found ${describe(root.func)}`, path);
  const formula = printNode(root.formula, `${path}.formula`, resolved);
  return hasFilters(root) ? printFilters(formula, root, path, resolved).text : formula.text;
}

function printNode(node: unknown, path: string, names: PrintNames): Printed {
  if (typeof node === "number") return printNumber(node, path);
  if (!isJsonObject(node)) throw new DefinitionFormatError(`expected a node, found ${describe(node)}`, path);
  const func = node.func;
  if (func === "number") return printNumber(numberNodeValue(node), path);
  if (func === "metric") {
    if (typeof node.name !== "string" || node.name === "") throw new DefinitionFormatError(`metric node without a "name"`, path);
    return { text: bracketName(names.metric(node.name) || node.name), precedence: ATOM };
  }
  if (typeof func !== "string") throw new DefinitionFormatError(`node without a "func"`, path);
  if (Object.hasOwn(FUNC_OPERATORS, func)) return printOperator(node, func, path, names);
  if (func === "calc-metric") {
    if (!hasFilters(node)) throw new DefinitionFormatError(`a nested calc-metric without filters has no formula syntax`, path);
    onlyKeys(node, ["formula", "version", "filters"], path);
    return printFilters(printNode(node.formula, `${path}.formula`, names), node, path, names);
  }
  const fn = CALLABLE.get(func);
  if (!fn) throw new DefinitionFormatError(`function ${describe(func)} has no formula syntax`, path);
  onlyKeys(node, fn.parameters.map((p) => p.key), path);
  const given = fn.parameters.map((p) => node[p.key] !== undefined);
  const last = given.lastIndexOf(true);
  const args = fn.parameters.slice(0, last + 1).map((parameter, i) => {
    const where = `${path}.${parameter.key}`;
    if (!given[i]) throw new DefinitionFormatError(`${fn.id} leaves out ${parameter.key} but gives a later argument, which a call cannot write`, where);
    const value = node[parameter.key];
    if (parameter.type === "boolean") {
      if (typeof value !== "boolean") throw new DefinitionFormatError(`${parameter.key} must be true or false, found ${describe(value)}`, where);
      return String(value);
    }
    const printed = printNode(value, where, names);
    if (parameter.type === "number" && !isNumber(value)) throw new DefinitionFormatError(`${parameter.key} must be a number, found ${describe(value)}`, where);
    return printed.text;
  });
  return { text: `${fn.id}(${args.join(", ")})`, precedence: ATOM };
}

function printOperator(node: JsonObject, func: string, path: string, names: PrintNames): Printed {
  onlyKeys(node, ["col1", "col2"], path);
  const symbol = FUNC_OPERATORS[func];
  const precedence = PRECEDENCE[symbol];
  if (func === "multiply" && isNumber(node.col1) && numberValue(node.col1) === -1 && !isNumber(node.col2)) {
    const operand = printNode(node.col2, `${path}.col2`, names);
    const operandText = parenthesize(operand, operand.precedence < UNARY);
    return { text: `-${operandText.startsWith("-") ? " " : ""}${operandText}`, precedence: UNARY };
  }
  const left = printNode(node.col1, `${path}.col1`, names);
  const right = printNode(node.col2, `${path}.col2`, names);
  // Comparisons do not chain, so one inside another is always parenthesized.
  const wrapLeft = precedence === COMPARISON ? left.precedence <= COMPARISON : left.precedence < precedence;
  return { text: `${parenthesize(left, wrapLeft)} ${symbol} ${parenthesize(right, right.precedence <= precedence)}`, precedence };
}

function printFilters(formula: Printed, node: JsonObject, path: string, names: PrintNames): Printed {
  const filters = (node.filters as unknown[]).map((filter, i) => {
    const where = `${path}.filters[${i}]`;
    if (!isJsonObject(filter) || filter.func !== "segment-ref" || typeof filter.id !== "string" || filter.id === "") {
      throw new DefinitionFormatError(`expected { func: "segment-ref", id }, found ${describe(filter)}`, where);
    }
    onlyKeys(filter, ["id"], where);
    return JSON.stringify(names.filter?.(filter.id) || filter.id);
  });
  return { text: `${FILTER_CALL}(${formula.text}, ${filters.join(", ")})`, precedence: ATOM };
}

function hasFilters(node: JsonObject): boolean {
  return Array.isArray(node.filters) && node.filters.length > 0;
}

/** A node with keys the formula cannot write (beyond `func` and the label) has no formula form. */
function onlyKeys(node: JsonObject, keys: readonly string[], path: string): void {
  const extra = Object.keys(node).filter((key) => key !== "func" && key !== LABEL && !keys.includes(key));
  if (extra.length > 0) throw new DefinitionFormatError(`${describe(node.func)} with ${extra.map((k) => JSON.stringify(k)).join(", ")}, which a formula cannot write`, path);
}

function isNumber(value: unknown): boolean {
  return typeof value === "number" || (isJsonObject(value) && value.func === "number");
}

function numberValue(value: unknown): unknown {
  return typeof value === "number" ? value : numberNodeValue(value as JsonObject);
}

function printNumber(value: unknown, path: string): Printed {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new DefinitionFormatError(`number with value ${describe(value)}`, path);
  const negative = value < 0 || Object.is(value, -0);
  return { text: Object.is(value, -0) ? "-0" : String(value), precedence: negative ? UNARY : ATOM };
}

function parenthesize(printed: Printed, wrap: boolean): string {
  return wrap ? `(${printed.text})` : printed.text;
}

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
