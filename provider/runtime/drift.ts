/**
 * Adopt-and-verify resources compare what the code declares with what Adobe has, setting by
 * setting. Each difference says what to change in the Adobe UI, since Adobe's API cannot.
 */
import { canonicalJson } from "./resource-handler";

export interface Difference {
  /** The setting, in the resource's terms: `includeExclude.rules`, `datasets["AJO Entity Dataset"].key`. */
  setting: string;
  declared: unknown;
  live: unknown;
  /** What to do in the Adobe UI to make the live value the declared one. */
  fix: string;
}

export class DriftError extends Error {
  constructor(
    message: string,
    readonly differences: Difference[],
  ) {
    super(message);
    this.name = "DriftError";
  }
}

/** Compares one declared setting with the live one; nothing when it is not declared. */
export function compare(setting: string, declared: unknown, live: unknown, fix: string): Difference[] {
  if (declared === undefined) return [];
  return canonicalJson(declared) === canonicalJson(live) ? [] : [{ setting, declared, live, fix }];
}

export function describeDrift(subject: string, differences: Difference[]): string {
  const lines = differences.map(
    (d) => `  - ${d.setting}: declared ${show(d.declared)}, live ${show(d.live)}. ${d.fix}`,
  );
  return `${subject} differs from the code (${differences.length} setting${differences.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

/** `fail`: throws a DriftError listing every difference. `warn`: logs the same and returns. */
export function enforce(subject: string, differences: Difference[], onDrift: "fail" | "warn"): void {
  if (differences.length === 0) return;
  const message = describeDrift(subject, differences);
  if (onDrift === "fail") throw new DriftError(`${message}\nSet onDrift: "warn" to report without failing.`, differences);
  warn(message);
}

/** Warnings go to the provider host's stderr, which the Pulumi CLI shows with the resource. */
export function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

function show(value: unknown): string {
  return value === undefined ? "(not set)" : JSON.stringify(value);
}
