/**
 * Turns Adobe's path templates (written exactly as in the OpenAPI specs, service base path
 * included: `/data/core/ups/export/jobs/{EXPORT_JOB_ID}`) and query objects into URLs.
 */

/** Query values: arrays are sent comma-separated (`style: form, explode: false`); undefined is left out. */
export type QueryValue = string | number | boolean | ReadonlyArray<string | number> | undefined;
export type QueryParams = Record<string, QueryValue>;

/** Replaces each `{name}` with the URL-encoded parameter. Throws when a parameter is missing or empty. */
export function expandPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || String(value) === "") throw new Error(`path ${template}: missing parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=x%2Cy`, or "" when nothing is set. */
export function buildQuery(query: QueryParams = {}): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(",") : String(value);
    if (Array.isArray(value) && value.length === 0) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}
