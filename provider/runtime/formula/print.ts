import { DefinitionFormatError } from "./errors";
import { isJsonObject, numberNodeValue, type JsonObject } from "./json";
import { bracketName } from "./names";
import type { ArithmeticFunc, CalcMetricDefinition } from "./types";

const BINARY: Readonly<Record<ArithmeticFunc, { symbol: string; precedence: number }>> = {
  add: { symbol: "+", precedence: 1 },
  subtract: { symbol: "-", precedence: 1 },
  multiply: { symbol: "*", precedence: 2 },
  divide: { symbol: "/", precedence: 2 },
};
const UNARY = 3;
const ATOM = 4;

interface Printed {
  text: string;
  precedence: number;
}

/**
 * Writes a calculated-metric definition back as formula text, e.g. to show drift:
 * `{ func: "calc-metric", formula: { func: "subtract", ... } }` → `[Sends] - [Bounces After Delivery]`.
 *
 * `nameOf` maps a metric node's `name` exactly as it appears in the definition (e.g.
 * `metrics/sends`) to the name to show; when it returns `undefined` or `""` the id itself is shown
 * (`[metrics/xyz]`). Parentheses are written only where the tree needs them, so parsing and
 * compiling the result (with a resolver that is the inverse of `nameOf`) gives the same tree
 * (names are written with `\`, `[` and `]` escaped; a name with leading or trailing whitespace
 * comes back trimmed).
 * `{ func: "multiply", col1: { func: "number", val: -1 }, col2: x }` is written `-x` when `x` is
 * not a number (`- -x` when `x` starts with a minus); extra keys such as `description` are
 * ignored; a number node's value is read from `val` (or `value`).
 *
 * @throws {DefinitionFormatError} when the definition uses anything a formula cannot express
 * (functions other than add, subtract, multiply, divide, metric and number; segment `filters`),
 * or is malformed; `path` names the node.
 */
export function definitionToFormula(
  definition: CalcMetricDefinition | JsonObject,
  nameOf: (componentId: string) => string | undefined,
): string {
  const root: unknown = definition;
  const path = "definition";
  if (!isJsonObject(root)) throw new DefinitionFormatError(`expected an object, found ${describe(root)}`, path);
  if (root.func !== "calc-metric") {
    throw new DefinitionFormatError(`expected func "calc-metric", found ${describe(root.func)}`, path);
  }
  if (Array.isArray(root.filters) && root.filters.length > 0) {
    throw new DefinitionFormatError(`segment filters have no formula syntax`, `${path}.filters`);
  }
  return printNode(root.formula, `${path}.formula`, nameOf).text;
}

function printNode(node: unknown, path: string, nameOf: (componentId: string) => string | undefined): Printed {
  if (!isJsonObject(node)) throw new DefinitionFormatError(`expected a node object, found ${describe(node)}`, path);
  const func = node.func;
  if (func === "metric") {
    if (typeof node.name !== "string" || node.name === "") {
      throw new DefinitionFormatError(`metric node without a "name"`, path);
    }
    return { text: bracketName(nameOf(node.name) || node.name), precedence: ATOM };
  }
  if (func === "number") return printNumber(node, path);
  if (typeof func === "string" && Object.hasOwn(BINARY, func)) {
    const { symbol, precedence } = BINARY[func as ArithmeticFunc];
    if (func === "multiply" && isMinusOne(node.col1) && !(isJsonObject(node.col2) && node.col2.func === "number")) {
      const operand = printNode(node.col2, `${path}.col2`, nameOf);
      const operandText = parenthesize(operand, operand.precedence < UNARY);
      return { text: `-${operandText.startsWith("-") ? " " : ""}${operandText}`, precedence: UNARY };
    }
    const left = printNode(node.col1, `${path}.col1`, nameOf);
    const right = printNode(node.col2, `${path}.col2`, nameOf);
    const text = `${parenthesize(left, left.precedence < precedence)} ${symbol} ${parenthesize(right, right.precedence <= precedence)}`;
    return { text, precedence };
  }
  throw new DefinitionFormatError(
    `function ${describe(func)} has no formula syntax (only add, subtract, multiply, divide, metric and number have)`,
    path,
  );
}

function printNumber(node: JsonObject, path: string): Printed {
  const value = numberNodeValue(node);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new DefinitionFormatError(`number node with value ${describe(value)}`, path);
  }
  const negative = value < 0 || Object.is(value, -0);
  return { text: Object.is(value, -0) ? "-0" : String(value), precedence: negative ? UNARY : ATOM };
}

function isMinusOne(node: unknown): boolean {
  return isJsonObject(node) && node.func === "number" && numberNodeValue(node) === -1;
}

function parenthesize(printed: Printed, wrap: boolean): string {
  return wrap ? `(${printed.text})` : printed.text;
}

function describe(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
