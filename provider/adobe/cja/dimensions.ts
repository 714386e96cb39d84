/**
 * Dimensions of a data view (read only): `GET /data/dataviews/{dataviewId}/dimensions[/{dimensionId}]`.
 */
import { z } from "zod";
import type { AdobeClient } from "../http";
import { opt } from "../schema";
import { COMMON_COMPONENT_EXPANSION, componentFields, stripComponentPrefix } from "./components";
import { collectPages, pageOf } from "./pages";

export const dimensionSchema = z.looseObject({
  ...componentFields,
  bucketingSetting: opt(z.looseObject({})),
  noValueOptionsSetting: opt(z.looseObject({})),
  defaultDimensionSort: opt(z.boolean()),
  persistenceSetting: opt(z.looseObject({})),
});

export type Dimension = z.infer<typeof dimensionSchema>;

/** Configuration expansions of a dimension. */
export const DIMENSION_EXPANSION = [...COMMON_COMPONENT_EXPANSION, "bucketingSetting", "noValueOptionsSetting", "defaultDimensionSort", "persistenceSetting"];

/**
 * Every dimension of a data view with the given expansion: one call per page (the spec declares
 * no page parameters; `page` is sent only when the envelope says more pages follow).
 */
export async function listDimensions(client: AdobeClient, dataViewId: string, opts: { expansion?: string[]; includeHidden?: boolean } = {}): Promise<Dimension[]> {
  return collectPages((page) =>
    client.request({
      service: "cja",
      method: "GET",
      path: "/data/dataviews/{dataviewId}/dimensions",
      pathParams: { dataviewId: dataViewId },
      query: { expansion: opts.expansion ?? DIMENSION_EXPANSION, includeType: opts.includeHidden ? "hidden" : undefined, page: page > 0 ? page : undefined },
      schema: pageOf(dimensionSchema),
    }),
  );
}

/** One dimension; `dimensionId` with or without its `variables/` prefix. @throws AdobeApiError 404 */
export async function getDimension(client: AdobeClient, dataViewId: string, dimensionId: string, expansion: string[] = DIMENSION_EXPANSION): Promise<Dimension> {
  return client.request({
    service: "cja",
    method: "GET",
    path: "/data/dataviews/{dataviewId}/dimensions/{dimensionId}",
    pathParams: { dataviewId: dataViewId, dimensionId: stripComponentPrefix(dimensionId, "variables/") },
    query: { expansion },
    schema: dimensionSchema,
  });
}
