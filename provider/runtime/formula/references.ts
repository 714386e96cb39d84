import { nodesOf } from "./checks";
import { parseFormula } from "./parser";

/**
 * The distinct metric names a formula references, in order of first appearance, e.g.
 * `["Sends", "Bounces", "Bounces After Delivery"]`. Names are as {@link parseFormula} reads them
 * (escapes removed, whitespace trimmed); duplicates are compared exactly (case-sensitive).
 *
 * @throws {FormulaError} when the formula does not parse.
 */
export function formulaReferences(text: string): string[] {
  return [...new Set(nodesOf(parseFormula(text)).flatMap((n) => (n.kind === "metric" ? [n.name] : [])))];
}

/**
 * The distinct filter names a formula's `filter(..., "Name")` parts use, in order of first
 * appearance.
 *
 * @throws {FormulaError} when the formula does not parse.
 */
export function formulaFilters(text: string): string[] {
  return [...new Set(nodesOf(parseFormula(text)).flatMap((n) => (n.kind === "filter" ? n.filters.map((f) => f.name) : [])))];
}
