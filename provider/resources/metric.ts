import * as pulumi from "@pulumi/pulumi";
import { componentIdOf } from "./known-ids";
import { thinShim } from "./shim";
import type { AttributionArgs, ComponentArgs, MetricFormatArgs } from "./component-settings";

const provider = thinShim("cja:Metric");

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
export class Metric extends pulumi.dynamic.Resource {
  /** The component id, e.g. `metrics/sends`. */
  declare readonly componentId: pulumi.Output<string>;
  declare readonly schemaPath: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly dataViewId: pulumi.Output<string>;

  constructor(name: string, args: MetricArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { schemaPath: undefined, ...args }, opts, "cja", "Metric");
    this.componentId = componentIdOf(this);
  }
}
