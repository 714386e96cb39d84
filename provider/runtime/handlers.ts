import type * as pulumi from "@pulumi/pulumi";
import { readArrived } from "./batched-reads";
import { configure } from "./client";
import type { ResourceHandler } from "./resource-handler";

type Module<K extends string> = Record<K, ResourceHandler>;
const load = <K extends string>(path: string, name: K) => () => (require(path) as Module<K>)[name];

/**
 * Each type's runtime, loaded when a resource of that type is first called: a stack of CJA
 * resources only never loads the AEP ones (each module is tens of milliseconds of a provider's
 * start-up).
 */
const handlers: Record<string, () => ResourceHandler> = {
  "cja:DataView": load("./resources/data-view", "dataViewHandler"),
  "cja:CalculatedMetric": load("./resources/calculated-metric", "calculatedMetricHandler"),
  "cja:Filter": load("./resources/filter", "filterHandler"),
  "cja:DateRange": load("./resources/date-range", "dateRangeHandler"),
  "cja:Connection": load("./resources/connection", "connectionHandler"),
  "cja:Dimension": load("./resources/dimension", "dimensionHandler"),
  "cja:Metric": load("./resources/metric", "metricHandler"),
  "aep:FieldGroup": load("./resources/field-group", "fieldGroupHandler"),
  "aep:Schema": load("./resources/schema", "schemaHandler"),
  "aep:Dataset": load("./resources/dataset", "datasetHandler"),
  "aep:AudienceExportJob": load("./resources/audience-export-job", "audienceExportJobHandler"),
  "aep:AudienceMembershipTransform": load("./resources/audience-membership-transform", "audienceMembershipTransformHandler"),
};

/** The runtime of one resource type, by its type token (`cja:DataView`). */
export function handler(type: string): ResourceHandler {
  const found = Object.hasOwn(handlers, type) ? handlers[type]() : undefined;
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
