/** zod building blocks shared by the resources' input schemas. */
import { z } from "zod";

/** A string with at least one non-blank character. */
export const nonEmpty = z.string().trim().min(1, "must not be empty");

/**
 * The name of an object in Adobe: not empty, at most 255 characters, no control characters (our
 * bound: Adobe documents none, and the UI shows a name on one line).
 */
export const objectName = nonEmpty.max(255, "must be at most 255 characters").refine((name) => !/[\u0000-\u001f\u007f]/.test(name), {
  message: "must not contain control characters (line breaks, tabs, ...)",
});

/** An IANA time zone the runtime knows (`US/Mountain`, `Europe/London`, `UTC`), as CJA's `timezoneDesignator` takes. */
export const timeZone = nonEmpty.refine(isIanaTimeZone, { message: "is not an IANA time zone (e.g. US/Mountain, Europe/London, UTC)" });

function isIanaTimeZone(designator: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: designator });
    return true;
  } catch {
    return false;
  }
}

/** An enum written in upper case that also accepts Adobe's lower-case answers (`inactivity` → `INACTIVITY`). */
export function upperEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(values));
}

/** An enum written in lower case that also accepts Adobe's upper-case spellings (`DECIMAL` → `decimal`). */
export function lowerEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(values));
}

/** `fail` stops the update on drift; `warn` logs it and goes on. */
export const onDrift = z.enum(["fail", "warn"]).default("fail");

/** Audience membership statuses to export or keep; `exited` is refused, as Adobe's audiences guide says. */
export const membershipStatuses = z
  .array(
    z.string().refine((s) => s !== "exited", { message: "exited members have left the audience; export realized and existing members only" }).pipe(z.enum(["realized", "existing"])),
  )
  .min(1, "give at least one status")
  .default(["realized", "existing"]);

/** Seconds between two status reads of a job Adobe runs: 0.1 s to 1 h (Adobe's jobs take minutes; more often only spends requests). */
export function pollIntervalSeconds(fallback: number) {
  return z.number().min(0.1, "must be at least 0.1 seconds").max(3600, "must be at most 3600 seconds (one hour)").default(fallback);
}

/** Seconds to wait for a job Adobe runs: 0.1 s to 24 h, so every wait stays within Node's timers. */
export function timeoutSeconds(fallback: number) {
  return z.number().min(0.1, "must be at least 0.1 seconds").max(86400, "must be at most 86400 seconds (24 hours)").default(fallback);
}
