/**
 * Dimensions and metrics are read per data view, never per component: the first resource that
 * needs a data view's dimensions (or metrics) lists them all with their settings, and every other
 * resource of the same run shares that answer (and the request in flight). A template data view
 * read by a check is shared the same way with the copy that follows it, and so is the list of a
 * data view's calculated metrics that their creates search for their ownership keys.
 */
import { listCalculatedMetrics, type CalculatedMetric } from "../adobe/cja/calculated-metrics";
import { listDateRanges, type DateRange } from "../adobe/cja/date-ranges";
import { listSegments, type Segment } from "../adobe/cja/segments";
import { getDataView, listDataViews, type DataView } from "../adobe/cja/dataviews";
import { listDimensions, type Dimension } from "../adobe/cja/dimensions";
import { listMetrics, type Metric } from "../adobe/cja/metrics";
import { adobeClient } from "./client";
import { clearRunCache, remember, shared } from "./run-cache";

export type ComponentKind = "dimensions" | "metrics";
export type LiveComponent = Dimension | Metric;

/** How a component id of each kind starts: `variables/…` dimensions, `metrics/…` metrics. */
export const COMPONENT_PREFIX: Record<ComponentKind, string> = { dimensions: "variables/", metrics: "metrics/" };

/** The kind of a component id, or undefined when it is no data view component's. */
export function componentKindOf(id: string): ComponentKind | undefined {
  return (Object.keys(COMPONENT_PREFIX) as ComponentKind[]).find((kind) => id.startsWith(COMPONENT_PREFIX[kind]));
}

/** The schema field a component reads. */
export function schemaPathOf(c: LiveComponent): string | undefined {
  return c.sourceFieldId ?? c.schemaPath ?? undefined;
}

/** A data view's components of one kind, with lookups by id and by schema field. */
export interface ComponentIndex {
  all: LiveComponent[];
  byId: Map<string, LiveComponent>;
  bySchemaPath: Map<string, LiveComponent[]>;
}

function indexed(all: LiveComponent[]): ComponentIndex {
  const byId = new Map(all.map((c) => [c.id, c] as const));
  const bySchemaPath = new Map<string, LiveComponent[]>();
  for (const c of all) {
    const field = schemaPathOf(c);
    if (field === undefined) continue;
    const same = bySchemaPath.get(field);
    if (same) same.push(c);
    else bySchemaPath.set(field, [c]);
  }
  return { all, byId, bySchemaPath };
}

export function liveComponents(kind: ComponentKind, dataViewId: string): Promise<ComponentIndex> {
  const client = adobeClient();
  return shared(`${client.orgId}|${kind}|${dataViewId}`, async () =>
    indexed(kind === "dimensions" ? await listDimensions(client, dataViewId, { includeHidden: true }) : await listMetrics(client, dataViewId, { includeHidden: true })),
  );
}

/**
 * A connection's data views as they were when this run first asked (one list per connection and
 * run): where each copy looks for what an earlier run made, and where a template on the
 * connection is found without a request of its own.
 */
export function connectionDataViewsBefore(connectionId: string): Promise<DataView[]> {
  const client = adobeClient();
  return shared(`${client.orgId}|connectionDataViews|${connectionId}`, () => listDataViews(client, { parentDataGroupId: connectionId }));
}

/**
 * A template data view (`copyFrom`), read once per run: found in the list of the connection it is
 * declared on, else read by id (it is on another connection, or does not exist: a 404).
 */
export function templateDataView(dataViewId: string, connectionId?: string): Promise<DataView> {
  const client = adobeClient();
  return shared(`${client.orgId}|template|${dataViewId}`, async () => {
    const listed = connectionId === undefined ? undefined : (await connectionDataViewsBefore(connectionId)).find((dv) => dv.id === dataViewId);
    return listed ?? getDataView(client, dataViewId);
  });
}

/**
 * Records that this run made the data view (a new copy or a new data view, not one adopted): it
 * holds no calculated metric or filter of an earlier run, so none needs a list to find one.
 */
export function madeThisRun(dataViewId: string): void {
  const org = adobeClient().orgId;
  remember(`${org}|calculatedMetrics|${dataViewId}`, []);
  remember(`${org}|filters|${dataViewId}`, []);
}

/**
 * The calculated metrics of a data view as they were when this run first asked. Only for finding
 * what an earlier run made: a metric this run creates is not in it.
 */
export function calculatedMetricsBefore(dataViewId: string): Promise<CalculatedMetric[]> {
  const client = adobeClient();
  return shared(`${client.orgId}|calculatedMetrics|${dataViewId}`, () => listCalculatedMetrics(client, { dataIds: [dataViewId] }));
}

/**
 * The calculated metrics this credential owns, as they were when this run first asked: one list
 * per run (Adobe's list without `includeType` holds what the caller owns, the metrics of every
 * stack run with this credential), where a refresh finds each metric the provider made.
 */
export function ownCalculatedMetricsBefore(): Promise<CalculatedMetric[]> {
  const client = adobeClient();
  return shared(`${client.orgId}|${client.clientId}|ownCalculatedMetrics`, () => listCalculatedMetrics(client));
}

/** The filters (segments) of a data view as they were when this run first asked; as {@link calculatedMetricsBefore}. */
export function filtersBefore(dataViewId: string): Promise<Segment[]> {
  const client = adobeClient();
  return shared(`${client.orgId}|filters|${dataViewId}`, () => listSegments(client, { dataIds: [dataViewId] }));
}

/** The credential's date ranges as they were when this run first asked; as {@link calculatedMetricsBefore}. */
export function dateRangesBefore(): Promise<DateRange[]> {
  const client = adobeClient();
  return shared(`${client.orgId}|dateRanges`, () => listDateRanges(client));
}

/** Forget what was read: the next resource reads Adobe again (a new run of the provider). */
export const clearComponentCache = clearRunCache;
