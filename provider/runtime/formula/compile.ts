import { FormulaError } from "./errors";
import { CALLABLE, OPERATOR_FUNCS } from "./functions";
import { bracketName } from "./names";
import { DEFINITION_VERSION, type CalcMetricDefinition, type CalcMetricNode, type FilterName, type FormulaNode, type MetricReference } from "./types";

/** Options of {@link compileFormula}. */
export interface CompileOptions {
  /**
   * The names the resolver knows, listed in the message when a name does not resolve
   * (`known: [Sends], [Bounces]`), so the user sees what they could have written.
   */
  knownNames?: readonly string[];
  /** Maps a filter name of `filter(..., "Name")` to its filter (segment) id. */
  resolveFilter?: (name: string) => string | undefined;
  /** The filter names `resolveFilter` knows, listed when one does not resolve. */
  knownFilters?: readonly string[];
}

const METRIC_PREFIX = "metrics/";
const MOST_NAMES_LISTED = 25;

/**
 * Compiles a parsed formula into Adobe's calculated-metric definition tree:
 * `{ func: "calc-metric", formula, version: [1, 0, 0] }`, where an operator becomes its function
 * (`+ - * /` → `add`, `subtract`, `multiply`, `divide`; `> < >= <= == !=` → `gt`, `lt`, `ge`,
 * `le`, `eq`, `ne`) with `col1` and `col2`, a call becomes `{ func: "<id>", <parameter key>: ... }`,
 * a number is a bare JSON number (`"col2": 100`, as Adobe writes constants), a flag a bare
 * boolean, a name `{ func: "metric", name: "metrics/<id>" }`, and `filter(x, "A")` a nested
 * `{ func: "calc-metric", formula: x, version, filters: [{ func: "segment-ref", id }] }`.
 *
 * `resolve` maps a bracketed name to its component id (e.g. `Sends` → `metrics/sends`); the id is
 * kept as returned, with `metrics/` put in front when it lacks it. Unary minus on a number gives
 * a negative number (`-2`); on anything else it gives `{ func: "multiply", col1: -1, col2: <operand> }`.
 *
 * @throws {FormulaError} at the position of the first name or filter (left to right) that does
 * not resolve to an id.
 */
export function compileFormula(node: FormulaNode, resolve: (name: string) => string | undefined, options: CompileOptions = {}): CalcMetricDefinition {
  const compile = (n: FormulaNode): CalcMetricNode => {
    switch (n.kind) {
      case "metric": {
        const id = resolve(n.name);
        if (!id) throw unknownMetric(n, options.knownNames);
        return { func: "metric", name: id.startsWith(METRIC_PREFIX) ? id : `${METRIC_PREFIX}${id}` };
      }
      case "number":
      case "boolean":
        return n.value;
      case "negate": {
        const operand = compile(n.operand);
        if (typeof operand === "number") return -operand;
        return { func: "multiply", col1: -1, col2: operand };
      }
      case "binary":
        return { func: OPERATOR_FUNCS[n.operator], col1: compile(n.left), col2: compile(n.right) };
      case "call": {
        const parameters = CALLABLE.get(n.name)!.parameters;
        return { func: n.name, ...Object.fromEntries(n.args.map((arg, i) => [parameters[i].key, compile(arg)])) };
      }
      case "filter": {
        const formula = compile(n.operand);
        return { func: "calc-metric", formula, version: [...DEFINITION_VERSION], filters: n.filters.map((f) => ({ func: "segment-ref", id: filterId(f, options) })) };
      }
    }
  };
  return { func: "calc-metric", formula: compile(node), version: [...DEFINITION_VERSION] };
}

function filterId(filter: FilterName, options: CompileOptions): string {
  const id = options.resolveFilter?.(filter.name);
  if (id) return id;
  const known = options.knownFilters ?? [];
  const listed = known.length === 0 ? "no filters are known (map each name to its filter id in filters)" : `known: ${known.map((k) => JSON.stringify(k)).join(", ")}`;
  throw new FormulaError(`unknown filter ${JSON.stringify(filter.name)} at position ${filter.position}; ${listed}`, filter.position);
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
