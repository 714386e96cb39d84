/**
 * During `pulumi preview`, inputs that depend on resources not yet created arrive as sentinel
 * strings (the engine has one per type; the Node SDK sends the string one for every Output).
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** True when the value is, or anywhere contains, an unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** True when the value at `path`, or any value on the way to it, is unknown. */
export function isUnknownAt(root: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  let current: unknown = root;
  for (const key of path) {
    if (isUnknown(current)) return true;
    if (current === null || typeof current !== "object") return false;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return containsUnknown(current);
}
