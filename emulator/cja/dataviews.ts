/**
 * Data views: list, create, get, partial update, delete, copy and validate, as Adobe documents
 * them (`/data/dataviews...` in cja.json, the data views guide).
 */
import type { EmuRequest, EmulatorContext, RouteDef } from "../types";
import {
  applyWritableFields,
  completenessProblem,
  dataViewBodySchema,
  dataViewView,
  parseDataViewBody,
  timeZoneProblem,
  writtenFields,
  type DataViewBody,
} from "./dataview-model";
import { parseExpansion } from "./expansion";
import { guarded, invalidParameters, notFound, ok } from "./failure";
import { pageEnvelope, pageRequest, sortItems } from "./paging";
import { cjaState, componentsOf, type CjaOrgState, type StoredDataView } from "./state";
import { clone, csvList, nowIso, requester } from "./wire";

const VALIDATOR_VERSION = "1.0.0";

const DEFAULT_SESSION = [{ numPeriods: 30, granularity: "minute", func: "inactivity", events: [] as string[] }];
const DEFAULT_CONTAINER_NAMES = { event: "Event", session: "Session", people: "Person" };

/** The stored data view `id` of the request's org, or Adobe's 404 with `message`. */
export function existingDataView(state: CjaOrgState, id: string, message = "Unable to find Data View ID"): StoredDataView {
  const dataView = state.dataViews[id];
  if (!dataView) notFound(message);
  return dataView;
}

function bodyOrFail(req: EmuRequest): DataViewBody {
  const parsed = parseDataViewBody(req.body);
  if ("error" in parsed) invalidParameters(parsed.error);
  return parsed.body;
}

function requireParent(state: CjaOrgState, connectionId: string): void {
  if (!state.connections[connectionId]) notFound("Unable to find parentDataGroup");
}

function matchesFilters(dataView: StoredDataView, query: Record<string, string>): boolean {
  const filters: [string | undefined, string | undefined][] = [
    [query.dataViewIds, dataView.id],
    [query.externalIds, dataView.externalData.externalId],
    [query.externalParentIds, dataView.externalData.externalParentId],
  ];
  for (const [raw, value] of filters) {
    const wanted = csvList(raw);
    if (wanted && wanted.length > 0 && (value === undefined || !wanted.includes(value))) return false;
  }
  return !query.parentDataGroupId || dataView.parentDataGroupId === query.parentDataGroupId;
}

function listDataViews(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const paging = pageRequest(req.query);
  const expansion = parseExpansion(req.query);
  const matching = Object.values(state.dataViews).filter((dv) => matchesFilters(dv, req.query));
  const sorted = sortItems(matching, req.query, { id: (dv) => dv.id, modifiedDate: (dv) => dv.modifiedDate }, "id");
  const page = pageEnvelope(sorted, paging);
  return ok({ ...page, content: page.content.map((dv) => dataViewView(dv, expansion, ctx.now())) });
}

function createDataView(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const body = bodyOrFail(req);
  const problem = completenessProblem(body);
  if (problem) invalidParameters(problem);
  requireParent(state, body.parentDataGroupId as string);
  const now = nowIso(ctx);
  const owner = requester(req);
  const dataView: StoredDataView = {
    id: `dv_${ctx.newId(24)}`,
    name: "",
    description: "",
    owner,
    isDeleted: false,
    parentDataGroupId: "",
    segmentList: [],
    timezoneDesignator: "",
    createdDate: now,
    modifiedDate: now,
    modifiedBy: owner.imsUserId,
    organization: req.org,
    curationEnabled: false,
    sessionDefinition: clone(DEFAULT_SESSION),
    externalData: {},
    containerNames: { ...DEFAULT_CONTAINER_NAMES },
  };
  applyWritableFields(dataView, body);
  dataView.externalData = { externalParentId: dataView.parentDataGroupId.replace(/^dg_/, ""), ...dataView.externalData };
  state.dataViews[dataView.id] = dataView;
  componentsOf(state, dataView.id);
  ctx.state.touch();
  return ok(dataViewView(dataView, parseExpansion(req.query), ctx.now(), writtenFields(body)));
}

