import { FormulaError } from "./errors";
import type { FormulaNode } from "./types";

/**
 * Why a parsed formula cannot be a calculated metric, or undefined: it uses no metric (a
 * constant), it divides by a zero constant (`[Sends] / 0`, `[Sends] / (2 - 2)`), or its numbers
 * compute to no finite number (`1e308 * 10`), so neither can the metric.
 */
export function metricFormulaProblem(node: FormulaNode): FormulaError | undefined {
  if (!usesMetric(node)) return new FormulaError("uses no metric; a calculated metric computes from at least one, e.g. [Sends] / 2", 0);
  return divisionByZero(node) ?? nonFiniteConstant(node);
}

function usesMetric(node: FormulaNode): boolean {
  const pending = [node];
  for (let n = pending.pop(); n; n = pending.pop()) {
    if (n.kind === "metric") return true;
    if (n.kind === "negate") pending.push(n.operand);
    if (n.kind === "binary") pending.push(n.left, n.right);
  }
  return false;
}

/** The value of a subtree made of numbers only, else undefined. */
function constant(node: FormulaNode): number | undefined {
  switch (node.kind) {
    case "number":
      return node.value;
    case "metric":
      return undefined;
    case "negate": {
      const v = constant(node.operand);
      return v === undefined ? undefined : -v;
    }
    case "binary": {
      const [l, r] = [constant(node.left), constant(node.right)];
      if (l === undefined || r === undefined) return undefined;
      return { "+": l + r, "-": l - r, "*": l * r, "/": l / r }[node.operator];
    }
  }
}

function nonFiniteConstant(node: FormulaNode): FormulaError | undefined {
  const pending = [node];
  for (let n = pending.pop(); n; n = pending.pop()) {
    if (n.kind === "negate") pending.push(n.operand);
    if (n.kind !== "binary") continue;
    const value = constant(n);
    if (value !== undefined && !Number.isFinite(value)) return new FormulaError(`the numbers at position ${n.position} compute to ${value}, not a finite number`, n.position);
    pending.push(n.left, n.right);
  }
  return undefined;
}

function divisionByZero(node: FormulaNode): FormulaError | undefined {
  const pending = [node];
  for (let n = pending.pop(); n; n = pending.pop()) {
    if (n.kind === "negate") pending.push(n.operand);
    if (n.kind !== "binary") continue;
    if (n.operator === "/" && constant(n.right) === 0) return new FormulaError(`divides by zero at position ${n.position}`, n.position);
    pending.push(n.left, n.right);
  }
  return undefined;
}
