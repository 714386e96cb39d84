/**
 * The calculated-metric formula language: formulas as Adobe's guides write them
 * (`[Sends] + [Bounces] - [Bounces After Delivery]`), compiled to and printed from Adobe's
 * calculated-metric definition tree. Pure functions, no I/O.
 */
export { FormulaError, DefinitionFormatError } from "./errors";
export type {
  Operator,
  FormulaNode,
  MetricReference,
  NumberLiteral,
  Negation,
  BinaryOperation,
  ArithmeticFunc,
  ArithmeticNode,
  MetricNode,
  NumberNode,
  CalcMetricNode,
  CalcMetricDefinition,
} from "./types";
export type { JsonObject } from "./json";
export { parseFormula, FORMULA_LIMITS } from "./parser";
export { formulaReferences } from "./references";
export { metricFormulaProblem } from "./checks";
export { compileFormula, type CompileOptions } from "./compile";
export { definitionToFormula } from "./print";
export { definitionsEqual } from "./equal";
