/**
 * Query Service queries (`/data/foundation/query/queries`). A query is SUBMITTED when created,
 * IN_PROGRESS until `queryDurationMs` has passed, then SUCCESS or FAILED (see query-engine.ts for
 * the one statement the emulator executes); a cancelled query is KILLED and never runs.
 */
import { z } from "zod";
import { platformError } from "../errors";
import type { EmuRequest, EmuResponse, EmulatorContext, RouteDef } from "../types";
import { settleSandbox } from "./settle";
import { clientOf, newUuid, sandboxState, type QueryRecord, type QueryState } from "./state";

const BASE = "/data/foundation/query";
const DEFAULT_LIST_LIMIT = 20;

/** The project's own check of a create body: the emulator has no query templates, so `sql` is required. */
export const createQueryBody = z
  .object({
    dbName: z.string().optional(),
    sql: z.string().min(1, "sql is required"),
    name: z.string().optional(),
    description: z.string().optional(),
    queryParameters: z.record(z.string(), z.string()).optional(),
  })
  .loose();

export const patchQueryBody = z.object({ op: z.enum(["cancel", "soft_delete"]) }).loose();

function queryNotFound(id: string): EmuResponse {
  return platformError(404, "NotFoundError", `Query ${id} not found.`);
}

function origin(req: EmuRequest): string {
  return req.headers.host ? `http://${req.headers.host}` : "";
}

function stateOf(query: QueryRecord, now: number): { state: QueryState; updated: number } {
  if (query.killedAt !== undefined) return { state: "KILLED", updated: query.killedAt };
  if (query.outcome) return { state: query.outcome.state, updated: query.outcome.at };
  return now > query.created ? { state: "IN_PROGRESS", updated: query.created } : { state: "SUBMITTED", updated: query.created };
}

/** A query as Query Service returns it. */
function queryView(req: EmuRequest, query: QueryRecord, now: number, forced?: QueryState): Record<string, unknown> {
  const { state, updated } = forced ? { state: forced, updated: query.created } : stateOf(query, now);
  const self = `${origin(req)}${BASE}/queries/${query.id}`;
  const sql = String(query.request.sql ?? "");
  const end = query.outcome?.at ?? query.killedAt ?? now;
  return {
    id: query.id,
    request: query.request,
    isCTAS: false,
    isInsertInto: /^\s*INSERT\s+INTO\b/i.test(sql),
    state,
    rowCount: query.outcome?.rowCount ?? 0,
    errors: query.outcome?.errors ?? [],
    elapsedTime: Math.max(0, end - query.created),
    created: new Date(query.created).toISOString(),
    updated: new Date(updated).toISOString(),
    client: query.client,
    userId: query.userId,
    version: 1,
    _links: {
      self: { href: self, method: "GET" },
      soft_delete: { href: self, method: "PATCH", body: '{ "op": "soft_delete"}' },
      cancel: { href: self, method: "PATCH", body: '{ "op": "cancel"}' },
      referenced_datasets: (query.outcome?.referencedDatasets ?? []).map((id) => ({
        id,
        href: `${origin(req)}/data/foundation/catalog/dataSets/${id}`,
      })),
    },
  };
}

function createQuery(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const body = createQueryBody.parse(req.body);
  const state = sandboxState(req, ctx);
  const now = settleSandbox(state, ctx);
  const query: QueryRecord = {
    id: newUuid(ctx),
    request: body,
    userId: `${clientOf(req)}@AdobeID`,
    client: "API",
    created: now,
    durationMs: ctx.options.queryDurationMs,
    softDeleted: false,
  };
  state.queries[query.id] = query;
  ctx.state.touch();
  return { status: 202, body: queryView(req, query, query.created, "SUBMITTED") };
}

/** `orderby` is `created` or `updated`, `+` (ascending) or `-` (descending, the default). */
function listQueries(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const state = sandboxState(req, ctx);
  const now = settleSandbox(state, ctx);
  const orderby = req.query.orderby ?? "-created";
  const m = /^([+-]?)(created|updated)$/.exec(orderby.replace(/^ /, "+"));
  if (!m) return platformError(400, "BadRequestError", `Invalid orderby '${orderby}': use created or updated with a + or - prefix.`);
  const sign = m[1] === "+" ? 1 : -1;
  const field = m[2] as "created" | "updated";
  const limitParam = Number(req.query.limit);
  const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : DEFAULT_LIST_LIMIT;
  const keyOf = (q: QueryRecord) => (field === "created" ? q.created : stateOf(q, now).updated);
  let queries = Object.values(state.queries).filter((q) => !(q.softDeleted && req.query.excludeSoftDeleted !== "false"));
  queries.sort((a, b) => (keyOf(a) - keyOf(b)) * sign || (a.id < b.id ? -sign : sign));
  if (req.query.start) {
    const start = Date.parse(req.query.start);
    if (Number.isNaN(start)) return platformError(400, "BadRequestError", `Invalid start '${req.query.start}': expected a timestamp.`);
    queries = queries.filter((q) => (sign < 0 ? keyOf(q) <= start : keyOf(q) >= start));
  }
  const page = queries.slice(0, limit);
  const next = queries[limit];
  const iso = (t: number) => new Date(t).toISOString();
  const sortParam = encodeURIComponent(`${sign < 0 ? "-" : "+"}${field}`);
  return {
    status: 200,
    body: {
      queries: page.map((q) => queryView(req, q, now)),
      _page: {
        orderby: `${sign < 0 ? "-" : "+"}${field}`,
        ...(page[0] ? { start: iso(keyOf(page[0])) } : {}),
        ...(next ? { next: iso(keyOf(next)) } : {}),
        count: page.length,
      },
      _links: next ? { next: { href: `${origin(req)}${BASE}/queries?orderby=${sortParam}&start=${iso(keyOf(next))}` } } : {},
      version: 1,
    },
  };
}

function patchQuery(req: EmuRequest, ctx: EmulatorContext): EmuResponse {
  const { op } = patchQueryBody.parse(req.body);
  const state = sandboxState(req, ctx);
  const now = settleSandbox(state, ctx);
  const query = state.queries[req.params.queryid];
  if (!query) return queryNotFound(req.params.queryid);
  if (op === "soft_delete") {
    query.softDeleted = true;
    ctx.state.touch();
    return { status: 202, body: { message: "Query soft delete request received", statusCode: 202 } };
  }
  if (query.outcome || query.killedAt !== undefined) {
    return platformError(409, "ConflictError", "Query termination request failed because the job might already have terminated");
  }
  query.killedAt = now;
  ctx.state.touch();
  return { status: 202, body: { message: "Query cancel request received", statusCode: 202 } };
}

/** Query Service routes. */
export const queryServiceRoutes: RouteDef[] = [
  { method: "POST", path: `${BASE}/queries`, service: "aep", spec: "aep-query-service", body: createQueryBody, handler: createQuery },
  { method: "GET", path: `${BASE}/queries`, service: "aep", spec: "aep-query-service", handler: listQueries },
  {
    method: "GET",
    path: `${BASE}/queries/:queryid`,
    service: "aep",
    spec: "aep-query-service",
    handler: (req, ctx) => {
      const state = sandboxState(req, ctx);
      const now = settleSandbox(state, ctx);
      const query = state.queries[req.params.queryid];
      return query ? { status: 200, body: queryView(req, query, now) } : queryNotFound(req.params.queryid);
    },
  },
  { method: "PATCH", path: `${BASE}/queries/:queryid`, service: "aep", spec: "aep-query-service", body: patchQueryBody, handler: patchQuery },
];
