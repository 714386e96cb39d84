import { FormulaError } from "./errors";
import { bracketName } from "./names";
import { OPERATOR_FUNCS, type CalcMetricDefinition, type CalcMetricNode, type FormulaNode, type MetricReference } from "./types";

/** Options of {@link compileFormula}. */
export interface CompileOptions {
  /**
   * The names the resolver knows, listed in the message when a name does not resolve
   * (`known: [Sends], [Bounces]`), so the user sees what they could have written.
   */
  knownNames?: readonly string[];
}

const METRIC_PREFIX = "metrics/";
const MOST_NAMES_LISTED = 25;

/**
 * Compiles a parsed formula into Adobe's calculated-metric definition tree:
 * `{ func: "calc-metric", formula, version: [1, 0, 0] }`, where `+ - * /` become
 * `{ func: "add" | "subtract" | "multiply" | "divide", col1, col2 }`, a number becomes
 * `{ func: "number", val }` and a name becomes `{ func: "metric", name: "metrics/<id>" }`.
 *
 * `resolve` maps a bracketed name to its component id (e.g. `Sends` → `metrics/sends`); the id is
 * kept as returned, with `metrics/` put in front when it lacks it. Unary minus on a number gives
 * a negative number (`-2` → `{ func: "number", val: -2 }`); on anything else it gives
 * `{ func: "multiply", col1: { func: "number", val: -1 }, col2: <operand> }`.
 *
 * @throws {FormulaError} at the position of the first name (left to right) that `resolve` maps
 * to `undefined` or `""`.
 */
export function compileFormula(
  node: FormulaNode,
  resolve: (name: string) => string | undefined,
  options: CompileOptions = {},
): CalcMetricDefinition {
  const compile = (n: FormulaNode): CalcMetricNode => {
    switch (n.kind) {
      case "metric": {
        const id = resolve(n.name);
        if (!id) throw unknownMetric(n, options.knownNames);
        return { func: "metric", name: id.startsWith(METRIC_PREFIX) ? id : `${METRIC_PREFIX}${id}` };
      }
      case "number":
        return { func: "number", val: n.value };
      case "negate": {
        const operand = compile(n.operand);
        if (operand.func === "number") return { func: "number", val: -operand.val };
        return { func: "multiply", col1: { func: "number", val: -1 }, col2: operand };
      }
      case "binary":
        return { func: OPERATOR_FUNCS[n.operator], col1: compile(n.left), col2: compile(n.right) };
    }
  };
  return { func: "calc-metric", formula: compile(node), version: [1, 0, 0] };
}

function unknownMetric(node: MetricReference, knownNames: readonly string[] | undefined): FormulaError {
  let detail = `unknown metric ${bracketName(node.name)} at position ${node.position}`;
  if (knownNames) detail += `; ${describeKnown(knownNames)}`;
  return new FormulaError(detail, node.position);
}

function describeKnown(names: readonly string[]): string {
  if (names.length === 0) return "no metrics are known";
  const listed = names.slice(0, MOST_NAMES_LISTED).map(bracketName).join(", ");
  const rest = names.length - MOST_NAMES_LISTED;
  return `known: ${listed}${rest > 0 ? ` and ${rest} more` : ""}`;
}
