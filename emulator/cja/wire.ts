/** Small conversions between the emulator's state and what CJA puts on the wire. */
import type { EmuRequest, EmulatorContext } from "../types";
import type { CjaOwner } from "./state";

/** CJA's timestamps: ISO-8601 UTC without milliseconds (`2023-09-19T20:32:20Z`). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function nowIso(ctx: EmulatorContext): string {
  return isoSeconds(ctx.now());
}

/** A comma-separated query value as a list (`"a, b,,c"` → `["a","b","c"]`); undefined when absent. */
export function csvList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * The identity a request acts as. The emulator has one technical account per client id, so the
 * requester is derived from `x-api-key` the way Adobe names technical accounts.
 */
export function requester(req: EmuRequest): CjaOwner {
  const clientId = req.headers["x-api-key"] ?? "unknown";
  const id = `${clientId}@techacct.adobe.com`;
  return { imsUserId: id, ownerId: id, type: "imsUser" };
}

/** Adobe answers enums in lower case whatever casing the request used (`INACTIVITY` → `inactivity`). */
export function lowerEnum(value: string): string {
  return value.toLowerCase();
}

/** A uuid string made from the emulator's id source (32 hex digits). */
export function uuidFrom(hex32: string): string {
  return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20, 32)}`;
}

/** Deep copy of a JSON value, so stored documents never share objects with requests or responses. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