function getDataView(req: EmuRequest, ctx: EmulatorContext) {
  const dataView = existingDataView(cjaState(ctx, req.org), req.params.dataViewId);
  return ok(dataViewView(dataView, parseExpansion(req.query), ctx.now()));
}

function updateDataView(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const dataView = existingDataView(state, req.params.dataViewId, "Could not find Data View with given dataViewId");
  const body = bodyOrFail(req);
  const problem = timeZoneProblem(body);
  if (problem) invalidParameters(problem);
  if (body.name !== undefined && body.name.trim() === "") invalidParameters("The following fields are required: [name] ");
  if (body.parentDataGroupId !== undefined) requireParent(state, body.parentDataGroupId);
  applyWritableFields(dataView, body);
  dataView.modifiedDate = nowIso(ctx);
  dataView.modifiedBy = requester(req).imsUserId;
  ctx.state.touch();
  return ok(dataViewView(dataView, parseExpansion(req.query), ctx.now(), writtenFields(body)));
}

function deleteDataView(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const dataView = existingDataView(state, req.params.dataViewId, "Could not find Data View with given dataViewId");
  delete state.dataViews[dataView.id];
  delete state.components[dataView.id];
  ctx.state.touch();
  return ok({ result: "success" });
}

function copyDataView(req: EmuRequest, ctx: EmulatorContext) {
  const state = cjaState(ctx, req.org);
  const source = existingDataView(state, req.params.dataViewId);
  const now = nowIso(ctx);
  const owner = requester(req);
  const copy: StoredDataView = {
    ...clone(source),
    id: `dv_${ctx.newId(24)}`,
    name: `${source.name} (Copy)`,
    owner,
    createdDate: now,
    modifiedDate: now,
    modifiedBy: owner.imsUserId,
    // The external id identifies the original; the copy keeps only its connection reference.
    externalData: source.externalData.externalParentId === undefined ? {} : { externalParentId: source.externalData.externalParentId },
  };
  state.dataViews[copy.id] = copy;
  state.components[copy.id] = clone(componentsOf(state, source.id));
  ctx.state.touch();
  return ok({ ...dataViewView(copy, parseExpansion(req.query), ctx.now()), componentType: "dataView" });
}

function validateDataView(req: EmuRequest, ctx: EmulatorContext) {
  const answer = (message?: string) =>
    ok(message === undefined ? { valid: true, validator_version: VALIDATOR_VERSION } : { valid: false, message, validator_version: VALIDATOR_VERSION });
  const parsed = parseDataViewBody(req.body);
  if ("error" in parsed) return answer(parsed.error);
  const problem = completenessProblem(parsed.body);
  if (problem) return answer(problem);
  if (!cjaState(ctx, req.org).connections[parsed.body.parentDataGroupId as string]) return answer("Unable to find parentDataGroup");
  return answer();
}

const route = (method: RouteDef["method"], path: string, handler: RouteDef["handler"], withBody = false): RouteDef => ({
  method,
  path,
  service: "cja",
  spec: "cja",
  ...(withBody ? { body: dataViewBodySchema } : {}),
  handler: guarded(handler),
});

export const dataViewRoutes: RouteDef[] = [
  route("GET", "/data/dataviews", listDataViews),
  route("POST", "/data/dataviews", createDataView, true),
  route("POST", "/data/dataviews/validate", validateDataView),
  route("PUT", "/data/dataviews/copy/:dataViewId", copyDataView),
  route("GET", "/data/dataviews/:dataViewId", getDataView),
  route("PUT", "/data/dataviews/:dataViewId", updateDataView, true),
  route("DELETE", "/data/dataviews/:dataViewId", deleteDataView),
];
