/** Time zone designators of data views (`US/Mountain`, `America/New_York`, `UTC`, ...). */

/** Whether the runtime knows the IANA zone (including links such as `US/Mountain`). */
export function isKnownTimeZone(designator: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: designator });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC in hours at `atMs` (`-6`, `5.5`), as CJA's `currentTimezoneOffset`. */
export function timeZoneOffsetHours(designator: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: designator, timeZoneName: "longOffset" }).formatToParts(new Date(atMs));
  const label = parts.find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(label);
  if (!match) return 0;
  const hours = Number(match[2]) + Number(match[3]) / 60;
  return match[1] === "-" ? -hours : hours;
}
