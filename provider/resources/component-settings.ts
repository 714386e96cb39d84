import type * as pulumi from "@pulumi/pulumi";
import type { ProfileArgs } from "./profile";

/** What a difference between declared and live settings does: stop the update (`fail`) or log it and go on (`warn`). */
export type OnDrift = "fail" | "warn";

/** The outputs of a `Dimension` or `Metric` that hold a setting as declared: undefined unless declared. */
export const COMPONENT_ECHOES = ["profile", "description", "contextLabels", "hidden", "includeExclude", "onDrift"] as const;

/** Include/exclude criteria, as the Data View Manager names them (wire names in parentheses). */
export type IncludeExcludeClause =
  | "equals"
  | "not-equals"
  | "contains-phrase"
  | "contains-any"
  | "contains-all"
  | "not-contains-phrase"
  | "not-contains-any"
  | "starts-with"
  | "ends-with"
  | "eq"
  | "not-eq"
  | "lt"
  | "gt"
  | "le"
  | "ge";

export interface IncludeExcludeRuleArgs {
  /** The criterion, e.g. `equals` (string) or `gt` (number). */
  clause: pulumi.Input<IncludeExcludeClause>;
  /** The value the criterion compares with. */
  value: pulumi.Input<string>;
}

/** "Include exclude values" of a dimension or metric. */
export interface IncludeExcludeArgs {
  /** `any`: "If any criteria are met" (Adobe `or`); `all`: "If all criteria are met" (`and`). Compared only when declared. */
  match?: pulumi.Input<"any" | "all">;
  /** Case sensitive string matching. Compared only when declared. */
  caseSensitive?: pulumi.Input<boolean>;
  /** The criteria, in order. */
  rules: pulumi.Input<pulumi.Input<IncludeExcludeRuleArgs>[]>;
}

/** Substring transformation, "Delimiter" method: splits a value into an array of values. */
export interface SubstringSplitArgs {
  /** The delimiter, e.g. `,` for a comma-separated list. */
  delimiter: pulumi.Input<string>;
}

/** Persistence of a dimension. */
export interface PersistenceArgs {
  /** Which value a later event keeps: `most-recent`, `original`, `all`, `first-known`, `last-known`. */
  allocation: pulumi.Input<"most-recent" | "original" | "all" | "first-known" | "last-known">;
  /** How long the value persists: the session or the person reporting window. */
  expiration: pulumi.Input<"session" | "person">;
}

/** Attribution model of a metric. */
export interface AttributionArgs {
  /** The attribution model, in the Data View Manager's words. */
  model: pulumi.Input<
    "last-touch" | "first-touch" | "linear" | "participation" | "same-touch" | "u-shaped" | "j-shaped" | "reverse-j" | "time-decay" | "algorithmic"
  >;
  /** Lookback window: the session or the person reporting window. */
  lookback: pulumi.Input<"session" | "person">;
}

/** Number format of a metric. Each field is compared only when declared. */
export interface MetricFormatArgs {
  /** The format type. */
  type?: pulumi.Input<"decimal" | "time" | "percent" | "currency">;
  /** Decimal places shown. */
  decimalPlaces?: pulumi.Input<number>;
  /** ISO currency code for `currency`, e.g. `USD`. */
  currency?: pulumi.Input<string>;
  /** Whether a rise is good (`positive`) or bad (`negative`). */
  polarity?: pulumi.Input<"positive" | "negative">;
}

/** What every adopted component (dimension or metric) declares. */
export interface ComponentArgs extends ProfileArgs {
  /**
   * The data view the component belongs to: `dv_` followed by letters and digits, e.g.
   * `dv_62ba17d5a5d7845496f5fb4d`. Changing it adopts another component (replace).
   */
  dataViewId: pulumi.Input<string>;
  /**
   * The component id, e.g. `variables/_experience.customerJourneyManagement.entities.journey.journeyName`
   * or `metrics/sends`: the prefix (`variables/` for a dimension, `metrics/` for a metric; put in
   * front when left out) and a name without spaces, at most 255 characters. Give this or
   * `schemaPath`; required when several components of the data view use the same schema field.
   */
  componentId?: pulumi.Input<string>;
  /** The schema field the component reads, e.g. `_experience.customerJourneyManagement.messageInteraction.label`. Give this or `componentId`. */
  schemaPath?: pulumi.Input<string>;
  /** The component name shown in Analysis Workspace. */
  name: pulumi.Input<string>;
  /** Description. Compared only when declared. */
  description?: pulumi.Input<string>;
  /** Context labels, e.g. `Experimentation Experiment`. Compared only when declared. */
  contextLabels?: pulumi.Input<pulumi.Input<string>[]>;
  /** "Hide component in reporting". Compared only when declared. */
  hidden?: pulumi.Input<boolean>;
  /** Include/exclude values. Compared only when declared. */
  includeExclude?: pulumi.Input<IncludeExcludeArgs>;
  /** On drift: stop the update (`fail`, default) or log it and go on (`warn`). */
  onDrift?: pulumi.Input<OnDrift>;
}
