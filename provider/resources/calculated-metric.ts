import * as pulumi from "@pulumi/pulumi";
import { thinShim } from "./shim";

const provider = thinShim("cja:CalculatedMetric");

export interface CalculatedMetricArgs {
  /** The data view (`dv_...`) the calculated metric belongs to. Changing it replaces the metric. */
  dataViewId: pulumi.Input<string>;
  /** Name shown in Analysis Workspace. Updated in place. */
  name: pulumi.Input<string>;
  /** Description. Updated in place. */
  description?: pulumi.Input<string>;
  /** Number format. Default `decimal`. */
  type?: pulumi.Input<"decimal" | "percent" | "currency" | "time">;
  /** Decimal places, 0 to 10. Default 0. */
  precision?: pulumi.Input<number>;
  /** Whether a rise is good (`positive`) or bad (`negative`). Default `positive`. */
  polarity?: pulumi.Input<"positive" | "negative">;
  /**
   * The formula as Adobe's guides write it: `[Sends] + [Bounces] - [Bounces After Delivery]`.
   * Operators `+ - * /`, parentheses and numbers; each bracketed name must be a key of `metrics`.
   * A name may contain any character; write `]` inside a name as `\]`. At most 20,000
   * characters, 1,000 metrics and numbers and 100 levels of parentheses and minus signs; it must
   * use a metric and never divide by a zero constant.
   */
  formula: pulumi.Input<string>;
  /**
   * What each bracketed name in `formula` stands for: a `Metric` resource's `componentId`, or a
   * raw component id such as `metrics/sends`.
   */
  metrics: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * A CJA calculated metric, managed. The formula is compiled to Adobe's definition tree and checked
 * with `POST /calculatedmetrics/validate` before every create and update. A create retried after a
 * timeout first looks for the metric it may already have made (same data view, name and
 * definition), so it never makes a duplicate.
 */
export class CalculatedMetric extends pulumi.dynamic.Resource {
  /** The calculated metric id. */
  declare readonly calculatedMetricId: pulumi.Output<string>;
  declare readonly dataViewId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly formula: pulumi.Output<string>;
  /** The definition tree sent to Adobe. */
  declare readonly definition: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: CalculatedMetricArgs, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { definition: undefined, ...args }, opts, "cja", "CalculatedMetric");
    this.calculatedMetricId = this.id;
  }
}
