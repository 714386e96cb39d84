import { CALCULATED_METRIC_FUNCTIONS, type FunctionParameter } from "../../adobe/cja/calculated-metric-functions";
import type { Operator } from "./types";

/** A function the formula language writes as a call: `id(arg, ...)`, arguments in parameter order. */
export interface CallableFunction {
  id: string;
  parameters: readonly FunctionParameter[];
}

/** Adobe's templates wrap their formula in `visualization-group` (one `col`): written as a call too. */
const WRAPPERS: CallableFunction[] = [{ id: "visualization-group", parameters: [{ key: "col", type: "column" }] }];

const all = [...CALCULATED_METRIC_FUNCTIONS.values()];

/** The functions written as calls, by id. */
export const CALLABLE: ReadonlyMap<string, CallableFunction> = new Map(
  [...all.filter((f) => f.operator === undefined), ...WRAPPERS].map((f) => [f.id, f]),
);

/** Adobe's function id of each infix operator (`+` → `add`, `>=` → `ge`). */
export const OPERATOR_FUNCS = Object.fromEntries(all.filter((f) => f.operator).map((f) => [f.operator, f.id])) as Readonly<Record<Operator, string>>;

/** The infix operator of each operator function id (`add` → `+`). */
export const FUNC_OPERATORS: Readonly<Record<string, Operator>> = Object.fromEntries(Object.entries(OPERATOR_FUNCS).map(([symbol, id]) => [id, symbol as Operator]));

/** Binding strength: comparisons, then `+ -`, then `* /`. */
export const PRECEDENCE: Readonly<Record<Operator, number>> = {
  ">": 1,
  "<": 1,
  ">=": 1,
  "<=": 1,
  "==": 1,
  "!=": 1,
  "+": 2,
  "-": 2,
  "*": 3,
  "/": 3,
};

/** The word that starts a filtered part: `filter(<formula>, "Filter name", ...)`. */
export const FILTER_CALL = "filter";

/** The number of arguments a call needs and may take. */
export function arity(fn: CallableFunction): { least: number; most: number } {
  return { least: fn.parameters.filter((p) => !p.optional).length, most: fn.parameters.length };
}
