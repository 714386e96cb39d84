import { CALLABLE, FUNC_OPERATORS } from "./functions";
import { isJsonObject, numberNodeValue, type JsonObject } from "./json";

/** The keys that carry meaning, per structural node; functions use their parameter keys. */
const STRUCTURAL_KEYS: Readonly<Record<string, readonly string[]>> = {
  "calc-metric": ["func", "formula", "version", "filters"],
  metric: ["func", "name"],
  "segment-ref": ["func", "id"],
};

/**
 * Whether two calculated-metric definitions (or nodes) mean the same: structural equality that
 * ignores key order, labels (`description`) and the keys Adobe may add. Known functions are
 * compared on their parameter keys; a constant is the same as a bare number or as
 * `{ func: "number", val }` (or `value`); an empty `filters` equals none, and filters on the root
 * equal the same filters on a nested `calc-metric` that wraps the whole formula. Nodes of any
 * other function are compared on all keys except `description`. Numbers are compared exactly
 * (`===`), strings case-sensitively.
 */
export function definitionsEqual(a: unknown, b: unknown): boolean {
  return deepEqual(canonical(rootFiltersNested(a)), canonical(rootFiltersNested(b)));
}

/** `{calc-metric, formula: x, filters: F}` at the root → `{calc-metric, formula: {calc-metric, formula: x, filters: F}}`. */
function rootFiltersNested(root: unknown): unknown {
  if (!isJsonObject(root) || root.func !== "calc-metric" || !Array.isArray(root.filters) || root.filters.length === 0) return root;
  const { filters, formula, version, ...rest } = root;
  return { ...rest, func: "calc-metric", version, formula: { func: "calc-metric", formula, version, filters } };
}

function keysOf(node: JsonObject): readonly string[] {
  const func = node.func;
  if (typeof func !== "string") return Object.keys(node);
  if (Object.hasOwn(STRUCTURAL_KEYS, func)) return STRUCTURAL_KEYS[func];
  if (Object.hasOwn(FUNC_OPERATORS, func)) return ["func", "col1", "col2"];
  const fn = CALLABLE.get(func);
  if (fn) return ["func", ...fn.parameters.map((p) => p.key)];
  return Object.keys(node).filter((key) => key !== "description");
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isJsonObject(value)) return value;
  if (value.func === "number") return numberNodeValue(value);
  const result: JsonObject = {};
  for (const key of keysOf(value)) {
    const entry = value[key];
    if (entry === undefined) continue;
    if (key === "filters" && value.func === "calc-metric" && Array.isArray(entry) && entry.length === 0) continue;
    result[key] = canonical(entry);
  }
  return result;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isJsonObject(a) || isJsonObject(b)) {
    if (!isJsonObject(a) || !isJsonObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return a === b;
}
