import * as pulumi from "@pulumi/pulumi";
import { componentLocator, readOptions } from "./known-ids";
import { AdobeResource } from "./shim";
import { COMPONENT_ECHOES, type AttributionArgs, type ComponentArgs, type IncludeExcludeArgs, type MetricFormatArgs } from "./component-settings";

export interface MetricArgs extends ComponentArgs {
  /** Attribution model. Compared only when declared. */
  attribution?: pulumi.Input<AttributionArgs>;
  /** Number format. Compared only when declared. */
  format?: pulumi.Input<MetricFormatArgs>;
}

/**
 * A metric of a data view, adopted and verified, like `Dimension`. Its `componentId` is what a
 * `CalculatedMetric` formula refers to.
 */
export class Metric extends AdobeResource {
  /** The component id, e.g. `metrics/sends`. */
  declare readonly componentId: pulumi.Output<string>;
  /** The schema field the component reads (`sourceFieldId`). */
  declare readonly schemaPath: pulumi.Output<string>;
  /** The component's name, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly name: pulumi.Output<string>;
  /** The data view the component belongs to. */
  declare readonly dataViewId: pulumi.Output<string>;
  /** The description, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The context labels to check in the Data View Manager, as declared. */
  declare readonly contextLabels: pulumi.Output<string[] | undefined>;
  /** Whether the component is hidden in reports, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly hidden: pulumi.Output<boolean | undefined>;
  /** Include/exclude values, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly includeExclude: pulumi.Output<IncludeExcludeArgs | undefined>;
  /** What a difference from Adobe does, as declared. */
  declare readonly onDrift: pulumi.Output<"fail" | "warn" | undefined>;
  /** The attribution model, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly attribution: pulumi.Output<AttributionArgs | undefined>;
  /** The number format, as declared (under `onDrift: "warn"`, Adobe's). */
  declare readonly format: pulumi.Output<MetricFormatArgs | undefined>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: MetricArgs, opts?: pulumi.CustomResourceOptions) {
    super("cja:Metric", name, { profile: undefined, componentId: undefined, schemaPath: undefined, description: undefined, contextLabels: undefined, hidden: undefined, includeExclude: undefined, onDrift: undefined, attribution: undefined, format: undefined, ...args }, readOptions(componentLocator("metrics/", args), opts), [...COMPONENT_ECHOES, "attribution", "format"]);
  }
}
