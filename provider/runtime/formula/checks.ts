import { FormulaError } from "./errors";
import type { FormulaNode, Operator } from "./types";

/**
 * Why a parsed formula cannot be a calculated metric, or undefined: it uses neither a metric nor
 * a function (a constant; Adobe's own `cumul(0, 1)`, a row counter, uses no metric), it divides
 * by a zero constant (`[Sends] / 0`, `[Sends] / (2 - 2)`), or its numbers
 * compute to no finite number (`1e308 * 10`), so neither can the metric.
 */
export function metricFormulaProblem(node: FormulaNode): FormulaError | undefined {
  if (!nodesOf(node).some((n) => n.kind === "metric" || n.kind === "call")) {
    return new FormulaError("uses no metric; a calculated metric computes from at least one metric or function, e.g. [Sends] / 2", 0);
  }
  return divisionByZero(node) ?? nonFiniteConstant(node);
}

/** The nodes directly inside `node`. */
export function childrenOf(node: FormulaNode): FormulaNode[] {
  switch (node.kind) {
    case "negate":
    case "filter":
      return [node.operand];
    case "binary":
      return [node.left, node.right];
    case "call":
      return node.args;
    default:
      return [];
  }
}

/** Every node of the tree, `node` first (iterative: the tree may be deep). */
export function nodesOf(node: FormulaNode): FormulaNode[] {
  const all: FormulaNode[] = [];
  const pending = [node];
  for (let n = pending.pop(); n; n = pending.pop()) {
    all.push(n);
    pending.push(...childrenOf(n).reverse());
  }
  return all;
}

const ARITHMETIC: Partial<Record<Operator, (l: number, r: number) => number>> = {
  "+": (l, r) => l + r,
  "-": (l, r) => l - r,
  "*": (l, r) => l * r,
  "/": (l, r) => l / r,
};

/** The value of a subtree made of numbers and arithmetic only, else undefined. */
function constant(node: FormulaNode): number | undefined {
  switch (node.kind) {
    case "number":
      return node.value;
    case "negate": {
      const v = constant(node.operand);
      return v === undefined ? undefined : -v;
    }
    case "binary": {
      const apply = ARITHMETIC[node.operator];
      const [l, r] = [constant(node.left), constant(node.right)];
      return apply && l !== undefined && r !== undefined ? apply(l, r) : undefined;
    }
    default:
      return undefined;
  }
}

function nonFiniteConstant(node: FormulaNode): FormulaError | undefined {
  for (const n of nodesOf(node)) {
    if (n.kind !== "binary") continue;
    const value = constant(n);
    if (value !== undefined && !Number.isFinite(value)) return new FormulaError(`the numbers at position ${n.position} compute to ${value}, not a finite number`, n.position);
  }
  return undefined;
}

function divisionByZero(node: FormulaNode): FormulaError | undefined {
  for (const n of nodesOf(node)) {
    if (n.kind === "binary" && n.operator === "/" && constant(n.right) === 0) return new FormulaError(`divides by zero at position ${n.position}`, n.position);
  }
  return undefined;
}
