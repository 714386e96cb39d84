import * as pulumi from "@pulumi/pulumi";
import type { ComponentShareArgs } from "./component-metadata";
import type { ProfileArgs } from "./profile";
import { keyedOptions, ownerInput } from "./owner";
import { AdobeResource, MANAGED_ECHOES } from "./shim";

/** CJA's container names: `event`, `session`, `person` (Adobe's JSON: `hits`, `visits`, `visitors`). */
export type FilterContext = "event" | "session" | "person";

/**
 * A container of a filter: the level its rules are evaluated at, and the rules, which must all
 * hold. `{ context: "person", rules: [...] }` keeps every event of each person who matches.
 */
export interface FilterContainerArgs {
  /** `event` (each event on its own), `session` (the session's events together) or `person` (all of a person's events). */
  context: FilterContext;
  /** At least one rule; all must hold (Adobe's `and`; one rule is written alone). At most 1,000 rules in a definition, nested at most 50 deep. */
  rules: FilterRuleArgs[];
  /** Keep what the rules do not match (the Filter builder's Exclude; Adobe's `without`). Default false. */
  exclude?: boolean;
}

/**
 * A rule on a dimension: `dimension` and exactly one operator. Text operators take a string (or,
 * the `...AnyOf`/`...AllOf` ones, a list of strings); `matches` takes a glob (`*` any characters);
 * number operators (`eq`, `notEq`, `gt`, `lt`, `ge`, `le`, `eqAnyOf`, `notEqAnyOf`) compare a
 * numeric dimension; `exists: true` keeps what has a value, `exists: false` what has none.
 */
export interface FilterDimensionRuleArgs {
  /** The dimension's component id, `variables/...` (`variables/` may be left out), or a `Dimension` resource's `componentId`. */
  dimension: pulumi.Input<string>;
  equals?: string;
  notEquals?: string;
  equalsAnyOf?: string[];
  notEqualsAnyOf?: string[];
  contains?: string;
  notContains?: string;
  containsAnyOf?: string[];
  containsAllOf?: string[];
  notContainsAnyOf?: string[];
  notContainsAllOf?: string[];
  startsWith?: string;
  endsWith?: string;
  notStartsWith?: string;
  notEndsWith?: string;
  matches?: string;
  notMatches?: string;
  eq?: number;
  notEq?: number;
  gt?: number;
  lt?: number;
  ge?: number;
  le?: number;
  eqAnyOf?: number[];
  notEqAnyOf?: number[];
  exists?: boolean;
}

/**
 * A rule on a metric: `exists: true` (the metric occurs in the container), `exists: false` (it
 * does not), or one number comparison of its total in the container (`gt: 2`: more than two).
 */
export interface FilterMetricRuleArgs {
  /** The metric's component id, `metrics/...` (`metrics/` may be left out), or a `Metric` resource's `componentId`. */
  metric: pulumi.Input<string>;
  exists?: boolean;
  eq?: number;
  notEq?: number;
  gt?: number;
  lt?: number;
  ge?: number;
  le?: number;
  eqAnyOf?: number[];
  notEqAnyOf?: number[];
}

/** A rule: on a dimension, on a metric, `and`/`or` of rules, `not` of a rule, or a nested container. */
export type FilterRuleArgs =
  | FilterDimensionRuleArgs
  | FilterMetricRuleArgs
  | { and: FilterRuleArgs[] }
  | { or: FilterRuleArgs[] }
  | { not: FilterRuleArgs }
  | { container: FilterContainerArgs };

