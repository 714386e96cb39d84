/**
 * Metrics of a data view (read only): `GET /data/dataviews/{dataviewId}/metrics[/{metricId}]`.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { opt } from "../schema";
import { COMMON_COMPONENT_EXPANSION, componentFields, stripComponentPrefix } from "./components";
import { collectPages, pageOf } from "./pages";

export const metricSchema = z.looseObject({
  ...componentFields,
  precision: opt(z.number()),
  countType: opt(z.string()),
  formatSetting: opt(z.looseObject({})),
  attributionSetting: opt(z.looseObject({})),
});

export type Metric = z.infer<typeof metricSchema>;

/** Configuration expansions of a metric. */
export const METRIC_EXPANSION = [...COMMON_COMPONENT_EXPANSION, "precision", "countType", "formatSetting", "attributionSetting"];

/**
 * Every metric of a data view with the given expansion: one call per page (the spec declares no
 * page parameters; `page` is sent only when the envelope says more pages follow).
 */
export async function listMetrics(client: AdobeClient, dataViewId: string, opts: { expansion?: string[]; includeHidden?: boolean } = {}): Promise<Metric[]> {
  return collectPages((page) =>
    client.request({
      service: "cja",
      method: "GET",
      path: "/data/dataviews/{dataviewId}/metrics",
      pathParams: { dataviewId: dataViewId },
      query: { expansion: opts.expansion ?? METRIC_EXPANSION, includeType: opts.includeHidden ? "hidden" : undefined, page: page > 0 ? page : undefined },
      schema: pageOf(metricSchema),
    }),
  );
}

/** One metric; `metricId` with or without its `metrics/` prefix. @throws AdobeApiError 404 */
export async function getMetric(client: AdobeClient, dataViewId: string, metricId: string, expansion: string[] = METRIC_EXPANSION): Promise<Metric> {
  return client.request({
    service: "cja",
    method: "GET",
    path: "/data/dataviews/{dataviewId}/metrics/{metricId}",
    pathParams: { dataviewId: dataViewId, metricId: stripComponentPrefix(metricId, "metrics/") },
    query: { expansion },
    schema: metricSchema,
  });
}
