import { parseFormula } from "./parser";
import type { FormulaNode } from "./types";

/**
 * The distinct metric names a formula references, in order of first appearance, e.g.
 * `["Sends", "Bounces", "Bounces After Delivery"]`. Names are as {@link parseFormula} reads them
 * (escapes removed, whitespace trimmed); duplicates are compared exactly (case-sensitive).
 *
 * @throws {FormulaError} when the formula does not parse.
 */
export function formulaReferences(text: string): string[] {
  const names = new Set<string>();
  collect(parseFormula(text), names);
  return [...names];
}

function collect(node: FormulaNode, names: Set<string>): void {
  switch (node.kind) {
    case "metric":
      names.add(node.name);
      return;
    case "number":
      return;
    case "negate":
      collect(node.operand, names);
      return;
    case "binary":
      collect(node.left, names);
      collect(node.right, names);
      return;
  }
}
