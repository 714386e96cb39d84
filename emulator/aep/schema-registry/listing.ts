/**
 * Lists of the registry: `property` filters, `orderby`, `start`, `limit` and the `_page`/`_links`
 * body. Paging (`orderby`, `start` = value of the primary sort field, `limit`, `property` with
 * `== != < > <= >=` or a bare name): AdobeDocs/experience-platform.en `help/xdm/api/appendix.md`;
 * at most 300 results per call: `help/xdm/api/field-groups.md`.
 */
import type { EmuRequest, EmuResponse, EmulatorContext } from "../../types";
import type { XdmResource } from "../xdm";
import { BASE, invalid } from "./common";

const MAX_RESULTS = 300;

function attribute(resource: Record<string, unknown>, field: string): unknown {
  if (field === "updated") return (resource["meta:registryMetadata"] as Record<string, unknown> | undefined)?.["repo:lastModifiedDate"];
  if (field === "created") return (resource["meta:registryMetadata"] as Record<string, unknown> | undefined)?.["repo:createdDate"];
  return resource[field];
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a ?? "").localeCompare(String(b ?? ""));
}

/** One `property=` expression; array attributes match when one element does. */
function matchesProperty(resource: Record<string, unknown>, expression: string): boolean {
  const m = /^(.+?)(==|!=|<=|>=|<|>)(.*)$/.exec(expression.trim());
  if (!m) return attribute(resource, expression.trim()) !== undefined;
  const [, field, op, operand] = m;
  const value = attribute(resource, field.trim());
  if (value === undefined) return op === "!=";
  const values = Array.isArray(value) ? value : [value];
  const test = (v: unknown): boolean => {
    const numeric = typeof v === "number" && operand.trim() !== "" && !Number.isNaN(Number(operand));
    const c = numeric ? (v as number) - Number(operand) : compareValues(String(v), operand);
    switch (op) {
      case "==":
        return String(v) === operand;
      case "!=":
        return String(v) !== operand;
      case "<":
        return c < 0;
      case ">":
        return c > 0;
      case "<=":
        return c <= 0;
      default:
        return c >= 0;
    }
  };
  return op === "!=" ? values.every(test) : values.some(test);
}

/**
 * `property=a==1,b==2`: comma-separated expressions, all must hold. A comma starts a new
 * expression only when an operator follows, so `title==Audiences, CJA` stays one expression.
 * (A repeated `property` parameter reaches the handler as its last value only.)
 */
function splitExpressions(property: string): string[] {
  const parts = property.split(",");
  const expressions: string[] = [];
  for (const part of parts) {
    if (expressions.length > 0 && !/(==|!=|<=|>=|<|>)/.test(part)) expressions[expressions.length - 1] += `,${part}`;
    else expressions.push(part);
  }
  return expressions.map((e) => e.trim()).filter((e) => e !== "");
}

export function filterByProperty<T extends Record<string, unknown>>(items: T[], property: string | undefined): T[] {
  if (!property) return items;
  const expressions = splitExpressions(property);
  return items.filter((item) => expressions.every((e) => matchesProperty(item, e)));
}

export interface Page<T> {
  results: T[];
  orderby: string;
  next: string | null;
}

export function paginate<T extends Record<string, unknown>>(req: EmuRequest, ctx: EmulatorContext, items: T[]): Page<T> | EmuResponse {
  const orderby = req.query.orderby || "updated";
  const keys = orderby.split(",").map((k) => k.trim()).filter((k) => k !== "").map((k) => (k.startsWith("-") ? { field: k.slice(1), sign: -1 } : { field: k.replace(/^\+/, ""), sign: 1 }));
  const sorted = [...items].sort((a, b) => {
    for (const { field, sign } of keys) {
      const c = compareValues(attribute(a, field), attribute(b, field));
      if (c !== 0) return c * sign;
    }
    return 0;
  });
  let limit = MAX_RESULTS;
  if (req.query.limit !== undefined && req.query.limit !== "") {
    const n = Number(req.query.limit);
    if (!Number.isInteger(n) || n < 0 || n > 500) return invalid(ctx, `query.limit must be an integer between 0 and 500 (got '${req.query.limit}').`);
    limit = Math.min(n, MAX_RESULTS);
  }
  const primary = keys[0];
  let remaining = sorted;
  if (req.query.start !== undefined && req.query.start !== "" && primary) {
    const start = req.query.start;
    remaining = sorted.filter((item) => {
      const value = attribute(item, primary.field);
      const c = typeof value === "number" && !Number.isNaN(Number(start)) ? value - Number(start) : compareValues(value, start);
      return primary.sign > 0 ? c > 0 : c < 0;
    });
  }
  const results = remaining.slice(0, limit);
  const last = results[results.length - 1];
  const next = remaining.length > results.length && last && primary ? String(attribute(last, primary.field) ?? "") : null;
  return { results, orderby, next };
}

/** The `_page` block of a list body. */
export function pageInfo(page: Page<unknown>): { orderby: string; next: string | null; count: number } {
  return { orderby: page.orderby, next: page.next, count: page.results.length };
}

function origin(req: EmuRequest): string {
  return req.headers.host ? `http://${req.headers.host}` : "https://platform.adobe.io";
}

export function listResponse(req: EmuRequest, page: Page<Record<string, unknown>>, container: string, kind: string): EmuResponse {
  const nextHref = page.next === null ? null : `${origin(req)}${BASE}/${container}/${kind}?orderby=${encodeURIComponent(page.orderby)}&start=${encodeURIComponent(page.next)}`;
  return {
    status: 200,
    body: {
      results: page.results,
      _page: pageInfo(page),
      _links: { next: nextHref, global_schemas: { href: `${origin(req)}${BASE}/global/${kind}` } },
    },
  };
}

/** A resource in the `xed-id` list form. */
export function summary(resource: XdmResource): Record<string, unknown> {
  return { $id: resource.$id, "meta:altId": resource["meta:altId"], version: resource.version, title: resource.title };
}
