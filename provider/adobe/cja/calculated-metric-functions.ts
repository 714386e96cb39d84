/**
 * Adobe's calculated-metric functions: the `func` ids a definition uses and the JSON key of each
 * parameter, in the order the function takes them. The same facts drive the formula language
 * (which writes and reads these nodes) and the emulator (which serves them as
 * `GET /calculatedmetrics/functions` and validates definitions with them).
 *
 * Ids are the ones Adobe's Experience League function reference tags each function with
 * (`functions-<id>`), checked against real payloads where one exists; parameter keys are
 * `payload` (seen in a definition Adobe returned or accepted), `docs` (in Adobe's function
 * catalog example) or `inferred` (by the pattern of a function of the same shape). Functions whose
 * parameter keys no public source shows (`percentile`, `round`, `and`, `or`, `not`, `row-sum`,
 * `t-test`, `waskr-*`, ...) are left out: a definition that uses one is read back as a
 * definition with no formula form, never guessed. Sources: docs/ADOBE-API.md, "Calculated metric
 * functions".
 */

/** What a parameter takes: any metric-like operand (a metric, a number, a function), a number, or a flag. */
export type FunctionParameterType = "column" | "number" | "boolean";

export interface FunctionParameter {
  /** The JSON key in the definition node, e.g. `col1`, `cond`, `include-zeros`. */
  key: string;
  type: FunctionParameterType;
  optional?: boolean;
}

export interface CalculatedMetricFunction {
  /** The `func` id, e.g. `col-sum`. */
  id: string;
  /** The name Adobe's function reference gives it. */
  name: string;
  /** Adobe's catalog category: operators are `internal`. */
  category: "internal" | "basic" | "advanced";
  /** What the function computes, in a sentence. */
  description: string;
  parameters: readonly FunctionParameter[];
  /** Where the parameter keys come from. */
  keys: "payload" | "docs" | "inferred";
  /** The infix operator the formula language writes it with, for the operators. */
  operator?: string;
}

const col = (key: string, optional = false): FunctionParameter => ({ key, type: "column", ...(optional ? { optional } : {}) });
const includeZeros: FunctionParameter = { key: "include-zeros", type: "boolean", optional: true };
const pair = [col("col1"), col("col2")] as const;

type Entry = Omit<CalculatedMetricFunction, "category">;

const operator = (id: string, symbol: string, name: string, description: string, keys: Entry["keys"]): Entry => ({ id, name, description, parameters: pair, keys, operator: symbol });
const unary = (id: string, name: string, description: string, keys: Entry["keys"] = "inferred"): Entry => ({ id, name, description, parameters: [col("col")], keys });
const statistic = (id: string, name: string, description: string, keys: Entry["keys"] = "inferred"): Entry => ({ id, name, description, parameters: [col("col"), includeZeros], keys });

const REGRESSIONS = [
  ["linear", "Linear"],
  ["exp", "Exponential"],
  ["log", "Log"],
  ["power", "Power"],
  ["quadratic", "Quadratic"],
  ["reciprocal", "Reciprocal"],
] as const;
const REGRESSION_RESULTS = [
  ["corr", "Correlation coefficient"],
  ["intercept", "Intercept"],
  ["pred", "Predicted Y"],
  ["slope", "Slope"],
] as const;

const INTERNAL: Entry[] = [
  operator("add", "+", "Add", "The sum of two operands.", "docs"),
  operator("subtract", "-", "Subtract", "The first operand minus the second.", "inferred"),
  operator("multiply", "*", "Multiply", "The product of two operands.", "payload"),
  operator("divide", "/", "Divide", "The first operand divided by the second.", "payload"),
];

const BASIC: Entry[] = [
  unary("abs", "Absolute Value", "The absolute value of the operand, per row."),
  statistic("col-max", "Column Maximum", "The largest value of the operand in the column."),
  statistic("col-min", "Column Minimum", "The smallest value of the operand in the column."),
  unary("col-sum", "Column Sum", "The sum of the operand's values in the column.", "payload"),
  unary("count", "Count", "The number of non-zero values of the operand in the column."),
  unary("exp", "Exponent", "e raised to the power of the operand, per row."),
  statistic("mean", "Mean", "The arithmetic mean of the operand in the column.", "payload"),
  statistic("median", "Median", "The median of the operand in the column."),
  { id: "modulo", name: "Modulo", description: "The remainder of the first operand divided by the second.", parameters: pair, keys: "payload" },
  { id: "pow", name: "Power Operator", description: "The first operand raised to the power of the second.", parameters: pair, keys: "payload" },
  { id: "count-rows", name: "Row Count", description: "The number of rows of the table.", parameters: [], keys: "docs" },
  unary("sqrt", "Square Root", "The square root of the operand, per row."),
  statistic("stdev", "Standard Deviation", "The standard deviation of the operand in the column."),
  statistic("variance", "Variance", "The variance of the operand in the column."),
];

