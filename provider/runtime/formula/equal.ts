import { isJsonObject, numberNodeValue, type JsonObject } from "./json";

/** The keys that carry meaning, per node function; other keys (e.g. `description`) are ignored. */
const SIGNIFICANT_KEYS: Readonly<Record<string, readonly string[]>> = {
  "calc-metric": ["func", "formula", "version", "filters"],
  add: ["func", "col1", "col2"],
  subtract: ["func", "col1", "col2"],
  multiply: ["func", "col1", "col2"],
  divide: ["func", "col1", "col2"],
  metric: ["func", "name"],
  number: ["func", "val"],
};

/**
 * Whether two calculated-metric definitions (or nodes) mean the same: structural equality that
 * ignores key order and the extra keys Adobe may add. For the functions a formula produces only
 * their meaningful keys are compared (`func`, `col1`, `col2`, `name`, `val`, `formula`,
 * `version`, `filters`; an empty `filters` equals none); a number node's value is `val` (or
 * `value`). Nodes of any other function are compared on all keys except `description`.
 * Numbers are compared exactly (`===`), strings case-sensitively.
 */
export function definitionsEqual(a: unknown, b: unknown): boolean {
  return deepEqual(canonical(a), canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isJsonObject(value)) return value;
  const func = value.func;
  const keys =
    typeof func === "string" && Object.hasOwn(SIGNIFICANT_KEYS, func)
      ? SIGNIFICANT_KEYS[func]
      : Object.keys(value).filter((key) => key !== "description" || func === undefined);
  const result: JsonObject = {};
  for (const key of keys) {
    const entry = func === "number" && key === "val" ? numberNodeValue(value) : value[key];
    if (entry === undefined) continue;
    if (key === "filters" && func === "calc-metric" && Array.isArray(entry) && entry.length === 0) continue;
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
