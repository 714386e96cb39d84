/**
 * CJA's `expansion` query parameter: a comma list of extra fields. An object on the wire carries
 * only its always-present fields plus what was asked for.
 */
import { clone, csvList } from "./wire";

/** The requested expansion names. */
export function parseExpansion(query: Record<string, string>): Set<string> {
  return new Set(csvList(query.expansion) ?? []);
}

/**
 * Expansion names that stand for other document fields (`modified` → `modifiedDate` and
 * `modifiedBy`). Names not listed here stand for the field of the same name.
 */
export type ExpansionAliases = Record<string, string[]>;

/** The fields of `doc` that a response with `expansion` carries: `always` plus the requested ones. */
export function expandedFields(always: readonly string[], expansion: Iterable<string>, aliases: ExpansionAliases = {}): string[] {
  const fields = new Set(always);
  for (const name of expansion) for (const field of aliases[name] ?? [name]) fields.add(field);
  return [...fields];
}

/** A copy of `doc` with only `fields` (absent ones skipped). */
export function pick(doc: object, fields: Iterable<string>): Record<string, unknown> {
  const source = doc as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (source[field] !== undefined) out[field] = clone(source[field]);
  }
  return out;
}

/** `doc` trimmed to `always` plus the requested expansion. */
export function expand(doc: object, always: readonly string[], expansion: Iterable<string>, aliases?: ExpansionAliases): Record<string, unknown> {
  return pick(doc, expandedFields(always, expansion, aliases));
}
