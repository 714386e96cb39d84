/**
 * Segmentation audiences (`/data/core/ups/audiences`): list with Adobe's filters and
 * `children/_page/_links` paging, and lookup by id. Audiences are seeded through the admin API
 * (the person at the Adobe UI builds them in Segment Builder).
 */
import { segmentationError } from "../errors";
import type { EmuRequest, EmuResponse, RouteDef } from "../types";
import { sandboxDescriptor, sandboxState, type AepSandboxState, type AudienceRecord } from "./state";

const BASE = "/data/core/ups";
const DEFAULT_LIMIT = 20;

/** Adobe's 404 for an unknown audience (UPAPI-113430-404). */
export function audienceNotFound(id: string): EmuResponse {
  return segmentationError(404, "UPAPI-113430-404", `The audience entity ${id} is not found. Use a valid entity and try again.`);
}

/** An audience as Segmentation returns it. */
export function audienceView(req: Pick<EmuRequest, "sandbox">, state: AepSandboxState, audience: AudienceRecord) {
  return { ...audience, sandbox: sandboxDescriptor(req, state) };
}

function readPath(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

function parseStartOrLimit(value: string | undefined, fallback: number): number {
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

function listAudiences(req: EmuRequest, state: AepSandboxState): EmuResponse {
  const start = parseStartOrLimit(req.query.start, 0);
  const limit = Math.max(1, parseStartOrLimit(req.query.limit, DEFAULT_LIMIT));
  let audiences = Object.values(state.audiences).filter((a) => !a.isSystem);
  const { name, description, entityType, property } = req.query;
  if (name) audiences = audiences.filter((a) => a.name.toLowerCase().includes(name.toLowerCase()));
  if (description) audiences = audiences.filter((a) => (a.description ?? "").toLowerCase().includes(description.toLowerCase()));
  if (entityType) audiences = audiences.filter((a) => a.schema.name === entityType);
  if (property) {
    for (const clause of property.split(",")) {
      const idx = clause.indexOf("==");
      if (idx < 0) continue;
      const field = clause.slice(0, idx).trim();
      const value = clause.slice(idx + 2).trim();
      audiences = audiences.filter((a) => String(readPath(a, field)) === value);
    }
  }
  const [sortField, sortDir] = (req.query.sort ?? "creationTime:asc").split(":");
  const sign = sortDir?.toLowerCase() === "desc" ? -1 : 1;
  audiences.sort((a, b) => {
    const x = readPath(a, sortField) as string | number | undefined;
    const y = readPath(b, sortField) as string | number | undefined;
    if (x === y) return a.id < b.id ? -1 : 1;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    return (x < y ? -1 : 1) * sign;
  });
  const totalCount = audiences.length;
  const page = audiences.slice(start, start + limit);
  const next = start + limit < totalCount ? start + limit : undefined;
  return {
    status: 200,
    body: {
      children: page.map((a) => audienceView(req, state, a)),
      _page: {
        totalCount,
        totalPages: Math.ceil(totalCount / limit),
        sortField,
        sort: sign < 0 ? "desc" : "asc",
        pageSize: page.length,
        limit,
        start,
        // A string, as in the list example of Adobe's audiences guide (the spec says integer).
        ...(next === undefined ? {} : { next: String(next) }),
      },
      _links: next === undefined ? {} : { next: { href: `@/audiences?start=${next}&limit=${limit}&totalCount=${totalCount}` } },
    },
  };
}

/** Segmentation audience routes. */
export const audienceRoutes: RouteDef[] = [
  {
    method: "GET",
    path: `${BASE}/audiences`,
    service: "aep",
    spec: "aep-segmentation",
    handler: (req, ctx) => listAudiences(req, sandboxState(req, ctx)),
  },
  {
    method: "GET",
    path: `${BASE}/audiences/:AUDIENCE_ID`,
    service: "aep",
    spec: "aep-segmentation",
    handler: (req, ctx) => {
      const state = sandboxState(req, ctx);
      const audience = state.audiences[req.params.AUDIENCE_ID];
      return audience ? { status: 200, body: audienceView(req, state, audience) } : audienceNotFound(req.params.AUDIENCE_ID);
    },
  },
];
