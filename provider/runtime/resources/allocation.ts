/**
 * Adobe writes allocation models in several spellings: the spec's Java-style names
 * (`ALLOCATION_LAST_TOUCH_DIM`, and for persistence also `ALLOCATION_FIRST_TOUCH` and
 * `ALLOCATION_LAST_KNOWN` without `_DIM`) and the wire's `allocation-lastTouch_dim`. All reduce
 * to one key (`lasttouch`), named here in the Data View Manager's words (docs/ADOBE-API.md,
 * "Component settings").
 */
const key = (func: string | undefined) => (func ?? "").toLowerCase().replace(/^allocation/, "").replace(/[^a-z]/g, "");

/** A dimension's persistence: the `_dim` suffix carries no meaning there. */
const PERSISTENCE: Record<string, string> = {
  lasttouch: "most-recent",
  firsttouch: "original",
  participation: "all",
  firstknown: "first-known",
  lastknown: "last-known",
};

const ATTRIBUTION: Record<string, string> = {
  lasttouch: "last-touch",
  firsttouch: "first-touch",
  linear: "linear",
  participation: "participation",
  instance: "same-touch",
  ushaped: "u-shaped",
  jshaped: "j-shaped",
  reversejshaped: "reverse-j",
  timedecay: "time-decay",
  algorithmic: "algorithmic",
};

export function allocationName(func: string | undefined): string {
  return PERSISTENCE[key(func).replace(/dim$/, "")] ?? func ?? "";
}

export function attributionName(func: string | undefined): string {
  return ATTRIBUTION[key(func)] ?? func ?? "";
}

/** `sessions` → `session`, `visitors` → `person` (the reporting window). */
export function contextName(context: string | undefined): string {
  const name = (context ?? "").toLowerCase();
  if (["sessions", "session", "visits", "visit"].includes(name)) return "session";
  if (["visitors", "visitor", "person", "people"].includes(name)) return "person";
  return context ?? "";
}

/** An allocation model's expiration as Adobe's spec and wire write it. */
export interface WireAllocationModel {
  func?: string;
  /** The spec's place for the reporting window. */
  context?: string;
  expiration?: { func?: string; context?: string; numPeriods?: number; granularity?: string; events?: string[] };
}

/**
 * How long a value persists, in the words of a dimension's `persistence.expiration`: `session` or
 * `person` for the reporting window (`expiration.context`, or the spec's `allocationModel.context`,
 * with `expiration.func` absent or `container`); otherwise a description such as
 * `after 30 minute(s) of inactivity`, which no declaration equals, so it shows as drift.
 */
export function expirationName(model: WireAllocationModel | undefined): string {
  const expiration = model?.expiration;
  const func = key(expiration?.func);
  if (func === "" || func === "container") return contextName(expiration?.context ?? model?.context);
  const periods = `${expiration?.numPeriods ?? "?"} ${(expiration?.granularity ?? "period").toLowerCase()}(s)`;
  if (func === "inactivity") return `after ${periods} of inactivity`;
  if (func === "afterevents" || func === "beforeevents") {
    return `${func === "afterevents" ? "after" : "before"} the event(s) ${(expiration?.events ?? []).join(", ")}`;
  }
  return expiration?.func ?? "";
}
