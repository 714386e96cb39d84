/**
 * The calculated-metric formula language: formulas as Adobe's guides write them
 * (`[Sends] + [Bounces] - [Bounces After Delivery]`), with Adobe's functions as calls and
 * filtered parts as `filter(..., "Name")`, compiled to and printed from Adobe's calculated-metric
 * definition tree. Pure functions, no I/O. The language is described in docs/FORMULAS.md.
 */
export { FormulaError, DefinitionFormatError } from "./errors";
export type {
  Operator,
  FormulaNode,
  MetricReference,
  NumberLiteral,
  BooleanLiteral,
  Negation,
  BinaryOperation,
  FunctionCall,
  FilteredFormula,
  FilterName,
  MetricNode,
  SegmentRef,
  FunctionNode,
  CalcMetricNode,
  CalcMetricDefinition,
} from "./types";
export type { JsonObject } from "./json";
export { parseFormula, FORMULA_LIMITS } from "./parser";
export { formulaReferences, formulaFilters } from "./references";
export { metricFormulaProblem } from "./checks";
export { compileFormula, type CompileOptions } from "./compile";
export { definitionToFormula, type PrintNames } from "./print";
export { definitionsEqual } from "./equal";
export { CALLABLE as FORMULA_FUNCTIONS, type CallableFunction } from "./functions";
