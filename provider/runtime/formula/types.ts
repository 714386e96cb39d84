/** The infix operators a formula can use: arithmetic, then comparison (Adobe's `gt`, `le`, `eq`, ...). */
export type Operator = "+" | "-" | "*" | "/" | ">" | "<" | ">=" | "<=" | "==" | "!=";

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

/** `true` or `false`: the value of a flag parameter such as `include-zeros`. */
export interface BooleanLiteral {
  kind: "boolean";
  value: boolean;
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

/** A call of one of Adobe's functions by its id, e.g. `col-sum([Sends])`. `position` is the offset of the name. */
export interface FunctionCall {
  kind: "call";
  /** Adobe's function id. */
  name: string;
  args: FormulaNode[];
  position: number;
}

/** A filter's name as written in `filter(..., "Email sends")`. */
export interface FilterName {
  name: string;
  position: number;
}

/** `filter(<formula>, "Filter", ...)`: the formula computed on the hits the filters keep. */
export interface FilteredFormula {
  kind: "filter";
  operand: FormulaNode;
  filters: FilterName[];
  position: number;
}

/**
 * Syntax tree of a formula as the user wrote it. Every node carries `position`, the 0-based
 * offset (in UTF-16 code units, i.e. a JavaScript string index) in the formula text.
 * Parentheses leave no node: they only shape the tree.
 */
export type FormulaNode = MetricReference | NumberLiteral | BooleanLiteral | Negation | BinaryOperation | FunctionCall | FilteredFormula;

/** `{ func: "metric", name: "metrics/<id>" }`; Adobe may add `description` (a label). */
export interface MetricNode {
  func: "metric";
  name: string;
  description?: string;
}

/** `{ func: "segment-ref", id }`: one filter (segment) of a filtered part. */
export interface SegmentRef {
  func: "segment-ref";
  id: string;
  description?: string;
}

/** A function node: `{ func: "<id>", <parameter key>: <operand>, ... }`, e.g. `{ func: "divide", col1, col2 }`. */
export interface FunctionNode {
  func: string;
  [parameter: string]: unknown;
}

/**
 * A node of Adobe's calculated-metric definition tree: a bare JSON number (a constant, as Adobe
 * writes it: `"col2": 100`), a bare boolean (a flag parameter), a metric, a function, or a
 * nested definition that carries filters.
 */
export type CalcMetricNode = number | boolean | MetricNode | FunctionNode | CalcMetricDefinition;

/**
 * Adobe's calculated-metric `definition`: `{ func: "calc-metric", formula, version: [1, 0, 0] }`,
 * with `filters` when the formula (or, nested, a part of it) is filtered.
 */
export interface CalcMetricDefinition {
  func: "calc-metric";
  formula: CalcMetricNode;
  version: [number, number, number];
  filters?: SegmentRef[];
}

export const DEFINITION_VERSION: [number, number, number] = [1, 0, 0];
