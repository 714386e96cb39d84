/** A JSON object as parsed from Adobe's responses. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The value of a `number` node: `val`, or `value` as one third-party fixture writes it
 * (Adobe documents neither, see the CJA fact sheet §7.3).
 */
export function numberNodeValue(node: JsonObject): unknown {
  return node.val !== undefined ? node.val : node.value;
}