export interface FilterArgs extends ProfileArgs {
  /**
   * The data view the filter belongs to (Adobe's `dataId`): `dv_` followed by letters and digits,
   * e.g. `dv_62ba17d5a5d7845496f5fb4d`. Changing it replaces the filter.
   */
  dataViewId: pulumi.Input<string>;
  /** Name shown in Analysis Workspace, at most 255 characters. Updated in place. */
  name: pulumi.Input<string>;
  /**
   * Description. Updated in place. Adobe's copy ends with a line `[pulumi:<key>]`, the filter's
   * ownership key; it is not part of this input.
   */
  description?: pulumi.Input<string>;
  /**
   * What the filter keeps, e.g. the email channel's events:
   * `{ context: "event", rules: [{ dimension: "variables/channel", equals: "email" }] }`. Compiled to
   * Adobe's segment definition (docs/ADOBE-API.md, "Filters: the shapes") and checked with Adobe's
   * `POST /segments/validate` before every create and update; every dimension and metric it names
   * must be in `dataViewId`. Updated in place.
   */
  definition: pulumi.Input<FilterContainerArgs>;
  /**
   * Who the filter is shared with, e.g. `[{ type: "group", id: "123456789" }]`. Declared, Adobe's
   * shares are made exactly these after every create and update (`PUT /componentmetadata/shares`
   * replaces them) and a refresh reads them back; left out, shares made in the UI are left alone.
   * At most 100, each once.
   */
  shares?: pulumi.Input<pulumi.Input<ComponentShareArgs>[]>;
  /**
   * Tags, e.g. `["journey-optimizer"]`, made when the org has none of that name. Declared, the
   * filter's tags are made exactly these (`PUT /componentmetadata/tags/tagitems`) and read back by
   * a refresh; left out, tags given in the UI are left alone. At most 100, each at most 255
   * characters, each once.
   */
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Id of an existing filter of `dataViewId` to take over in place, e.g. one built in the Filter
   * builder: its id is kept, the first `pulumi preview` lists what it holds otherwise, the first
   * `pulumi up` writes the declared name, description and definition. Changing it releases the old
   * one and adopts the new.
   */
  adoptId?: pulumi.Input<string>;
  /**
   * Whether `pulumi destroy` (or removing the resource) deletes the filter in Adobe. Default: `true`
   * for one the stack made, `false` for one it adopted (`adoptId`), which is released and kept.
   */
  deleteOnDestroy?: pulumi.Input<boolean>;
}

/**
 * A CJA filter (Adobe's API: a segment), managed (made, or adopted by `adoptId`). Its definition is
 * written as a container of rules and compiled to Adobe's segment definition JSON, validated by
 * Adobe before every write. Each carries an ownership key, derived from the IMS org, the stack and
 * the resource's name, as the last line of its description: a create looks for it in the data
 * view's filters first, so a create run again after a crash adopts the filter the first one made.
 * Its id goes into a `CalculatedMetric`'s `filters` for a filtered part of a formula.
 *
 * A filter made with an OAuth Server-to-Server credential is owned by the credential's technical
 * account; docs/ADOBE-API.md says who else sees it.
 */
export class Filter extends AdobeResource {
  /** The filter's id (Adobe's segment id, e.g. `s300000022_5cc8d94e80f0073611afb45d`). */
  declare readonly filterId: pulumi.Output<string>;
  /** The data view the filter belongs to. */
  declare readonly dataViewId: pulumi.Output<string>;
  /** The name, as declared (after a refresh, Adobe's). */
  declare readonly name: pulumi.Output<string>;
  /** The description, as declared (Adobe's copy also carries the ownership key). */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The definition: as declared while Adobe holds what it compiles to, else Adobe's read back as a container (drift), or a note when it has no such form. */
  declare readonly definition: pulumi.Output<FilterContainerArgs | string>;
  /** Adobe's segment definition: as sent, or after a refresh as Adobe holds it. */
  declare readonly adobeDefinition: pulumi.Output<Record<string, unknown>>;
  /** The filter taken over, when `adoptId` was given (then `filterId` is the same). */
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** Whether destroying deletes the filter, as declared. */
  declare readonly deleteOnDestroy: pulumi.Output<boolean | undefined>;
  /** Who it is shared with, as declared (after a refresh, Adobe's); undefined when not managed. */
  declare readonly shares: pulumi.Output<ComponentShareArgs[] | undefined>;
  /** Its tags, as declared (after a refresh, Adobe's); undefined when not managed. */
  declare readonly tags: pulumi.Output<string[] | undefined>;
  /** The ownership key written in the description; none for an adopted filter, which its id identifies. */
  declare readonly ownershipKey: pulumi.Output<string | undefined>;
  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: FilterArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { profile: undefined, shares: undefined, tags: undefined, description: undefined, adobeDefinition: undefined, ownershipKey: undefined, adoptId: undefined, deleteOnDestroy: undefined };
    super("cja:Filter", name, { ...outputs, ...args, ...ownerInput("cja:Filter", name) }, keyedOptions("Filter", name, opts), MANAGED_ECHOES);
    this.filterId = this.id;
  }
}
