/** A JSON object as parsed from Adobe's responses. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The value of a `{ func: "number" }` node: `val` (what release 0.1.0 wrote; Adobe writes
 * constants as bare numbers), or `value` as one third-party fixture writes it.
 */
export function numberNodeValue(node: JsonObject): unknown {
  return node.val !== undefined ? node.val : node.value;
}
