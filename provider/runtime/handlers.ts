import type * as pulumi from "@pulumi/pulumi";
import { readArrived } from "./batched-reads";
import { configure } from "./client";
import type { ResourceHandler } from "./resource-handler";
import { audienceExportJobHandler } from "./resources/audience-export-job";
import { audienceMembershipTransformHandler } from "./resources/audience-membership-transform";
import { calculatedMetricHandler } from "./resources/calculated-metric";
import { connectionHandler } from "./resources/connection";
import { dataViewHandler } from "./resources/data-view";
import { datasetHandler } from "./resources/dataset";
import { dateRangeHandler } from "./resources/date-range";
import { dimensionHandler } from "./resources/dimension";
import { fieldGroupHandler } from "./resources/field-group";
import { filterHandler } from "./resources/filter";
import { metricHandler } from "./resources/metric";
import { schemaHandler } from "./resources/schema";

const handlers: Record<string, ResourceHandler> = {
  "cja:DataView": dataViewHandler,
  "cja:CalculatedMetric": calculatedMetricHandler,
  "cja:Filter": filterHandler,
  "cja:DateRange": dateRangeHandler,
  "cja:Connection": connectionHandler,
  "cja:Dimension": dimensionHandler,
  "cja:Metric": metricHandler,
  "aep:FieldGroup": fieldGroupHandler,
  "aep:Schema": schemaHandler,
  "aep:Dataset": datasetHandler,
  "aep:AudienceExportJob": audienceExportJobHandler,
  "aep:AudienceMembershipTransform": audienceMembershipTransformHandler,
};

/** The runtime of one resource type, by its type token (`cja:DataView`). */
export function handler(type: string): ResourceHandler {
  const found = Object.hasOwn(handlers, type) ? handlers[type] : undefined;
  if (!found) throw new Error(`pulumi-adobe-cja: no resource type ${type} in this version of the package (known: ${Object.keys(handlers).join(", ")})`);
  return found;
}

/**
 * The provider object the SDK's dynamic provider host calls for one resource type: what the
 * `__provider` text of every resource of that type returns (`providerSource` in
 * `provider/resources/shim.ts`). Stack config reaches the runtime through `configure`.
 */
export function provider(type: string): pulumi.dynamic.ResourceProvider {
  const of = handler(type);
  return {
    configure: async (req) => configure(req.config),
    check: (olds, news) => of.check(olds, news),
    diff: (id, olds, news) => of.diff(id, olds, news),
    create: (inputs) => of.create(inputs),
    read: (id, props) => {
      readArrived();
      return of.read(id, props);
    },
    update: (id, olds, news) => of.update(id, olds, news),
    delete: (id, props) => of.delete(id, props),
  };
}
