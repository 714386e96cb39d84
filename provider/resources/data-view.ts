import * as pulumi from "@pulumi/pulumi";
import type { ProfileArgs } from "./profile";
import { keyedOptions, ownerInput } from "./owner";
import { AdobeResource, MANAGED_ECHOES } from "./shim";

/** One rule of a data view's session definition, as Adobe's data view API takes it. */
export interface SessionDefinitionArgs {
  /** How many `granularity` units. */
  numPeriods: pulumi.Input<number>;
  /** Unit of `numPeriods`. Adobe answers in lower case; both casings compare equal. */
  granularity: pulumi.Input<"MINUTE" | "HOUR" | "DAY" | "WEEK">;
  /** `INACTIVITY`: a session ends after this much inactivity. `BEFORE_EVENTS`: a new session starts before the listed events. */
  func: pulumi.Input<"INACTIVITY" | "BEFORE_EVENTS">;
  /** Metric ids that start a new session (`BEFORE_EVENTS` only). */
  events?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Display names of the three containers in Analysis Workspace. */
export interface ContainerNamesArgs {
  /** The event container's name. */
  event?: pulumi.Input<string>;
  /** The session container's name. */
  session?: pulumi.Input<string>;
  /** The person container's name. */
  people?: pulumi.Input<string>;
}

export interface DataViewArgs extends ProfileArgs {
  /** Data view name: at most 255 characters, no control characters. Changing it updates the data view in place. */
  name: pulumi.Input<string>;
  /** Description shown in the Data View Manager. Updated in place. */
  description?: pulumi.Input<string>;
  /**
   * The connection the data view reports on: `dg_` followed by letters, digits and hyphens (a
   * UUID), e.g. `dg_b008fd39-2437-4d00-88fd-392437...`. Adobe cannot move a data view to another
   * connection, so changing it replaces the data view.
   */
  connectionId: pulumi.Input<string>;
  /** IANA time zone, e.g. `US/Mountain` or `Europe/London` (checked in `check`). Updated in place. */
  timezone: pulumi.Input<string>;
  /** Session definition; Adobe's default is 30 minutes of inactivity. Updated in place. */
  sessionDefinition?: pulumi.Input<pulumi.Input<SessionDefinitionArgs>[]>;
  /** Custom container names. Updated in place. */
  containerNames?: pulumi.Input<ContainerNamesArgs>;
  /**
   * Id of a data view configured in the Adobe UI to clone (`PUT /data/dataviews/copy/{id}`):
   * `dv_` followed by letters and digits, e.g. `dv_62ba17d5a5d7845496f5fb4d`. Components are
   * included; the declared settings are then applied to the copy. The public API cannot add
   * components to a data view, so this is how a new data view gets them. Changing it replaces the
   * data view.
   */
  copyFrom?: pulumi.Input<string>;
  /**
   * Component ids (`variables/...` dimensions, `metrics/...` metrics) the copy must hold, e.g. the
   * ones the stack's `Dimension`, `Metric` and `CalculatedMetric` resources use. Checked against
   * the `copyFrom` template in `check`, so a missing one stops `pulumi preview`, and `pulumi up`
   * before the copy is made. Needs `copyFrom`. Changing it sends no request.
   */
  requiredComponents?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Id of an existing data view to take over in place (`dv_...`), e.g. one built in the Data View
   * Manager that Workspace projects already use: its id is kept, the first `pulumi preview` lists
   * each declared setting it holds otherwise (`name: "Old" → "New"`), the first `pulumi up` writes
   * them, and from then on it is managed like a data view the stack made. It must report on
   * `connectionId`. Not with `copyFrom`. Changing it releases the old one and adopts the new
   * (`pulumi import` cannot adopt dynamic resources: pulumi/pulumi#16175).
   */
  adoptId?: pulumi.Input<string>;
  /**
   * Whether `pulumi destroy` (or removing the resource) deletes the data view in Adobe. Default:
   * `true` for a data view the stack made, `false` for one it adopted (`adoptId`), which is
   * released from the stack and kept.
   */
  deleteOnDestroy?: pulumi.Input<boolean>;
}

/**
 * A CJA data view, managed: created (fresh, as a copy of `copyFrom`, or adopted by `adoptId`),
 * updated in place, deleted. Each one the stack makes is stamped with an
 * `externalData.externalId` derived from the IMS org, the stack and the resource's name, the same
 * on every run: a create looks for it first, so a create run again after a crash or a lost answer
 * adopts the data view the first one made instead of making a second one. A replacement is made
 * after the old data view is deleted (`deleteBeforeReplace`, which cannot be turned off).
 */
export class DataView extends AdobeResource {
  /** The template the data view was copied from, when `copyFrom` was given. */
  declare readonly copyFrom: pulumi.Output<string | undefined>;
  /** The data view id (`dv_...`), for `Dimension`, `Metric` and `CalculatedMetric`. */
  declare readonly dataViewId: pulumi.Output<string>;
  /** The name, as declared (after a refresh, Adobe's). */
  declare readonly name: pulumi.Output<string>;
  /** The description, as declared (after a refresh, Adobe's). */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The connection the data view reports on. */
  declare readonly connectionId: pulumi.Output<string>;
  /** The time zone, as declared (after a refresh, Adobe's). */
  declare readonly timezone: pulumi.Output<string>;
  /** The `externalData.externalId`: the ownership key this stack stamped, or an adopted data view's own. */
  declare readonly externalId: pulumi.Output<string>;
  /** The session definition, as declared. */
  declare readonly sessionDefinition: pulumi.Output<SessionDefinitionArgs[] | undefined>;
  /** The container names, as declared. */
  declare readonly containerNames: pulumi.Output<ContainerNamesArgs | undefined>;
  /** The component ids checked in the template, as declared. */
  declare readonly requiredComponents: pulumi.Output<string[] | undefined>;
  /** The data view taken over, when `adoptId` was given (then `dataViewId` is the same). */
  declare readonly adoptId: pulumi.Output<string | undefined>;
  /** Whether destroying deletes the data view, as declared. */
  declare readonly deleteOnDestroy: pulumi.Output<boolean | undefined>;

  /** The `adobe:profiles` entry the resource uses, as declared (undefined: the stack's own settings). */
  declare readonly profile: pulumi.Output<string | undefined>;

  constructor(name: string, args: DataViewArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { profile: undefined, externalId: undefined, description: undefined, sessionDefinition: undefined, containerNames: undefined, copyFrom: undefined, requiredComponents: undefined, adoptId: undefined, deleteOnDestroy: undefined };
    super("cja:DataView", name, { ...outputs, ...args, ...ownerInput("cja:DataView", name) }, keyedOptions("DataView", name, opts), MANAGED_ECHOES);
    this.dataViewId = this.id;
  }
}
