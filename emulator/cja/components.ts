/**
 * Data view components, read only as in Adobe's public API:
 * `GET /data/dataviews/{dataviewId}/dimensions[/{dimensionId}]` and `.../metrics[/{metricId}]`.
 * A component carries `id` and `name` plus the settings named in `expansion`; settings the spec
 * has no expansion for (context labels, behavior, substring) stay in the emulator's state.
 */
import type { EmuRequest, EmulatorContext, RouteDef } from "../types";
import { fullComponentId } from "./component-ids";
import { expand, parseExpansion } from "./expansion";
import { guarded, notFound, ok } from "./failure";
import { pageEnvelope, pageRequest } from "./paging";
import { cjaState, type ComponentKind, type StoredComponent } from "./state";
import { csvList } from "./wire";

const ALWAYS = ["id", "name"] as const;

/** Adobe's expansion names per kind (cja.json); anything else is never put on the wire. */
const EXPANSIONS: Record<ComponentKind, ReadonlySet<string>> = (() => {
  const common = [
    "approved", "favorite", "tags", "usageSummary", "usageSummaryWithRelevancyScore", "description", "sourceFieldId",
    "segmentable", "required", "hideFromReporting", "hidden", "includeExcludeSetting", "fieldDefinition", "storageId",
    "tableName", "dataSetIds", "dataSetType", "type", "schemaPath", "hasData", "sourceFieldName", "schemaType",
    "sourceFieldType", "fromGlobalLookup", "multiValued", "precision",
  ];
  return {
    dimensions: new Set([...common, "bucketingSetting", "noValueOptionsSetting", "defaultDimensionSort", "persistenceSetting"]),
    metrics: new Set([...common, "countType", "formatSetting", "attributionSetting"]),
  };
})();

/** A component on the wire for `expansion`. */
export function componentView(kind: ComponentKind, component: StoredComponent, expansion: Set<string>): Record<string, unknown> {
  return expand(component, ALWAYS, [...expansion].filter((name) => EXPANSIONS[kind].has(name)));
}

function notFoundMessage(kind: ComponentKind): string {
  return `Could not find ${kind} for dataview with given parameters`;
}

function componentsOrFail(kind: ComponentKind, req: EmuRequest, ctx: EmulatorContext): Record<string, StoredComponent> {
  const state = cjaState(ctx, req.org);
  const dataViewId = req.params.dataviewId;
  if (!state.dataViews[dataViewId]) notFound(notFoundMessage(kind));
  return state.components[dataViewId]?.[kind] ?? {};
}

/**
 * The list: hidden components only with `includeType=hidden`, sorted by id. Adobe's spec gives
 * these lists no `limit`/`page`, so without them the page holds every component.
 */
function listComponents(kind: ComponentKind) {
  return (req: EmuRequest, ctx: EmulatorContext) => {
    const includeHidden = (csvList(req.query.includeType) ?? []).includes("hidden");
    const all = Object.values(componentsOrFail(kind, req, ctx))
      .filter((component) => includeHidden || component.hidden !== true)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const paging = pageRequest(req.query, Math.max(all.length, 1));
    const expansion = parseExpansion(req.query);
    const page = pageEnvelope(all, paging);
    return ok({ ...page, content: page.content.map((component) => componentView(kind, component, expansion)) });
  };
}

function getComponent(kind: ComponentKind, idParam: string) {
  return (req: EmuRequest, ctx: EmulatorContext) => {
    const component = componentsOrFail(kind, req, ctx)[fullComponentId(kind, req.params[idParam])];
    if (!component) notFound(notFoundMessage(kind));
    return ok(componentView(kind, component, parseExpansion(req.query)));
  };
}

const route = (path: string, handler: RouteDef["handler"]): RouteDef => ({ method: "GET", path, service: "cja", spec: "cja", handler: guarded(handler) });

export const componentRoutes: RouteDef[] = [
  route("/data/dataviews/:dataviewId/dimensions", listComponents("dimensions")),
  route("/data/dataviews/:dataviewId/dimensions/:dimensionId", getComponent("dimensions", "dimensionId")),
  route("/data/dataviews/:dataviewId/metrics", listComponents("metrics")),
  route("/data/dataviews/:dataviewId/metrics/:metricId", getComponent("metrics", "metricId")),
];
