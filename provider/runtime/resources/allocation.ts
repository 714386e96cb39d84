/**
 * Adobe writes allocation models two ways: the spec's Java-style `ALLOCATION_LAST_TOUCH_DIM` and
 * the wire's `allocation-lastTouch_dim`. Both reduce to one key (`lasttouchdim`) named here in the
 * Data View Manager's words.
 */
const key = (func: string | undefined) => (func ?? "").toLowerCase().replace(/^allocation/, "").replace(/[^a-z]/g, "");

const PERSISTENCE: Record<string, string> = {
  lasttouchdim: "most-recent",
  firsttouchdim: "original",
  participationdim: "all",
  firstknowndim: "first-known",
  lastknowndim: "last-known",
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
  return PERSISTENCE[key(func)] ?? func ?? "";
}

export function attributionName(func: string | undefined): string {
  return ATTRIBUTION[key(func)] ?? func ?? "";
}

/** `sessions` → `session`, `visitors` → `person` (the reporting window). */
export function contextName(context: string | undefined): string {
  if (context === "sessions" || context === "session") return "session";
  if (context === "visitors" || context === "person" || context === "people") return "person";
  return context ?? "";
}
