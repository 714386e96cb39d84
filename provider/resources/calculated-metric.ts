import * as pulumi from "@pulumi/pulumi";
import type { ComponentShareArgs } from "./component-metadata";
import type { ProfileArgs } from "./profile";
import { keyedOptions, ownerInput } from "./owner";
import { AdobeResource, MANAGED_ECHOES } from "./shim";

export interface CalculatedMetricArgs extends ProfileArgs {
  /**
   * The data view the calculated metric belongs to: `dv_` followed by letters and digits, e.g.
   * `dv_62ba17d5a5d7845496f5fb4d`. Changing it replaces the metric.
   */
  dataViewId: pulumi.Input<string>;
  /** Name shown in Analysis Workspace. Updated in place. */
  name: pulumi.Input<string>;
  /**
   * Description. Updated in place. Adobe's copy ends with a line `[pulumi:<key>]`, the metric's
   * ownership key; it is not part of this input.
   */
  description?: pulumi.Input<string>;
  /** Number format. Default `decimal`. */
  type?: pulumi.Input<"decimal" | "percent" | "currency" | "time">;
  /** Decimal places, 0 to 10. Default 0. */
  precision?: pulumi.Input<number>;
  /** Whether a rise is good (`positive`) or bad (`negative`). Default `positive`. */
  polarity?: pulumi.Input<"positive" | "negative">;
  /**
   * The formula as Adobe's guides write it: `[Sends] + [Bounces] - [Bounces After Delivery]`.
   * Operators `+ - * /` and comparisons `> < >= <= == !=`, parentheses, numbers, Adobe's
   * functions called by id (`abs([Sends])`, `if([Sends] > 0, 1, 0)`, `mean([Visits], true)`),
   * and filtered parts: `filter([Sends], "Email")` counts the sends of the hits the filter
   * `Email` keeps. docs/FORMULAS.md lists every function and how each is written to Adobe.
   * Each bracketed name must be a key of `metrics`, each quoted filter name a key of `filters`.
   * A name may contain any character; write `]` inside a name as `\]`. At most 20,000
   * characters, 1,000 metrics and numbers and 100 levels of parentheses, calls and minus signs;
   * it must use a metric or a function and never divide by a zero constant.
   */
  formula: pulumi.Input<string>;
  /**
   * What each bracketed name in `formula` stands for: a `Metric` resource's `componentId`, or a
   * raw component id such as `metrics/sends` (`metrics/` may be left out; no spaces, at most 255
   * characters; a dimension's `variables/...` is refused).
   */
  metrics: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * What each quoted name in the formula's `filter(..., "Name")` parts stands for: a filter
   * (segment) id, e.g. `s300000938_65f0c1a3e3b2d43b4a5c9a4e`, or one of Adobe's built-in filter
   * ids. Needed only when the formula filters.
   */
  filters?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Who the calculated metric is shared with, e.g. `[{ type: "group", id: "123456789" }]`.
   * Declared, Adobe's shares are made exactly these after every create and update
   * (`PUT /componentmetadata/shares` replaces them) and a refresh reads them back; left out, shares
   * made in the UI are left alone. At most 100, each once.
   */
  shares?: pulumi.Input<pulumi.Input<ComponentShareArgs>[]>;
  /**
   * Tags, e.g. `["journey-optimizer"]`, made when the org has none of that name. Declared, the
   * metric's tags are made exactly these (`PUT /componentmetadata/tags/tagitems`) and read back by
   * a refresh; left out, tags given in the UI are left alone. At most 100, each at most 255
   * characters, each once.
   */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Id of an existing calculated metric of `dataViewId` to take over in place, e.g. one built in
   * Analysis Workspace that projects already use: its id is kept, the first `pulumi preview` lists
   * what it holds otherwise (`formula: "[Sends] * 10" → "[Sends] * 100"`), the first `pulumi up`
   * writes the declared settings and formula, and from then on it is managed like one the stack
   * made. Changing it releases the old one and adopts the new (`pulumi import` cannot adopt
   * dynamic resources: pulumi/pulumi#16175).
   */
  adoptId?: pulumi.Input<string>;
  /**
   * Whether `pulumi destroy` (or removing the resource) deletes the calculated metric in Adobe.
   * Default: `true` for one the stack made, `false` for one it adopted (`adoptId`), which is
   * released from the stack and kept.
   */
  deleteOnDestroy?: pulumi.Input<boolean>;
}

/**
 * A CJA calculated metric, managed (made, or adopted by `adoptId`). The formula is compiled to Adobe's definition tree and checked
 * with `POST /calculatedmetrics/validate` before every create and update. Each carries an ownership
 * key derived from the IMS org, the stack and the resource's name, the same on every run, as the
 * last line of its description: a create looks for it in the data view first, so a create run
 * again after a crash or a lost answer adopts the metric the first one made. A replacement is made
 * after the old metric is deleted (`deleteBeforeReplace`, which cannot be turned off).
 */
export class CalculatedMetric extends AdobeResource {
  /** The calculated metric id. */
  declare readonly calculatedMetricId: pulumi.Output<string>;
  /** The data view the metric belongs to. */
  declare readonly dataViewId: pulumi.Output<string>;
  /** The name, as declared (after a refresh, Adobe's). */
  declare readonly name: pulumi.Output<string>;
  /** The formula: as declared while Adobe holds what it compiles to, else Adobe's definition written as a formula (drift). */
  declare readonly formula: pulumi.Output<string>;
  /** The description, as declared (Adobe's copy also carries the ownership key). */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The number format, as declared or its default. */
  declare readonly type: pulumi.Output<"decimal" | "percent" | "currency" | "time">;
  /** Decimal places, as declared or its default. */
  declare readonly precision: pulumi.Output<number>;
  /** Polarity, as declared or its default. */
  declare readonly polarity: pulumi.Output<"positive" | "negative">;
  /** The formula's metric names and their component ids, as declared. */
  declare readonly metrics: pulumi.Output<Record<string, string>>;
  /** The formula's filter names and their ids, as declared. */
  declare readonly filters: pulumi.Output<Record<string, string> | undefined>;
  /** The calculated metric taken over, when `adoptId` was given (then `calculatedMetricId` is the same). */
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** Whether destroying deletes the calculated metric, as declared. */
  declare readonly deleteOnDestroy: pulumi.Output<boolean | undefined>;
  /** Who it is shared with, as declared (after a refresh, Adobe's); undefined when not managed. */
  declare readonly shares: pulumi.Output<ComponentShareArgs[] | undefined>;
  /** Its tags, as declared (after a refresh, Adobe's); undefined when not managed. */
  declare readonly tags: pulumi.Output<string[] | undefined>;
  /** The ownership key written in the description; none for an adopted metric, which its id identifies. */
  declare readonly ownershipKey: pulumi.Output<string | undefined>;
  /** The definition tree sent to Adobe. */
  declare readonly definition: pulumi.Output<Record<string, unknown>>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: CalculatedMetricArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { profile: undefined, shares: undefined, tags: undefined, definition: undefined, ownershipKey: undefined, description: undefined, type: undefined, precision: undefined, polarity: undefined, filters: undefined, adoptId: undefined, deleteOnDestroy: undefined };
    super("cja:CalculatedMetric", name, { ...outputs, ...args, ...ownerInput("cja:CalculatedMetric", name) }, keyedOptions("CalculatedMetric", name, opts), MANAGED_ECHOES);
    this.calculatedMetricId = this.id;
  }
}
