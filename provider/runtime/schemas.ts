/** zod building blocks shared by the resources' input schemas. */
import { z } from "zod";
import { isUnknown } from "./unknowns";

/** A string with at least one non-blank character. */
export const nonEmpty = z.string().trim().min(1, "must not be empty");

/**
 * The name of an object in Adobe: not empty, at most 255 characters, no control characters (our
 * bound: Adobe documents none, and the UI shows a name on one line).
 */
export const objectName = nonEmpty.max(255, "must be at most 255 characters").refine((name) => !/[\u0000-\u001f\u007f]/.test(name), {
  message: "must not contain control characters (line breaks, tabs, ...)",
});

/**
 * An IANA time zone spelt as the time zone database spells it (`US/Mountain`, `Europe/London`,
 * `UTC`), as CJA's `timezoneDesignator` takes. Node 22 and newer also know UTC offsets (`+05:00`)
 * and any casing (`utc`): neither is a zone name, so both are refused here.
 */
export const timeZone = nonEmpty.superRefine((designator, ctx) => {
  const problem = timeZoneProblem(designator);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

function timeZoneProblem(designator: string): string | undefined {
  if (designator === "" || isUnknown(designator)) return undefined;
  if (/^((UTC|GMT)\s*)?[+\-\u2212]\d|^\d/i.test(designator)) {
    return `${quoted(designator)} is a UTC offset; give an IANA time zone name instead (e.g. America/New_York, or Etc/GMT-5 for a fixed UTC+5)`;
  }
  if (!isKnownTimeZone(designator)) return "is not an IANA time zone (e.g. US/Mountain, Europe/London, UTC)";
  // Every name in the database starts each part with a capital letter: `UTC`, `America/Port-au-Prince`.
  if (!designator.split("/").every((part) => /^[A-Z]/.test(part))) {
    return `${quoted(designator)} is not spelt as the IANA time zone database spells it (each part starts with a capital letter, e.g. UTC, US/Mountain)`;
  }
  return undefined;
}

function isKnownTimeZone(designator: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: designator });
    return true;
  } catch {
    return false;
  }
}

/** Our bound on every id (Adobe documents none; its ids are under 50 characters). */
export const MAX_ID_LENGTH = 255;

/** A value in a message: quoted, and cut short when it is long. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/**
 * An id of one of Adobe's formats (docs/ADOBE-API.md lists them with their sources). The reason
 * names the format: `"abc" is not a data view id: a data view id is dv_ followed by ...`. An
 * unknown value (preview) passes; an empty one fails as empty only.
 */
export function adobeId(noun: string, pattern: RegExp, expected: string) {
  return nonEmpty.superRefine((id, ctx) => {
    if (id === "" || isUnknown(id) || (id.length <= MAX_ID_LENGTH && pattern.test(id))) return;
    const length = id.length > MAX_ID_LENGTH ? ` (${id.length} characters)` : "";
    ctx.addIssue({ code: "custom", message: `${quoted(id)}${length} is not ${article(noun)} ${noun}: ${article(noun)} ${noun} is ${expected}` });
  });
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? "an" : "a";
}

const UUID = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}";

/** A CJA data view id: `dv_62ba17d5a5d7845496f5fb4d`. */
export const dataViewId = adobeId("data view id", /^dv_[A-Za-z0-9]+$/, `dv_ followed by letters and digits, at most ${MAX_ID_LENGTH} characters (e.g. dv_62ba17d5a5d7845496f5fb4d)`);

/** A CJA connection ("data group") id: `dg_b008fd39-2437-4d00-88fd-392437...`. */
export const connectionId = adobeId(
  "connection id",
  /^dg_[A-Za-z0-9_-]+$/,
  `dg_ followed by letters, digits and hyphens (a UUID), at most ${MAX_ID_LENGTH} characters (e.g. dg_b008fd39-2437-4d00-88fd-392437...)`,
);

/** An AEP Catalog dataset id: 24 hex digits, `67b3077efa10d92ab7a71858`. */
export const datasetId = adobeId("dataset id", /^[0-9A-Fa-f]{24}$/, "24 hex digits (e.g. 67b3077efa10d92ab7a71858)");

/** A dataset id as a CJA connection lists it: only its characters are checked (CJA's spec gives `dataSetId` no format). */
export const connectionDatasetId = adobeId(
  "dataset id",
  /^[A-Za-z0-9_-]+$/,
  `made of letters, digits, _ and -, at most ${MAX_ID_LENGTH} characters (AEP's are 24 hex digits, e.g. 67b3077efa10d92ab7a71858)`,
);

/** An AEP audience (segment definition) id: a UUID, `60ccea95-1435-4180-97a5-58af4aa285ab`. */
export const audienceId = adobeId("audience id", new RegExp(`^${UUID}$`), "a UUID (e.g. 60ccea95-1435-4180-97a5-58af4aa285ab)");

/** An AEP merge policy id: a UUID or a named policy (`timestampOrdered-none-mp`). */
export const mergePolicyId = adobeId(
  "merge policy id",
  /^[A-Za-z0-9_-]+$/,
  `made of letters, digits, _ and - (a UUID like 5ed35fd8-6eeb-4ad2-bed9-43e695b8ac0b, or a name like timestampOrdered-none-mp), at most ${MAX_ID_LENGTH} characters`,
);

/**
 * Why `id` (written with or without `prefix`) is no component id of its kind, or undefined: after
 * `variables/` or `metrics/` comes anything but spaces and control characters (schema paths,
 * `daterangeday`, lookup fields prefixed with their dataset id), at most {@link MAX_ID_LENGTH} in all.
 */
export function componentIdProblem(noun: "dimension" | "metric", prefix: string, example: string, id: string): string | undefined {
  const full = id.startsWith(prefix) ? id : `${prefix}${id}`;
  if (full.length <= MAX_ID_LENGTH && /^[^\s\u0000-\u001f\u007f]+$/.test(full.slice(prefix.length))) return undefined;
  return `${quoted(id)} is not a ${noun} id: a ${noun} id is ${prefix} followed by a name without spaces or control characters, at most ${MAX_ID_LENGTH} characters (e.g. ${example})`;
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

/** Values whose change runs the job again (`triggers`): strings, numbers or booleans. */
export const triggers = z.array(z.union([z.string(), z.number(), z.boolean()], { error: "must be a string, a number or a boolean" })).optional();

/** Seconds between two status reads of a job Adobe runs: 0.1 s to 1 h (Adobe's jobs take minutes; more often only spends requests). */
export function pollIntervalSeconds(fallback: number) {
  return z.number().min(0.1, "must be at least 0.1 seconds").max(3600, "must be at most 3600 seconds (one hour)").default(fallback);
}

/** Seconds to wait for a job Adobe runs: 0.1 s to 24 h, so every wait stays within Node's timers. */
export function timeoutSeconds(fallback: number) {
  return z.number().min(0.1, "must be at least 0.1 seconds").max(86400, "must be at most 86400 seconds (24 hours)").default(fallback);
}
