/** The four arithmetic operators a formula can use. */
export type Operator = "+" | "-" | "*" | "/";

/** A bracketed metric name, e.g. `[Sends]`. `position` is the offset of its `[`. */
export interface MetricReference {
  kind: "metric";
  /** The name between the brackets, escapes removed, surrounding whitespace trimmed. */
  name: string;
  position: number;
}

/** A non-negative number literal such as `2`, `0.5` or `1e3`. */
export interface NumberLiteral {
  kind: "number";
  value: number;
  position: number;
}

/** Unary minus. `position` is the offset of the `-`. */
export interface Negation {
  kind: "negate";
  operand: FormulaNode;
  position: number;
}

/** A binary operation. `position` is the offset of the operator. */
export interface BinaryOperation {
  kind: "binary";
  operator: Operator;
  left: FormulaNode;
  right: FormulaNode;
  position: number;
}

/**
 * Syntax tree of a formula as the user wrote it. Every node carries `position`, the 0-based
 * offset (in UTF-16 code units, i.e. a JavaScript string index) in the formula text.
 * Parentheses leave no node: they only shape the tree.
 */
export type FormulaNode = MetricReference | NumberLiteral | Negation | BinaryOperation;

/** Adobe's function ids for the four operators. */
export type ArithmeticFunc = "add" | "subtract" | "multiply" | "divide";

/** `{ func: "add" | "subtract" | "multiply" | "divide", col1, col2 }`. */
export interface ArithmeticNode {
  func: ArithmeticFunc;
  col1: CalcMetricNode;
  col2: CalcMetricNode;
}

/** `{ func: "metric", name: "metrics/<id>" }`; Adobe may add `description` (a label). */
export interface MetricNode {
  func: "metric";
  name: string;
  description?: string;
}

/** `{ func: "number", val: <number> }`. */
export interface NumberNode {
  func: "number";
  val: number;
}

/** A node of Adobe's calculated-metric definition tree, restricted to what a formula expresses. */
export type CalcMetricNode = ArithmeticNode | MetricNode | NumberNode;

/** Adobe's calculated-metric `definition`: `{ func: "calc-metric", formula, version: [1, 0, 0] }`. */
export interface CalcMetricDefinition {
  func: "calc-metric";
  formula: CalcMetricNode;
  version: [number, number, number];
}

export const OPERATOR_FUNCS: Readonly<Record<Operator, ArithmeticFunc>> = {
  "+": "add",
  "-": "subtract",
  "*": "multiply",
  "/": "divide",
};