const ADVANCED: Entry[] = [
  unary("acos", "Arc Cosine", "The arccosine of the operand, per row."),
  unary("asin", "Arc Sine", "The arcsine of the operand, per row."),
  unary("atan", "Arc Tangent", "The arctangent of the operand, per row."),
  unary("ceil", "Ceiling", "The operand rounded up to a whole number, per row."),
  unary("cos", "Cosine", "The cosine of the operand, per row."),
  unary("cosh", "Hyperbolic Cosine", "The hyperbolic cosine of the operand, per row."),
  unary("cube-root", "Cube Root", "The cube root of the operand, per row."),
  { id: "cumul", name: "Cumulative", description: "The sum of the last n rows of the operand (n = 0: all rows so far).", parameters: [{ key: "n", type: "number" }, col("col")], keys: "payload" },
  { id: "cumul-avg", name: "Cumulative (Average)", description: "The average of the last n rows of the operand (n = 0: all rows so far).", parameters: [{ key: "n", type: "number" }, col("col")], keys: "inferred" },
  operator("eq", "==", "Equal", "1 where the operands are equal, else 0.", "inferred"),
  operator("ne", "!=", "Not Equal", "1 where the operands differ, else 0.", "inferred"),
  operator("gt", ">", "Greater Than", "1 where the first operand is greater than the second, else 0.", "payload"),
  operator("ge", ">=", "Greater Than or Equal", "1 where the first operand is greater than or equal to the second, else 0.", "inferred"),
  operator("lt", "<", "Less Than", "1 where the first operand is less than the second, else 0.", "inferred"),
  operator("le", "<=", "Less Than or Equal", "1 where the first operand is less than or equal to the second, else 0.", "inferred"),
  unary("floor", "Floor", "The operand rounded down to a whole number, per row."),
  { id: "if", name: "If", description: "`then` where the condition is non-zero, else `else` (each 0 when left out).", parameters: [col("cond"), col("then", true), col("else", true)], keys: "payload" },
  unary("log", "Natural Log", "The natural logarithm of the operand, per row."),
  unary("log10", "Log Base 10", "The base-10 logarithm of the operand, per row."),
  { id: "pi", name: "Pi", description: "The constant pi.", parameters: [], keys: "docs" },
  unary("sin", "Sine", "The sine of the operand, per row."),
  unary("sinh", "Hyperbolic Sine", "The hyperbolic sine of the operand, per row."),
  unary("tan", "Tangent", "The tangent of the operand, per row."),
  unary("tanh", "Hyperbolic Tangent", "The hyperbolic tangent of the operand, per row."),
  statistic("t-score", "T-Score", "The deviation from the mean divided by the standard deviation (as z-score)."),
  statistic("z-score", "Z-Score", "The deviation of each row from the column mean, in standard deviations."),
  ...REGRESSIONS.flatMap(([model, modelName]) =>
    REGRESSION_RESULTS.map(([result, resultName]): Entry => ({
      id: `ls-${result}-${model}`,
      name: `${modelName} Regression: ${resultName}`,
      description: `The ${resultName.toLowerCase()} of the ${modelName.toLowerCase()} regression of y on x.`,
      parameters: [col("x"), col("y"), includeZeros],
      keys: model === "linear" && result === "pred" ? "payload" : "inferred",
    })),
  ),
];

/** Every function the formula language writes and reads, by id. */
export const CALCULATED_METRIC_FUNCTIONS: ReadonlyMap<string, CalculatedMetricFunction> = new Map(
  [
    ...INTERNAL.map((f) => ({ ...f, category: "internal" as const })),
    ...BASIC.map((f) => ({ ...f, category: "basic" as const })),
    ...ADVANCED.map((f) => ({ ...f, category: "advanced" as const })),
  ].map((f) => [f.id, f]),
);

/**
 * Wrappers a definition may hold besides functions: a nested `calc-metric` (a filtered part,
 * `filters: [{func: "segment-ref", id}]`), `visualization-group` (Adobe's templates, one `col`),
 * `metric` (`name: "metrics/<id>"`) and `segment-ref`.
 */
export const STRUCTURAL_FUNCS = ["calc-metric", "visualization-group", "metric", "segment-ref"] as const;
