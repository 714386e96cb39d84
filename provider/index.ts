/**
 * Pulumi resources for Adobe Customer Journey Analytics and Adobe Experience Platform.
 * Credentials come from stack config (`adobe:clientId`, `adobe:clientSecret`, `adobe:orgId`, ...),
 * never from resource inputs: see README.md.
 */
export { AudienceExportJob, type AudienceExportJobArgs } from "./resources/audience-export-job";
export { AudienceMembershipTransform, type AudienceMembershipTransformArgs } from "./resources/audience-membership-transform";
export { CalculatedMetric, type CalculatedMetricArgs } from "./resources/calculated-metric";
export type { ComponentShareArgs } from "./resources/component-metadata";
export { Connection, type ConnectionArgs, type ConnectionDatasetArgs, type ConnectionDatasetOutput } from "./resources/connection";
export { DataView, type ContainerNamesArgs, type DataViewArgs, type SessionDefinitionArgs } from "./resources/data-view";
export { Dataset, PROFILE_UNION_SCHEMA, type DatasetArgs } from "./resources/dataset";
export { DateRange, type DateRangeArgs } from "./resources/date-range";
export { Dimension, type DimensionArgs } from "./resources/dimension";
export { FieldGroup, PROFILE_CLASS, type FieldGroupArgs, type FieldSpecArgs } from "./resources/field-group";
export {
  Filter,
  type FilterArgs,
  type FilterContainerArgs,
  type FilterContext,
  type FilterDimensionRuleArgs,
  type FilterMetricRuleArgs,
  type FilterRuleArgs,
} from "./resources/filter";
export { Metric, type MetricArgs } from "./resources/metric";
export { Schema, type SchemaArgs } from "./resources/schema";
export type { ProfileArgs } from "./resources/profile";
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
