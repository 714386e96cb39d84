/**
 * `GET /data/connections` and `GET /data/connections/{connectionId}`: read only, as in Adobe's
 * public API (connections are configured in the UI; the emulator's admin routes play that part).
 */
import type { EmuRequest, EmulatorContext, RouteDef } from "../types";
import { expand, parseExpansion, type ExpansionAliases } from "./expansion";
import { guarded, notFound, ok } from "./failure";
import { pageEnvelope, pageRequest, sortItems } from "./paging";
import { cjaState, type StoredConnection } from "./state";
import { csvList } from "./wire";

const ALWAYS = ["id"] as const;

const ALIASES: ExpansionAliases = {
  modified: ["modifiedDate", "modifiedBy"],
  validationErrors: ["connectionValidationErrors"],
  backfillsSummaryConnection: ["backfillSummary"],
  ownerFullName: ["owner"],
};

/** A connection as the wire carries it for `expansion`; dataset schemas only with `schemaInfo`. */
export function connectionView(connection: StoredConnection, expansion: Set<string>): Record<string, unknown> {
  const view = expand(connection, ALWAYS, expansion, ALIASES);
  if (Array.isArray(view.dataSets) && !expansion.has("schemaInfo")) {
    view.dataSets = (view.dataSets as Record<string, unknown>[]).map(({ schemaInfo: _schema, ...rest }) => rest);
  }
  return view;
}

function matchesFilters(connection: StoredConnection, query: Record<string, string>): boolean {
  const ids = csvList(query.connectionIds);
  if (ids && ids.length > 0 && !ids.includes(connection.id)) return false;
  const dataSetIds = csvList(query.dataSetIds);
  if (dataSetIds && dataSetIds.length > 0 && !connection.dataSets.some((ds) => dataSetIds.includes(ds.dataSetId))) return false;
  if (query.sandboxName && connection.sandboxName !== query.sandboxName) return false;
  if (query.sandboxId && connection.sandboxId !== query.sandboxId) return false;
  if (query.filterByModifiedAfter && connection.modifiedDate <= query.filterByModifiedAfter) return false;
  return true;
}

function listConnections(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const paging = pageRequest(req.query);
  const expansion = parseExpansion(req.query);
  const matching = Object.values(state.connections).filter((c) => matchesFilters(c, req.query));
  const sorted = sortItems(matching, req.query, { id: (c) => c.id, modifiedDate: (c) => c.modifiedDate }, "id");
  const page = pageEnvelope(sorted, paging);
  return ok({ ...page, content: page.content.map((c) => connectionView(c, expansion)) });
}

function getConnection(req: EmuRequest, ctx: EmulatorContext) {
  const connection = cjaState(ctx, req.org).connections[req.params.connectionId];
  if (!connection) notFound("resource_not_found - could not find connection with given parameters");
  return ok(connectionView(connection, parseExpansion(req.query)));
}

export const connectionRoutes: RouteDef[] = [
  { method: "GET", path: "/data/connections", service: "cja", spec: "cja", handler: guarded(listConnections) },
  { method: "GET", path: "/data/connections/:connectionId", service: "cja", spec: "cja", handler: guarded(getConnection) },
];
