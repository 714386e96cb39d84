/**
 * Dimensions and metrics are read per data view, never per component: the first resource that
 * needs a data view's dimensions (or metrics) lists them all with their settings, and every other
 * resource of the same run shares that answer (and the request in flight).
 */
import { listDimensions, type Dimension } from "../adobe/cja/dimensions";
import { listMetrics, type Metric } from "../adobe/cja/metrics";
import { adobeClient } from "./client";

export type ComponentKind = "dimensions" | "metrics";
export type LiveComponent = Dimension | Metric;

const cache = new Map<string, Promise<LiveComponent[]>>();

export function liveComponents(kind: ComponentKind, dataViewId: string): Promise<LiveComponent[]> {
  const client = adobeClient();
  const key = `${client.orgId}|${kind}|${dataViewId}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = kind === "dimensions" ? listDimensions(client, dataViewId, { includeHidden: true }) : listMetrics(client, dataViewId, { includeHidden: true });
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}

/** Forget what was read: the next resource reads Adobe again (a new run of the provider). */
export function clearComponentCache(): void {
  cache.clear();
}
