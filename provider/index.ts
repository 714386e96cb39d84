/**
 * Pulumi resources for Adobe Customer Journey Analytics and Adobe Experience Platform.
 * Credentials come from stack config (`adobe:clientId`, `adobe:clientSecret`, `adobe:orgId`, ...),
 * never from resource inputs: see README.md.
 */
export { CalculatedMetric, type CalculatedMetricArgs } from "./resources/calculated-metric";
export { Connection, type ConnectionArgs, type ConnectionDatasetArgs, type ConnectionDatasetOutput } from "./resources/connection";
export { DataView, type ContainerNamesArgs, type DataViewArgs, type SessionDefinitionArgs } from "./resources/data-view";
export { Dimension, type DimensionArgs } from "./resources/dimension";
export { Metric, type MetricArgs } from "./resources/metric";
export type {
  AttributionArgs,
  ComponentArgs,
  IncludeExcludeArgs,
  IncludeExcludeClause,
  IncludeExcludeRuleArgs,
  MetricFormatArgs,
  OnDrift,
  PersistenceArgs,
  SubstringSplitArgs,
} from "./resources/component-settings";
