import type { ResourceHandler } from "./resource-handler";
import { audienceExportJobHandler } from "./resources/audience-export-job";
import { audienceMembershipTransformHandler } from "./resources/audience-membership-transform";
import { calculatedMetricHandler } from "./resources/calculated-metric";
import { connectionHandler } from "./resources/connection";
import { dataViewHandler } from "./resources/data-view";
import { datasetHandler } from "./resources/dataset";
import { dimensionHandler } from "./resources/dimension";
import { fieldGroupHandler } from "./resources/field-group";
import { metricHandler } from "./resources/metric";
import { schemaHandler } from "./resources/schema";

const handlers: Record<string, ResourceHandler> = {
  "cja:DataView": dataViewHandler,
  "cja:CalculatedMetric": calculatedMetricHandler,
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
  const found = handlers[type];
  if (!found) throw new Error(`pulumi-adobe-cja: no resource type ${type} in this version of the package (known: ${Object.keys(handlers).join(", ")})`);
  return found;
}
